import { Box, Text } from 'ink';
import { memo, useEffect, useMemo } from 'react';
import stringWidth from 'string-width';
import type { LogLine, Severity } from '../../domain/log-line';
import { selectedAmong, setLogRows } from '../../store/log-actions';
import { compileSearch, windowLines, type LogFilter } from '../../store/log-view';
import type { CloudTailStatus, LogsState } from '../../store/logs-state';
import { useAppState, useAppStore, useLogRing } from '../context';
import { fit, groupDigits } from '../format';
import { LOGS_KEYS } from '../keys/logs-keys';
import type { PanelSpec, ViewProps } from '../keys/view-spec';
import { Spacer, StillText } from '../components/still';
import { usePaint, type Paint } from '../styled';
import type { Colour } from '../theme';
import { useNow } from '../use-now';

export const SEVERITY_COLOR: Record<Severity, Colour | undefined> = {
  DEFAULT: undefined,
  DEBUG: 'gray',
  INFO: undefined,
  NOTICE: 'cyan',
  WARNING: 'yellow',
  ERROR: 'red',
  CRITICAL: 'redBright',
  ALERT: 'redBright',
  EMERGENCY: 'redBright',
};

const SOURCE_WIDTH = 28;

/** Message split into plain and matching parts, for highlighting. */
function highlight(text: string, regex: RegExp | null): Array<{ text: string; match: boolean }> {
  if (!regex) return [{ text, match: false }];
  const parts: Array<{ text: string; match: boolean }> = [];
  let last = 0;
  regex.lastIndex = 0;
  for (let m = regex.exec(text); m; m = regex.exec(text)) {
    if (m[0] === '') {
      regex.lastIndex++;
      continue;
    }
    if (m.index > last) parts.push({ text: text.slice(last, m.index), match: false });
    parts.push({ text: m[0], match: true });
    last = m.index + m[0].length;
  }
  if (last < text.length) parts.push({ text: text.slice(last), match: false });
  return parts;
}

/** The parts of a log line's row, each styled as a `<Text>` of its own would be. */
function logRowText(line: LogLine, showTime: boolean, regex: RegExp | null, paint: Paint): string {
  const marked = line.origin === 'notice';
  const color = SEVERITY_COLOR[line.severity];
  const head = [
    paint(showTime ? `${line.timestamp.slice(11, 23)} ` : '', { dim: true }),
    paint(`${fit(line.source, SOURCE_WIDTH)} `, { color: marked ? 'magenta' : 'blue' }),
    paint(`${line.severity.slice(0, 7).padEnd(7)} `, { color }),
  ];
  if (marked) return [...head, paint(`⚑ ${line.message}`, { color: 'magenta' })].join('');
  const parts = highlight(line.message.replace(/\s*\n\s*/g, ' ⏎ '), regex);
  return [...head, ...parts.map((part) => paint(part.text, part.match ? { color: 'black', background: 'yellow' } : { color }))].join('');
}

// Memoised: a new line re-renders only its own row, not every row on screen (ring lines are immutable objects). One
// Text of one pre-styled string: a new line costs Ink one node, not one per part.
const LogRow = memo(function LogRow({ line, showTime, wrap, regex, selected }: { line: LogLine; showTime: boolean; wrap: boolean; regex: RegExp | null; selected: boolean }) {
  const paint = usePaint();
  return (
    <Text wrap={wrap ? 'wrap' : 'truncate'} inverse={selected}>
      {logRowText(line, showTime, regex, paint)}
    </Text>
  );
});

/** One part of the header: its texts from the fullest to the shortest (possibly empty), and how it looks. */
interface HeaderPart {
  variants: string[];
  color?: string;
  bold?: boolean;
  dim?: boolean;
  inverse?: boolean;
}

type HeaderParts = Record<'title' | 'cloud' | 'cloudReason' | 'containers' | 'lines' | 'filters' | 'mode', HeaderPart>;

/**
 * Which part gives up a step first when the header is too wide: details and counts before the tail's state, the
 * pause and the filters (what hides lines must show).
 */
const SHRINK_ORDER: Array<keyof HeaderParts> = ['mode', 'lines', 'cloudReason', 'mode', 'mode', 'containers', 'containers', 'filters', 'cloud', 'cloud'];

