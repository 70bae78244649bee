import { afterEach, describe, expect, it, vi } from 'vitest';
import { ERROR_RATE_MIN_SAMPLE, ErrorRateWindow, errorRateBreached, errorRateText } from '../../src/domain/error-rate';
import type { NewLogLine, Severity } from '../../src/domain/log-line';
import { countLine, errorRateWindows, feedErrorRates, startErrorRates } from '../../src/store/log-actions';
import { LogRing } from '../../src/store/log-ring';
import { appStore } from './support';

const T0 = Date.parse('2026-11-22T12:00:00.000Z');
const MINUTE = 60_000;

/** `errors` error entries and `ok` others for `source` at `at`. */
function fill(window: ErrorRateWindow, source: string, errors: number, ok: number, at: number): void {
  for (let i = 0; i < errors; i++) window.add(source, true, at);
  for (let i = 0; i < ok; i++) window.add(source, false, at);
}

describe('ErrorRateWindow', () => {
  it('counts entries and errors per source', () => {
    const window = new ErrorRateWindow();
    fill(window, 'netra-auth', 3, 97, T0);
    fill(window, 'netra-backend-staging', 0, 5, T0 + 1_000);
    expect(window.rate('netra-auth', T0 + 2_000)).toEqual({ errors: 3, total: 100 });
    expect(window.rate('netra-backend-staging', T0 + 2_000)).toEqual({ errors: 0, total: 5 });
    expect(window.rate('never-heard', T0)).toEqual({ errors: 0, total: 0 });
  });

  it('keeps an entry until its 10 s bucket leaves the 5 min window', () => {
    const window = new ErrorRateWindow(5 * MINUTE, 10_000);
    window.add('svc', true, T0 + 1_000);
    window.add('svc', false, T0 + 12_000);
    expect(window.rate('svc', T0 + 5 * MINUTE - 1)).toEqual({ errors: 1, total: 2 });
    // The bucket [T0, T0 + 10 s) is 5 min old at T0 + 5 min: it leaves, the next one stays.
    expect(window.rate('svc', T0 + 5 * MINUTE)).toEqual({ errors: 0, total: 1 });
    expect(window.rate('svc', T0 + 5 * MINUTE + 10_000)).toEqual({ errors: 0, total: 0 });
  });

  it('reuses a bucket slot once its time came round again, without the old counts', () => {
    const window = new ErrorRateWindow(60_000, 10_000);
    fill(window, 'svc', 5, 5, T0);
    // Six buckets later the same slot serves a new bucket.
    window.add('svc', false, T0 + 60_000);
    expect(window.rate('svc', T0 + 60_000)).toEqual({ errors: 0, total: 1 });
  });

  it('drops an entry older than what its slot already holds: it has left the window', () => {
    const window = new ErrorRateWindow(60_000, 10_000);
    window.add('svc', false, T0 + 60_000);
    window.add('svc', true, T0);
    expect(window.rate('svc', T0 + 60_000)).toEqual({ errors: 0, total: 1 });
  });

  it('stays bounded by time whatever the flood: 100,000 entries in one bucket are two numbers', () => {
    const window = new ErrorRateWindow();
    for (let i = 0; i < 100_000; i++) window.add('svc', i % 50 === 0, T0 + (i % 10_000));
    expect(window.rate('svc', T0 + 10_000)).toEqual({ errors: 2_000, total: 100_000 });
    expect(window.size).toBe(1);
  });

  it('keeps at most maxSources, forgetting the one heard from least recently', () => {
    const window = new ErrorRateWindow(5 * MINUTE, 10_000, 3);
    window.add('a', false, T0);
    window.add('b', false, T0);
    window.add('c', false, T0);
    window.add('a', true, T0 + 1);
    window.add('d', false, T0 + 2);
    expect(window.size).toBe(3);
    expect(window.rate('b', T0 + 3).total).toBe(0);
    expect(window.rate('a', T0 + 3)).toEqual({ errors: 1, total: 2 });
    expect([...window.rates(T0 + 3).keys()].sort()).toEqual(['a', 'c', 'd']);
  });

  it('rates() lists the sources with entries in the window and forgets the others', () => {
    const window = new ErrorRateWindow(60_000, 10_000);
    window.add('old', true, T0);
    window.add('new', false, T0 + 50_000);
    expect([...window.rates(T0 + 70_000)]).toEqual([['new', { errors: 0, total: 1 }]]);
    expect(window.size).toBe(1);
    window.add('old', false, T0 + 70_000);
    expect(window.rate('old', T0 + 70_000)).toEqual({ errors: 0, total: 1 });
  });
});

