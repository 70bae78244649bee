/**
 * What needs attention is never off screen: the lists put the worst alert first, and the status bar keeps the
 * counts that matter (and where Cloud Run data comes from) however narrow the terminal.
 */
import { renderToString } from 'ink';
import { createElement, type ReactNode } from 'react';
import { describe, expect, it } from 'vitest';
import { DEFAULT_THRESHOLDS } from '../../src/domain/thresholds';
import { reduceDocker } from '../../src/store/docker-reducer';
import { LogRing } from '../../src/store/log-ring';
import { listRowIds } from '../../src/store/selectors';
import type { AppStore } from '../../src/store/store';
import { cycleSort, focusPanel } from '../../src/store/ui-actions';
import { AppProvider, type AppActions } from '../../src/ui/context';
import { StatsPanel } from '../../src/ui/panels/StatsPanel';
import { StatusBar } from '../../src/ui/panels/StatusBar';
import { appStore, container, stats } from './support';
import { waitFor } from '../support/wait';

const NOW = Date.parse('2026-11-22T12:00:00.000Z');

/** Six quiet containers named before redis, and a redis at 94.9 % of its memory limit. */
function storeWithHotRedis(): AppStore {
  const store = appStore();
  const names = ['api', 'auth', 'db', 'frontend', 'migrate', 'queue', 'redis'];
  const docker = reduceDocker(
    store.getState().docker,
    [
      { type: 'sync', containers: names.map((id) => container({ id })) },
      { type: 'connection', connection: { state: 'connected' } },
      ...names.map((id) => ({ type: 'stats' as const, id, stats: stats({ memPercent: id === 'redis' ? 94.9 : 10 + names.indexOf(id), cpuPercent: id === 'queue' ? 50 : 1 }) })),
    ],
    { thresholds: DEFAULT_THRESHOLDS, historyLength: 3, now: NOW },
  );
  store.setState({ docker });
  return store;
}

function render(store: AppStore, node: ReactNode, columns: number): string {
  return renderToString(createElement(AppProvider, { store, actions: {} as AppActions, logRing: new LogRing(1), children: node }), { columns });
}

describe('lists: worst first', () => {
  it('Stats puts the container at 94.9 % first by default, even as the only row on screen', () => {
    const store = storeWithHotRedis();
    expect(listRowIds(store.getState(), 'stats')[0]).toBe('redis');
    // At 80×24 the Stats panel has room for one row (6 lines with its borders, title and header).
    const screen = render(store, createElement(StatsPanel, { width: 80, height: 6 }), 80);
    expect(screen).toContain('netra-redis-1');
    expect(screen).toContain('94.9%');
    expect(screen).toContain('by severity');
  });

  it('O cycles Stats through severity → memory % → CPU % → name, and Containers through severity → name', () => {
    const store = storeWithHotRedis();
    focusPanel(store, 'stats');
    const order = () => listRowIds(store.getState(), 'stats');
    cycleSort(store);
    expect(store.getState().ui.sort.stats).toBe('memory');
    expect(order()).toEqual(['redis', 'queue', 'migrate', 'frontend', 'db', 'auth', 'api']);
    cycleSort(store);
    expect(order()[0]).toBe('queue');
    cycleSort(store);
    expect(order()).toEqual(['api', 'auth', 'db', 'frontend', 'migrate', 'queue', 'redis']);
    cycleSort(store);
    expect(store.getState().ui.sort.stats).toBe('severity');

    focusPanel(store, 'health');
    expect(listRowIds(store.getState(), 'health')[0]).toBe('redis');
    cycleSort(store);
    expect(listRowIds(store.getState(), 'health')[0]).toBe('api');
  });

  it('Containers puts an unhealthy container before healthy ones named earlier', () => {
    const store = appStore();
    const docker = reduceDocker(
      store.getState().docker,
      [{ type: 'sync', containers: [container({ id: 'a' }), container({ id: 'b' }), container({ id: 'z', health: 'unhealthy' })] }],
      { thresholds: DEFAULT_THRESHOLDS, historyLength: 3, now: NOW },
    );
    store.setState({ docker });
    expect(listRowIds(store.getState(), 'health')).toEqual(['z', 'a', 'b']);
  });
});

