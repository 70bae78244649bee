/**
 * Moving the log cursor reads the ring from the cursor on, so a key costs the distance moved and the visible
 * window, however many lines the ring holds. Counted as lines read from the ring, never as time.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { LogLine, NewLogLine } from '../../src/domain/log-line';
import { moveLogCursor, togglePause } from '../../src/store/log-actions';
import { LogRing } from '../../src/store/log-ring';
import { linesAfter, DEFAULT_LOG_FILTER } from '../../src/store/log-view';
import type { AppStore } from '../../src/store/store';
import { appStore } from './support';

/** A ring that counts the lines read from it. */
class CountingRing extends LogRing {
  reads = 0;

  override at(index: number): LogLine {
    this.reads++;
    return super.at(index);
  }

  /** Lines read while `action` runs. */
  readsDuring(action: () => void): number {
    const before = this.reads;
    action();
    return this.reads - before;
  }
}

function containerLine(message: string): NewLogLine {
  return { origin: 'container', insertId: null, timestamp: '2026-01-05T10:00:00.000000000Z', source: 'netra-backend-1', severity: 'INFO', message, detail: null };
}

const LINES = 100_000;
/** Lines the view shows (viewRows), plus a margin for the cursor's own steps: far below the ring's size. */
const PER_KEY_BUDGET = 100;

describe('moving the log cursor through a full ring', () => {
  let store: AppStore;
  let ring: CountingRing;
  const cursor = () => store.getState().logs.cursorSeq;

  beforeEach(() => {
    store = appStore();
    ring = new CountingRing(LINES);
    for (let i = 1; i <= LINES; i++) ring.push(containerLine(`line ${i}`));
    store.setState((s) => ({ logs: { ...s.logs, lastSeq: ring.lastSeq } }));
    togglePause(store, ring);
    moveLogCursor(store, ring, -LINES / 2);
    expect(cursor()).toBe(LINES / 2);
  });

  it('reads about a screen of lines for a step down, not the whole ring', () => {
    expect(ring.readsDuring(() => moveLogCursor(store, ring, 1))).toBeLessThan(PER_KEY_BUDGET);
    expect(cursor()).toBe(LINES / 2 + 1);
  });

  it('reads about a screen of lines for a step up that scrolls the view, not the whole ring', () => {
    expect(ring.readsDuring(() => moveLogCursor(store, ring, -1))).toBeLessThan(PER_KEY_BUDGET);
    expect(cursor()).toBe(LINES / 2 - 1);
  });

  it('reads in proportion to the distance of a page down', () => {
    const rows = store.getState().logs.viewRows;
    expect(ring.readsDuring(() => moveLogCursor(store, ring, rows))).toBeLessThan(PER_KEY_BUDGET);
    expect(cursor()).toBe(LINES / 2 + rows);
  });
});

describe('linesAfter', () => {
  const ringOf = (capacity: number, count: number) => {
    const ring = new LogRing(capacity);
    for (let i = 1; i <= count; i++) ring.push(containerLine(`line ${i}`));
    return ring;
  };
  const seqs = (lines: LogLine[]) => lines.map((l) => l.seq);

  it('gives the lines newer than a sequence number, oldest first, up to a count', () => {
    const ring = ringOf(10, 10);
    expect(seqs(linesAfter(ring, DEFAULT_LOG_FILTER, 4, 3))).toEqual([5, 6, 7]);
    expect(seqs(linesAfter(ring, DEFAULT_LOG_FILTER, 8, 5))).toEqual([9, 10]);
    expect(linesAfter(ring, DEFAULT_LOG_FILTER, 10, 5)).toEqual([]);
  });

  it('starts at the oldest line held when the sequence number has been overwritten', () => {
    const ring = ringOf(5, 12);
    expect(seqs(linesAfter(ring, DEFAULT_LOG_FILTER, 2, 3))).toEqual([8, 9, 10]);
    expect(linesAfter(new LogRing(5), DEFAULT_LOG_FILTER, 0, 3)).toEqual([]);
  });

  it('skips the lines the filters hide', () => {
    const ring = ringOf(20, 20);
    const filter = { ...DEFAULT_LOG_FILTER, search: 'line 1\\d', onlyMatches: true };
    expect(seqs(linesAfter(ring, filter, 12, 3))).toEqual([13, 14, 15]);
    expect(seqs(linesAfter(ring, filter, 1, 2))).toEqual([10, 11]);
  });
});
