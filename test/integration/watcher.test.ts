/**
 * The console's live data path (DockerWatcher → DockerBatcher → store) against a real private engine:
 * health, restarts, exits, OOM kills, removal, scope, variants and stats as the store sees them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { docker, dockerOk, emptyContainerCgroup, FIXTURE_IMAGES, runContainer, shortLived } from '../support/docker-engine';
import { providedEngine } from '../support/engine-context';
import {
  containerNamed,
  removeProjectContainers,
  startLiveConsole,
  uniqueProject,
  waitForStore,
  type LiveConsole,
} from '../support/live-store';
import { startFailingEngine, startSlowEngine, startStallingEngine, type FailingEngine } from '../support/slow-engine';
import { sleep, waitFor } from '../support/wait';
import { alertSubject } from '../../src/domain/alerts';
import type { ConnectionState } from '../../src/domain/types';
import { DockerWatcher } from '../../src/sources/docker/watcher';

const engine = providedEngine();
/** Keeps a container running; a short stop timeout because sh as PID 1 ignores SIGTERM. */
const IDLE = ['sh', '-c', 'while :; do sleep 1; done'];
const QUICK_STOP = ['--stop-timeout', '1'];
/** Printed by a container's shell once the kernel has OOM-killed its subshell and the shell runs on. */
const OOM_SURVIVED = 'shell-survived-the-oom-kill';
/**
 * Under a 16 MiB limit, a subshell whose tail holds 200 MiB: it makes itself the kernel's first choice, so the
 * shell survives the kill and runs on (Docker 20.10 then reports the OOM only as an event).
 */
function runOomInASubshell(name: string, project: string): Promise<string> {
  const cmd = ['sh', '-c', `sleep 1; (echo 1000 > /proc/self/oom_score_adj; head -c 200m /dev/zero | tail); echo ${OOM_SURVIVED}; exec sleep 600`];
  return runContainer(engine, { name, image: FIXTURE_IMAGES.base, cmd, project, memory: '16m' });
}

let live: LiveConsole | null = null;
const projects: string[] = [];

/** A live console for `project` that reaches the engine through a proxy that fails the container's reads on request. */
async function throughFailingEngine(
  containerId: string,
  project: string,
  body: (failing: FailingEngine, live: LiveConsole) => Promise<void>,
): Promise<void> {
  const failing = await startFailingEngine(engine, containerId);
  try {
    live = startLiveConsole({ host: failing.host }, { projects: [project] });
    await body(failing, live);
  } finally {
    live?.stop();
    live = null;
    await failing.close();
  }
}

/** A fresh project and a live console scoped to it. */
function setup(): { project: string; live: LiveConsole } {
  const project = uniqueProject();
  projects.push(project);
  live = startLiveConsole(engine, { projects: [project] });
  return { project, live };
}

afterEach(async () => {
  live?.stop();
  live = null;
  for (const project of projects.splice(0)) await removeProjectContainers(engine, project);
});

