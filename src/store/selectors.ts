import type { ContainerInfo, Health } from '../domain/types';
import type { CloudRunService } from '../domain/cloud-run';
import type { AppState, ListId } from './store';

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

export function healthCounts(containers: Record<string, ContainerInfo>): Record<Health, number> {
  const counts: Record<Health, number> = { healthy: 0, unhealthy: 0, starting: 0, none: 0 };
  for (const c of Object.values(containers)) counts[c.health]++;
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

/** The Cloud Run service the revisions view is about: the selection, else the first row. */
export function selectedService(state: AppState): CloudRunService | undefined {
  const rows = cloudRunRows(state);
  return rows.find((s) => s.name === state.ui.selectedId.cloudrun) ?? rows[0];
}

/** Row ids of a list in display order; navigation and rendering share it. */
export function listRowIds(state: AppState, list: ListId): string[] {
  if (list === 'cloudrun') return cloudRunRows(state).map((s) => s.name);
  if (list === 'revisions') return (selectedService(state)?.revisions ?? []).map((r) => r.name);
  const rows = visibleContainers(state.docker.containers, state.ui.filters[list]);
  const shown = list === 'stats' ? rows.filter((c) => state.docker.stats[c.id]) : rows;
  return shown.map((c) => c.id);
}

/** The list that j/k move in: the revisions view while it is open, else the focused panel. */
export function activeList(state: AppState): ListId {
  return state.ui.overlay === 'revisions' ? 'revisions' : state.ui.focus;
}
