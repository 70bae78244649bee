import { describe, expect, it } from 'vitest';
import { deriveAlerts } from '../../src/domain/alerts';
import type { ImagesConfig } from '../../src/domain/build-analysis';
import { cloudErrorRateAlerts } from '../../src/domain/cloud-run';
import { containerInfoFromInspect, type InspectPayload } from '../../src/domain/container-info';
import { ErrorRateWindow } from '../../src/domain/error-rate';
import { DEFAULT_THRESHOLDS } from '../../src/domain/thresholds';
import type { ContainerInfo, DockerAlert } from '../../src/domain/types';
import { reduceCloudRun } from '../../src/store/cloud-run-state';
import { reduceDocker, type DockerOp, type ReduceSettings } from '../../src/store/docker-reducer';
import { errorRateWindows, publishErrorRates } from '../../src/store/log-actions';
import type { AppStore } from '../../src/store/store';
import { appStore, container } from './support';

const NOW = Date.parse('2026-11-22T12:00:00.000Z');
const STARTED = '2026-11-22T10:00:00.000000000Z';
const MB = 1_000_000;

/** A probe ending `seconds` after STARTED (negative: before this run). */
function probe(seconds: number, exitCode: number) {
  const end = new Date(Date.parse(STARTED) + seconds * 1000);
  return { Start: new Date(end.getTime() - 200).toISOString(), End: end.toISOString(), ExitCode: exitCode, Output: exitCode === 0 ? '' : 'not yet' };
}

function startupOf(log: ReturnType<typeof probe>[] | null, startedAt = STARTED): number | null {
  const payload: InspectPayload = { Id: 'abc', Name: '/netra-test-backend-1', State: { Status: 'running', StartedAt: startedAt, Health: { Status: 'healthy', Log: log } } };
  return containerInfoFromInspect(payload, null).startupSeconds;
}

const alertsOf = (containers: ContainerInfo[], images?: ImagesConfig) =>
  deriveAlerts(containers, {}, DEFAULT_THRESHOLDS, NOW, images).map((a) => [a.level, a.kind, a.message]);

describe('start-up time from the health log', () => {
  it('is the first passing probe of this run after failing ones', () => {
    expect(startupOf([probe(4, 1), probe(8, 1), probe(12, 1), probe(16.5, 0), probe(20.5, 0)])).toBe(16.5);
  });

  it('is the very first probe when the log has dropped none (fewer than 5 entries)', () => {
    expect(startupOf([probe(3.25, 0), probe(6.25, 0)])).toBe(3.25);
  });

  it('skips probes of an earlier run, and counts when one of them is still in the log', () => {
    expect(startupOf([probe(-30, 0), probe(-20, 0), probe(-10, 0), probe(2, 0), probe(4, 0)])).toBe(2);
    expect(startupOf([probe(-20, 0), probe(-10, 0), probe(5, 1), probe(18, 0), probe(21, 0)])).toBe(18);
  });

  it('is unknown once the log no longer shows the first pass: five passes, all of this run', () => {
    expect(startupOf([probe(100, 0), probe(130, 0), probe(160, 0), probe(190, 0), probe(220, 0)])).toBeNull();
  });

  it('is unknown with no pass yet, no log, or no start', () => {
    expect(startupOf([probe(1, 1), probe(2, 1)])).toBeNull();
    expect(startupOf(null)).toBeNull();
    expect(startupOf([probe(-5, 0)])).toBeNull();
    expect(startupOf([probe(3, 0)], '0001-01-01T00:00:00Z')).toBeNull();
  });
});

describe('slow start (guide 000: Startup Time > 15s: Warning)', () => {
  it('warns over 15 s, with the seconds rounded up so they agree with the threshold', () => {
    expect(alertsOf([container({ id: 'backend', startupSeconds: 18.2 }), container({ id: 'auth', startupSeconds: 15.04 })])).toEqual([
      ['warning', 'slow-start', 'netra-auth-1 took 15.1 s from start to healthy (over 15 s)'],
      ['warning', 'slow-start', 'netra-backend-1 took 18.2 s from start to healthy (over 15 s)'],
    ]);
  });

  it('says nothing at 15 s or under, or when unknown', () => {
    expect(alertsOf([container({ id: 'a', startupSeconds: 15 }), container({ id: 'b', startupSeconds: 4 }), container({ id: 'c', startupSeconds: null })])).toEqual([]);
  });

  it('only while the container runs', () => {
    expect(alertsOf([container({ id: 'backend', startupSeconds: 40, state: 'exited', exitCode: 0 })])).toEqual([]);
  });
});