describe('DockerWatcher → store, against a real engine', () => {
  it('connects and shows a healthy container as healthy', async () => {
    const { project, live } = setup();
    await waitForStore(live, (s) => s.docker.connection.state === 'connected', 'the watcher to connect');
    await runContainer(engine, {
      name: `${project}-ok`,
      image: FIXTURE_IMAGES.base,
      cmd: IDLE,
      project,
      service: 'ok',
      health: { cmd: 'true', interval: '1s' },
      extraArgs: QUICK_STOP,
    });
    const c = await waitForStore(live, (s) => {
      const c = containerNamed(s, `${project}-ok`);
      return c?.health === 'healthy' ? c : undefined;
    }, 'the container to be healthy');
    expect(c.state).toBe('running');
    expect(c.project).toBe(project);
    expect(c.service).toBe('ok');
    expect(c.lastHealthFailure).toBeNull();
    expect(live.store.getState().docker.alerts.filter((a) => alertSubject(a) === c.name)).toEqual([]);
  });

  it('keeps a health change that happens while the first listing is in flight', async () => {
    const project = uniqueProject();
    projects.push(project);
    const name = `${project}-late-ready`;
    // Stays "starting" until the test creates /tmp/ready: failures inside the start period do not count.
    const id = await runContainer(engine, {
      name, image: FIXTURE_IMAGES.base, cmd: IDLE, project,
      health: { cmd: 'test -f /tmp/ready', interval: '1s', startPeriod: '120s' }, extraArgs: QUICK_STOP,
    });
    const slow = await startSlowEngine(engine, id);
    try {
      live = startLiveConsole({ host: slow.host }, { projects: [project] });
      const held = await slow.firstInspect;
      expect(held.body.State?.Health?.Status).toBe('starting');
      await dockerOk(engine, ['exec', name, 'touch', '/tmp/ready']);
      await waitFor(async () => (await dockerOk(engine, ['inspect', '--format', '{{.State.Health.Status}}', name])) === 'healthy', {
        what: 'the engine to report the container healthy',
      });
      // Time for the health_status event to reach the watcher: a watcher that reads it at once shows the
      // container healthy here, before the old listing lands on top of it.
      await waitForStore(live, (s) => containerNamed(s, name)?.health === 'healthy', 'an early read', 1_500).catch(() => undefined);
      held.release();
      // The listing's answer lands with the connected state; only then can it overwrite anything.
      await waitForStore(live, (s) => s.docker.connection.state === 'connected', 'the listing to land');
      const c = await waitForStore(live, (s) => {
        const c = containerNamed(s, name);
        return c?.health === 'healthy' ? c : undefined;
      }, 'the old listing not to overwrite the healthy state', 10_000);
      expect(c.state).toBe('running');
    } finally {
      live?.stop();
      live = null;
      await slow.close();
    }
  });

  it('shows a failing health check as unhealthy with its output and an alert', async () => {
    const { project, live } = setup();
    const name = `${project}-sick`;
    await runContainer(engine, {
      name,
      image: FIXTURE_IMAGES.base,
      cmd: IDLE,
      project,
      health: { cmd: 'echo boom >&2; exit 1', interval: '1s', retries: 1 },
      extraArgs: QUICK_STOP,
    });
    const c = await waitForStore(live, (s) => {
      const c = containerNamed(s, name);
      return c?.health === 'unhealthy' ? c : undefined;
    }, 'the container to be unhealthy');
    expect(c.lastHealthFailure).toContain('boom');
    const alert = await waitForStore(
      live,
      (s) => s.docker.alerts.find((a) => alertSubject(a) === name && a.kind === 'unhealthy'),
      'an unhealthy alert',
    );
    expect(alert.level).toBe('high');
    expect(alert.message).toContain('boom');
  });

  it('shows a container whose first check is not due yet as starting', async () => {
    const { project, live } = setup();
    const name = `${project}-slow`;
    await runContainer(engine, {
      name,
      image: FIXTURE_IMAGES.base,
      cmd: IDLE,
      project,
      health: { cmd: 'true', interval: '1h', startPeriod: '1h' },
      extraArgs: QUICK_STOP,
    });
    const c = await waitForStore(live, (s) => {
      const c = containerNamed(s, name);
      return c?.state === 'running' ? c : undefined;
    }, 'the container to be running');
    expect(c.health).toBe('starting');
    // Still starting a moment later: nothing else flips it.
    await sleep(1_500);
    expect(containerNamed(live.store.getState(), name)?.health).toBe('starting');
  });

  it('follows a crash-looping container: restarts climb and a crash-loop alert appears', async () => {
    const { project, live } = setup();
    const name = `${project}-loop`;
    await runContainer(engine, {
      name,
      image: FIXTURE_IMAGES.base,
      cmd: shortLived('exit 3'),
      project,
      restart: 'always',
    });
    const first = await waitForStore(live, (s) => {
      const c = containerNamed(s, name);
      return c && c.restarts >= 1 ? c.restarts : undefined;
    }, 'a first restart');
    const later = await waitForStore(live, (s) => {
      const c = containerNamed(s, name);
      return c && c.restarts > first && c.restarts >= 2 ? c.restarts : undefined;
    }, `restarts to climb past ${first}`, 30_000);
    expect(later).toBeGreaterThanOrEqual(2);
    const alert = await waitForStore(
      live,
      (s) => s.docker.alerts.find((a) => alertSubject(a) === name && a.kind === 'crash-loop'),
      'a crash-loop alert',
    );
    expect(alert.level).toBe('high');
    // The engine's own count agrees with (or has moved past) what the store showed.
    const engineCount = Number(await dockerOk(engine, ['inspect', '--format', '{{.RestartCount}}', name]));
    expect(engineCount).toBeGreaterThanOrEqual(later);
  });

  it('shows an exited container with its exit code and an exited alert', async () => {
    const { project, live } = setup();
    const name = `${project}-done`;
    await runContainer(engine, { name, image: FIXTURE_IMAGES.base, cmd: shortLived('exit 7'), project });
    const c = await waitForStore(live, (s) => {
      const c = containerNamed(s, name);
      return c?.state === 'exited' ? c : undefined;
    }, 'the container to have exited');
    expect(c.exitCode).toBe(7);
    expect(c.oomKilled).toBe(false);
    expect(live.store.getState().docker.stats[c.id]).toBeUndefined();
    const alert = await waitForStore(
      live,
      (s) => s.docker.alerts.find((a) => alertSubject(a) === name && a.kind === 'exited'),
      'an exited alert',
    );
    expect(alert.level).toBe('warning');
    expect(alert.message).toContain('7');
  });

  it('flags a container OOM-killed under its memory limit', async () => {
    const { project, live } = setup();
    const name = `${project}-oom`;
    await runContainer(engine, {
      name,
      image: FIXTURE_IMAGES.base,
      // tail keeps the whole newline-free input in memory, far past the limit (once the start is recorded:
      // a kill at once was seen, under load, leaving the container "running" for ever).
      cmd: shortLived('head -c 200m /dev/zero | tail'),
      project,
      memory: '16m',
    });
    const c = await waitForStore(live, (s) => {
      const c = containerNamed(s, name);
      return c?.oomKilled && c.state === 'exited' ? c : undefined;
    }, 'the container to be OOM-killed and exited', 30_000);
    expect(c.exitCode).toBe(137);
    const alert = await waitForStore(
      live,
      (s) => s.docker.alerts.find((a) => alertSubject(a) === name && a.kind === 'oom-killed'),
      'an oom-killed alert',
    );
    expect(alert.level).toBe('critical');
    // An OOM kill is reported as such, not also as a plain non-zero exit.
    expect(live.store.getState().docker.alerts.filter((a) => alertSubject(a) === name && a.kind === 'exited')).toEqual([]);
  });

  it('flags an OOM kill in a container that runs on (the engine reports it only as an event)', async () => {
    const { project, live } = setup();
    const name = `${project}-oom-child`;
    await runOomInASubshell(name, project);
    const alert = await waitForStore(
      live,
      (s) => s.docker.alerts.find((a) => alertSubject(a) === name && a.kind === 'oom-killed'),
      'an oom-killed alert',
      30_000,
    );
    expect(alert.level).toBe('critical');
    expect(alert.message).toContain('(the container still runs)');
    expect(containerNamed(live.store.getState(), name)?.state).toBe('running');
  });

  it('flags a container the engine says runs but which has no process (an exit the engine lost)', async () => {
    const { project, live } = setup();
    const name = `${project}-lost-exit`;
    const id = await runContainer(engine, { name, image: FIXTURE_IMAGES.base, cmd: IDLE, project });
    await waitForStore(live, (s) => ((s.docker.stats[id]?.latest.pids ?? 0) > 0 ? true : undefined), 'a pid count for the container');
    expect(live.store.getState().docker.alerts.filter((a) => a.kind === 'no-processes')).toEqual([]);
    await emptyContainerCgroup(engine, name);
    const alert = await waitForStore(
      live,
      (s) => s.docker.alerts.find((a) => alertSubject(a) === name && a.kind === 'no-processes'),
      'a no-processes alert',
    );
    expect(alert.level).toBe('high');
    expect(containerNamed(live.store.getState(), name)?.state).toBe('running');
    expect(live.store.getState().docker.stats[id]?.latest.pids).toBe(0);
  });

  it('reads a container again when the engine fails the read after its exit (no further event comes)', async () => {
    const project = uniqueProject();
    projects.push(project);
    const name = `${project}-busy`;
    const id = await runContainer(engine, { name, image: FIXTURE_IMAGES.base, cmd: IDLE, project, extraArgs: QUICK_STOP });
    await throughFailingEngine(id, project, async (failing, live) => {
      await waitForStore(live, (s) => (containerNamed(s, name)?.state === 'running' ? true : undefined), 'the container running');
      failing.inspects.left = Infinity;
      await dockerOk(engine, ['stop', name]);
      // A stop sends four events (kill TERM, kill KILL, die, stop), each asking for one read at most: a sixth
      // failed read can only be the watcher asking again by itself.
      await waitFor(() => failing.inspects.failed >= 6, { what: 'the watcher to ask again after the events', timeoutMs: 30_000 });
      expect(containerNamed(live.store.getState(), name)?.state).toBe('running');
      failing.inspects.left = 0;
      const c = await waitForStore(live, (s) => {
        const c = containerNamed(s, name);
        return c?.state === 'exited' ? c : undefined;
      }, 'the exit to be read', 40_000);
      expect(c.exitCode).toBe(137);
    });
  });

  it('opens a stats stream again when the engine fails to open it', async () => {
    const project = uniqueProject();
    projects.push(project);
    const name = `${project}-stats`;
    const id = await runContainer(engine, { name, image: FIXTURE_IMAGES.base, cmd: IDLE, project });
    await throughFailingEngine(id, project, async (failing, live) => {
      failing.stats.left = 2;
      await waitForStore(live, (s) => s.docker.stats[id], 'stats once the engine opens the stream');
      expect(failing.stats.failed).toBe(2);
      expect(containerNamed(live.store.getState(), name)?.state).toBe('running');
    });
  });

  it('opens a stats stream again when it stalls (the engine stops sending while the container runs), and the figures come back', async () => {
    const project = uniqueProject();
    projects.push(project);
    const name = `${project}-stall`;
    const id = await runContainer(engine, { name, image: FIXTURE_IMAGES.base, cmd: IDLE, project, extraArgs: QUICK_STOP });
    const stalling = await startStallingEngine(engine, id);
    // Silent streams are looked for every second and called stalled after 3 s here (every 5 s, after 10 s by default).
    let quick: DockerWatcher | null = null;
    try {
      live = startLiveConsole({ host: stalling.host }, { projects: [project] }, { start: false });
      const watched = live;
      quick = new DockerWatcher(watched.docker, watched.batcher, { scope: { projects: [project], showAll: false }, heartbeatMs: 1_000, statsStallMs: 3_000 });
      quick.start();
      await waitForStore(watched, (s) => s.docker.stats[id], 'the first stats');
      const opened = stalling.statsRequests();
      stalling.stall();
      const stalledAt = Date.now();
      await waitFor(() => stalling.statsRequests() > opened, { what: 'the silent stats stream to be opened again', timeoutMs: 30_000 });
      // Nothing came meanwhile (a frame already on its way may land just after the stall).
      expect(watched.store.getState().docker.stats[id]!.receivedAt).toBeLessThan(stalledAt + 1_000);
      stalling.resume();
      const resumedAt = Date.now();
      await waitForStore(watched, (s) => (s.docker.stats[id]!.receivedAt > resumedAt ? true : undefined), 'frames again once the engine sends them');
      expect(containerNamed(watched.store.getState(), name)?.state).toBe('running');
    } finally {
      quick?.stop();
      live?.stop();
      live = null;
      await stalling.close();
    }
  });

  it('flags an OOM kill that happened before it connected, from the engine\'s event log', async () => {
    const project = uniqueProject();
    projects.push(project);
    const name = `${project}-oom-before`;
    await runOomInASubshell(name, project);
    await waitFor(async () => (await dockerOk(engine, ['logs', name])).includes(OOM_SURVIVED), { what: 'the kill inside the container' });
    live = startLiveConsole(engine, { projects: [project] });
    const alert = await waitForStore(
      live,
      (s) => s.docker.alerts.find((a) => alertSubject(a) === name && a.kind === 'oom-killed'),
      'an oom-killed alert',
    );
    expect(alert.message).toContain('(the container still runs)');
  });

  it('drops a container and its stats when it is removed while watched', async () => {
    const { project, live } = setup();
    const name = `${project}-gone`;
    const id = await runContainer(engine, { name, image: FIXTURE_IMAGES.base, cmd: IDLE, project });
    await waitForStore(live, (s) => s.docker.stats[id], 'stats for the container');
    await dockerOk(engine, ['rm', '-f', name]);
    await waitForStore(
      live,
      (s) => !s.docker.containers[id] && !s.docker.stats[id],
      'the container and its stats to leave the store',
    );
    // And they stay gone: no late stats frame or event brings them back.
    await sleep(2_000);
    const state = live.store.getState();
    expect(state.docker.containers[id]).toBeUndefined();
    expect(state.docker.stats[id]).toBeUndefined();
    expect(state.docker.connection.state).toBe('connected');
  });

  it('drops stats while a container is paused or stopped and resumes them when it runs again', async () => {
    const { project, live } = setup();
    const name = `${project}-cycle`;
    const id = await runContainer(engine, { name, image: FIXTURE_IMAGES.base, cmd: IDLE, project, extraArgs: QUICK_STOP });
    await waitForStore(live, (s) => s.docker.stats[id], 'stats for the running container');
    const framesAfter = async (what: string) => {
      const n = live.store.getState().docker.stats[id]?.cpuHistory.length ?? 0;
      await waitForStore(live, (s) => (s.docker.stats[id]?.cpuHistory.length ?? 0) > n, what);
    };

    await dockerOk(engine, ['pause', name]);
    await waitForStore(live, (s) => s.docker.containers[id]?.state === 'paused' && !s.docker.stats[id], 'paused, without stats');
    await dockerOk(engine, ['unpause', name]);
    await waitForStore(live, (s) => s.docker.containers[id]?.state === 'running' && s.docker.stats[id], 'running again, with stats');
    await framesAfter('frames to keep coming after unpause');

    await dockerOk(engine, ['stop', name]);
    await waitForStore(live, (s) => s.docker.containers[id]?.state === 'exited' && !s.docker.stats[id], 'stopped, without stats');
    await dockerOk(engine, ['start', name]);
    await waitForStore(live, (s) => s.docker.containers[id]?.state === 'running' && s.docker.stats[id], 'started again, with stats');
    await framesAfter('frames to keep coming after start');

    const startedBefore = containerNamed(live.store.getState(), name)!.startedAt;
    await dockerOk(engine, ['restart', name]);
    await waitForStore(
      live,
      (s) => s.docker.containers[id]?.state === 'running' && s.docker.containers[id]?.startedAt !== startedBefore,
      'the restarted container with a new start time',
    );
    await framesAfter('frames to keep coming after restart');
    expect(live.store.getState().docker.stats[id]!.latest.pids).toBeGreaterThanOrEqual(1);
  });

  it('shows only containers in scope, and all of them with showAll', async () => {
    const { project, live } = setup();
    const other = uniqueProject('other');
    projects.push(other);
    const outsider = `${other}-x`;
    const insider = `${project}-in`;
    const outsiderId = await runContainer(engine, { name: outsider, image: FIXTURE_IMAGES.base, cmd: IDLE, project: other, extraArgs: QUICK_STOP });
    await runContainer(engine, { name: insider, image: FIXTURE_IMAGES.base, cmd: IDLE, project, extraArgs: QUICK_STOP });
    await waitForStore(live, (s) => containerNamed(s, insider), 'the in-scope container');
    // Events about the outsider must not bring it in either.
    await dockerOk(engine, ['stop', outsider]);
    await dockerOk(engine, ['start', outsider]);
    await sleep(1_500);
    expect(containerNamed(live.store.getState(), outsider)).toBeUndefined();
    expect(live.store.getState().docker.stats[outsiderId]).toBeUndefined();

    live.watcher.setShowAll(true);
    await waitForStore(
      live,
      (s) => containerNamed(s, outsider) && containerNamed(s, insider) && s.docker.connection.state === 'connected',
      'both containers with showAll',
    );
    await waitForStore(live, (s) => s.docker.stats[outsiderId], 'stats for the outsider with showAll');

    live.watcher.setShowAll(false);
    await waitForStore(
      live,
      (s) => !containerNamed(s, outsider) && containerNamed(s, insider) && s.docker.connection.state === 'connected',
      'the outsider to leave again without showAll',
    );
    expect(live.store.getState().docker.stats[outsiderId]).toBeUndefined();
  });

  it('detects the alpine/regular variant from labels and the image name, with image sizes', async () => {
    const { project, live } = setup();
    const cases = [
      { name: `${project}-a`, image: FIXTURE_IMAGES.alpine, variant: 'alpine' },
      { name: `${project}-r`, image: FIXTURE_IMAGES.regular, variant: 'regular' },
      { name: `${project}-u`, image: FIXTURE_IMAGES.unlabelledAlpine, variant: 'alpine' },
      { name: `${project}-b`, image: FIXTURE_IMAGES.base, variant: '?' },
    ] as const;
    for (const c of cases) {
      await runContainer(engine, { name: c.name, image: c.image, cmd: IDLE, project, extraArgs: QUICK_STOP });
    }
    await waitForStore(live, (s) => cases.every((c) => containerNamed(s, c.name)), 'all four containers');
    const state = live.store.getState();
    for (const c of cases) {
      const info = containerNamed(state, c.name)!;
      expect({ name: c.name, image: info.image, variant: info.variant }).toEqual({ name: c.name, image: c.image, variant: c.variant });
      expect(info.imageSizeBytes, c.name).toBeGreaterThan(0);
    }
    const baseSize = (await docker(engine, ['image', 'inspect', '--format', '{{.Size}}', FIXTURE_IMAGES.base])).stdout.trim();
    expect(containerNamed(state, `${project}-b`)!.imageSizeBytes).toBe(Number(baseSize));
  });

  it('streams stats for a running container: pids, memory limit and a growing CPU history', async () => {
    const { project, live } = setup();
    const name = `${project}-stats`;
    const id = await runContainer(engine, { name, image: FIXTURE_IMAGES.base, cmd: IDLE, project, memory: '64m', extraArgs: QUICK_STOP });
    const entry = await waitForStore(live, (s) => s.docker.stats[id], 'a first stats frame');
    expect(entry.latest.pids).toBeGreaterThanOrEqual(1);
    expect(entry.latest.memLimitBytes).toBe(64 * 1024 * 1024);
    expect(entry.latest.memUsageBytes).toBeGreaterThan(0);
    expect(entry.latest.memUsageBytes).toBeLessThan(64 * 1024 * 1024);
    expect(entry.latest.memPercent).toBeCloseTo((entry.latest.memUsageBytes / entry.latest.memLimitBytes) * 100, 6);
    const first = entry.cpuHistory.length;
    const grown = await waitForStore(
      live,
      (s) => ((s.docker.stats[id]?.cpuHistory.length ?? 0) >= first + 2 ? s.docker.stats[id] : undefined),
      'the CPU history to grow by two samples',
    );
    expect(grown.cpuHistory.every((v) => Number.isFinite(v) && v >= 0)).toBe(true);
  });
});

