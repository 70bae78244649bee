/**
 * The pure parts of the logs panel and the headless `logs` command: turning Cloud Logging entries and container
 * lines into panel lines, the bounded ring and its batching ingest, the filtered view, the panel's actions on a
 * real store, Docker's multiplexed log frames, durations, the panel layout and the logs flags.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { defaultOptions, parseArgs, type CliOptions } from '../../src/cli/args';
import { parseDuration } from '../../src/cli/logs';
import { UsageError } from '../../src/config/errors';
import { cloudEntryDetail, lineFromCloudEntry, lineFromContainer, structToJson, type CloudEntryPayload, type NewLogLine, type Severity } from '../../src/domain/log-line';
import { filterString } from '../../src/sources/logs/cloud-tail';
import { demuxFrames } from '../../src/sources/logs/container-logs';
import { compileFilter } from '../../src/sandbox/logs/filter';
import type { StoredEntry } from '../../src/sandbox/logs/history';
import { cycleOrigin, cycleSeverity, follow, jumpToMatch, logFilter, moveLogCursor, openLogEntry, selectedAmong, selectedLine, toggleLogFlag, togglePause } from '../../src/store/log-actions';
import { LogIngest, LogRing } from '../../src/store/log-ring';
import { compileSearch, DEFAULT_LOG_FILTER, filteredLines, findMatch, passes, windowLines, type LogFilter } from '../../src/store/log-view';
import type { AppStore } from '../../src/store/store';
import { layoutPanels, LOGS_IN_STACK_ROWS } from '../../src/ui/layout';
import { appStore, usageError } from './support';

// ---------------------------------------------------------------------------------------------
// Helpers

/** A Struct value as the official client returns it (protobufjs with `oneofs: true` sets `kind`). */
const str = (stringValue: string) => ({ stringValue, kind: 'stringValue' });
const num = (numberValue: number) => ({ numberValue, kind: 'numberValue' });

const REVISION_LABELS = {
  service_name: 'netra-backend-staging',
  revision_name: 'netra-backend-staging-00024-xq2',
  configuration_name: 'netra-backend-staging',
  location: 'us-central1',
  project_id: 'netra-staging',
};

/** A Cloud Run entry shaped like the ones the official Logging client hands back (see the sandbox). */
function cloudEntry(overrides: Partial<CloudEntryPayload> = {}): CloudEntryPayload {
  return {
    insertId: '6b0346350000000255',
    timestamp: { seconds: '1767607200', nanos: 123_456_789 },
    severity: 'INFO',
    resource: { type: 'cloud_run_revision', labels: REVISION_LABELS },
    httpRequest: null,
    labels: { instanceId: '00f46b9285', seq: '597' },
    logName: 'projects/netra-staging/logs/run.googleapis.com%2Fstdout',
    ...overrides,
  };
}

let nextId = 0;
function line(overrides: Partial<NewLogLine> = {}): NewLogLine {
  return {
    origin: 'container',
    insertId: null,
    timestamp: '2026-01-05T10:00:00.000000000Z',
    source: 'netra-backend-1',
    severity: 'INFO',
    message: `line ${nextId++}`,
    detail: null,
    ...overrides,
  };
}

/** A ring holding `messages` in order (each an INFO container line unless given as a partial line). */
function ringOf(capacity: number, messages: Array<string | Partial<NewLogLine>>): LogRing {
  const ring = new LogRing(capacity);
  for (const m of messages) ring.push(line(typeof m === 'string' ? { message: m } : m));
  return ring;
}

const seqs = (lines: Array<{ seq: number }>) => lines.map((l) => l.seq);
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
const filter = (overrides: Partial<LogFilter> = {}): LogFilter => ({ ...DEFAULT_LOG_FILTER, ...overrides });

// ---------------------------------------------------------------------------------------------
// Cloud Logging entries

