import type { AlertLevel, ContainerInfo, ContainerStats, Health } from '../domain/types';
import type { CloudRunService } from '../domain/cloud-run';
import { runningVariant, type ServiceMeasurement, type StackDefinition, type StackVariant } from '../domain/stacks';
import type { AppState, ContainerSort, DockerState, ListId, StatsSort } from './store';

/** Containers without a compose project or service sort after the others ('~' would sort first in localeCompare). */
function nullsLast(a: string | null, b: string | null): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
  return a.localeCompare(b);
}

function byProjectServiceName(a: ContainerInfo, b: ContainerInfo): number {
  return nullsLast(a.project, b.project) || nullsLast(a.service, b.service) || a.name.localeCompare(b.name);
}

/** Containers matching a case-insensitive filter on name, project, service or image, in a stable order. */
export function visibleContainers(containers: Record<string, ContainerInfo>, filter: string): ContainerInfo[] {
  const needle = filter.trim().toLowerCase();
  const list = Object.values(containers).filter(
    (c) => !needle || [c.name, c.project ?? '', c.service ?? '', c.image].some((field) => field.toLowerCase().includes(needle)),
  );
  return list.sort(byProjectServiceName);
}

const LEVEL_RANK: Record<AlertLevel, number> = { critical: 0, high: 1, warning: 2 };
const NO_ALERT = 3;

/** Each container's worst alert level as a rank (0 = critical), by name, from the alerts the status bar counts. */
function severityRanks(alerts: DockerState['alerts']): Map<string, number> {
  const ranks = new Map<string, number>();
  for (const a of alerts) {
    if (a.kind === 'engine-unreachable') continue;
    ranks.set(a.container, Math.min(ranks.get(a.container) ?? NO_ALERT, LEVEL_RANK[a.level]));
  }
  return ranks;
}

/** The Containers panel's rows: worst alert first by default, so the container in trouble is never off screen. */
export function containerRows(docker: Pick<DockerState, 'containers' | 'alerts'>, filter: string, sort: ContainerSort): ContainerInfo[] {
  const rows = visibleContainers(docker.containers, filter);
  if (sort === 'name') return rows;
  const ranks = severityRanks(docker.alerts);
  const rank = (c: ContainerInfo) => ranks.get(c.name) ?? NO_ALERT;
  return rows.sort((a, b) => rank(a) - rank(b));
}

export interface StatsRow {
  id: string;
  name: string;
  stats: ContainerStats;
  cpuHistory: number[];
  /** When its latest frame came (epoch ms); null for a row that sums others. */
  receivedAt: number | null;
}

/** The Stats panel's rows: by default the worst alert first, then the highest memory %. */
export function statsRows(docker: DockerState, filter: string, sort: StatsSort): StatsRow[] {
  const ranks = severityRanks(docker.alerts);
  const rows = visibleContainers(docker.containers, filter).flatMap((c) => {
    const entry = docker.stats[c.id];
    return entry ? [{ id: c.id, name: c.name, stats: entry.latest, cpuHistory: entry.cpuHistory, receivedAt: entry.receivedAt }] : [];
  });
  const byMemory = (a: StatsRow, b: StatsRow) => b.stats.memPercent - a.stats.memPercent;
  const order: Record<StatsSort, ((a: StatsRow, b: StatsRow) => number) | null> = {
    severity: (a, b) => (ranks.get(a.name) ?? NO_ALERT) - (ranks.get(b.name) ?? NO_ALERT) || byMemory(a, b),
    memory: byMemory,
    cpu: (a, b) => b.stats.cpuPercent - a.stats.cpuPercent,
    name: null,
  };
  const compare = order[sort];
  return compare ? rows.sort(compare) : rows;
}

export type HealthCount = Health | 'exited';

/**
 * Running containers by health; every other one (exited, created, paused, …) as exited. A stopped container keeps
 * the health it last had, which would count ten exited containers as healthy or unhealthy.
 */
export function healthCounts(containers: Record<string, ContainerInfo>): Record<HealthCount, number> {
  const counts: Record<HealthCount, number> = { healthy: 0, unhealthy: 0, starting: 0, none: 0, exited: 0 };
  for (const c of Object.values(containers)) counts[c.state === 'running' ? c.health : 'exited']++;
  return counts;
}

/** Cloud Run services matching a case-insensitive filter on the name, in the configured order. */
export function filterServices(services: CloudRunService[], filter: string): CloudRunService[] {
  const needle = filter.trim().toLowerCase();
  return services.filter((s) => !needle || s.name.toLowerCase().includes(needle));
}

function cloudRunRows(state: AppState): CloudRunService[] {
  return filterServices(state.cloudRun.services, state.ui.filters.cloudrun);
}