describe('DockerWatcher → store, against an engine that takes the connection and never answers (hung)', () => {
  it('says it is unreachable and why, and keeps saying so while it tries again', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'netra-hung-'));
    const socketPath = join(dir, 'docker.sock');
    const sockets = new Set<Socket>();
    const hung = createServer((socket) => {
      sockets.add(socket);
      socket.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => hung.listen(socketPath, resolve));
    const seen: ConnectionState[] = [];
    const watching = startLiveConsole({ host: `unix://${socketPath}` }, { projects: ['none'] });
    const unsubscribe = watching.store.subscribe((s) => {
      if (s.docker.connection !== seen.at(-1)) seen.push(s.docker.connection);
    });
    try {
      const retrying = await waitForStore(
        watching,
        (s) => (s.docker.connection.state === 'connecting' && s.docker.connection.lastError ? s.docker.connection : undefined),
        'a second attempt after the first found no answer',
        30_000,
      );
      expect(retrying.lastError).toMatch(/^no answer to ping within 3 s/);
      const first = seen.find((c) => c.state === 'unreachable');
      expect(first).toMatchObject({ state: 'unreachable', error: retrying.lastError });
      expect(seen.slice(seen.indexOf(first!) + 1).every((c) => c.state !== 'connecting' || c.lastError === retrying.lastError)).toBe(true);
    } finally {
      unsubscribe();
      watching.stop();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => hung.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
