import { Text } from 'ink';
import { useMemo } from 'react';
import { firstLine, formatTraffic, resolveRevision, revisionNumber, trafficDiffers, type CloudRunService, type TrafficTarget } from '../../domain/cloud-run';
import type { CloudRunState } from '../../store/cloud-run-state';
import { filterServices, selectedOf } from '../../store/selectors';
import type { Column } from '../columns';
import { ListPanel } from '../components/ListPanel';
import { useAppState } from '../context';
import { formatDuration } from '../format';
import { REFRESH_KEY, ROLLBACK_ALL_KEY, ROLLBACK_KEYS } from '../keys/cloud-run-keys';
import { listKeys } from '../keys/list-keys';
import type { PanelSpec, ViewProps } from '../keys/view-spec';
import { useNow } from '../use-now';

/** `00024 100%, 00020 0% (stable)` — revision numbers are enough to tell targets apart at a glance. */
function servingText(targets: readonly TrafficTarget[], service: CloudRunService): string {
  const number = (revision: string | null) => revisionNumber(revision) ?? revision ?? '?';
  return formatTraffic(targets, (t) => (t.latest ? `LATEST(${number(resolveRevision(t, service))})` : number(t.revision)));
}

function serviceProblem(s: CloudRunService): string | null {
  if (!s.ready && !s.reconciling) return firstLine(s.readyMessage) ?? 'not ready';
  const latestFailed = s.revisions.find((r) => r.name === s.latestCreatedRevision && r.state === 'failed');
  if (latestFailed) return `latest revision ${latestFailed.name} failed: ${firstLine(latestFailed.message) ?? 'not ready'}`;
  if (!s.reconciling && trafficDiffers(s)) return 'traffic differs from what is served';
  return null;
}

const COLUMNS: Column<CloudRunService>[] = [
  { title: 'SERVICE', width: 22, priority: 0, cell: (s) => s.name },
  {
    title: 'READY',
    width: 5,
    priority: 0,
    cell: (s) => (s.ready ? 'yes' : s.reconciling ? '…' : 'no'),
    color: (s) => (s.ready ? 'green' : s.reconciling ? 'yellow' : 'red'),
  },
  { title: 'LATEST READY', width: 32, priority: 2, cell: (s) => s.latestReadyRevision ?? '-' },
  {
    title: 'LATEST CREATED',
    width: 32,
    priority: 3,
    cell: (s) => s.latestCreatedRevision ?? '-',
    color: (s) => (s.latestCreatedRevision !== s.latestReadyRevision ? 'red' : undefined),
  },
  { title: 'SERVING (TRAFFIC)', width: 24, priority: 1, grow: true, cell: (s) => servingText(s.trafficStatuses, s), color: (s) => (trafficDiffers(s) ? 'yellow' : undefined) },
  { title: 'STATE', width: 11, priority: 1, cell: (s) => (s.reconciling ? 'reconciling' : 'steady'), color: (s) => (s.reconciling ? 'yellow' : undefined) },
  { title: 'URL', width: 40, priority: 4, cell: (s) => s.uri },
];

function statusMessage(cr: CloudRunState, now: number): { text: string; color: string } | null {
  if (!cr.loaded) return { text: `Loading Cloud Run services of ${cr.project} (${cr.region}) from ${cr.endpoint}…`, color: 'yellow' };
  if (cr.error && cr.services.length === 0) {
    // Nothing tries again after a failed start: saying "retrying" would have the person on call wait for nothing.
    if (cr.retryAt === null) return { text: `${cr.error.message} — not tried again: restart the console once it is fixed`, color: 'red' };
    const seconds = Math.max(0, Math.ceil((cr.retryAt - now) / 1000));
    return { text: `${cr.error.message} — retrying in ${seconds}s`, color: 'red' };
  }
  return null;
}

function CloudRunPanel({ width, height }: ViewProps) {
  const now = useNow();
  const { cr, focused, selectedId, filter, filterEditing } = useAppState((s) => ({
    cr: s.cloudRun,
    focused: s.ui.focus === 'cloudrun' && s.ui.overlay === null,
    selectedId: s.ui.selectedId.cloudrun,
    filter: s.ui.filters.cloudrun,
    filterEditing: s.ui.filterEditing && s.ui.focus === 'cloudrun',
  }));
  const rows = useMemo(() => filterServices(cr.services, filter), [cr.services, filter]);
  const selected = selectedOf(rows, (s) => s.name, selectedId);
  const problem = selected ? serviceProblem(selected) : null;
  const age = cr.updatedAt ? `updated ${formatDuration(now - cr.updatedAt)} ago` : '';
  const staleError = cr.error && cr.services.length > 0 ? `stale: ${cr.error.message}` : null;
  const badge = cr.mode === 'sandbox' ? ' SANDBOX' : cr.mode === 'endpoint' ? ` via ${cr.endpoint}` : '';
  return (
    <ListPanel
      number={CLOUD_RUN_PANEL.number}
      title={`Cloud Run ${cr.project} ${cr.region}${badge}`}
      focused={focused}
      width={width}
      height={height}
      rows={rows}
      rowKey={(s) => s.name}
      columns={COLUMNS}
      selectedKey={selected?.name ?? null}
      filter={filter}
      filterEditing={filterEditing}
      message={statusMessage(cr, now)}
      emptyText="No Cloud Run services found in this project and region"
      footer={
        <Text wrap="truncate" color={staleError || problem ? 'red' : 'gray'}>
          {staleError ?? (problem ? `${selected?.name}: ${problem}` : `${cr.refreshing ? 'refreshing… ' : ''}${age} · ${OPEN_REVISIONS.label} revisions · ${REFRESH_KEY.label} refresh`)}
        </Text>
      }
    />
  );
}

const CLOUD_RUN_KEYS = [...listKeys('Revisions of the selected service'), ...ROLLBACK_KEYS, ROLLBACK_ALL_KEY];
const OPEN_REVISIONS = CLOUD_RUN_KEYS.find((b) => b.hint === 'details')!;

export const CLOUD_RUN_PANEL: PanelSpec = {
  id: 'cloudrun',
  number: 3,
  title: 'Cloud Run',
  component: CloudRunPanel,
  keys: { title: 'Cloud Run', bindings: CLOUD_RUN_KEYS },
};
