import type { ContainerInfo, Health } from '../domain/types';
import type { AppState, PanelId } from './store';

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

/** Row ids of a panel in display order; navigation and rendering share it. */
export function panelRowIds(state: AppState, panel: PanelId): string[] {
  const rows = visibleContainers(state.docker.containers, state.ui.filters[panel]);
  const shown = panel === 'stats' ? rows.filter((c) => state.docker.stats[c.id]) : rows;
  return shown.map((c) => c.id);
}
