import type { LogEntry } from '../wire';
import type { EntryFilter } from './filter';
import type { JsonObject } from './struct';

export interface StoredEntry {
  /** Order of arrival in the sandbox, strictly increasing. */
  seq: number;
  /** entry.timestamp in nanoseconds. */
  time: bigint;
  entry: LogEntry;
  /** entry.jsonPayload as plain JSON, for filters; null for other payloads. */
  payload: JsonObject | null;
}

/** A position in timestamp order: entries sort by time, then by seq. */
export interface Cursor {
  time: bigint;
  seq: number;
}

export interface HistoryQuery {
  filter: EntryFilter;
  order: 'asc' | 'desc';
  /** Resume after this entry (in `order`). */
  after: Cursor | null;
  /** Ignore entries that arrived after the listing began, so that paging through it ends. */
  maxSeq: number;
  limit: number;
}

/** The most recent entries, kept in timestamp order for ListLogEntries; the oldest go first when it is full. */
export class LogHistory {
  private entries: StoredEntry[] = [];

  constructor(private readonly capacity: number) {}

  add(stored: StoredEntry): void {
    const last = this.entries.at(-1);
    // Generated entries arrive in order; written ones may carry any timestamp.
    if (!last || compareCursor(last, stored) < 0) this.entries.push(stored);
    else this.entries.splice(this.firstAfter(stored), 0, stored);
    // Evicting in chunks keeps add() cheap once the history is full.
    if (this.entries.length > this.capacity + Math.ceil(this.capacity / 100)) {
      this.entries.splice(0, this.entries.length - this.capacity);
    }
  }

  query(q: HistoryQuery): { entries: StoredEntry[]; more: boolean } {
    const found: StoredEntry[] = [];
    const step = q.order === 'asc' ? 1 : -1;
    let i =
      q.order === 'asc'
        ? q.after
          ? this.firstAfter(q.after)
          : 0
        : (q.after ? this.firstAfter(q.after, true) : this.entries.length) - 1;
    for (; i >= 0 && i < this.entries.length; i += step) {
      const stored = this.entries[i];
      if (!stored || stored.seq > q.maxSeq || !q.filter(stored)) continue;
      if (found.length === q.limit) return { entries: found, more: true };
      found.push(stored);
    }
    return { entries: found, more: false };
  }

  /** Index of the first entry after `cursor` (or, with `orEqual`, at or after it). */
  private firstAfter(cursor: Cursor, orEqual = false): number {
    let low = 0;
    let high = this.entries.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      const c = compareCursor(this.entries[mid] as StoredEntry, cursor);
      if (c < 0 || (c === 0 && !orEqual)) low = mid + 1;
      else high = mid;
    }
    return low;
  }
}

export function compareCursor(a: Cursor, b: Cursor): number {
  if (a.time !== b.time) return a.time < b.time ? -1 : 1;
  return a.seq - b.seq;
}
