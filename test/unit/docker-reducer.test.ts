import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_THRESHOLDS } from '../../src/domain/thresholds';
import { DockerBatcher } from '../../src/store/docker-batcher';
import { reduceDocker, type DockerOp, type ReduceSettings } from '../../src/store/docker-reducer';
import type { DockerState } from '../../src/store/store';
import { appStore, container, stats, TEST_HOST } from './support';
import { alertSubject } from '../../src/domain/alerts';

const NOW = Date.parse('2026-11-22T12:00:00.000Z');
const SETTINGS: ReduceSettings = { thresholds: DEFAULT_THRESHOLDS, historyLength: 3, now: NOW };

const api = container({ id: 'api' });
const auth = container({ id: 'auth' });
const web = container({ id: 'web' });

function initial(): DockerState {
  return appStore(3).getState().docker;
}

/** Applies batches one after the other, as the batcher does over time. */
function apply(...batches: DockerOp[][]): DockerState {
  return batches.reduce((state, ops) => reduceDocker(state, ops, SETTINGS), initial());
}

const sync = (...containers: typeof api[]): DockerOp => ({ type: 'sync', containers });
const upsert = (c: typeof api): DockerOp => ({ type: 'upsert', container: c });
const remove = (id: string): DockerOp => ({ type: 'remove', id });
const sample = (id: string, cpuPercent = 1, extra = {}): DockerOp => ({ type: 'stats', id, stats: stats({ cpuPercent, ...extra }) });

