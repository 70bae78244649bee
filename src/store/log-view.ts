import { severityRank, type LogLine, type Severity } from '../domain/log-line';
import type { LogRing } from './log-ring';

export type LogOrigin = 'all' | 'cloud' | 'container';

export interface LogFilter {
  minSeverity: Severity;
  origin: LogOrigin;
  /** Case-insensitive regex typed after `/`; matches are highlighted. */
  search: string;
  /** Show only lines the search matches. */
  onlyMatches: boolean;
}

export const DEFAULT_LOG_FILTER: LogFilter = { minSeverity: 'DEFAULT', origin: 'all', search: '', onlyMatches: false };

/** The search as a regex; text that is not a valid regex is searched for literally. */
export function compileSearch(text: string): RegExp | null {
  if (!text) return null;
  try {
    return new RegExp(text, 'gi');
  } catch {
    return new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'gi');
  }
}

export function matchesSearch(line: LogLine, regex: RegExp | null): boolean {
  if (!regex) return false;
  regex.lastIndex = 0;
  const hit = regex.test(line.message) || ((regex.lastIndex = 0), regex.test(line.source));
  regex.lastIndex = 0;
  return hit;
}

/** Whether a line passes the filters; the console's own notices always show. */
export function passes(line: LogLine, filter: LogFilter, regex: RegExp | null): boolean {
  if (line.origin === 'notice') return true;
  if (filter.origin !== 'all' && line.origin !== filter.origin) return false;
  if (severityRank(line.severity) < severityRank(filter.minSeverity)) return false;
  return !filter.onlyMatches || !regex || matchesSearch(line, regex);
}

/**
 * Up to `count` lines that pass the filters, ending at `anchorSeq` (the newest line when following), oldest
 * first. Only the visible window is collected, so a full ring costs no more than a screen.
 */
export function windowLines(ring: LogRing, filter: LogFilter, anchorSeq: number | null, count: number): LogLine[] {
  const regex = compileSearch(filter.search);
  const out: LogLine[] = [];
  if (anchorSeq !== null && ring.size > 0 && anchorSeq < ring.at(0).seq) {
    // A paused view whose lines have left the ring (a flood overwrote them) shows the oldest lines still held.
    for (let i = 0; i < ring.size && out.length < count; i++) if (passes(ring.at(i), filter, regex)) out.push(ring.at(i));
    return out;
  }
  const end = anchorSeq === null ? ring.size - 1 : ring.indexOfSeq(anchorSeq);
  for (let i = end; i >= 0 && out.length < count; i--) {
    const line = ring.at(i);
    if (passes(line, filter, regex)) out.push(line);
  }
  return out.reverse();
}

/**
 * Up to `count` lines newer than `afterSeq` that pass the filters, oldest first. It reads from `afterSeq` on and
 * stops at `count`, so stepping the cursor costs the distance moved, not the size of the ring.
 */
export function linesAfter(ring: LogRing, filter: LogFilter, afterSeq: number, count: number): LogLine[] {
  const regex = compileSearch(filter.search);
  const out: LogLine[] = [];
  for (let i = ring.indexAfterSeq(afterSeq); i < ring.size && out.length < count; i++) if (passes(ring.at(i), filter, regex)) out.push(ring.at(i));
  return out;
}

/** The next (direction 1) or previous (-1) line after `fromSeq` that passes the filters and matches the search. */
export function findMatch(ring: LogRing, filter: LogFilter, fromSeq: number, direction: 1 | -1): LogLine | null {
  const regex = compileSearch(filter.search);
  if (!regex) return null;
  const from = ring.indexOfSeq(fromSeq);
  const start = from < 0 ? (direction === 1 ? 0 : ring.size - 1) : from + direction;
  for (let i = start; i >= 0 && i < ring.size; i += direction) {
    const line = ring.at(i);
    if (passes(line, filter, regex) && matchesSearch(line, regex)) return line;
  }
  return null;
}

/** Every line that passes the filters, oldest first: what `s` saves. */
export function filteredLines(ring: LogRing, filter: LogFilter): LogLine[] {
  const regex = compileSearch(filter.search);
  const out: LogLine[] = [];
  for (let i = 0; i < ring.size; i++) if (passes(ring.at(i), filter, regex)) out.push(ring.at(i));
  return out;
}