describe('lineFromCloudEntry', () => {
  it('shows the message field of a JSON payload and names the service and revision number', () => {
    const out = lineFromCloudEntry(
      cloudEntry({ jsonPayload: { fields: { message: str('Agent run completed'), seq: num(597), agent: str('triage') } } }),
    );
    expect(out).toMatchObject({
      origin: 'cloud',
      insertId: '6b0346350000000255',
      timestamp: '2026-01-05T10:00:00.123Z',
      source: 'netra-backend-staging/00024',
      severity: 'INFO',
      message: 'Agent run completed',
    });
    // The entry itself is not kept: Enter fetches it by insertId.
    expect(out.detail).toBeNull();
  });

  it('shows the whole entry (Enter) as Cloud Logging does: no defaults, times in RFC 3339, payload as JSON', () => {
    const detail = cloudEntryDetail(
      cloudEntry({
        receiveTimestamp: { seconds: '1767607200', nanos: 150_000_000 },
        httpRequest: { requestMethod: 'GET', requestUrl: 'https://x.run.app/health', status: 200, latency: { seconds: '1', nanos: 500_000_000 } },
        textPayload: '',
        trace: '',
        operation: null,
        traceSampled: false,
        payload: 'jsonPayload',
        // The application's own values stay as written.
        jsonPayload: { fields: { message: str('ok'), cached: { boolValue: false, kind: 'boolValue' }, note: str('') } },
      } as Partial<CloudEntryPayload>),
    );
    expect(JSON.parse(detail)).toEqual({
      insertId: '6b0346350000000255',
      timestamp: '2026-01-05T10:00:00.123456789Z',
      receiveTimestamp: '2026-01-05T10:00:00.150Z',
      severity: 'INFO',
      resource: { type: 'cloud_run_revision', labels: REVISION_LABELS },
      httpRequest: { requestMethod: 'GET', requestUrl: 'https://x.run.app/health', status: 200, latency: '1.5s' },
      labels: { instanceId: '00f46b9285', seq: '597' },
      logName: 'projects/netra-staging/logs/run.googleapis.com%2Fstdout',
      jsonPayload: { message: 'ok', cached: false, note: '' },
    });
  });

  it('shows a JSON payload without a message field as JSON', () => {
    const out = lineFromCloudEntry(cloudEntry({ jsonPayload: { fields: { event: str('cache miss'), count: num(3) } } }));
    expect(JSON.parse(out.message)).toEqual({ event: 'cache miss', count: 3 });
  });

  it('shows a text payload as it is', () => {
    const out = lineFromCloudEntry(cloudEntry({ textPayload: 'GET /chat 200 in 43ms seq=595', severity: 'WARNING' }));
    expect(out.message).toBe('GET /chat 200 in 43ms seq=595');
    expect(out.severity).toBe('WARNING');
  });

  it('summarises a request log as METHOD /path STATUS NNms', () => {
    const out = lineFromCloudEntry(
      cloudEntry({
        severity: 'ERROR',
        httpRequest: {
          requestMethod: 'POST',
          requestUrl: 'https://netra-backend-staging-5xbu3lecuf-uc.a.run.app/api/agents/run?stream=1',
          status: 503,
          latency: { seconds: '1', nanos: 234_600_000 },
        },
      }),
    );
    expect(out.message).toBe('POST /api/agents/run?stream=1 503 1235ms');
    expect(out.severity).toBe('ERROR');
  });

  it('summarises a request log without a latency', () => {
    const out = lineFromCloudEntry(cloudEntry({ httpRequest: { requestMethod: 'GET', requestUrl: 'https://x.a.run.app/health', status: 200, latency: null } }));
    expect(out.message).toBe('GET /health 200');
  });

  it.each<[string | number | null | undefined, Severity]>([
    ['ERROR', 'ERROR'],
    ['warning', 'WARNING'],
    ['CRITICAL', 'CRITICAL'],
    [0, 'DEFAULT'],
    [100, 'DEBUG'],
    [200, 'INFO'],
    [300, 'NOTICE'],
    [400, 'WARNING'],
    [500, 'ERROR'],
    [600, 'CRITICAL'],
    [800, 'EMERGENCY'],
    [null, 'DEFAULT'],
    [undefined, 'DEFAULT'],
    ['LOUD', 'DEFAULT'],
  ])('severity %j is %s', (severity, expected) => {
    expect(lineFromCloudEntry(cloudEntry({ severity, textPayload: 'x' })).severity).toBe(expected);
  });

  it('names the source service/00024, or the resource type without service labels', () => {
    expect(lineFromCloudEntry(cloudEntry({ textPayload: 'x' })).source).toBe('netra-backend-staging/00024');
    const auth = cloudEntry({ textPayload: 'x', resource: { type: 'cloud_run_revision', labels: { service_name: 'netra-auth', revision_name: 'netra-auth-00007-abc' } } });
    expect(lineFromCloudEntry(auth).source).toBe('netra-auth/00007');
    expect(lineFromCloudEntry(cloudEntry({ textPayload: 'x', resource: { type: 'global', labels: {} } })).source).toBe('global');
  });

  it('reads timestamps with numeric or string seconds, and none at all', () => {
    expect(lineFromCloudEntry(cloudEntry({ textPayload: 'x', timestamp: { seconds: 1767607200, nanos: 5_000_000 } })).timestamp).toBe('2026-01-05T10:00:00.005Z');
    expect(lineFromCloudEntry(cloudEntry({ textPayload: 'x', timestamp: null })).timestamp).toBe('1970-01-01T00:00:00.000Z');
  });
});

describe('structToJson', () => {
  it('turns a google.protobuf.Struct into plain JSON, nested structs and lists included', () => {
    expect(
      structToJson({
        message: str('hi'),
        count: num(2),
        ok: { boolValue: false, kind: 'boolValue' },
        none: { nullValue: 'NULL_VALUE', kind: 'nullValue' },
        nested: { structValue: { fields: { user: str('usr_1'), tries: num(3) } }, kind: 'structValue' },
        list: { listValue: { values: [str('a'), num(1), { structValue: { fields: { b: { boolValue: true } } } }] }, kind: 'listValue' },
      }),
    ).toEqual({ message: 'hi', count: 2, ok: false, none: null, nested: { user: 'usr_1', tries: 3 }, list: ['a', 1, { b: true }] });
  });

  it('follows `kind` when a decoder fills in defaults for the other members of the oneof', () => {
    expect(structToJson({ n: { stringValue: '', numberValue: 7, boolValue: false, kind: 'numberValue' } })).toEqual({ n: 7 });
    expect(structToJson(undefined)).toEqual({});
  });
});

// ---------------------------------------------------------------------------------------------
// Container lines

