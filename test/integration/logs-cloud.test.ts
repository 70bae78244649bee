/**
 * The logs panel's Cloud Logging source exactly as the console runs it (startLogSources: CloudTail → LogIngest →
 * LogRing, the store told at 20 Hz), through the official Logging client over real gRPC against a sandbox started
 * here, whose faults cut the tail session and fail the reconnect. Every generated entry carries the sandbox's
 * sequence number, so "nothing lost, nothing doubled" is checked entry by entry.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseArgs } from '../../src/cli/args';
import { startLogSources } from '../../src/cli/log-sources';
import { resolveSettings, type Settings } from '../../src/cli/settings';
import { configSchema } from '../../src/config/schema';
import type { LogLine } from '../../src/domain/log-line';
import { startSandbox, type Sandbox } from '../../src/sandbox/index';
import { createDockerClient } from '../../src/sources/docker/client';
import { openLogEntry } from '../../src/store/log-actions';
import type { LogRing } from '../../src/store/log-ring';
import type { CloudTailStatus } from '../../src/store/logs-state';
import { createAppStore, type AppStore } from '../../src/store/store';
import { FIXTURE_IMAGES, runContainer } from '../support/docker-engine';
import { providedEngine } from '../support/engine-context';
import { removeProjectContainers, startLiveConsole, uniqueProject, type LiveConsole } from '../support/live-store';
import { waitFor } from '../support/wait';

const engine = providedEngine();
const OUT_OF_RANGE_MESSAGE = 'The tail session reached its maximum duration; start a new one to keep tailing.';
const UNAVAILABLE_MESSAGE = 'The service is currently unavailable.';

/**
 * The sandbox's sequence number of a Cloud line: the sandbox ends every insertId with it in hex. Text payloads also
 * end with `seq=N`, and the two must agree (the whole entry's labels and JSON payload are checked by the Enter test).
 */
function sandboxSeq(line: LogLine): number | null {
  const fromId = line.insertId ? Number.parseInt(line.insertId.slice(-10), 16) : Number.NaN;
  const fromText = /\bseq=(\d+)$/.exec(line.message)?.[1];
  if (fromText !== undefined) expect(Number(fromText)).toBe(fromId);
  return Number.isFinite(fromId) ? fromId : null;
}

function ringLines(ring: LogRing): LogLine[] {
  return Array.from({ length: ring.size }, (_, i) => ring.at(i));
}

function cloudSeqs(ring: LogRing): number[] {
  return ringLines(ring)
    .filter((l) => l.origin === 'cloud')
    .map((l) => {
      const seq = sandboxSeq(l);
      if (seq === null) throw new Error(`cloud line without a sandbox seq: ${JSON.stringify(l)}`);
      return seq;
    });
}

/** Seqs that occur more than once, and those missing between the first and the last seen. */
function gapsAndDuplicates(seqs: number[]): { first: number; last: number; missing: number[]; duplicates: number[] } {
  const counts = new Map<number, number>();
  for (const s of seqs) counts.set(s, (counts.get(s) ?? 0) + 1);
  const first = Math.min(...seqs);
  const last = Math.max(...seqs);
  const missing: number[] = [];
  for (let s = first; s <= last; s++) if (!counts.has(s)) missing.push(s);
  const duplicates = [...counts].filter(([, n]) => n > 1).map(([s]) => s);
  return { first, last, missing, duplicates };
}

interface Running {
  store: AppStore;
  ring: LogRing;
  sources: ReturnType<typeof startLogSources>;
  /** Every state the tail reported, in order (as the store saw them). */
  states: CloudTailStatus[];
  stop(): Promise<void>;
}

const dirs: string[] = [];

