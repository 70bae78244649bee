import { describe, expect, it } from 'vitest';
import { deriveAlerts } from '../../src/domain/alerts';
import { containerInfoFromInspect, type InspectPayload } from '../../src/domain/container-info';
import { matchesProjects } from '../../src/domain/project-scope';
import { cpuLevel, DEFAULT_THRESHOLDS, memoryLevel, type Thresholds } from '../../src/domain/thresholds';
import { detectVariant, VARIANT_LABEL } from '../../src/domain/variant';
import type { ContainerInfo } from '../../src/domain/types';
import { container, stats } from './support';

const ID = '3f76a3949c98d6e1b2a4c5f60718293a4b5c6d7e8f90a1b2c3d4e5f607182930';
const ZERO = '0001-01-01T00:00:00Z';
const COMPOSE_FILES = 'com.docker.compose.project.config_files';

/** Shaped like `docker inspect` of a compose container on the test engine (State trimmed to what is read). */
function inspect(state: NonNullable<InspectPayload['State']>, extra: Partial<InspectPayload> = {}): InspectPayload {
  return {
    Id: ID,
    Name: '/netra-auth-1',
    Image: 'sha256:4febeb9cbf87e0b9a1c4d2f3e5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4',
    RestartCount: 0,
    Config: {
      Image: 'netra-auth:alpine',
      Labels: { 'com.docker.compose.project': 'netra', 'com.docker.compose.service': 'auth' },
    },
    State: state,
    ...extra,
  };
}

describe('containerInfoFromInspect', () => {
  it('maps a running unhealthy compose container', () => {
    const info = containerInfoFromInspect(
      inspect({
        Status: 'running',
        ExitCode: 0,
        OOMKilled: false,
        StartedAt: '2026-11-22T18:17:26.805779165Z',
        FinishedAt: ZERO,
        Health: {
          Status: 'unhealthy',
          Log: [
            { ExitCode: 1, Output: 'db down\n', End: '2026-11-22T18:30:39.962015845Z' },
            { ExitCode: 1, Output: '  connection refused: postgres:5432\n', End: '2026-11-22T18:30:41.994621308Z' },
          ],
        },
      }),
      1_978_000,
    );
    expect(info).toEqual({
      id: ID,
      name: 'netra-auth-1',
      project: 'netra',
      service: 'auth',
      image: 'netra-auth:alpine',
      imageId: 'sha256:4febeb9cbf87e0b9a1c4d2f3e5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4',
      imageSizeBytes: 1_978_000,
      variant: 'alpine',
      state: 'running',
      health: 'unhealthy',
      lastHealthFailure: 'connection refused: postgres:5432',
      restarts: 0,
      exitCode: null,
      oomKilled: false,
      startedAt: '2026-11-22T18:17:26.805779165Z',
      startupSeconds: null,
      finishedAt: null,
      labels: { 'com.docker.compose.project': 'netra', 'com.docker.compose.service': 'auth' },
    });
  });

  it('keeps the last failing check even when a later one passed', () => {
    const info = containerInfoFromInspect(
      inspect({
        Status: 'running',
        Health: { Status: 'healthy', Log: [{ ExitCode: 1, Output: 'timeout' }, { ExitCode: 1, Output: 'db down' }, { ExitCode: 0, Output: 'ok' }] },
      }),
      null,
    );
    expect(info).toMatchObject({ health: 'healthy', lastHealthFailure: 'db down' });
  });

  it.each<[string, NonNullable<InspectPayload['State']>['Health']]>([
    ['only passing checks', { Status: 'healthy', Log: [{ ExitCode: 0, Output: 'ok' }] }],
    ['a failing check without output', { Status: 'unhealthy', Log: [{ ExitCode: 1, Output: ' \n' }] }],
    ['a null log', { Status: 'starting', Log: null }],
    ['no health check', undefined],
  ])('has no health failure text with %s', (_, health) => {
    expect(containerInfoFromInspect(inspect({ Status: 'running', Health: health }), null).lastHealthFailure).toBeNull();
  });

  it.each([
    ['healthy', 'healthy'],
    ['starting', 'starting'],
    ['unhealthy', 'unhealthy'],
    [undefined, 'none'],
    ['something-new', 'none'],
  ])('maps health status %s to %s', (status, health) => {
    expect(containerInfoFromInspect(inspect({ Status: 'running', Health: { Status: status } }), null).health).toBe(health);
  });

  it.each([
    ['running', 0, null],
    ['created', 0, null],
    ['exited', 137, 137],
    ['exited', 0, 0],
    ['restarting', 3, 3],
    ['dead', 255, 255],
  ] as const)('reports exit code of a %s container with ExitCode %i as %s', (status, exitCode, expected) => {
    expect(containerInfoFromInspect(inspect({ Status: status, ExitCode: exitCode }), null).exitCode).toBe(expected);
  });

  it('maps an OOM-killed container that restarted many times', () => {
    const info = containerInfoFromInspect(
      inspect(
        { Status: 'exited', ExitCode: 137, OOMKilled: true, StartedAt: '2026-11-22T18:29:51.731287677Z', FinishedAt: '2026-11-22T18:29:53.74847999Z' },
        { RestartCount: 21 },
      ),
      null,
    );
    expect(info).toMatchObject({
      state: 'exited',
      exitCode: 137,
      oomKilled: true,
      restarts: 21,
      startedAt: '2026-11-22T18:29:51.731287677Z',
      finishedAt: '2026-11-22T18:29:53.74847999Z',
    });
  });

  it('turns the engine’s zero times into null for a container that never started', () => {
    const info = containerInfoFromInspect(inspect({ Status: 'created', ExitCode: 0, StartedAt: ZERO, FinishedAt: ZERO }), null);
    expect(info).toMatchObject({ startedAt: null, finishedAt: null, exitCode: null });
  });

  it('copes with a minimal payload', () => {
    const info = containerInfoFromInspect({ Id: ID, Config: { Labels: null } }, null);
    expect(info).toMatchObject({
      name: ID.slice(0, 12),
      project: null,
      service: null,
      image: '',
      imageId: '',
      variant: '?',
      state: 'unknown',
      health: 'none',
      restarts: 0,
      oomKilled: false,
      startedAt: null,
      labels: {},
    });
  });

  it('falls back to the image id when the config names no image', () => {
    const payload = inspect({ Status: 'running' });
    payload.Config = { Labels: {} };
    expect(containerInfoFromInspect(payload, null).image).toBe(payload.Image);
  });
});