describe('lineFromContainer', () => {
  const TIME = '2026-01-05T10:00:00.123456789Z';

  it('takes the timestamp docker puts in front of the line', () => {
    expect(lineFromContainer('netra-backend-1', 'stdout', `${TIME} listening on :8000`)).toEqual({
      origin: 'container',
      insertId: null,
      timestamp: TIME,
      source: 'netra-backend-1',
      severity: 'DEFAULT',
      message: 'listening on :8000',
      detail: null,
    });
  });

  it('stamps a line without a timestamp with the time it arrived', () => {
    const before = new Date().toISOString();
    const out = lineFromContainer('web', 'stdout', 'no time here');
    expect(out.message).toBe('no time here');
    expect(out.timestamp >= before && out.timestamp <= new Date().toISOString()).toBe(true);
  });

  it.each<[string, Severity, string]>([
    ['{"level":"error","message":"db down"}', 'ERROR', 'db down'],
    ['{"severity":"WARNING","message":"slow"}', 'WARNING', 'slow'],
    ['{"level":"warn","msg":"retrying"}', 'WARNING', 'retrying'],
    ['{"level":"fatal","msg":"bye"}', 'CRITICAL', 'bye'],
    ['{"level":"debug","msg":"cache hit"}', 'DEBUG', 'cache hit'],
    ['{"level":"info"}', 'INFO', '{"level":"info"}'],
  ])('reads level and message of the JSON line %s', (json, severity, message) => {
    const out = lineFromContainer('api', 'stdout', `${TIME} ${json}`);
    expect([out.severity, out.message]).toEqual([severity, message]);
    // Enter shows the original line when the message is only part of it.
    expect(out.detail).toBe(message === json ? null : json);
  });

  it('keeps a line that only looks like JSON as text', () => {
    const out = lineFromContainer('api', 'stdout', `${TIME} {not json ERROR`);
    expect([out.severity, out.message]).toEqual(['ERROR', '{not json ERROR']);
  });

  it.each<[string, Severity]>([
    ['PANIC: runtime error', 'CRITICAL'],
    ['FATAL could not bind', 'CRITICAL'],
    ['critical: disk full', 'CRITICAL'],
    ['2026/01/05 ERROR request failed', 'ERROR'],
    ['[WARN] low memory', 'WARNING'],
    ['Warning: deprecated flag', 'WARNING'],
    ['DEBUG connecting', 'DEBUG'],
    ['INFO ready', 'INFO'],
    ['informational text without a level word', 'DEFAULT'],
  ])('classifies %j on stdout by its level word', (text, severity) => {
    expect(lineFromContainer('api', 'stdout', `${TIME} ${text}`).severity).toBe(severity);
  });

  it('gives stderr without a level word no level (DEFAULT), not a warning, and names the stream', () => {
    const plain = lineFromContainer('api', 'stderr', `${TIME} something went sideways`);
    expect([plain.severity, plain.source]).toEqual(['DEFAULT', 'api (stderr)']);
    expect(lineFromContainer('api', 'stderr', `${TIME} INFO started`).severity).toBe('INFO');
    expect(lineFromContainer('api', 'stderr', `${TIME} ERROR crashed`).severity).toBe('ERROR');
  });
});

// ---------------------------------------------------------------------------------------------
// The ring and the ingest

describe('LogRing', () => {
  it('keeps exactly its capacity: pushing three times as many drops the oldest', () => {
    const ring = new LogRing(50);
    const pushed = range(1, 150).map((i) => ring.push(line({ message: `m${i}` })));
    expect(ring.size).toBe(50);
    expect(ring.lastSeq).toBe(150);
    expect(seqs(pushed)).toEqual(range(1, 150));
    const kept = range(0, 49).map((i) => ring.at(i));
    expect(seqs(kept)).toEqual(range(101, 150));
    expect(kept.map((l) => l.message)).toEqual(range(101, 150).map((i) => `m${i}`));
  });

  it('finds lines by seq, and answers -1 for overwritten or unknown ones', () => {
    const ring = new LogRing(10);
    expect(ring.indexOfSeq(1)).toBe(-1);
    expect(ring.lastSeq).toBe(0);
    for (let i = 0; i < 25; i++) ring.push(line());
    expect(ring.indexOfSeq(16)).toBe(0);
    expect(ring.indexOfSeq(25)).toBe(9);
    expect(ring.at(ring.indexOfSeq(20)).seq).toBe(20);
    expect(ring.indexOfSeq(15)).toBe(-1);
    expect(ring.indexOfSeq(1)).toBe(-1);
    expect(ring.indexOfSeq(26)).toBe(-1);
  });
});