/** The console's settings for this sandbox and engine, with a ring of `bufferLines`. */
function settingsFor(sandbox: Sandbox, bufferLines: number): Settings {
  const cwd = mkdtempSync(join(tmpdir(), 'logs-cloud-'));
  dirs.push(cwd);
  const settings = resolveSettings(parseArgs(['--gcp-endpoint', sandbox.endpoint, '--docker-host', engine.host]), cwd, { HOME: cwd });
  return { ...settings, config: configSchema.parse({ logs: { bufferLines } }) };
}

/**
 * startLogSources + startCloud, as src/cli/console.tsx does once Cloud Run is up. Containers are followed when
 * `liveStore` is given (a store a Docker watcher feeds); otherwise the store has none.
 */
function startConsoleLogs(sandbox: Sandbox, bufferLines: number, liveStore?: AppStore): Running {
  const settings = settingsFor(sandbox, bufferLines);
  expect(settings.cloudRun.mode).toBe('endpoint');
  const store = liveStore ?? createAppStore({
    host: settings.endpoint.display,
    thresholds: settings.config.thresholds,
    historyLength: settings.config.ui.historyLength,
    showAll: false,
    cloudRun: { mode: 'endpoint', project: settings.cloudRun.project, region: settings.cloudRun.region, endpoint: sandbox.endpoint },
  });
  const states: CloudTailStatus[] = [];
  const unsubscribe = store.subscribe((state, previous) => {
    if (state.logs.cloud !== previous.logs.cloud) states.push(state.logs.cloud);
  });
  const sources = startLogSources(store, createDockerClient(settings.endpoint), settings);
  const { project, region, endpoint } = settings.cloudRun;
  sources.startCloud({ project, region, endpoint });
  return {
    store,
    ring: sources.ring,
    sources,
    states,
    stop: async () => {
      unsubscribe();
      await sources.stop();
    },
  };
}

let sandbox: Sandbox;
let running: Running | null = null;

beforeAll(async () => {
  sandbox = await startSandbox({ logRatePerSecond: 25 });
});

afterEach(async () => {
  sandbox.faults.clear();
  await running?.stop();
  running = null;
});