describe('detectVariant', () => {
  it.each<[string, Record<string, string>, string, string]>([
    ['the variant label wins over the image name', { [VARIANT_LABEL]: 'regular' }, 'netra-backend:alpine', 'regular'],
    ['the variant label is read case-insensitively', { [VARIANT_LABEL]: ' Alpine ' }, 'netra-backend:latest', 'alpine'],
    ['an unknown label value is ignored', { [VARIANT_LABEL]: 'debian' }, 'netra-backend:alpine', 'alpine'],
    ['the image name wins over the compose files', { [COMPOSE_FILES]: '/srv/netra/docker-compose.alpine.yml' }, 'netra-backend:regular', 'regular'],
    ['an alpine image name', {}, 'registry.local/netra-backend-alpine:1.4', 'alpine'],
    ['a regular image name', {}, 'netra-auth:regular', 'regular'],
    ['an alpine compose file', { [COMPOSE_FILES]: '/srv/netra/docker-compose.yml,/srv/netra/docker-compose.staging.alpine.yml' }, 'netra-auth:1.4', 'alpine'],
    ['the alpine test compose file', { [COMPOSE_FILES]: '/srv/netra/docker-compose.alpine-test.yml' }, 'netra-auth:1.4', 'alpine'],
    ['regular compose files', { [COMPOSE_FILES]: '/srv/netra/docker-compose.yml,/srv/netra/docker-compose.staging.yml' }, 'netra-auth:1.4', 'regular'],
    ['a directory named alpine does not make the stack alpine', { [COMPOSE_FILES]: '/home/alpine/netra/docker-compose.yml' }, 'netra-auth:1.4', 'regular'],
    ['nothing to go by', {}, 'nd-base', '?'],
  ])('%s', (_, labels, image, expected) => {
    expect(detectVariant(labels, image)).toBe(expected);
  });
});