describe('LogIngest', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('drops Cloud Logging entries it has seen, by insertId, but never lines without one', () => {
    const ring = new LogRing(100);
    const ingest = new LogIngest(ring, () => undefined);
    ingest.add(line({ origin: 'cloud', insertId: 'a', message: 'first a' }));
    ingest.add(line({ origin: 'cloud', insertId: 'b' }));
    ingest.add(line({ origin: 'cloud', insertId: 'a', message: 'second a' }));
    ingest.add(line({ insertId: null, message: 'same' }));
    ingest.add(line({ insertId: null, message: 'same' }));
    ingest.flush();
    expect(ring.size).toBe(4);
    expect(range(0, 3).map((i) => ring.at(i).message)).toEqual(['first a', expect.any(String), 'same', 'same']);
  });

  it('still knows an insertId after many more have arrived (twice the ring)', () => {
    const ring = new LogRing(100);
    const ingest = new LogIngest(ring, () => undefined);
    for (let i = 0; i < 200; i++) ingest.add(line({ origin: 'cloud', insertId: `id-${i}` }));
    ingest.flush();
    // A reconnect's backfill repeats every one of them: nothing is added.
    for (let i = 0; i < 200; i++) ingest.add(line({ origin: 'cloud', insertId: `id-${i}` }));
    ingest.flush();
    expect(ring.lastSeq).toBe(200);
    // A new id still goes in.
    ingest.add(line({ origin: 'cloud', insertId: 'id-200' }));
    ingest.flush();
    expect(ring.lastSeq).toBe(201);
  });

  it('moves lines into the ring once per window, in the order they came', () => {
    const ring = new LogRing(100);
    const flushes: number[] = [];
    const ingest = new LogIngest(ring, (added) => flushes.push(added), 50, 0);
    for (let i = 0; i < 30; i++) ingest.add(line({ message: `a${i}` }));
    expect(ring.size).toBe(0);
    vi.advanceTimersByTime(49);
    expect(flushes).toEqual([]);
    ingest.add(line({ message: 'a30' }));
    vi.advanceTimersByTime(1);
    expect(flushes).toEqual([31]);
    expect(range(0, 30).map((i) => ring.at(i).message)).toEqual(range(0, 30).map((i) => `a${i}`));
    // Quiet: no empty flushes.
    vi.advanceTimersByTime(500);
    expect(flushes).toEqual([31]);
    ingest.add(line({ message: 'b0' }));
    ingest.add(line({ message: 'b1' }));
    vi.advanceTimersByTime(50);
    expect(flushes).toEqual([31, 2]);
    expect([ring.at(31).message, ring.at(32).message]).toEqual(['b0', 'b1']);
  });

  /** A line of `source` logged at 10:00:00 plus `fraction` (as that source writes it), arriving now. */
  const at = (source: string, fraction: string) => line({ source, timestamp: `2026-01-05T10:00:00${fraction}Z`, message: `${source}${fraction}` });
  const messages = (ring: LogRing) => range(0, ring.size - 1).map((i) => ring.at(i).message);

  it('puts lines from different sources in time order when an older one arrives later, within the reorder window', () => {
    const ring = new LogRing(100);
    const flushes: number[] = [];
    const ingest = new LogIngest(ring, (added) => flushes.push(added), 50, 250);
    // A container line (docker trims trailing zeros: .1 is 100 ms) comes at once; Cloud lines logged before and
    // after it come 60 ms later, as the tail delivers them.
    ingest.add(at('box', '.1'));
    vi.advanceTimersByTime(60);
    ingest.add(at('cloud', '.05'));
    ingest.add(at('cloud', '.12'));
    vi.advanceTimersByTime(180);
    expect(ring.size).toBe(0);
    // 250 ms after the first line arrived: it goes in, with the older Cloud line before it.
    vi.advanceTimersByTime(10);
    expect(messages(ring)).toEqual(['cloud.05', 'box.1']);
    // The newer Cloud line waits its own 250 ms, then follows.
    vi.advanceTimersByTime(100);
    expect(messages(ring)).toEqual(['cloud.05', 'box.1', 'cloud.12']);
    expect(flushes).toEqual([2, 1]);
  });

  it('holds no line longer than the window: one older than what was shown goes in after it, not lost', () => {
    const ring = new LogRing(100);
    const ingest = new LogIngest(ring, () => undefined, 50, 250);
    ingest.add(at('box', '.5'));
    vi.advanceTimersByTime(300);
    expect(messages(ring)).toEqual(['box.5']);
    ingest.add(at('cloud', '.2'));
    vi.advanceTimersByTime(300);
    expect(messages(ring)).toEqual(['box.5', 'cloud.2']);
  });

  it('wakes when a held line is due, not every flushMs: a trickle of 5 lines a second costs about one wake-up a line', () => {
    const ring = new LogRing(100);
    const ingest = new LogIngest(ring, () => undefined, 50, 250);
    const timers = vi.spyOn(globalThis, 'setTimeout');
    for (let i = 0; i < 10; i++) {
      ingest.add(line());
      vi.advanceTimersByTime(200);
    }
    vi.advanceTimersByTime(250);
    expect(ring.size).toBe(10);
    // Every 50 ms while a line was held would be 46.
    expect(timers.mock.calls.length).toBeLessThanOrEqual(10);
  });

  it('flushes at once on request, and dispose() cancels the pending flush', () => {
    const ring = new LogRing(10);
    const flushes: number[] = [];
    const ingest = new LogIngest(ring, (added) => flushes.push(added), 50);
    ingest.add(line());
    ingest.flush();
    expect(flushes).toEqual([1]);
    vi.advanceTimersByTime(100);
    expect(flushes).toEqual([1]);
    ingest.add(line());
    ingest.dispose();
    vi.advanceTimersByTime(100);
    expect(flushes).toEqual([1]);
  });
});

// ---------------------------------------------------------------------------------------------
// The view

