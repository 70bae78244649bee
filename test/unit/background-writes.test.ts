import { afterEach, describe, expect, it, vi } from 'vitest';
import { BackgroundWrites } from '../../src/store/background-writes';
import { appStore } from './support';

describe('BackgroundWrites', () => {
  afterEach(() => vi.useRealTimers());

  it('applies a burst of updates in one store update, in order, after the window', () => {
    vi.useFakeTimers();
    const store = appStore();
    const seen: string[] = [];
    store.subscribe((s) => seen.push(s.logs.cloud.state));
    const writes = new BackgroundWrites(store, { windowMs: 50, idleWaitMs: 50 });
    writes.write((s) => ({ logs: { ...s.logs, cloud: { state: 'connecting' } } }));
    writes.write((s) => ({ logs: { ...s.logs, cloud: { state: 'reconnecting', reason: 'closed', retryAt: 1 } } }));
    writes.write((s) => ({ logs: { ...s.logs, cloud: { state: 'live' } } }));
    expect(seen).toEqual([]);
    vi.advanceTimersByTime(49);
    expect(seen).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(seen).toEqual(['live']);
  });

  it('sees each update applied to what the ones before it made', () => {
    vi.useFakeTimers();
    const store = appStore();
    const writes = new BackgroundWrites(store, { windowMs: 50, idleWaitMs: 50 });
    const before = store.getState().logs.lastSeq;
    writes.write((s) => ({ logs: { ...s.logs, lastSeq: s.logs.lastSeq + 1 } }));
    writes.write((s) => ({ logs: { ...s.logs, lastSeq: s.logs.lastSeq + 1 } }));
    writes.flush();
    expect(store.getState().logs.lastSeq).toBe(before + 2);
  });

  it('applies what is pending when disposed, and nothing twice', () => {
    vi.useFakeTimers();
    const store = appStore();
    let updates = 0;
    store.subscribe(() => updates++);
    const writes = new BackgroundWrites(store, { windowMs: 50, idleWaitMs: 50 });
    writes.write((s) => ({ logs: { ...s.logs, containers: 3 } }));
    writes.dispose();
    vi.advanceTimersByTime(100);
    expect(store.getState().logs.containers).toBe(3);
    expect(updates).toBe(1);
  });

  it('waits idleWaitMs (for the clock to flush it), and windowMs for the time a key hurries it', () => {
    vi.useFakeTimers();
    const store = appStore();
    const seen: number[] = [];
    store.subscribe((s) => seen.push(s.logs.containers));
    const writes = new BackgroundWrites(store, { windowMs: 50, idleWaitMs: 1_500 });
    writes.write((s) => ({ logs: { ...s.logs, containers: 1 } }));
    vi.advanceTimersByTime(1_000);
    expect(seen).toEqual([]);
    writes.flush();
    expect(seen).toEqual([1]);
    writes.write((s) => ({ logs: { ...s.logs, containers: 2 } }));
    writes.hurry(10_000);
    expect(seen).toEqual([1, 2]);
    writes.write((s) => ({ logs: { ...s.logs, containers: 3 } }));
    vi.advanceTimersByTime(50);
    expect(seen).toEqual([1, 2, 3]);
    vi.advanceTimersByTime(10_000);
    writes.write((s) => ({ logs: { ...s.logs, containers: 4 } }));
    vi.advanceTimersByTime(1_499);
    expect(seen).toEqual([1, 2, 3]);
    vi.advanceTimersByTime(1);
    expect(seen).toEqual([1, 2, 3, 4]);
  });
});
