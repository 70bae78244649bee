import type { LogFilter } from './log-view';
import { DEFAULT_LOG_FILTER } from './log-view';

export type CloudTailStatus =
  | { state: 'off' }
  /** `lastError`: why the session before failed, while a new one is tried. */
  | { state: 'connecting'; lastError?: string }
  | { state: 'live' }
  | { state: 'reconnecting'; reason: string; retryAt: number };

/** The whole entry of a line, for Enter; Cloud entries are fetched when asked for. */
export type EntryDetail =
  | { seq: number; state: 'loading' }
  | { seq: number; state: 'loaded'; json: string }
  | { seq: number; state: 'failed'; reason: string };

/**
 * What the logs panel shows. The lines themselves live in a ring outside the store (see log-ring.ts); the store
 * only learns that new lines arrived (`lastSeq`), at most 20 times a second.
 */
export interface LogsState {
  lastSeq: number;
  /** Non-search filters; the search is the panel's `/` filter text. */
  filter: Omit<LogFilter, 'search'>;
  /** Paused: the view ends at `anchorSeq` while lines keep arriving. */
  paused: boolean;
  anchorSeq: number | null;
  pausedAtSeq: number | null;
  /** The selected line (Enter shows it whole); null = the newest. */
  cursorSeq: number | null;
  showTime: boolean;
  wrap: boolean;
  /** Rows the panel shows lines in, so moving the cursor can keep it on screen. */
  viewRows: number;
  cloud: CloudTailStatus;
  containers: number;
  entry: EntryDetail | null;
}

export function initialLogsState(): LogsState {
  const { search: _search, ...filter } = DEFAULT_LOG_FILTER;
  return {
    lastSeq: 0,
    filter,
    paused: false,
    anchorSeq: null,
    pausedAtSeq: null,
    cursorSeq: null,
    showTime: true,
    wrap: false,
    viewRows: 10,
    cloud: { state: 'off' },
    containers: 0,
    entry: null,
  };
}