function cloudVariants(cloud: CloudTailStatus, now: number): string[] {
  if (cloud.state === 'live') return ['● cloud live', '● cloud'];
  if (cloud.state === 'connecting' && cloud.lastError) return ['✘ cloud retrying now', '✘ cloud retry'];
  if (cloud.state === 'connecting') return ['◌ cloud connecting', '◌ cloud…'];
  if (cloud.state === 'off') return ['○ cloud off'];
  const retry = `${Math.max(0, Math.ceil((cloud.retryAt - now) / 1000))}s`;
  return [`✘ cloud reconnecting in ${retry}`, `✘ cloud retry ${retry}`];
}

const CLOUD_COLOR: Record<CloudTailStatus['state'], string> = { live: 'green', connecting: 'yellow', off: 'gray', reconnecting: 'red' };

/** Why the tail is not live, while it is tried again: the last failure stays on screen until a session is live. */
function cloudReason(cloud: CloudTailStatus): string | null {
  if (cloud.state === 'reconnecting') return cloud.reason;
  return cloud.state === 'connecting' ? (cloud.lastError ?? null) : null;
}

const ORIGIN_LABELS: Record<Exclude<LogFilter['origin'], 'all'>, [string, string]> = {
  cloud: ['Cloud Run only', 'cloud only'],
  container: ['containers only', 'ctr only'],
};

/** What the filters hide, long and short: a person must always see that lines are being left out. */
function filterVariants(filter: LogFilter, editing: boolean): string[] {
  const search = filter.search || editing ? `/${filter.search}${editing ? '█' : ''}` : null;
  const describe = (short: 0 | 1) => {
    const parts = [
      filter.minSeverity !== 'DEFAULT' ? `≥${filter.minSeverity}` : null,
      filter.origin === 'all' ? null : ORIGIN_LABELS[filter.origin][short],
      search && filter.onlyMatches ? `${search} (${short ? 'only' : 'only matches'})` : search,
    ].filter(Boolean);
    return parts.length ? ` · ${parts.join(' · ')}` : '';
  };
  return [describe(0), describe(1)];
}

interface LogsHeaderState {
  number: number;
  focused: boolean;
  logs: LogsState;
  filter: LogFilter;
  editing: boolean;
  now: number;
}

function logsHeaderParts({ number, focused, logs, filter, editing, now }: LogsHeaderState): HeaderParts {
  const arrived = logs.paused && logs.pausedAtSeq !== null ? Math.max(0, logs.lastSeq - logs.pausedAtSeq) : 0;
  const reason = cloudReason(logs.cloud);
  return {
    title: { variants: [`[${number}] Logs `], bold: true, color: focused ? 'cyan' : undefined },
    cloud: { variants: cloudVariants(logs.cloud, now), color: reason ? 'red' : CLOUD_COLOR[logs.cloud.state] },
    cloudReason: { variants: reason ? [` (${reason})`, ''] : [''], color: 'red' },
    containers: { variants: [` · ${logs.containers} containers`, ` · ${logs.containers} ctr`, ''] },
    lines: { variants: [` · ${groupDigits(logs.lastSeq)} lines`, ''] },
    filters: { variants: filterVariants(filter, editing), color: 'yellow' },
    mode: logs.paused
      ? { variants: [` PAUSED +${arrived} new · End follows `, ` PAUSED +${arrived} new `, ` PAUSED +${arrived} `], color: 'yellow', inverse: true }
      : { variants: [' following', ''], dim: true },
  };
}

/**
 * The text of each header part, shortened in SHRINK_ORDER until the whole fits `width`; if even the shortest
 * forms do not, the filters are cut with an ellipsis (the row must never wrap into the lines below).
 */
function fitHeader(parts: HeaderParts, width: number): Record<keyof HeaderParts, string> {
  const keys = Object.keys(parts) as Array<keyof HeaderParts>;
  const level = Object.fromEntries(keys.map((k) => [k, 0])) as Record<keyof HeaderParts, number>;
  const text = (k: keyof HeaderParts) => parts[k].variants[level[k]] ?? '';
  const widths = new Map<string, number>();
  const cellWidth = (t: string) => widths.get(t) ?? widths.set(t, stringWidth(t)).get(t)!;
  const total = () => keys.reduce((sum, k) => sum + cellWidth(text(k)), 0);
  for (const k of SHRINK_ORDER) if (total() > width && level[k] < parts[k].variants.length - 1) level[k]++;
  const texts = Object.fromEntries(keys.map((k) => [k, text(k)])) as Record<keyof HeaderParts, string>;
  const over = total() - width;
  if (over > 0) texts.filters = stringWidth(texts.filters) > over ? fit(texts.filters, stringWidth(texts.filters) - over) : '';
  return texts;
}