describe('image size (guides 001/004: 250 MB warning, 500 MB; budgets per service)', () => {
  it('backend: a warning over 250 MB, high over its 500 MB budget', () => {
    expect(alertsOf([container({ id: 'backend', imageSizeBytes: 250 * MB })])).toEqual([]);
    expect(alertsOf([container({ id: 'backend', image: 'netra-backend:regular', imageSizeBytes: 312 * MB })])).toEqual([
      ['warning', 'image-size', 'netra-backend-1 image netra-backend:regular is 312 MB, over the warning level of 250 MB (the backend budget: 500 MB)'],
    ]);
    expect(alertsOf([container({ id: 'backend', image: 'netra-backend:regular', imageSizeBytes: 612 * MB })])).toEqual([
      ['high', 'image-size', 'netra-backend-1 image netra-backend:regular is 612 MB, over the backend budget of 500 MB'],
    ]);
  });

  it('frontend: its own 200 MB budget, the warning scaled to 100 MB', () => {
    expect(alertsOf([container({ id: 'frontend', imageSizeBytes: 90 * MB })])).toEqual([]);
    expect(alertsOf([container({ id: 'frontend', imageSizeBytes: 150 * MB })]).map(([level]) => level)).toEqual(['warning']);
    expect(alertsOf([container({ id: 'frontend', image: 'netra-frontend:alpine', imageSizeBytes: 230 * MB })])).toEqual([
      ['high', 'image-size', 'netra-frontend-1 image netra-frontend:alpine is 230 MB, over the frontend budget of 200 MB'],
    ]);
  });

  it('a service without a budget of its own, or no compose service, has the 500 MB budget', () => {
    const loose = container({ id: 'x', name: 'scratchpad', service: null, image: 'big:1', imageSizeBytes: 700 * MB });
    expect(alertsOf([container({ id: 'auth', imageSizeBytes: 300 * MB }), loose]).map(([level, , message]) => [level, message])).toEqual([
      ['high', 'scratchpad image big:1 is 700 MB, over the image budget of 500 MB'],
      ['warning', 'netra-auth-1 image netra-backend:alpine is 300 MB, over the warning level of 250 MB (the image budget: 500 MB)'],
    ]);
  });

  it('uses the configured budgets', () => {
    const images: ImagesConfig = { warningMB: 100, criticalMB: 150, budgetsMB: { auth: 120 } };
    expect(alertsOf([container({ id: 'auth', imageSizeBytes: 130 * MB })], images).map(([level]) => level)).toEqual(['high']);
    expect(alertsOf([container({ id: 'api', imageSizeBytes: 130 * MB })], images).map(([level]) => level)).toEqual(['warning']);
  });

  it('not for a stopped container, nor an image whose size is unknown', () => {
    expect(alertsOf([container({ id: 'backend', state: 'exited', exitCode: 0, imageSizeBytes: 900 * MB }), container({ id: 'api', imageSizeBytes: null })])).toEqual([]);
  });
});

const SETTINGS: ReduceSettings = { thresholds: DEFAULT_THRESHOLDS, historyLength: 3, now: NOW };
const reduce = (state: ReturnType<AppStore['getState']>['docker'], ops: DockerOp[], settings = SETTINGS) => reduceDocker(state, ops, settings);
const connected: DockerOp = { type: 'connection', connection: { state: 'connected' } };

describe('the store', () => {
  it('takes the image budgets from the settings', () => {
    const images: ImagesConfig = { warningMB: 10, criticalMB: 20, budgetsMB: {} };
    const state = reduce(appStore().getState().docker, [{ type: 'sync', containers: [container({ id: 'api', imageSizeBytes: 52 * MB })] }], { ...SETTINGS, images });
    expect(state.alerts.map((a) => [a.level, a.kind])).toEqual([['high', 'image-size']]);
  });

  it('keeps the start-up measured earlier in this run when a later read no longer shows it, not for a new run', () => {
    const measured = container({ id: 'backend', startupSeconds: 19 });
    const laterRead = { ...measured, startupSeconds: null };
    const up = reduce(appStore().getState().docker, [{ type: 'sync', containers: [measured] }]);
    const reread = reduce(up, [{ type: 'upsert', container: laterRead }]);
    expect(reread.containers.backend!.startupSeconds).toBe(19);
    expect(reread.alerts).toBe(up.alerts);
    const relisted = reduce(reread, [{ type: 'sync', containers: [laterRead] }]);
    expect(relisted.containers.backend!.startupSeconds).toBe(19);
    const restarted = reduce(relisted, [{ type: 'upsert', container: { ...laterRead, startedAt: '2026-11-22T11:00:00.000Z' } }]);
    expect(restarted.containers.backend!.startupSeconds).toBeNull();
    expect(restarted.alerts).toEqual([]);
  });
});

/** A store with running containers and the engine connected. */
function storeWith(...containers: ContainerInfo[]): AppStore {
  const store = appStore();
  store.setState((s) => ({ docker: reduce(s.docker, [{ type: 'sync', containers }, connected]) }));
  return store;
}