describe('thresholds', () => {
  it.each([
    [0, null],
    [79.99, null],
    [80, 'warning'],
    [89.99, 'warning'],
    [90, 'high'],
    [94.99, 'high'],
    [95, 'critical'],
    [100, 'critical'],
  ] as const)('memory at %d%% is %s', (percent, level) => {
    expect(memoryLevel(percent, DEFAULT_THRESHOLDS)).toBe(level);
  });

  it.each([
    [79.99, null],
    [80, 'warning'],
    [350, 'warning'],
  ] as const)('CPU at %d%% is %s', (percent, level) => {
    expect(cpuLevel(percent, DEFAULT_THRESHOLDS)).toBe(level);
  });

  it('follows configured thresholds', () => {
    const custom: Thresholds = { memory: { warning: 50, high: 60, critical: 70 }, cpu: { warning: 150 } };
    expect([49, 50, 60, 70].map((p) => memoryLevel(p, custom))).toEqual([null, 'warning', 'high', 'critical']);
    expect([149, 150].map((p) => cpuLevel(p, custom))).toEqual([null, 'warning']);
  });
});

describe('deriveAlerts', () => {
  const NOW = Date.parse('2026-11-22T12:00:00.000Z');
  const ago = (ms: number) => new Date(NOW - ms).toISOString();
  const alertsOf = (containers: ContainerInfo[], s: Parameters<typeof deriveAlerts>[1] = {}) =>
    deriveAlerts(containers, s, DEFAULT_THRESHOLDS, NOW).map((a) => `${a.level} ${a.kind} ${a.container}`);

  it.each([
    [79.9, []],
    [80, ['warning memory netra-api-1']],
    [90, ['high memory netra-api-1']],
    [95, ['critical memory netra-api-1']],
  ])('raises a memory alert at %d%% of the limit', (memPercent, expected) => {
    expect(alertsOf([container({ id: 'api' })], { api: stats({ memPercent }) })).toEqual(expected);
  });

  it('raises a CPU warning from 80 %', () => {
    expect(alertsOf([container({ id: 'api' })], { api: stats({ cpuPercent: 79.9 }) })).toEqual([]);
    expect(alertsOf([container({ id: 'api' })], { api: stats({ cpuPercent: 80 }) })).toEqual(['warning cpu netra-api-1']);
  });

  it('has no memory alert without a limit, and no stats alerts for a container that is not running', () => {
    expect(alertsOf([container({ id: 'api' })], { api: stats({ memLimitBytes: 0, memPercent: 99 }) })).toEqual([]);
    const paused = container({ id: 'api', state: 'paused' });
    expect(alertsOf([paused], { api: stats({ memPercent: 99, cpuPercent: 200 }) })).toEqual([]);
  });

  it('words the stats alerts with one decimal, rounded down', () => {
    const [mem, cpu] = deriveAlerts([container({ id: 'api' })], { api: stats({ memPercent: 91.234, cpuPercent: 123.456 }) }, DEFAULT_THRESHOLDS, NOW);
    expect(mem!.message).toBe('netra-api-1 memory at 91.2% of its limit');
    expect(cpu!.message).toBe('netra-api-1 CPU at 123%');
  });

  it.each<[string, Partial<ContainerInfo>, string[]]>([
    ['restarting', { state: 'restarting', restarts: 4, startedAt: ago(3_600_000) }, ['high crash-loop']],
    ['restarted 59 s ago', { restarts: 1, startedAt: ago(59_999) }, ['high crash-loop']],
    ['restarted a minute ago', { restarts: 1, startedAt: ago(60_000) }, []],
    ['started 5 s ago, never restarted', { restarts: 0, startedAt: ago(5_000) }, []],
    ['restarted but never started', { restarts: 2, startedAt: null, state: 'created' }, []],
  ])('crash loop: %s', (_, overrides, expected) => {
    expect(alertsOf([container({ id: 'api', ...overrides })])).toEqual(expected.map((a) => `${a} netra-api-1`));
  });

  it.each<[string, Partial<ContainerInfo>, string[]]>([
    ['OOM-killed', { state: 'exited', exitCode: 137, oomKilled: true }, ['critical oom-killed']],
    ['exited with code 1', { state: 'exited', exitCode: 1 }, ['warning exited']],
    ['exited with code 0', { state: 'exited', exitCode: 0 }, []],
    ['unhealthy', { health: 'unhealthy' }, ['high unhealthy']],
    ['starting', { health: 'starting' }, []],
  ])('%s', (_, overrides, expected) => {
    expect(alertsOf([container({ id: 'api', ...overrides })])).toEqual(expected.map((a) => `${a} netra-api-1`));
  });

  it('puts the health check output and the exit code into the messages', () => {
    const alerts = deriveAlerts(
      [
        container({ id: 'auth', health: 'unhealthy', lastHealthFailure: 'db down' }),
        container({ id: 'web', health: 'unhealthy' }),
        container({ id: 'job', state: 'exited', exitCode: 3 }),
      ],
      {},
      DEFAULT_THRESHOLDS,
      NOW,
    );
    expect(alerts.map((a) => a.message)).toEqual(['netra-auth-1 is unhealthy: db down', 'netra-web-1 is unhealthy', 'netra-job-1 exited with code 3']);
    expect(alerts.every((a) => a.source === 'docker')).toBe(true);
  });

  it('flags a running container without processes, only where the engine counts them', () => {
    const c = container({ id: 'api', state: 'running' });
    const at = (pids: number | null) => deriveAlerts([c], { [c.id]: stats({ pids }) }, DEFAULT_THRESHOLDS, NOW);
    expect(at(0).map((a) => `${a.level} ${a.kind} ${a.message}`)).toEqual([
      'high no-processes netra-api-1 has no processes though the engine says it runs (its exit was lost): remove it (docker rm -f) and start it again',
    ]);
    expect(at(null)).toEqual([]);
    expect(at(3)).toEqual([]);
  });

  it('says whether the container an OOM kill happened in still runs', () => {
    const alerts = deriveAlerts(
      [
        container({ id: 'gone', state: 'exited', exitCode: 137, oomKilled: true }),
        container({ id: 'live', state: 'running', oomKilled: true }),
      ],
      {},
      DEFAULT_THRESHOLDS,
      NOW,
    );
    expect(alerts.map((a) => `${a.level} ${a.message}`)).toEqual([
      'critical netra-gone-1 was OOM-killed: raise its memory limit or find the leak',
      'critical a process in netra-live-1 was OOM-killed (the container still runs): raise its memory limit or find the leak',
    ]);
  });

  it('sorts by severity, then by container name', () => {
    const containers = [
      container({ id: 'a-exited', state: 'exited', exitCode: 2 }),
      container({ id: 'b-cpu' }),
      container({ id: 'c-unhealthy', health: 'unhealthy' }),
      container({ id: 'd-oom', state: 'exited', exitCode: 137, oomKilled: true }),
      container({ id: 'e-mem' }),
      container({ id: 'a-mem' }),
    ];
    const s = { 'b-cpu': stats({ cpuPercent: 99 }), 'e-mem': stats({ memPercent: 97 }), 'a-mem': stats({ memPercent: 91 }) };
    expect(alertsOf(containers, s)).toEqual([
      'critical oom-killed netra-d-oom-1',
      'critical memory netra-e-mem-1',
      'high memory netra-a-mem-1',
      'high unhealthy netra-c-unhealthy-1',
      'warning exited netra-a-exited-1',
      'warning cpu netra-b-cpu-1',
    ]);
  });
});

describe('matchesProjects', () => {
  it.each<[string | null, string[], boolean]>([
    ['netra', ['netra*'], true],
    ['netra-staging', ['netra*'], true],
    ['my-netra', ['netra*'], false],
    ['netra', ['netra'], true],
    ['netra2', ['netra'], false],
    ['payments', ['netra*', 'pay*'], true],
    ['anything', ['*'], true],
    ['netra-x-test', ['netra-*-test'], true],
    ['netra-x-prod', ['netra-*-test'], false],
    ['netraxio', ['netra.io'], false],
    ['netra.io', ['netra.io'], true],
    ['netra+1', ['netra+1'], true],
    ['netra', [], false],
    [null, ['*'], false],
  ])('%s against %j: %s', (project, patterns, expected) => {
    expect(matchesProjects(project, patterns)).toBe(expected);
  });
});