describe('log-view', () => {
  const cloud = (severity: Severity, message: string) => ({ origin: 'cloud' as const, insertId: message, severity, message, source: 'netra-auth/00007' });
  const box = (severity: Severity, message: string) => ({ origin: 'container' as const, severity, message, source: 'netra-web-1' });
  const notice = { origin: 'notice' as const, severity: 'WARNING' as const, message: '12 entries suppressed: rate limit', source: 'cloud logging' };

  it('passes lines by minimum severity, origin and only-matches; notices always', () => {
    const ring = ringOf(20, [cloud('DEBUG', 'jwks hit'), cloud('ERROR', 'redis reset'), box('INFO', 'GET /'), box('WARNING', 'slow'), notice]);
    const lines = range(0, 4).map((i) => ring.at(i));
    const shown = (f: LogFilter) => lines.filter((l) => passes(l, f, compileSearch(f.search))).map((l) => l.message);
    expect(shown(filter())).toEqual(['jwks hit', 'redis reset', 'GET /', 'slow', notice.message]);
    expect(shown(filter({ minSeverity: 'WARNING' }))).toEqual(['redis reset', 'slow', notice.message]);
    expect(shown(filter({ minSeverity: 'CRITICAL' }))).toEqual([notice.message]);
    expect(shown(filter({ origin: 'cloud' }))).toEqual(['jwks hit', 'redis reset', notice.message]);
    expect(shown(filter({ origin: 'container' }))).toEqual(['GET /', 'slow', notice.message]);
    expect(shown(filter({ search: 'RE', onlyMatches: true }))).toEqual(['redis reset', notice.message]);
    // The search also matches the source.
    expect(shown(filter({ search: 'netra-web', onlyMatches: true }))).toEqual(['GET /', 'slow', notice.message]);
    // Matches are highlighted, not filtered, until only-matches is on; only-matches without a search shows all.
    expect(shown(filter({ search: 'redis' }))).toHaveLength(5);
    expect(shown(filter({ onlyMatches: true }))).toHaveLength(5);
  });

  it('windows the lines that pass, ending at the anchor or the newest', () => {
    const ring = ringOf(100, range(1, 40).map((i) => box(i % 4 === 0 ? 'ERROR' : 'INFO', `m${i}`)));
    expect(seqs(windowLines(ring, filter(), null, 5))).toEqual(range(36, 40));
    expect(seqs(windowLines(ring, filter(), 20, 5))).toEqual(range(16, 20));
    expect(seqs(windowLines(ring, filter(), 3, 5))).toEqual([1, 2, 3]);
    expect(seqs(windowLines(ring, filter({ minSeverity: 'ERROR' }), 30, 3))).toEqual([20, 24, 28]);
    expect(seqs(windowLines(ring, filter({ minSeverity: 'ERROR' }), null, 100))).toEqual([4, 8, 12, 16, 20, 24, 28, 32, 36, 40]);
    expect(windowLines(new LogRing(5), filter(), null, 5)).toEqual([]);
  });

  it("keeps showing lines when a paused view's anchor has left the ring: the oldest ones still held", () => {
    // Paused at line 10 while a flood pushed it (and what came before it) out of a 20-line ring.
    const ring = ringOf(20, range(1, 50).map((i) => box(i % 2 === 0 ? 'ERROR' : 'INFO', `m${i}`)));
    expect(ring.indexOfSeq(10)).toBe(-1);
    expect(seqs(windowLines(ring, filter(), 10, 5))).toEqual(range(31, 35));
    expect(seqs(windowLines(ring, filter({ minSeverity: 'ERROR' }), 10, 3))).toEqual([32, 34, 36]);
    expect(seqs(windowLines(ring, filter(), 10, 100))).toEqual(range(31, 50));
  });

  it('finds the next and previous match, skipping lines the filters hide', () => {
    const ring = ringOf(100, [box('INFO', 'timeout a'), box('INFO', 'ok'), box('DEBUG', 'timeout b'), box('INFO', 'ok'), box('ERROR', 'Timeout c'), box('INFO', 'ok')]);
    const f = filter({ search: 'timeout' });
    expect(findMatch(ring, f, 1, 1)?.seq).toBe(3);
    expect(findMatch(ring, f, 3, 1)?.seq).toBe(5);
    expect(findMatch(ring, f, 5, 1)).toBeNull();
    expect(findMatch(ring, f, 5, -1)?.seq).toBe(3);
    expect(findMatch(ring, f, 3, -1)?.seq).toBe(1);
    expect(findMatch(ring, f, 1, -1)).toBeNull();
    // From outside the ring: the first (forwards) or the last (backwards).
    expect(findMatch(ring, f, 0, 1)?.seq).toBe(1);
    expect(findMatch(ring, f, 99, -1)?.seq).toBe(5);
    expect(findMatch(ring, filter({ search: 'timeout', minSeverity: 'INFO' }), 1, 1)?.seq).toBe(5);
    expect(findMatch(ring, filter(), 1, 1)).toBeNull();
  });

  it('searches case-insensitively with a regex, and literally when the text is no regex', () => {
    expect(compileSearch('')).toBeNull();
    expect(compileSearch('time.ut')!.test('TIMEOUT')).toBe(true);
    const broken = compileSearch('fetch(');
    expect(broken).not.toBeNull();
    const ring = ringOf(10, ['fetch(url) failed', 'fetch url', 'a[1] = 2', 'a1']);
    expect(filteredLines(ring, filter({ search: 'fetch(', onlyMatches: true })).map((l) => l.message)).toEqual(['fetch(url) failed']);
    expect(filteredLines(ring, filter({ search: 'a[1', onlyMatches: true })).map((l) => l.message)).toEqual(['a[1] = 2']);
    expect(filteredLines(ring, filter({ search: 'fetch.url', onlyMatches: true })).map((l) => l.message)).toEqual(['fetch(url) failed', 'fetch url']);
  });

  it('lists every line that passes, oldest first, from what the ring still holds', () => {
    const ring = ringOf(5, [box('ERROR', 'e1'), box('INFO', 'i1'), box('ERROR', 'e2'), box('INFO', 'i2'), box('ERROR', 'e3'), box('INFO', 'i3'), box('ERROR', 'e4')]);
    expect(filteredLines(ring, filter()).map((l) => l.message)).toEqual(['e2', 'i2', 'e3', 'i3', 'e4']);
    expect(filteredLines(ring, filter({ minSeverity: 'ERROR' })).map((l) => l.message)).toEqual(['e2', 'e3', 'e4']);
  });
});

// ---------------------------------------------------------------------------------------------
// The panel's actions on a real store