describe('reduceDocker', () => {
  it('sync replaces the containers, keyed by id', () => {
    const state = apply([sync(api, auth)], [sync(auth, web)]);
    expect(Object.keys(state.containers).sort()).toEqual(['auth', 'web']);
    expect(state.containers.web).toBe(web);
  });

  it('sync keeps stats only of containers that are still there and running', () => {
    const state = apply([sync(api, auth, web), sample('api'), sample('auth'), sample('web')], [sync(api, { ...auth, state: 'exited' })]);
    expect(Object.keys(state.stats)).toEqual(['api']);
  });

  it('upsert adds a new container and replaces a known one', () => {
    const restarted = { ...api, restarts: 2 };
    const state = apply([sync(api)], [upsert(auth), upsert(restarted)]);
    expect(state.containers).toEqual({ api: restarted, auth });
  });

  it.each(['exited', 'paused', 'restarting', 'dead'])('drops the stats of a container that becomes %s', (status) => {
    const state = apply([sync(api, auth), sample('api'), sample('auth')], [upsert({ ...api, state: status })]);
    expect(Object.keys(state.stats)).toEqual(['auth']);
  });

  it('ignores a late stats frame of a container that has stopped', () => {
    const state = apply([sync(api), sample('api')], [upsert({ ...api, state: 'exited', exitCode: 0 }), sample('api', 50)]);
    expect(state.stats.api).toBeUndefined();
  });

  it('a stats frame is stamped with the time it arrived', () => {
    expect(apply([sync(api), sample('api')]).stats.api!.receivedAt).toBe(NOW);
  });

  it('the alerts of stats that stopped coming are the last known, marked; fresh stats raise them as before', () => {
    const hot = { memPercent: 96, memUsageBytes: 96, memLimitBytes: 100 };
    const start = reduceDocker(initial(), [sync(api, auth), sample('api', 1, hot), sample('auth')], SETTINGS);
    expect(start.alerts.find((a) => a.kind === 'memory')).toMatchObject({ container: api.name, level: 'critical' });
    expect(start.alerts.find((a) => a.kind === 'memory')).not.toHaveProperty('stale');
    // Six seconds on, only auth's frames still come.
    const later = reduceDocker(start, [sample('auth')], { ...SETTINGS, now: NOW + 6_000 });
    const memory = later.alerts.find((a) => a.kind === 'memory')!;
    expect(memory).toMatchObject({ container: api.name, stale: true });
    expect(memory.message).toMatch(/^last known: /);
    const back = reduceDocker(later, [sample('api', 1, hot)], { ...SETTINGS, now: NOW + 7_000 });
    expect(back.alerts.find((a) => a.kind === 'memory')).not.toHaveProperty('stale');
  });

  it('remove forgets the container and its stats', () => {
    const state = apply([sync(api, auth), sample('api'), sample('auth')], [remove('api')]);
    expect(Object.keys(state.containers)).toEqual(['auth']);
    expect(Object.keys(state.stats)).toEqual(['auth']);
  });

  it('drops stats of removed or unknown containers, in batch order', () => {
    const removedThenSampled = apply([sync(api, auth)], [remove('api'), sample('api'), sample('ghost'), sample('auth')]);
    expect(Object.keys(removedThenSampled.stats)).toEqual(['auth']);
    const sampledThenRemoved = apply([sync(api)], [sample('api'), remove('api')]);
    expect(sampledThenRemoved.stats).toEqual({});
  });

  it('keeps the latest stats and a CPU history bounded by historyLength, oldest first', () => {
    const state = apply([sync(api)], [sample('api', 10), sample('api', 20)], [sample('api', 30), sample('api', 40, { pids: 9 })], [sample('api', 50)]);
    expect(state.stats.api!.cpuHistory).toEqual([30, 40, 50]);
    expect(state.stats.api!.latest).toEqual(stats({ cpuPercent: 50 }));
    expect(apply([sync(api)], [sample('api', 10), sample('api', 20)]).stats.api!.cpuHistory).toEqual([10, 20]);
  });

  it('does not change the previous state', () => {
    const before = apply([sync(api), sample('api', 10)]);
    const snapshot = structuredClone(before);
    reduceDocker(before, [sample('api', 20), upsert(auth), remove('api')], SETTINGS);
    expect(before).toEqual(snapshot);
  });

  it.each<[string, DockerOp[]]>([
    ['no ops', []],
    ['removing an unknown container', [remove('ghost')]],
    ['stats of an unknown container', [sample('ghost')]],
    ['stats of a stopped container', [sample('done')]],
  ])('returns the same state object for %s', (_, ops) => {
    const before = apply([sync(api, container({ id: 'done', state: 'exited', exitCode: 0 })), sample('api')]);
    const after = reduceDocker(before, ops, SETTINGS);
    expect(after).toBe(before);
  });

  it('leaves untouched records shared between states', () => {
    const before = apply([sync(api, auth), sample('api')]);
    const after = reduceDocker(before, [upsert({ ...auth, health: 'starting' })], SETTINGS);
    expect(after).not.toBe(before);
    expect(after.stats).toBe(before.stats);
    expect(after.containers.api).toBe(before.containers.api);
  });

  it('records connection changes', () => {
    const connected = apply([{ type: 'connection', connection: { state: 'connected' } }]);
    expect(connected.connection).toEqual({ state: 'connected' });
    expect(connected.host).toBe(TEST_HOST);
  });

  it('engine lost: containers and stats cleared, an engine alert raised, container alerts kept as last known until it answers', () => {
    const unhealthy = { ...auth, health: 'unhealthy' as const, lastHealthFailure: 'db down' };
    const up = apply([sync(api, unhealthy), sample('api', 1, { memPercent: 96 })]);
    expect(up.alerts).toHaveLength(2);
    const unreachable = { state: 'unreachable' as const, error: 'ECONNREFUSED', retryAt: NOW + 1000 };
    const down = reduceDocker(up, [{ type: 'connection', connection: unreachable }], SETTINGS);
    expect(down.connection).toEqual(unreachable);
    expect(down).toMatchObject({ containers: {}, stats: {} });
    expect(down.alerts).toEqual([
      { level: 'critical', source: 'docker', kind: 'engine-unreachable', host: TEST_HOST, message: `Docker engine unreachable at ${TEST_HOST}: ECONNREFUSED` },
      { level: 'critical', source: 'docker', kind: 'memory', container: 'netra-api-1', stale: true, message: 'last known: netra-api-1 memory at 96.0% of its limit' },
      { level: 'high', source: 'docker', kind: 'unhealthy', container: 'netra-auth-1', stale: true, message: 'last known: netra-auth-1 is unhealthy: db down' },
    ]);
    // Retrying (connecting, unreachable again) neither drops nor marks them twice.
    const retrying = reduceDocker(down, [{ type: 'connection', connection: { state: 'connecting' } }], SETTINGS);
    expect(retrying.alerts).toEqual(down.alerts);
    const again = reduceDocker(retrying, [{ type: 'connection', connection: { ...unreachable, retryAt: NOW + 2000 } }], SETTINGS);
    expect(again.alerts).toEqual(down.alerts);
    // The engine answers: alerts are what it says now.
    const back = reduceDocker(again, [sync(api), { type: 'connection', connection: { state: 'connected' } }], SETTINGS);
    expect(back.alerts).toEqual([]);
  });

  it('keeps the same alerts array when a stats frame changes no alert, so what shows alerts does not re-render', () => {
    const up = apply([sync(api, { ...auth, health: 'unhealthy' as const })], [sample('api', 1)]);
    const next = reduceDocker(up, [sample('api', 2)], SETTINGS);
    expect(next.stats).not.toBe(up.stats);
    expect(next.alerts).toBe(up.alerts);
    const hot = reduceDocker(next, [sample('api', 85)], SETTINGS);
    expect(hot.alerts).not.toBe(up.alerts);
  });

  it('an engine never reached raises only the engine alert', () => {
    const down = reduceDocker(initial(), [{ type: 'connection', connection: { state: 'unreachable', error: 'ENOENT', retryAt: NOW } }], SETTINGS);
    expect(down.alerts.map((a) => a.kind)).toEqual(['engine-unreachable']);
  });

  it('prints a percentage that agrees with its threshold level (rounded down, never up)', () => {
    const state = apply([sync(api, web)], [sample('api', 1, { memPercent: 94.989 }), sample('web', 79.99)]);
    expect(state.alerts.map((a) => [a.level, a.message])).toEqual([['high', 'netra-api-1 memory at 94.9% of its limit']]);
    const at = apply([sync(api)], [sample('api', 1, { memPercent: 95 })]);
    expect(at.alerts.map((a) => [a.level, a.message])).toEqual([['critical', 'netra-api-1 memory at 95.0% of its limit']]);
  });

  it('recomputes alerts from containers and the latest stats, most severe first', () => {
    const state = apply(
      [sync(api, auth, web)],
      [upsert({ ...auth, health: 'unhealthy', lastHealthFailure: 'db down' }), sample('api', 1, { memPercent: 96 }), sample('web', 85)],
    );
    expect(state.alerts.map((a) => [a.level, a.kind, alertSubject(a)])).toEqual([
      ['critical', 'memory', 'netra-api-1'],
      ['high', 'unhealthy', 'netra-auth-1'],
      ['warning', 'cpu', 'netra-web-1'],
    ]);
    const calmer = reduceDocker(state, [sample('api', 1), remove('auth')], SETTINGS);
    expect(calmer.alerts.map((a) => [a.kind, alertSubject(a)])).toEqual([['cpu', 'netra-web-1']]);
  });

  it('judges crash loops against the given clock', () => {
    const justRestarted = { ...api, restarts: 3, startedAt: new Date(NOW - 10_000).toISOString() };
    expect(apply([sync(justRestarted)]).alerts.map((a) => a.kind)).toEqual(['crash-loop']);
    const later = reduceDocker(initial(), [sync(justRestarted)], { ...SETTINGS, now: NOW + 60_000 });
    expect(later.alerts).toEqual([]);
  });
});

