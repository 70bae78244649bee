import { carriedErrorRateAlerts, deriveAlerts, engineUnreachableAlert, sortAlerts, staleAlerts } from '../domain/alerts';
import type { ImagesConfig } from '../domain/build-analysis';
import { withKnownStartup } from '../domain/container-info';
import type { Thresholds } from '../domain/thresholds';
import { STATS_STALE_MS } from '../domain/stats-math';
import type { ConnectionState, ContainerInfo, ContainerStats, DockerAlert } from '../domain/types';

/** The alerts the stats raise. */
const STATS_KINDS: ReadonlySet<DockerAlert['kind']> = new Set(['memory', 'cpu', 'no-processes']);
import type { DockerState, StatsEntry } from './store';

export type DockerOp =
  | { type: 'connection'; connection: ConnectionState }
  | { type: 'sync'; containers: ContainerInfo[] }
  | { type: 'upsert'; container: ContainerInfo }
  | { type: 'remove'; id: string }
  | { type: 'stats'; id: string; stats: ContainerStats };

export interface ReduceSettings {
  thresholds: Thresholds;
  /** Image budgets; the config's defaults when absent. */
  images?: ImagesConfig;
  historyLength: number;
  now: number;
}

/** Applies a batch of watcher output in order, copying each record at most once. */
export function reduceDocker(state: DockerState, ops: readonly DockerOp[], settings: ReduceSettings): DockerState {
  let connection = state.connection;
  let containers = state.containers;
  let stats = state.stats;
  let containersCopied = false;
  let statsCopied = false;
  const editContainers = () => {
    if (!containersCopied) containers = { ...containers };
    containersCopied = true;
    return containers;
  };
  const editStats = () => {
    if (!statsCopied) stats = { ...stats };
    statsCopied = true;
    return stats;
  };

  for (const op of ops) {
    switch (op.type) {
      case 'connection':
        connection = op.connection;
        if (op.connection.state === 'unreachable') {
          containers = {};
          stats = {};
          containersCopied = statsCopied = true;
        }
        break;
      case 'sync': {
        const before = containers;
        containers = Object.fromEntries(op.containers.map((c) => [c.id, withKnownStartup(before[c.id], c)]));
        containersCopied = true;
        stats = Object.fromEntries(Object.entries(stats).filter(([id]) => containers[id]?.state === 'running'));
        statsCopied = true;
        break;
      }
      case 'upsert':
        editContainers()[op.container.id] = withKnownStartup(containers[op.container.id], op.container);
        if (op.container.state !== 'running' && stats[op.container.id]) delete editStats()[op.container.id];
        break;
      case 'remove':
        if (containers[op.id]) delete editContainers()[op.id];
        if (stats[op.id]) delete editStats()[op.id];
        break;
      case 'stats':
        // A frame can arrive after the container stopped; only running containers have stats.
        if (containers[op.id]?.state === 'running') editStats()[op.id] = nextStatsEntry(stats[op.id], op.stats, settings.historyLength, settings.now);
        break;
    }
  }

  if (connection === state.connection && containers === state.containers && stats === state.stats) return state;
  return { ...state, connection, containers, stats, alerts: sameOrNew(state.alerts, nextAlerts(state, connection, containers, stats, settings)) };
}

/** Derived from what the engine says; while it cannot be read, what was last known stays, marked. */
function nextAlerts(
  state: DockerState,
  connection: ConnectionState,
  containers: DockerState['containers'],
  stats: DockerState['stats'],
  settings: ReduceSettings,
): DockerState['alerts'] {
  if (connection.state === 'unreachable') return [engineUnreachableAlert(state.host, connection.error), ...staleAlerts(state.alerts)];
  // Retrying after a loss changes nothing the engine said: what was last known stays until the listing comes.
  if (connection.state === 'connecting' && containers === state.containers && stats === state.stats) return state.alerts;
  const latest = Object.fromEntries(Object.entries(stats).map(([id, entry]) => [id, entry.latest]));
  const list = Object.values(containers);
  const derived = withStaleStats(deriveAlerts(list, latest, settings.thresholds, settings.now, settings.images), list, stats, settings.now);
  return sortAlerts([...derived, ...carriedErrorRateAlerts(state.alerts, list)]);
}

/** What the stats said of a container whose stats stopped coming is the last known, marked so. */
function withStaleStats(alerts: DockerAlert[], containers: readonly ContainerInfo[], stats: DockerState['stats'], now: number): DockerAlert[] {
  const stale = new Set(containers.filter((c) => (stats[c.id]?.receivedAt ?? now) < now - STATS_STALE_MS).map((c) => c.name));
  if (stale.size === 0) return alerts;
  return alerts.flatMap((a) => (STATS_KINDS.has(a.kind) && stale.has(a.container) ? staleAlerts([a]) : [a]));
}

/** The alerts as they were when nothing in them changed: every stats frame must not re-render what shows alerts. */
export function sameOrNew<T>(previous: T[], next: T[]): T[] {
  const same = previous.length === next.length && previous.every((a, i) => JSON.stringify(a) === JSON.stringify(next[i]));
  return same ? previous : next;
}

function nextStatsEntry(previous: StatsEntry | undefined, latest: ContainerStats, historyLength: number, now: number): StatsEntry {
  const history = previous ? previous.cpuHistory.slice(-(historyLength - 1)) : [];
  history.push(latest.cpuPercent);
  return { latest, cpuHistory: history, receivedAt: now };
}
