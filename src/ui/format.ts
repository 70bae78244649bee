import cliTruncate from 'cli-truncate';
import stringWidth from 'string-width';
import { percentText } from '../domain/percent';

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

/** Binary units as `docker stats` prints them (e.g. 12.3MiB). */
export function formatBytes(bytes: number | null): string {
  if (bytes === null || !Number.isFinite(bytes)) return '-';
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value.toFixed(0) : value.toFixed(value >= 100 ? 0 : 1)}${UNITS[unit]}`;
}

/** 12345 → "12,345". Not toLocaleString: its first call loads ICU's number formats, ~8 ms of the first frame. */
export function groupDigits(count: number): string {
  return String(Math.trunc(count)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

export function formatPercent(value: number): string {
  return `${percentText(value)}%`;
}

/** Compact age like 45s, 12m, 3h, 2d. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${s % 60 ? `${String(s % 60).padStart(2, '0')}s` : ''}`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
  return `${Math.floor(s / 86_400)}d${Math.floor((s % 86_400) / 3600)}h`;
}

const BARS = '▁▂▃▄▅▆▇█';

/** A sparkline of the last `width` values, scaled to `max` (at least 100 so idle containers look idle). */
export function sparkline(values: readonly number[], width: number): string {
  const tail = values.slice(-width);
  const max = Math.max(100, ...tail);
  const line = tail.map((v) => BARS[Math.min(BARS.length - 1, Math.max(0, Math.round((v / max) * (BARS.length - 1))))]).join('');
  return line.padStart(width, ' ');
}

/**
 * Cuts text to `width` terminal cells with an ellipsis, and pads it. Counted in cells, not UTF-16 units: a CJK
 * character or an emoji takes two cells, a combining accent none.
 */
export function fit(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  if (width <= 0) return '';
  const cut = cliTruncate(text, width);
  const padding = ' '.repeat(Math.max(0, width - stringWidth(cut)));
  return align === 'left' ? cut + padding : padding + cut;
}

/** `region-docker.pkg.dev/project/repo/backend:v2.1-alpine` → `backend:v2.1-alpine`; digests cut to 12 hex digits. */
export function shortImage(image: string): string {
  const last = image.split('/').at(-1) ?? image;
  return last.replace(/@sha256:([0-9a-f]{12})[0-9a-f]*/, '@sha256:$1');
}

/** A pid count, or `--` as `docker stats` prints one the engine does not keep. */
export function formatPids(pids: number | null): string {
  return pids === null ? '--' : String(pids);
}