/** The one selection rule of every list: the row chosen, while it is still listed, else the first. */
export function selectedOf<Row>(rows: readonly Row[], key: (row: Row) => string, chosen: string | null): Row | undefined {
  return rows.find((row) => key(row) === chosen) ?? rows[0];
}

/** The Cloud Run service the revisions view is about. */
export function selectedService(state: AppState): CloudRunService | undefined {
  return selectedOf(cloudRunRows(state), (s) => s.name, state.ui.selectedId.cloudrun);
}

/** Row ids of a list in display order; navigation and rendering share it. */
export function listRowIds(state: AppState, list: ListId): string[] {
  if (list === 'cloudrun') return cloudRunRows(state).map((s) => s.name);
  if (list === 'revisions') return (selectedService(state)?.revisions ?? []).map((r) => r.name);
  if (list === 'stacks') return stackRows(state.stacks.definitions, state.ui.filters.stacks).map((s) => s.name);
  if (list === 'stats') return statsRows(state.docker, state.ui.filters.stats, state.ui.sort.stats).map((r) => r.id);
  return containerRows(state.docker, state.ui.filters[list], state.ui.sort.health).map((c) => c.id);
}

/** The selected row's id of a list (see selectedOf); null for an empty list. */
export function selectedRowId(state: AppState, list: ListId): string | null {
  return selectedOf(listRowIds(state, list), (id) => id, state.ui.selectedId[list]) ?? null;
}

/** The list that j/k move in: the revisions view while it is open, else the focused panel. */
export function activeList(state: AppState): ListId {
  return state.ui.overlay === 'revisions' ? 'revisions' : state.ui.focus;
}

// ---------------------------------------------------------------------------------------------------------------
// Stacks

/** Configured stacks matching a case-insensitive filter on the name or the compose project, in the configured order. */
export function stackRows(definitions: readonly StackDefinition[], filter: string): StackDefinition[] {
  const needle = filter.trim().toLowerCase();
  return definitions.filter((d) => !needle || d.name.toLowerCase().includes(needle) || d.project.toLowerCase().includes(needle));
}

/** The containers of a stack: those whose compose project is the stack's. */
export function stackContainers(containers: Record<string, ContainerInfo>, project: string): ContainerInfo[] {
  return Object.values(containers).filter((c) => c.project === project);
}

export interface StackHealth {
  /** Running and healthy, or running with no health check. */
  healthy: number;
  unhealthy: number;
  starting: number;
  /** Exited non-zero, dead, or stopped in another way; a one-shot that exited 0 is done, not counted. */
  down: number;
  total: number;
}

/** How the containers of a stack are doing; a one-shot that exited 0 (a migration) did its job and is left out. */
export function stackHealth(containers: readonly ContainerInfo[]): StackHealth {
  const health: StackHealth = { healthy: 0, unhealthy: 0, starting: 0, down: 0, total: 0 };
  for (const c of containers) {
    if (c.state === 'exited' && c.exitCode === 0) continue;
    health.total++;
    if (c.state !== 'running') health.down++;
    else if (c.health === 'unhealthy') health.unhealthy++;
    else if (c.health === 'starting') health.starting++;
    else health.healthy++;
  }
  return health;
}

/** The variant a stack runs now: `none` when nothing of it runs. */
export function stackVariantText(containers: readonly ContainerInfo[]): StackVariant | 'mixed' | 'none' {
  return runningVariant(containers) ?? 'none';
}

/** A variant's measurement reduced to what a row shows: the slowest start-up, memory and image totals. */
export interface MeasurementSummary {
  /** The slowest service's start → healthy (services start side by side): max of healthySeconds; null when none seen. */
  maxStartSeconds: number | null;
  /** Sum of the services' median memory; null when none was sampled. */
  memoryBytes: number | null;
  /** Sum of the sizes of the distinct images (an image two services share is on disk once). */
  imageBytes: number | null;
}

function sumOrNull(values: readonly (number | null)[]): number | null {
  const known = values.filter((v): v is number => v !== null);
  return known.length ? known.reduce((a, b) => a + b, 0) : null;
}

export function summarizeMeasurement(services: readonly ServiceMeasurement[]): MeasurementSummary {
  const starts = services.map((s) => s.healthySeconds).filter((v): v is number => v !== null);
  const images = new Map(services.map((s) => [s.image, s.imageSizeBytes]));
  return {
    maxStartSeconds: starts.length ? Math.max(...starts) : null,
    memoryBytes: sumOrNull(services.map((s) => s.memUsageBytes)),
    imageBytes: sumOrNull([...images.values()]),
  };
}