describe('log-actions', () => {
  let store: AppStore;
  let ring: LogRing;

  /** Lines arrive as the ingest would hand them over: into the ring, then lastSeq in the store. */
  function arrive(messages: string[]): void {
    for (const message of messages) ring.push(line({ message }));
    store.setState((s) => ({ logs: { ...s.logs, lastSeq: ring.lastSeq } }));
  }
  const logs = () => store.getState().logs;
  const visible = () => seqs(windowLines(ring, logFilter(store.getState()), logs().paused ? logs().anchorSeq : null, logs().viewRows));
  const search = (text: string) => store.setState((s) => ({ ui: { ...s.ui, filters: { ...s.ui.filters, logs: text } } }));

  beforeEach(() => {
    store = appStore();
    ring = new LogRing(1000);
    arrive(range(1, 100).map((i) => `line ${i}${i % 10 === 0 ? ' timeout' : ''}`));
    expect(logs().viewRows).toBe(10);
  });

  it('Enter pins the selected line: container and notice lines show what they hold, Cloud lines are to be fetched', () => {
    // Following: the newest line. A container's JSON line shows the original text.
    ring.push(line({ source: 'netra-backend-1 (stderr)', message: 'db down', detail: '{"level":"error","message":"db down"}' }));
    expect(openLogEntry(store, ring)).toBeNull();
    expect(logs().entry).toMatchObject({ seq: ring.lastSeq, state: 'loaded' });
    const entry = logs().entry!;
    expect(entry.state === 'loaded' && JSON.parse(entry.json)).toEqual({ container: 'netra-backend-1', stream: 'stderr', text: '{"level":"error","message":"db down"}' });

    // A selected Cloud line: nothing to show until it is fetched.
    ring.push(line({ origin: 'cloud', insertId: 'abc123', source: 'netra-auth/00006', message: 'POST /auth/refresh 200' }));
    const cloudSeq = ring.lastSeq;
    ring.push(line({ origin: 'notice', source: 'cloud logging', message: '3 entries suppressed: rate limit', detail: '{"suppressedCount":3}' }));
    store.setState((s) => ({ logs: { ...s.logs, paused: true, cursorSeq: cloudSeq } }));
    expect(openLogEntry(store, ring)?.insertId).toBe('abc123');
    expect(logs().entry).toEqual({ seq: cloudSeq, state: 'loading' });

    store.setState((s) => ({ logs: { ...s.logs, cursorSeq: ring.lastSeq } }));
    expect(openLogEntry(store, ring)).toBeNull();
    expect(logs().entry).toEqual({ seq: ring.lastSeq, state: 'loaded', json: '{"suppressedCount":3}' });

    // A cursor on a line that has left the ring is not shown: the newest line shown is the selection.
    store.setState((s) => ({ logs: { ...s.logs, cursorSeq: -5 } }));
    expect(openLogEntry(store, ring)).toBeNull();
    expect(logs().entry).toMatchObject({ seq: ring.lastSeq, state: 'loaded' });
    // Nothing shown, nothing opened.
    const empty = new LogRing(10);
    expect(openLogEntry(store, empty)).toBeNull();
    expect(logs().entry).toBeNull();
  });

  /** What Enter opened: the message of the line pinned for the entry view. */
  const opened = () => {
    openLogEntry(store, ring);
    const entry = logs().entry;
    return entry ? ring.at(ring.indexOfSeq(entry.seq)).message : null;
  };

  it('Enter while following with a search and only matches opens the newest line shown, not a hidden newer one', () => {
    search('timeout');
    toggleLogFlag(store, 'onlyMatches');
    arrive(['line 101', 'line 102']);
    expect(visible().at(-1)).toBe(100);
    expect(opened()).toBe('line 100 timeout');
    expect(selectedLine(store.getState(), ring)?.seq).toBe(100);
  });

  it('Enter opens the highlighted line when the filters hide the cursor line: the newest line shown', () => {
    moveLogCursor(store, ring, -33);
    expect([logs().cursorSeq, visible().at(-1)]).toEqual([67, 76]);
    expect(opened()).toBe('line 67');
    // f with a search the cursor line does not match: it is no longer shown, so it is not the selection.
    search('timeout');
    toggleLogFlag(store, 'onlyMatches');
    expect(visible()).not.toContain(67);
    expect(visible().at(-1)).toBe(70);
    expect(opened()).toBe('line 70 timeout');
    expect(selectedAmong(windowLines(ring, logFilter(store.getState()), logs().anchorSeq, logs().viewRows), logs())?.seq).toBe(70);
  });

  it('Space pauses where the view is, records the newest line, and resumes following', () => {
    togglePause(store, ring);
    expect(logs()).toMatchObject({ paused: true, pausedAtSeq: 100, anchorSeq: 100, cursorSeq: 100 });
    arrive(['new 1', 'new 2', 'new 3']);
    // The view stays put while lines arrive; the header counts them.
    expect(visible()).toEqual(range(91, 100));
    expect(logs().lastSeq - logs().pausedAtSeq!).toBe(3);
    togglePause(store, ring);
    expect(logs()).toMatchObject({ paused: false, pausedAtSeq: null, anchorSeq: null, cursorSeq: null });
    expect(visible()).toEqual(range(94, 103));
  });

  it('moving up pauses and keeps the cursor on screen', () => {
    moveLogCursor(store, ring, -1);
    expect(logs()).toMatchObject({ paused: true, cursorSeq: 99, pausedAtSeq: 100 });
    expect(visible()).toContain(99);
    for (let i = 0; i < 14; i++) {
      moveLogCursor(store, ring, -1);
      expect(visible()).toContain(logs().cursorSeq);
    }
    expect(logs().cursorSeq).toBe(85);
    moveLogCursor(store, ring, -10);
    expect(logs().cursorSeq).toBe(75);
    expect(visible()).toContain(75);
    // New lines do not move a paused view, and pausedAtSeq keeps the point where the pause began.
    arrive(['late']);
    expect(visible()).toContain(75);
    expect(logs().pausedAtSeq).toBe(100);
    // Back to the very first line.
    moveLogCursor(store, ring, -ring.size);
    expect(logs().cursorSeq).toBe(1);
    expect(visible()).toContain(1);
  });

  it('a paused view still shows lines after a flood pushes them out of the ring, and the cursor can move', () => {
    togglePause(store, ring);
    arrive(range(1, ring.capacity).map((i) => `flood ${i}`));
    expect(ring.indexOfSeq(100)).toBe(-1);
    expect(visible()).toEqual(range(101, 110));
    moveLogCursor(store, ring, -1);
    expect(logs().cursorSeq).toBe(101);
    expect(visible()).toContain(101);
    moveLogCursor(store, ring, 3);
    expect(logs().cursorSeq).toBe(104);
    expect(visible()).toContain(104);
  });

  it('moving down keeps the cursor on screen, and past the newest line follows again', () => {
    moveLogCursor(store, ring, -30);
    expect(logs().cursorSeq).toBe(70);
    for (let expected = 71; expected < 100; expected++) {
      moveLogCursor(store, ring, 1);
      expect(logs().cursorSeq).toBe(expected);
      expect(visible()).toContain(expected);
    }
    moveLogCursor(store, ring, 1);
    expect(logs()).toMatchObject({ paused: false, cursorSeq: null, anchorSeq: null });
  });

  it('moves over the lines that pass the filters only', () => {
    store.setState((s) => ({ logs: { ...s.logs, filter: { ...s.logs.filter, onlyMatches: true } } }));
    search('timeout');
    moveLogCursor(store, ring, -1);
    expect(logs().cursorSeq).toBe(90);
    moveLogCursor(store, ring, -2);
    expect(logs().cursorSeq).toBe(70);
    moveLogCursor(store, ring, 1);
    expect(logs().cursorSeq).toBe(80);
  });

  it('n / N jump between matches and pause there; without a search or a match they say so', () => {
    expect(jumpToMatch(store, ring, 1)).toBe('type a search with / first');
    expect(logs().paused).toBe(false);
    search('no-such-thing');
    expect(jumpToMatch(store, ring, 1)).toBe('no later line matches /no-such-thing');
    expect(jumpToMatch(store, ring, -1)).toBe('no earlier line matches /no-such-thing');
    expect(logs().paused).toBe(false);

    search('timeout');
    expect(jumpToMatch(store, ring, -1)).toBeNull();
    expect(logs()).toMatchObject({ paused: true, cursorSeq: 100 });
    expect(jumpToMatch(store, ring, -1)).toBeNull();
    expect(logs().cursorSeq).toBe(90);
    expect(jumpToMatch(store, ring, -1)).toBeNull();
    expect(logs().cursorSeq).toBe(80);
    expect(visible()).toContain(80);
    expect(jumpToMatch(store, ring, 1)).toBeNull();
    expect(logs().cursorSeq).toBe(90);
    for (let i = 0; i < 8; i++) jumpToMatch(store, ring, -1);
    expect(logs().cursorSeq).toBe(10);
    expect(visible()).toContain(10);
    expect(jumpToMatch(store, ring, -1)).toBe('no earlier line matches /timeout');
    expect(logs().cursorSeq).toBe(10);
  });

  it('v, o, t, w and f cycle and toggle the view settings', () => {
    const severities: string[] = [];
    for (let i = 0; i < 4; i++) {
      cycleSeverity(store);
      severities.push(logs().filter.minSeverity);
    }
    expect(severities).toEqual(['INFO', 'WARNING', 'ERROR', 'DEFAULT']);
    const origins: string[] = [];
    for (let i = 0; i < 3; i++) {
      cycleOrigin(store);
      origins.push(logs().filter.origin);
    }
    expect(origins).toEqual(['cloud', 'container', 'all']);
    expect([logs().showTime, logs().wrap, logs().filter.onlyMatches]).toEqual([true, false, false]);
    toggleLogFlag(store, 'showTime');
    toggleLogFlag(store, 'wrap');
    toggleLogFlag(store, 'onlyMatches');
    expect([logs().showTime, logs().wrap, logs().filter.onlyMatches]).toEqual([false, true, true]);
    search('timeout');
    expect(logFilter(store.getState())).toEqual({ minSeverity: 'DEFAULT', origin: 'all', search: 'timeout', onlyMatches: true });
    follow(store);
    expect(logs().paused).toBe(false);
  });
});