describe('status bar', () => {
  it('at 80 columns keeps the alert count, the mode badge and the unhealthy count; drops the host first', () => {
    const store = storeWithHotRedis();
    store.setState((s) => ({ docker: { ...s.docker, host: 'unix:///a/very/long/path/to/the/docker.sock' } }));
    const [line] = render(store, createElement(StatusBar, { width: 80 }), 80).split('\n');
    expect(line).toContain('SANDBOX');
    expect(line).toContain('alerts: 1');
    expect(line).toContain('0 unhealthy');
    expect(line).not.toContain('docker.sock');
    const wide = render(store, createElement(StatusBar, { width: 200 }), 200).split('\n')[0];
    expect(wide).toContain('unix:///a/very/long/path/to/the/docker.sock');
  });

  it('names an endpoint or a real project, so a sandbox is never mistaken for production', () => {
    const store = appStore();
    store.setState((s) => ({ cloudRun: { ...s.cloudRun, mode: 'endpoint', endpoint: '127.0.0.1:8085' } }));
    expect(render(store, createElement(StatusBar, { width: 100 }), 100)).toContain(' ENDPOINT 127.0.0.1:8085 ');
    store.setState((s) => ({ cloudRun: { ...s.cloudRun, mode: 'google', project: 'netra-prod', endpoint: 'run.googleapis.com:443' } }));
    const screen = render(store, createElement(StatusBar, { width: 100 }), 100);
    expect(screen).toContain(' GCP netra-prod ');
    expect(screen).not.toContain('SANDBOX');
  });
});

describe('alerts list', () => {
  it('! lists every active alert, most severe first, where the status bar has room for one', async () => {
    const { render: renderInk } = await import('ink-testing-library');
    const { App } = await import('../../src/ui/App');
    const store = storeWithHotRedis();
    store.setState((s) => ({
      docker: { ...s.docker, alerts: [...s.docker.alerts, { level: 'warning', source: 'docker', kind: 'exited', container: 'netra-db-1', message: 'netra-db-1 exited with code 1' }] },
    }));
    const app = renderInk(createElement(AppProvider, { store, actions: {} as AppActions, logRing: new LogRing(1), children: createElement(App) }));
    try {
      expect(app.lastFrame()).toContain('(+1 more: ! lists them)');
      app.stdin.write('!');
      await waitFor(() => app.lastFrame()?.includes('Alerts ('), { what: 'the alerts list', timeoutMs: 2_000, intervalMs: 5 });
      const frame = app.lastFrame() ?? '';
      // Below the status bar (whose banner shows the top alert), the list in order.
      const list = frame.slice(frame.indexOf('Alerts (2), most severe first'));
      expect(list.indexOf('HIGH     docker   netra-redis-1 memory at 94.9%')).toBeGreaterThan(0);
      expect(list.indexOf('WARNING  docker   netra-db-1 exited with code 1')).toBeGreaterThan(list.indexOf('netra-redis-1 memory'));
    } finally {
      app.unmount();
    }
  });
});

describe('alert banner', () => {
  it('keeps "+N more" and the key that lists them however long the worst alert, and stays one line', () => {
    const store = appStore();
    const long = `netra-backend-staging is not ready: ${'Revision is not ready and cannot serve traffic. '.repeat(5)}`;
    store.setState((s) => ({
      cloudRun: { ...s.cloudRun, alerts: [{ level: 'critical', source: 'cloudrun', kind: 'service-not-ready', service: 'netra-backend-staging', message: long }] },
      docker: reduceDocker(
        s.docker,
        [{ type: 'sync', containers: [container({ id: 'db', health: 'unhealthy', lastHealthFailure: 'db down\nretrying\n' })] }],
        { thresholds: DEFAULT_THRESHOLDS, historyLength: 3, now: NOW },
      ),
    }));
    const lines = render(store, createElement(StatusBar, { width: 120 }), 120).split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/^▲ CRITICAL netra-backend-staging is not ready: .*… \(\+1 more: ! lists them\)$/);
    expect(store.getState().docker.alerts[0]!.message).toBe('netra-db-1 is unhealthy: db down retrying');
  });
});