describe('error rate threshold', () => {
  it(`judges nothing under ${ERROR_RATE_MIN_SAMPLE} entries: one error among three lines is not a critical`, () => {
    expect(errorRateBreached({ errors: 1, total: 3 })).toBe(false);
    expect(errorRateBreached({ errors: 99, total: 99 })).toBe(false);
    expect(errorRateBreached({ errors: 2, total: 100 })).toBe(true);
  });

  it('is breached over 1 %, not at 1 %', () => {
    expect(errorRateBreached({ errors: 10, total: 1_000 })).toBe(false);
    expect(errorRateBreached({ errors: 11, total: 1_000 })).toBe(true);
    expect(errorRateBreached({ errors: 0, total: 5_000 })).toBe(false);
  });

  it('says the rate, the window and the counts in one line', () => {
    expect(errorRateText({ errors: 19, total: 800 })).toBe('2.4% of its log entries in the last 5 min are errors (19 of 800)');
  });
});

function line(origin: NewLogLine['origin'], source: string, severity: Severity): NewLogLine {
  return { origin, insertId: null, timestamp: new Date(T0).toISOString(), source, severity, message: 'm', detail: null };
}

describe('feeding the windows from the logs', () => {
  it('keys Cloud lines by service, container lines by container (stderr too), and skips notices', () => {
    const windows = errorRateWindows();
    const ring = new LogRing(100);
    for (const l of [
      line('cloud', 'netra-auth/00017', 'ERROR'),
      line('cloud', 'netra-auth/00016', 'INFO'),
      line('cloud', 'cloud_run_revision', 'CRITICAL'),
      line('container', 'netra-test-backend-1 (stderr)', 'ERROR'),
      line('container', 'netra-test-backend-1', 'WARNING'),
      line('notice', 'console', 'ERROR'),
    ]) {
      countLine(windows, ring.push(l), T0);
    }
    expect([...windows.cloud.rates(T0)]).toEqual([
      ['netra-auth', { errors: 1, total: 2 }],
      ['cloud_run_revision', { errors: 1, total: 1 }],
    ]);
    expect([...windows.container.rates(T0)]).toEqual([['netra-test-backend-1', { errors: 1, total: 2 }]]);
  });

  it('counts ERROR and above as errors, WARNING and below not', () => {
    const windows = errorRateWindows();
    const ring = new LogRing(100);
    const severities: Severity[] = ['DEFAULT', 'DEBUG', 'INFO', 'NOTICE', 'WARNING', 'ERROR', 'CRITICAL', 'ALERT', 'EMERGENCY'];
    for (const severity of severities) countLine(windows, ring.push(line('cloud', 'svc/1', severity)), T0);
    expect(windows.cloud.rate('svc', T0)).toEqual({ errors: 4, total: 9 });
  });

  it('reads only the lines the ring got since the last read, and those it still holds', () => {
    const windows = errorRateWindows();
    const ring = new LogRing(100);
    for (let i = 0; i < 3; i++) ring.push(line('cloud', 'svc/1', 'ERROR'));
    let seen = feedErrorRates(windows, ring, 0, T0);
    expect(seen).toBe(3);
    ring.push(line('cloud', 'svc/1', 'INFO'));
    seen = feedErrorRates(windows, ring, seen, T0);
    expect(windows.cloud.rate('svc', T0)).toEqual({ errors: 3, total: 4 });
    // 150 lines into a ring of 100: the 50 it dropped before they were read are not counted.
    for (let i = 0; i < 150; i++) ring.push(line('cloud', 'svc/1', 'INFO'));
    expect(feedErrorRates(windows, ring, seen, T0)).toBe(154);
    expect(windows.cloud.rate('svc', T0)).toEqual({ errors: 3, total: 104 });
  });
});

describe('startErrorRates', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('publishes a Cloud Run service over 1 % once a second, and resolves it once the window has passed', () => {
    vi.useFakeTimers({ now: T0 });
    const store = appStore();
    const ring = new LogRing(1_000);
    const stop = startErrorRates(store, ring);
    try {
      for (let i = 0; i < 200; i++) ring.push(line('cloud', 'netra-auth/00017', i < 5 ? 'ERROR' : 'INFO'));
      store.setState((s) => ({ logs: { ...s.logs, lastSeq: ring.lastSeq } }));
      expect(store.getState().cloudRun.alerts).toEqual([]);
      vi.advanceTimersByTime(1_000);
      expect(store.getState().cloudRun.alerts).toEqual([
        { level: 'critical', source: 'cloudrun', kind: 'error-rate', service: 'netra-auth', message: 'netra-auth: 2.5% of its log entries in the last 5 min are errors (5 of 200)' },
      ]);
      const published = store.getState().cloudRun;
      vi.advanceTimersByTime(3_000);
      expect(store.getState().cloudRun).toBe(published);
      vi.advanceTimersByTime(5 * MINUTE);
      expect(store.getState().cloudRun.alerts).toEqual([]);
    } finally {
      stop();
    }
  });

  it('stops publishing once stopped', () => {
    vi.useFakeTimers({ now: T0 });
    const store = appStore();
    const ring = new LogRing(1_000);
    startErrorRates(store, ring)();
    for (let i = 0; i < 200; i++) ring.push(line('cloud', 'netra-auth/00017', 'ERROR'));
    store.setState((s) => ({ logs: { ...s.logs, lastSeq: ring.lastSeq } }));
    vi.advanceTimersByTime(2_000);
    expect(store.getState().cloudRun.alerts).toEqual([]);
  });
});
