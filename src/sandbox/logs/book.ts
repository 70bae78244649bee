import { nowNanos } from '../time';
import type { LogEntry } from '../wire';
import { LogHistory, type StoredEntry } from './history';
import { fromStruct } from './struct';

const HISTORY_CAPACITY = 100_000;

/**
 * Every log entry of the sandbox, generated or written: numbers them, keeps the recent ones for ListLogEntries
 * and hands each new one to the tail sessions.
 */
export class LogBook {
  readonly history = new LogHistory(HISTORY_CAPACITY);
  private seq = 0;
  private lastTime = 0n;
  private readonly listeners = new Set<(stored: StoredEntry) => void>();

  get latestSeq(): number {
    return this.seq;
  }

  nextSeq(): number {
    return ++this.seq;
  }

  /** A timestamp at `at` (default now) or later, strictly after every one handed out before. */
  nextTime(at = nowNanos()): bigint {
    this.lastTime = at > this.lastTime ? at : this.lastTime + 1000n;
    return this.lastTime;
  }

  record(seq: number, time: bigint, entry: LogEntry): void {
    const stored: StoredEntry = { seq, time, entry, payload: entry.jsonPayload ? fromStruct(entry.jsonPayload) : null };
    this.history.add(stored);
    for (const listener of this.listeners) listener(stored);
  }

  subscribe(listener: (stored: StoredEntry) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