describe('DockerBatcher', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(NOW);
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  function setup() {
    const store = appStore(3);
    const updates: DockerState[] = [];
    store.subscribe((state, previous) => {
      if (state.docker !== previous.docker) updates.push(state.docker);
    });
    return { store, updates, batcher: new DockerBatcher(store) };
  }

  it('applies many ops within 50 ms as exactly one store update', () => {
    const { store, updates, batcher } = setup();
    batcher.connection({ state: 'connected' });
    batcher.sync([api, auth]);
    vi.advanceTimersByTime(20);
    for (let i = 0; i < 100; i++) batcher.upsert({ ...web, restarts: i });
    batcher.stats('api', stats({ cpuPercent: 7 }));
    batcher.remove('auth');
    vi.advanceTimersByTime(29);
    expect(updates).toHaveLength(0);
    vi.advanceTimersByTime(1);
    expect(updates).toHaveLength(1);
    const docker = store.getState().docker;
    expect(docker.connection).toEqual({ state: 'connected' });
    expect(Object.keys(docker.containers).sort()).toEqual(['api', 'web']);
    expect(docker.containers.web!.restarts).toBe(99);
    expect(docker.stats.api!.latest.cpuPercent).toBe(7);
    vi.advanceTimersByTime(1000);
    expect(updates).toHaveLength(1);
  });

  it('applies ops in the order they arrived', () => {
    const { store, batcher } = setup();
    batcher.sync([api]);
    batcher.stats('api', stats());
    batcher.remove('api');
    batcher.upsert({ ...api, health: 'starting' });
    batcher.stats('api', stats({ cpuPercent: 3 }));
    vi.advanceTimersByTime(50);
    const docker = store.getState().docker;
    expect(docker.containers.api!.health).toBe('starting');
    expect(docker.stats.api!.cpuHistory).toEqual([3]);
  });

  it('holds stats frames alone for 500 ms so frames of many containers share one update', () => {
    const { store, updates, batcher } = setup();
    batcher.sync([api, auth]);
    vi.advanceTimersByTime(50);
    expect(updates).toHaveLength(1);
    batcher.stats('api', stats({ cpuPercent: 5 }));
    vi.advanceTimersByTime(300);
    batcher.stats('auth', stats({ cpuPercent: 6 }));
    vi.advanceTimersByTime(199);
    expect(updates).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(updates).toHaveLength(2);
    expect(store.getState().docker.stats.auth!.cpuHistory).toEqual([6]);
  });

  it('flushes pending stats early when an event arrives', () => {
    const { store, updates, batcher } = setup();
    batcher.sync([api]);
    vi.advanceTimersByTime(50);
    batcher.stats('api', stats({ cpuPercent: 5 }));
    vi.advanceTimersByTime(100);
    batcher.upsert(auth);
    vi.advanceTimersByTime(50);
    expect(updates).toHaveLength(2);
    expect(store.getState().docker.stats.api!.cpuHistory).toEqual([5]);
  });

  it('does not touch the store when the ops change nothing', () => {
    const { updates, batcher } = setup();
    batcher.remove('ghost');
    batcher.stats('ghost', stats());
    vi.advanceTimersByTime(1000);
    batcher.flush();
    expect(updates).toHaveLength(0);
  });

  it('flush() applies pending ops at once and dispose() drops them', () => {
    const { store, updates, batcher } = setup();
    batcher.sync([api]);
    batcher.flush();
    expect(updates).toHaveLength(1);
    batcher.upsert(auth);
    batcher.dispose();
    vi.advanceTimersByTime(1000);
    expect(updates).toHaveLength(1);
    expect(store.getState().docker.containers.auth).toBeUndefined();
  });

  it('stamps alerts with the time of the flush', () => {
    const { store, batcher } = setup();
    const restarted = { ...api, restarts: 1, startedAt: new Date(NOW - 59_000).toISOString() };
    batcher.sync([restarted]);
    vi.advanceTimersByTime(50);
    expect(store.getState().docker.alerts.map((a) => a.kind)).toEqual(['crash-loop']);
    vi.advanceTimersByTime(5_000);
    batcher.upsert(restarted);
    vi.advanceTimersByTime(50);
    expect(store.getState().docker.alerts).toEqual([]);
  });
});