// ---------------------------------------------------------------------------------------------
// Docker's multiplexed log stream

describe('demuxFrames', () => {
  function frame(stream: 1 | 2, text: string): Buffer {
    const payload = Buffer.from(text, 'utf8');
    const header = Buffer.alloc(8);
    header[0] = stream;
    header.writeUInt32BE(payload.length, 4);
    return Buffer.concat([header, payload]);
  }

  it('splits stdout and stderr frames in order, multi-byte text included', () => {
    const buffer = Buffer.concat([
      frame(1, '2026-01-05T10:00:00.000000001Z out 1\n'),
      frame(2, '2026-01-05T10:00:00.000000002Z err 1 — ✘\n'),
      frame(1, ''),
      frame(1, '2026-01-05T10:00:00.000000003Z out 2\n'),
    ]);
    expect(demuxFrames(buffer)).toEqual([
      { stream: 'stdout', text: '2026-01-05T10:00:00.000000001Z out 1\n' },
      { stream: 'stderr', text: '2026-01-05T10:00:00.000000002Z err 1 — ✘\n' },
      { stream: 'stdout', text: '' },
      { stream: 'stdout', text: '2026-01-05T10:00:00.000000003Z out 2\n' },
    ]);
  });

  it('ignores an incomplete header at the end, and an empty buffer', () => {
    const buffer = Buffer.concat([frame(2, 'last\n'), Buffer.from([1, 0, 0])]);
    expect(demuxFrames(buffer)).toEqual([{ stream: 'stderr', text: 'last\n' }]);
    expect(demuxFrames(Buffer.alloc(0))).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// The CLI

describe('filterString', () => {
  it.each([
    ['netra-auth', '"netra-auth"'],
    ['x"', '"x\\""'],
    ['a\\b', '"a\\\\b"'],
    ['x"\nseverity>=ERROR', '"x\\"\nseverity>=ERROR"'],
  ])('quotes %j as one string literal', (value, quoted) => {
    expect(filterString(value)).toBe(quoted);
  });

  it('keeps an injected clause inside the value: the sandbox reads one comparison, not two', () => {
    const entry = (service: string, severity: string) =>
      ({ seq: 1, time: 0n, payload: null, entry: { severity, resource: { type: 'cloud_run_revision', labels: { service_name: service } } } }) as unknown as StoredEntry;
    const injected = 'x"\nseverity>="ERROR';
    const matches = compileFilter(`resource.labels.service_name=${filterString(injected)}`);
    expect(matches(entry(injected, 'INFO'))).toBe(true);
    expect(matches(entry('x', 'ERROR'))).toBe(false);
  });
});

describe('parseDuration', () => {
  it.each([
    ['90s', 90_000],
    ['10m', 600_000],
    ['2h', 7_200_000],
    ['1d', 86_400_000],
    ['1.5h', 5_400_000],
    [' 5m ', 300_000],
    ['0s', 0],
  ])('%j is %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  // These used to make an invalid Date and exit 1 "unexpected error".
  it.each(['99999999999d', '3651d', '87601h', `${'9'.repeat(400)}s`])('refuses %j, beyond what Cloud Logging keeps, with one line', (text) => {
    expect(usageError(() => parseDuration(text))).toBe(`--since "${text}" is too long ago: Cloud Logging keeps at most 3650d, e.g. --since 7d`);
  });

  it('accepts the longest Cloud Logging retention', () => {
    expect(parseDuration('3650d')).toBe(3650 * 86_400_000);
  });

  it.each(['5x', '', 'm', '5', '-5m', '5 m', '10min', '1e3s'])('refuses %j with one line naming it', (text) => {
    let error: unknown;
    try {
      parseDuration(text);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).message).toBe(`--since "${text}" is not a duration: use e.g. 90s, 10m, 2h or 1d`);
  });
});

describe('layoutPanels', () => {
  const total = (boxes: Array<{ height: number }>) => boxes.reduce((sum, b) => sum + b.height, 0);

  it('stacks all four panels in a tall window, the logs panel last with 30 %', () => {
    for (const body of [LOGS_IN_STACK_ROWS, 42, 60, 97]) {
      const boxes = layoutPanels(body, 'health', false);
      expect(boxes.map((b) => b.id)).toEqual(['health', 'stats', 'cloudrun', 'logs']);
      expect(total(boxes)).toBe(body);
      expect(boxes[3]!.height).toBe(Math.floor(body * 0.3));
      expect(boxes[2]!.height).toBeGreaterThanOrEqual(8);
      expect(boxes.every((b) => b.height >= 5)).toBe(true);
    }
    expect(layoutPanels(42, 'logs', false).map((b) => b.id)).toEqual(['health', 'stats', 'cloudrun', 'logs']);
  });

  it('leaves the logs panel out of a short window, unless it has the focus', () => {
    for (const body of [21, 25, LOGS_IN_STACK_ROWS - 1]) {
      const boxes = layoutPanels(body, 'stats', false);
      expect(boxes.map((b) => b.id)).toEqual(['health', 'stats', 'cloudrun']);
      expect(total(boxes)).toBe(body);
      expect(boxes[1]!.height).toBeGreaterThanOrEqual(6);
      expect(layoutPanels(body, 'logs', false)).toEqual([{ id: 'logs', height: body }]);
    }
  });

  it('gives a zoomed panel the whole body', () => {
    expect(layoutPanels(42, 'logs', true)).toEqual([{ id: 'logs', height: 42 }]);
    expect(layoutPanels(21, 'cloudrun', true)).toEqual([{ id: 'cloudrun', height: 21 }]);
  });
});

describe('parseArgs: logs', () => {
  const logs = (extra: Partial<CliOptions>): CliOptions => ({ ...defaultOptions(), command: 'logs', ...extra });

  it.each<[string[], Partial<CliOptions>]>([
    [['logs'], {}],
    [['logs', '--json'], { json: true }],
    [['logs', '--follow', '--since', '5m'], { follow: true, since: '5m' }],
    [['logs', '--since=2h', '--severity=ERROR'], { since: '2h', severity: 'ERROR' }],
    [['logs', '--service', 'netra-auth', '--container', 'netra-web-1'], { service: 'netra-auth', container: 'netra-web-1' }],
    [['logs', '--filter', 'timeout|refused', '--json'], { filter: 'timeout|refused', json: true }],
    [['--json', 'logs', '--severity', 'warning'], { json: true, severity: 'warning' }],
    [
      ['logs', '--gcp-endpoint', '127.0.0.1:8085', '--docker-host', 'unix:///tmp/d.sock', '--all', '--config', 'c.yaml'],
      { gcpEndpoint: '127.0.0.1:8085', dockerHost: 'unix:///tmp/d.sock', all: true, configPath: 'c.yaml' },
    ],
  ])('%j', (argv, expected) => {
    expect(parseArgs(argv)).toEqual(logs(expected));
  });

  it.each([
    [['logs', '--since'], '--since needs a value, e.g. --since 10m'],
    [['logs', '--severity', '--json'], '--severity needs a value, e.g. --severity WARNING'],
    [['logs', '--filter='], '--filter needs a value, e.g. --filter "timeout|refused"'],
    [['logs', '--follow=yes'], '--follow takes no value; write --follow alone'],
    [['logs', '--yes'], '--yes works with the rollback, switch, compare, demo and rebuild commands: e.g. netra-console rollback --yes …'],
    [['logs', '--dry-run'], '--dry-run works with the rollback and switch commands: e.g. netra-console rollback --dry-run …'],
    [['logs', '--log-rate', '5'], '--port and --log-rate work with the sandbox command: netra-console sandbox --port 8085'],
  ])('refuses %j', (argv, message) => {
    expect(usageError(() => parseArgs(argv))).toBe(message);
  });

  it.each([
    [['--follow'], '--follow'],
    [['--since', '5m'], '--since'],
    [['--severity', 'ERROR'], '--severity'],
    [['--filter', 'x'], '--filter'],
    [['status', '--follow'], '--follow'],
    [['status', '--json', '--since', '5m'], '--since'],
    [['sandbox', '--filter', 'x'], '--filter'],
  ])('refuses the logs-only flag in %j elsewhere', (argv, flag) => {
    expect(usageError(() => parseArgs(argv))).toBe(`${flag} works with the logs command: e.g. netra-console logs ${flag} …`);
  });

  it('refuses --service outside rollback, logs, rebuild and doctor, naming them', () => {
    expect(usageError(() => parseArgs(['status', '--service', 'netra-auth']))).toBe(
      '--service works with the rollback, logs, rebuild and doctor commands: e.g. netra-console rollback --service …',
    );
  });

  it.each([[['--container', 'web']], [['rollback', '--service', 'netra-auth', '--container', 'web']]])('refuses --container in %j: only logs and doctor take it', (argv) => {
    expect(usageError(() => parseArgs(argv))).toBe('--container works with the logs and doctor commands: e.g. netra-console logs --container …');
  });
});