afterAll(async () => {
  await sandbox?.stop();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** The 'reconnecting' states the tail reported, in order. */
function reconnects(states: CloudTailStatus[]): Array<Extract<CloudTailStatus, { state: 'reconnecting' }>> {
  return states.filter((s): s is Extract<CloudTailStatus, { state: 'reconnecting' }> => s.state === 'reconnecting');
}

const describeStates = (states: CloudTailStatus[]) => states.map((s) => (s.state === 'reconnecting' ? `reconnecting(${s.reason})` : s.state)).join(' → ');

describe('Cloud Logging tail of the logs panel (official client, real gRPC, sandbox faults)', () => {
  it('reconnects after cut sessions and a failed reconnect: no entry lost, none doubled', async () => {
    running = startConsoleLogs(sandbox, 20_000);
    const { ring, states, store } = running;
    await waitFor(() => store.getState().logs.cloud.state === 'live' && cloudSeqs(ring).length >= 20, {
      what: 'the tail to be live with 20 entries',
      observe: () => ({ states: describeStates(states), lines: ring.size }),
    });
    const beforeFaults = sandbox.lastLogSeq();

    // The one-hour limit, three times over: every session ends OUT_OF_RANGE a second after it starts.
    sandbox.faults.endTailsAfter(1, 'OUT_OF_RANGE');
    await waitFor(() => reconnects(states).length >= 3 && store.getState().logs.cloud.state === 'live', {
      what: 'three OUT_OF_RANGE reconnects',
      timeoutMs: 30_000,
      observe: () => describeStates(states),
    });
    // Dropped by the server: UNAVAILABLE, twice.
    sandbox.faults.endTailsAfter(1, 'UNAVAILABLE');
    await waitFor(() => reconnects(states).length >= 5 && store.getState().logs.cloud.state === 'live', {
      what: 'two UNAVAILABLE reconnects',
      timeoutMs: 30_000,
      observe: () => describeStates(states),
    });
    // Once more, and this time the reconnect itself fails: its TailLogEntries and its backfill's ListLogEntries.
    sandbox.faults.endTailsAfter(null);
    const tailCalls = sandbox.calls('TailLogEntries');
    const listCalls = sandbox.calls('ListLogEntries');
    const reconnectsBefore = reconnects(states).length;
    sandbox.faults.unavailable(1, 'TailLogEntries');
    sandbox.faults.unavailable(1, 'ListLogEntries');
    sandbox.faults.endTailsAfter(0, 'UNAVAILABLE');
    await waitFor(() => reconnects(states).length > reconnectsBefore, { what: 'the cut', observe: () => describeStates(states) });
    sandbox.faults.endTailsAfter(null);
    await waitFor(() => sandbox.calls('TailLogEntries') >= tailCalls + 2 && store.getState().logs.cloud.state === 'live', {
      what: 'a failed reconnect and then a good one',
      timeoutMs: 30_000,
      observe: () => ({ states: describeStates(states), tailCalls: sandbox.calls('TailLogEntries') - tailCalls }),
    });
    expect(sandbox.calls('ListLogEntries')).toBeGreaterThan(listCalls);

    // Collect a while longer, until entries well after the last cut have arrived.
    const target = sandbox.lastLogSeq() + 40;
    await waitFor(() => Math.max(...cloudSeqs(ring)) >= target, {
      what: `entry ${target} to arrive`,
      observe: () => ({ newest: Math.max(...cloudSeqs(ring)), states: describeStates(states) }),
    });

    const seqs = cloudSeqs(ring);
    const { first, last, missing, duplicates } = gapsAndDuplicates(seqs);
    expect(first).toBeLessThanOrEqual(beforeFaults);
    expect(last).toBeGreaterThanOrEqual(target);
    expect({ missing, duplicates }).toEqual({ missing: [], duplicates: [] });
    expect(seqs).toHaveLength(last - first + 1);
    // And in the order they were logged.
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));

    // The states the panel showed: live, then reconnecting → … → live after each cut, with the reason.
    const reasons = reconnects(states).map((s) => s.reason);
    expect(reasons.filter((r) => r === OUT_OF_RANGE_MESSAGE).length).toBeGreaterThanOrEqual(3);
    expect(reasons.filter((r) => r === UNAVAILABLE_MESSAGE).length).toBeGreaterThanOrEqual(3);
    expect(states[0]).toEqual({ state: 'connecting' });
    for (let i = 0; i < states.length; i++) {
      if (states[i]!.state !== 'reconnecting') continue;
      expect(states.slice(i + 1).some((s) => s.state === 'live'), describeStates(states)).toBe(true);
    }
    expect(states.at(-1)).toEqual({ state: 'live' });
    // The store knows of every line in the ring.
    await waitFor(() => store.getState().logs.lastSeq === ring.lastSeq, { what: 'the store to catch up with the ring' });
  });

  it('shows rate-limit suppressions as marked notice lines', async () => {
    running = startConsoleLogs(sandbox, 20_000);
    const { ring, store } = running;
    await waitFor(() => store.getState().logs.cloud.state === 'live', { what: 'the tail to be live' });
    sandbox.faults.rateLimitTails(2);
    const notices = await waitFor(
      () => {
        const found = ringLines(ring).filter((l) => l.origin === 'notice');
        return found.length >= 2 ? found : null;
      },
      { what: 'two suppression notices', observe: () => ringLines(ring).slice(-5).map((l) => `${l.origin} ${l.message}`) },
    );
    for (const notice of notices) {
      expect(notice.message).toMatch(/^[1-9]\d* entries suppressed: rate limit$/);
      expect(notice).toMatchObject({ insertId: null, source: 'cloud logging', severity: 'WARNING' });
    }
    // The entries that did get through are still real, unrepeated entries.
    const { duplicates } = gapsAndDuplicates(cloudSeqs(ring));
    expect(duplicates).toEqual([]);
  });

  it('keeps the ring at its capacity under a flood of entries', async () => {
    const capacity = 500;
    running = startConsoleLogs(sandbox, capacity);
    const { ring, store } = running;
    await waitFor(() => store.getState().logs.cloud.state === 'live' && ring.size > 0, { what: 'the tail to be live' });
    sandbox.faults.rateLimitTails(null);
    const flood = 6_000;
    const last = sandbox.lastLogSeq() + flood;
    sandbox.emitLogs(flood);
    await waitFor(() => ring.size > 0 && Math.max(...cloudSeqs(ring)) >= last, {
      what: `the flood up to entry ${last} to arrive`,
      timeoutMs: 30_000,
      observe: () => ({ size: ring.size, lastSeq: ring.lastSeq }),
    });
    expect(ring.lastSeq).toBeGreaterThanOrEqual(flood);
    expect(ring.size).toBe(capacity);
    // The newest `capacity` lines, in order, none lost between them.
    const lines = ringLines(ring);
    expect(lines.map((l) => l.seq)).toEqual(Array.from({ length: capacity }, (_, i) => ring.lastSeq - capacity + 1 + i));
    const { missing, duplicates } = gapsAndDuplicates(cloudSeqs(ring));
    expect({ missing, duplicates }).toEqual({ missing: [], duplicates: [] });
    await waitFor(() => store.getState().logs.lastSeq === ring.lastSeq, { what: 'the store to catch up with the ring' });
  });

  it('fetches the whole entry behind a line for Enter, or says why it cannot', async () => {
    running = startConsoleLogs(sandbox, 20_000);
    const { ring, store, sources } = running;
    const kinds = await waitFor(
      () => {
        const lines = ringLines(ring).filter((l) => l.origin === 'cloud');
        // Request logs read "GET /path 200 12ms"; text payloads end with seq=N; the rest are JSON payloads.
        const isRequest = (l: LogLine) => /^(GET|POST|PUT|PATCH|DELETE) \S+ \d{3} \d+ms$/.test(l.message);
        const isText = (l: LogLine) => /\bseq=\d+$/.test(l.message);
        const request = lines.find(isRequest);
        const text = lines.find(isText);
        const json = lines.find((l) => !isRequest(l) && !isText(l));
        return request && text && json ? { request, text, json } : null;
      },
      { what: 'a request log, a text and a JSON payload', observe: () => ringLines(ring).slice(-5).map((l) => l.message) },
    );
    /** Selects `line` (paused there, on screen, as n/N or k leave it) and presses Enter, then the fetch. */
    const select = (line: LogLine) => store.setState((s) => ({ logs: { ...s.logs, paused: true, cursorSeq: line.seq, anchorSeq: line.seq } }));
    const enter = async (line: LogLine, fetched: LogLine = line) => {
      select(line);
      expect(openLogEntry(store, ring)).toBe(line);
      expect(store.getState().logs.entry).toEqual({ seq: line.seq, state: 'loading' });
      await sources.loadEntry(fetched);
      return store.getState().logs.entry!;
    };

    for (const [kind, line] of Object.entries(kinds)) {
      const entry = await enter(line);
      if (entry.state !== 'loaded') throw new Error(`${kind}: ${JSON.stringify(entry)}`);
      const whole = JSON.parse(entry.json) as { insertId: string; timestamp: string; labels: { seq: string }; jsonPayload?: { seq: number }; httpRequest?: unknown };
      expect(whole.insertId).toBe(line.insertId);
      expect(whole.timestamp.slice(0, 23)).toBe(line.timestamp.slice(0, 23));
      expect(Number(whole.labels.seq)).toBe(sandboxSeq(line));
      if (kind === 'json') expect(whole.jsonPayload?.seq).toBe(sandboxSeq(line));
      if (kind === 'request') expect(whole.httpRequest).toMatchObject({ requestMethod: line.message.split(' ')[0] });
    }

    // An entry Cloud Logging does not have (any more).
    expect(await enter(kinds.text, { ...kinds.text, insertId: 'ffffffffffffffff' })).toEqual({
      seq: kinds.text.seq,
      state: 'failed',
      reason: 'Cloud Logging no longer has this entry',
    });
    // The call fails (UNAVAILABLE would be retried by the client; a refusal is not).
    sandbox.faults.permissionDenied('logging.logEntries.list', 'ListLogEntries');
    const failed = await enter(kinds.json);
    expect(failed).toMatchObject({ seq: kinds.json.seq, state: 'failed' });
    expect(failed.state === 'failed' && failed.reason).toMatch(/^could not fetch it from Cloud Logging: .*logging\.logEntries\.list/);
    sandbox.faults.permissionDenied(null);
    // An answer that comes after another line was opened is dropped.
    select(kinds.request);
    openLogEntry(store, ring);
    const late = sources.loadEntry(kinds.request);
    select(kinds.text);
    openLogEntry(store, ring);
    await late;
    expect(store.getState().logs.entry).toEqual({ seq: kinds.text.seq, state: 'loading' });
  });

  it('shows Cloud lines promptly and in time order among the lines of a container', async () => {
    const project = uniqueProject('logorder');
    const live: LiveConsole = startLiveConsole(engine, { projects: [project] });
    try {
      // A numbered line every 50 ms: the container and the Cloud Run services log in the same moments.
      const cmd = ['sh', '-c', `trap 'exit 0' TERM\nn=0; while :; do n=$((n+1)); echo "box $n"; sleep 0.05; done`];
      await runContainer(engine, { name: `${project}-box`, image: FIXTURE_IMAGES.base, cmd, project, service: 'box' });
      running = startConsoleLogs(sandbox, 20_000, live.store);
      const { ring, store } = running;
      /** How late each line reached the ring (the store hears of it), by seq. */
      const lateness = new Map<number, number>();
      const unsubscribe = store.subscribe((state, previous) => {
        for (let seq = previous.logs.lastSeq + 1; seq <= state.logs.lastSeq; seq++) {
          const index = ring.indexOfSeq(seq);
          if (index >= 0) lateness.set(seq, Date.now() - Date.parse(ring.at(index).timestamp));
        }
      });
      const both = () => ringLines(ring).some((l) => l.origin === 'container') && ringLines(ring).some((l) => l.origin === 'cloud');
      await waitFor(() => store.getState().logs.cloud.state === 'live' && both(), { what: 'container and Cloud lines', observe: () => ring.size });
      // From here on both sources are flowing (the container's backlog and the first entries are behind us).
      const from = ring.lastSeq;
      const after = () => ringLines(ring).filter((l) => l.seq > from);
      await waitFor(() => after().filter((l) => l.origin === 'cloud').length >= 40 && after().filter((l) => l.origin === 'container').length >= 40, {
        what: '40 more lines of each source',
        timeoutMs: 30_000,
        observe: () => after().length,
      });
      unsubscribe();
      const lines = after();
      const outOfOrder = lines.filter((l, i) => i > 0 && Date.parse(l.timestamp) < Date.parse(lines[i - 1]!.timestamp));
      expect(outOfOrder.map((l) => `${l.source} ${l.timestamp}`)).toEqual([]);
      const cloudLateness = lines.filter((l) => l.origin === 'cloud' && lateness.has(l.seq)).map((l) => lateness.get(l.seq)!);
      cloudLateness.sort((a, b) => a - b);
      // The sandbox sends an entry within ~100 ms and the ingest waits 250 ms for older ones; a one-second server
      // buffer window made every Cloud line over a second late.
      expect(cloudLateness[Math.floor(cloudLateness.length / 2)]).toBeLessThan(700);
    } finally {
      live.stop();
      await removeProjectContainers(engine, project);
    }
  });
});
