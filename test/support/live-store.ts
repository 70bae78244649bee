/**
 * The console's data path without Ink: DockerWatcher → DockerBatcher → zustand store, wired by the console's own
 * wireDocker, pointed at a private test engine. Tests assert on the store.
 */
import { resolveCloudRun } from '../../src/cli/cloud-run-settings';
import { wireDocker, type DockerWiring } from '../../src/cli/wiring';
import { parseDockerHost } from '../../src/config/docker-host';
import { configSchema } from '../../src/config/schema';
import type { ContainerInfo } from '../../src/domain/types';
import type { AppState } from '../../src/store/store';
import type { PrivateEngine } from './docker-engine';
import { docker } from './docker-engine';
import { waitFor } from './wait';
import { alertSubject } from '../../src/domain/alerts';

export type LiveConsole = DockerWiring;

export function startLiveConsole(
  engine: Pick<PrivateEngine, 'host'>,
  scope: { projects: string[]; showAll?: boolean },
  opts: { start?: boolean } = {},
): LiveConsole {
  const config = configSchema.parse({ docker: { projects: scope.projects } });
  const live = wireDocker({
    config,
    endpoint: parseDockerHost(engine.host, 'test engine'),
    showAll: scope.showAll ?? false,
    // Only the Docker part is watched here; Cloud Run stays the idle in-process sandbox.
    cloudRun: resolveCloudRun({ sandbox: true }, config, {}, null),
    readOnly: false,
    auditPath: '',
  });
  if (opts.start !== false) live.watcher.start();
  return live;
}

export function containerNamed(state: AppState, name: string): ContainerInfo | undefined {
  return Object.values(state.docker.containers).find((c) => c.name === name);
}

/** A compact view of the docker slice, for failure messages. */
export function summarize(state: AppState): unknown {
  const { connection, containers, stats, alerts } = state.docker;
  return {
    connection,
    containers: Object.values(containers).map((c) => ({
      name: c.name,
      project: c.project,
      state: c.state,
      health: c.health,
      restarts: c.restarts,
      exitCode: c.exitCode,
      oomKilled: c.oomKilled,
      variant: c.variant,
      lastHealthFailure: c.lastHealthFailure,
      stats: stats[c.id] ? { ...stats[c.id]!.latest, history: stats[c.id]!.cpuHistory.length } : null,
    })),
    orphanStats: Object.keys(stats).filter((id) => !containers[id]),
    alerts: alerts.map((a) => `${a.level} ${a.kind} ${alertSubject(a)}: ${a.message}`),
  };
}

/** Waits until `predicate(store state)` is truthy; on timeout reports the store's docker slice. */
export function waitForStore<T>(
  live: Pick<LiveConsole, 'store'>,
  predicate: (state: AppState) => T,
  what: string,
  timeoutMs = 20_000,
): Promise<NonNullable<T>> {
  return waitFor(() => predicate(live.store.getState()), {
    what,
    timeoutMs,
    observe: () => summarize(live.store.getState()),
  });
}

/** A compose project name no other test uses. */
export function uniqueProject(prefix = 'it'): string {
  return `${prefix}-${Math.random().toString(36).slice(2, 10)}`;
}

/** `docker rm -f -v` every container labelled with the compose project. */
export async function removeProjectContainers(engine: PrivateEngine, project: string): Promise<void> {
  const list = await docker(engine, ['ps', '-aq', '--no-trunc', '--filter', `label=com.docker.compose.project=${project}`]);
  const ids = list.stdout.split('\n').filter((s) => s.trim() !== '');
  if (ids.length > 0) await docker(engine, ['rm', '-f', '-v', ...ids], { timeoutMs: 60_000 });
}
