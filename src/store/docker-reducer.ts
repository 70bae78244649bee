import { deriveAlerts } from '../domain/alerts';
import type { Thresholds } from '../domain/thresholds';
import type { ConnectionState, ContainerInfo, ContainerStats } from '../domain/types';
import type { DockerState, StatsEntry } from './store';

export type DockerOp =
  | { type: 'connection'; connection: ConnectionState }
  | { type: 'sync'; containers: ContainerInfo[] }
  | { type: 'upsert'; container: ContainerInfo }
  | { type: 'remove'; id: string }
  | { type: 'stats'; id: string; stats: ContainerStats };

export interface ReduceSettings {
  thresholds: Thresholds;
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
      case 'sync':
        containers = Object.fromEntries(op.containers.map((c) => [c.id, c]));
        containersCopied = true;
        stats = Object.fromEntries(Object.entries(stats).filter(([id]) => containers[id]?.state === 'running'));
        statsCopied = true;
        break;
      case 'upsert':
        editContainers()[op.container.id] = op.container;
        if (op.container.state !== 'running' && stats[op.container.id]) delete editStats()[op.container.id];
        break;
      case 'remove':
        if (containers[op.id]) delete editContainers()[op.id];
        if (stats[op.id]) delete editStats()[op.id];
        break;
      case 'stats':
        // A frame can arrive after the container stopped; only running containers have stats.
        if (containers[op.id]?.state === 'running') editStats()[op.id] = nextStatsEntry(stats[op.id], op.stats, settings.historyLength);
        break;
    }
  }

  if (connection === state.connection && containers === state.containers && stats === state.stats) return state;
  const latest = Object.fromEntries(Object.entries(stats).map(([id, entry]) => [id, entry.latest]));
  const alerts = deriveAlerts(Object.values(containers), latest, settings.thresholds, settings.now);
  return { ...state, connection, containers, stats, alerts };
}

function nextStatsEntry(previous: StatsEntry | undefined, latest: ContainerStats, historyLength: number): StatsEntry {
  const history = previous ? previous.cpuHistory.slice(-(historyLength - 1)) : [];
  history.push(latest.cpuPercent);
  return { latest, cpuHistory: history };
}