function LogsHeader({ parts, width }: { parts: HeaderParts; width: number }) {
  const texts = fitHeader(parts, width);
  const part = (key: keyof HeaderParts) => {
    const { color, bold, dim, inverse } = parts[key];
    return (
      <StillText wrap="truncate" color={color} bold={bold} dimColor={dim} inverse={inverse}>
        {texts[key]}
      </StillText>
    );
  };
  return (
    <Box width={width} height={1}>
      {part('title')}
      {part('cloud')}
      {part('cloudReason')}
      {part('containers')}
      {part('lines')}
      {part('filters')}
      <Spacer />
      {part('mode')}
    </Box>
  );
}

export function LogsPanel({ width, height }: ViewProps) {
  const ring = useLogRing();
  const store = useAppStore();
  const now = useNow();
  const { logs, search, focused, filterEditing } = useAppState((s) => ({
    logs: s.logs,
    search: s.ui.filters.logs,
    focused: s.ui.focus === 'logs' && s.ui.overlay === null,
    filterEditing: s.ui.filterEditing && s.ui.focus === 'logs',
  }));
  const rows = Math.max(1, height - 3);
  useEffect(() => setLogRows(store, rows), [store, rows]);
  const filter = useMemo(() => ({ ...logs.filter, search }), [logs.filter, search]);
  const regex = useMemo(() => compileSearch(search), [search]);
  // lastSeq is what changes when lines arrive; the ring itself is mutated in place.
  const lines = useMemo(
    () => windowLines(ring, filter, logs.paused ? logs.anchorSeq : null, rows),
    [ring, filter, logs.paused, logs.anchorSeq, rows, logs.lastSeq],
  );
  // The same choice Enter makes (selectedLine), so the highlighted line is the one it opens.
  const selected = selectedAmong(lines, logs);
  const shown = logs.wrap ? fitWrapped(lines, rows, width - 4, selected) : lines;
  return (
    <Box flexDirection="column" width={width} height={height} borderStyle="round" borderColor={focused ? 'cyan' : 'gray'} paddingX={1}>
      <LogsHeader parts={logsHeaderParts({ number: LOGS_PANEL.number, focused, logs, filter, editing: filterEditing, now })} width={width - 4} />
      {shown.length === 0 ? <StillText dimColor>{ring.size === 0 ? 'Waiting for log lines…' : 'No lines pass the filters'}</StillText> : null}
      {shown.map((line) => (
        <LogRow key={line.seq} line={line} showTime={logs.showTime} wrap={logs.wrap} regex={regex} selected={focused && logs.paused && line === selected} />
      ))}
    </Box>
  );
}

/** Rows a line takes when wrapped at `width`. */
function wrappedRows(line: LogLine, width: number): number {
  const cells = 13 + SOURCE_WIDTH + 9 + stringWidth(line.message);
  return Math.max(1, Math.ceil(cells / Math.max(1, width)));
}

/** The first of `lines` whose wrapped rows fit; at least one, so a line taller than the panel still shows (cut). */
function leadingThatFit(lines: readonly LogLine[], rows: number, width: number): LogLine[] {
  let used = 0;
  let count = 0;
  while (count < lines.length && (count === 0 || used + wrappedRows(lines[count]!, width) <= rows)) used += wrappedRows(lines[count++]!, width);
  return lines.slice(0, count);
}

/**
 * With wrapping on, the newest lines whose wrapped rows fit; when that would leave the selected line out, the
 * lines from the selected one on instead, so what is highlighted (and Enter opens) is on screen.
 */
function fitWrapped(lines: LogLine[], rows: number, width: number, selected: LogLine | null): LogLine[] {
  const newest = leadingThatFit([...lines].reverse(), rows, width).reverse();
  if (!selected || newest.includes(selected)) return newest;
  return leadingThatFit(lines.slice(lines.indexOf(selected)), rows, width);
}

export const LOGS_PANEL: PanelSpec = { id: 'logs', number: 4, title: 'Logs', component: LogsPanel, keys: { title: 'Logs', bindings: LOGS_KEYS } };