describe('error-rate alerts (guide 000: Error Rate > 1%: Critical)', () => {
  const flood = (window: ErrorRateWindow, source: string, errors: number, total: number) => {
    for (let i = 0; i < total; i++) window.add(source, i < errors, NOW);
  };

  it('a container over 1 % of at least 100 entries is critical; under the minimum sample nothing', () => {
    const store = storeWith(container({ id: 'backend' }), container({ id: 'auth' }), container({ id: 'web' }));
    const windows = errorRateWindows();
    flood(windows.container, 'netra-backend-1', 3, 120);
    flood(windows.container, 'netra-auth-1', 3, 20);
    flood(windows.container, 'netra-web-1', 1, 100);
    publishErrorRates(store, windows, NOW);
    expect(store.getState().docker.alerts).toEqual([
      { level: 'critical', source: 'docker', kind: 'error-rate', container: 'netra-backend-1', message: 'netra-backend-1: 2.5% of its log entries in the last 5 min are errors (3 of 120)' },
    ]);
  });

  it('not for a container that is not running', () => {
    const store = storeWith(container({ id: 'backend', state: 'exited', exitCode: 1 }));
    const windows = errorRateWindows();
    flood(windows.container, 'netra-backend-1', 50, 100);
    publishErrorRates(store, windows, NOW);
    expect(store.getState().docker.alerts.map((a) => a.kind)).toEqual(['exited']);
  });

  it('a Cloud Run service, by name, next to the Cloud Run alerts', () => {
    const store = appStore();
    const windows = errorRateWindows();
    flood(windows.cloud, 'netra-backend-staging', 40, 1_000);
    flood(windows.cloud, 'netra-auth', 10, 1_000);
    publishErrorRates(store, windows, NOW);
    expect(store.getState().cloudRun.alerts.map((a) => [a.level, a.kind, a.service])).toEqual([['critical', 'error-rate', 'netra-backend-staging']]);
  });

  it('leaves the store alone when nothing changed, so nothing re-renders', () => {
    const store = storeWith(container({ id: 'backend' }));
    const windows = errorRateWindows();
    publishErrorRates(store, windows, NOW);
    const quiet = store.getState();
    publishErrorRates(store, windows, NOW + 1_000);
    expect(store.getState()).toBe(quiet);
    flood(windows.container, 'netra-backend-1', 5, 100);
    flood(windows.cloud, 'netra-auth', 5, 100);
    publishErrorRates(store, windows, NOW + 2_000);
    const firing = store.getState();
    expect(firing.docker.alerts).toHaveLength(1);
    expect(firing.cloudRun.alerts).toHaveLength(1);
    publishErrorRates(store, windows, NOW + 3_000);
    expect(store.getState().docker.alerts).toBe(firing.docker.alerts);
    expect(store.getState().cloudRun.alerts).toBe(firing.cloudRun.alerts);
  });

  it('does not touch the container alerts while the engine cannot be read: they are last known', () => {
    const store = storeWith(container({ id: 'backend' }));
    store.setState((s) => ({ docker: reduce(s.docker, [{ type: 'connection', connection: { state: 'unreachable', error: 'ECONNREFUSED', retryAt: NOW } }]) }));
    const down = store.getState().docker;
    const windows = errorRateWindows();
    flood(windows.container, 'netra-backend-1', 5, 100);
    publishErrorRates(store, windows, NOW);
    expect(store.getState().docker).toBe(down);
  });

  it('outlive the stats frames and Cloud Run refreshes that derive the other alerts, until the container stops', () => {
    const store = storeWith(container({ id: 'backend' }), container({ id: 'api' }));
    const windows = errorRateWindows();
    flood(windows.container, 'netra-backend-1', 5, 100);
    flood(windows.cloud, 'netra-auth', 5, 100);
    publishErrorRates(store, windows, NOW);
    const { docker, cloudRun } = store.getState();
    const rateAlert = docker.alerts[0] as DockerAlert;

    const hot = reduce(docker, [{ type: 'upsert', container: container({ id: 'api', health: 'unhealthy' }) }]);
    expect(hot.alerts.map((a) => [a.kind, a.level])).toEqual([
      ['error-rate', 'critical'],
      ['unhealthy', 'high'],
    ]);
    expect(hot.alerts[0]).toBe(rateAlert);

    const refreshed = reduceCloudRun(cloudRun, { kind: 'data', services: [], at: NOW, missing: ['netra-frontend-staging'], available: [] });
    expect(refreshed.alerts.map((a) => a.kind)).toEqual(['service-missing', 'error-rate']);
    expect(cloudErrorRateAlerts(windows.cloud.rates(NOW))).toEqual([refreshed.alerts[1]]);

    const stopped = reduce(hot, [{ type: 'upsert', container: container({ id: 'backend', state: 'exited', exitCode: 0 }) }]);
    expect(stopped.alerts.map((a) => a.kind)).toEqual(['unhealthy']);
  });
});
