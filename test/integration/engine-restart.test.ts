/**
 * The watcher across engine outages: it reports the engine unreachable (with the error and when it retries),
 * clears what it showed, and picks everything up again when the engine returns, without being recreated.
 * Every test leaves the shared engine running, whatever happened.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { FIXTURE_IMAGES, runContainer } from '../support/docker-engine';
import { providedEngine } from '../support/engine-context';
import {
  containerNamed,
  removeProjectContainers,
  startLiveConsole,
  uniqueProject,
  waitForStore,
  type LiveConsole,
} from '../support/live-store';

const engine = providedEngine();
const IDLE = ['sh', '-c', 'while :; do sleep 1; done'];
// The engine stops running containers on shutdown; sh as PID 1 ignores SIGTERM, so keep the wait short.
const QUICK_STOP = ['--stop-timeout', '1'];

let live: LiveConsole | null = null;
const projects: string[] = [];

afterEach(async () => {
  live?.stop();
  live = null;
  await engine.start();
  for (const project of projects.splice(0)) await removeProjectContainers(engine, project);
});

afterAll(async () => {
  await engine.start();
});

describe('engine restarts', () => {
  it('goes unreachable when the engine stops and recovers the same watcher when it returns', async () => {
    const project = uniqueProject('rst');
    projects.push(project);
    const name = `${project}-svc`;
    const id = await runContainer(engine, {
      name,
      image: FIXTURE_IMAGES.base,
      cmd: IDLE,
      project,
      restart: 'always',
      health: { cmd: 'false', interval: '1s', retries: 1 },
      extraArgs: QUICK_STOP,
    });
    live = startLiveConsole(engine, { projects: [project] });
    const watcher = live.watcher;
    await waitForStore(
      live,
      (s) => s.docker.connection.state === 'connected' && s.docker.stats[id] && s.docker.alerts.some((a) => a.kind === 'unhealthy'),
      'connected with stats and the unhealthy alert',
    );

    const stoppedAt = Date.now();
    await engine.stop();
    const down = await waitForStore(
      live,
      (s) => (s.docker.connection.state === 'unreachable' ? s.docker : undefined),
      'the connection to be unreachable',
    );
    if (down.connection.state !== 'unreachable') throw new Error('unreachable expected');
    expect(down.connection.error.length).toBeGreaterThan(0);
    expect(down.connection.retryAt).toBeGreaterThan(stoppedAt);
    expect(down.connection.retryAt).toBeLessThan(Date.now() + 60_000);
    expect(down.containers).toEqual({});
    expect(down.stats).toEqual({});
    // The alert does not vanish with the engine: it stays, marked last known, under an engine alert.
    // (The engine kills the container as it stops, so an exited alert may have come just before.)
    const [engineAlert, ...lastKnown] = down.alerts;
    expect(engineAlert).toMatchObject({ level: 'critical', kind: 'engine-unreachable', host: engine.host });
    expect(lastKnown.map((a) => a.kind)).toContain('unhealthy');
    for (const alert of lastKnown) expect(alert).toMatchObject({ stale: true, message: expect.stringMatching(/^last known: /) });

    await engine.start();
    // The restart policy brings the container back; the same watcher finds it and streams its stats again.
    const back = await waitForStore(
      live,
      (s) => {
        const c = containerNamed(s, name);
        return s.docker.connection.state === 'connected' && c?.state === 'running' && s.docker.stats[id] ? s.docker : undefined;
      },
      'the container and its stats back after the engine returned',
      30_000,
    );
    expect(live.watcher).toBe(watcher);
    expect(back.containers[id]?.project).toBe(project);
    // And it is live, not a frozen copy: new frames keep arriving.
    const frames = back.stats[id]!.cpuHistory.length;
    await waitForStore(live, (s) => (s.docker.stats[id]?.cpuHistory.length ?? 0) > frames, 'further stats frames');
    // Events are followed again too: a new container shows up without a reconnect.
    const late = `${project}-late`;
    await runContainer(engine, { name: late, image: FIXTURE_IMAGES.base, cmd: IDLE, project, extraArgs: QUICK_STOP });
    await waitForStore(live, (s) => containerNamed(s, late)?.state === 'running', 'a container started after the restart');
  });

  it('connects a watcher started while the engine is down once the engine comes up', async () => {
    const project = uniqueProject('rst');
    projects.push(project);
    const name = `${project}-early`;
    const id = await runContainer(engine, { name, image: FIXTURE_IMAGES.base, cmd: IDLE, project, restart: 'always', extraArgs: QUICK_STOP });
    await engine.stop();

    live = startLiveConsole(engine, { projects: [project] });
    const down = await waitForStore(
      live,
      (s) => (s.docker.connection.state === 'unreachable' ? s.docker.connection : undefined),
      'the watcher to report the engine unreachable',
    );
    if (down.state !== 'unreachable') throw new Error('unreachable expected');
    // A socket that is going away can also break mid-request (EPIPE, ECONNRESET): all of them mean unreachable.
    expect(down.error).toMatch(/^(ENOENT|ECONNREFUSED|ECONNRESET|EPIPE)$/);

    await engine.start();
    await waitForStore(
      live,
      (s) => s.docker.connection.state === 'connected' && containerNamed(s, name)?.state === 'running' && s.docker.stats[id],
      'the watcher to connect and show the container with stats',
      30_000,
    );
  });
});
