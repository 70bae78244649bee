import { Text } from 'ink';
import { useMemo } from 'react';
import type { ContainerInfo } from '../../domain/types';
import { containerRows, selectedOf } from '../../store/selectors';
import type { Column } from '../columns';
import { ListPanel } from '../components/ListPanel';
import { useAppState } from '../context';
import { formatBytes, formatDuration } from '../format';
import { HEALTH_COLOR, stateColor } from '../theme';
import { listKeys, ORDER_KEY } from '../keys/list-keys';
import { CONTAINER_RUNBOOKS_KEY } from '../keys/runbook-keys';
import { REBUILD_SERVICE_KEY } from '../keys/stacks-keys';
import type { PanelSpec } from '../keys/view-spec';
import { useNow } from '../use-now';
import { engineMessage } from './engine-message';

function healthColumns(now: number): Column<ContainerInfo>[] {
  return [
    { title: 'NAME', width: 18, priority: 0, grow: true, cell: (c) => c.name },
    { title: 'PROJECT', width: 14, priority: 6, cell: (c) => c.project ?? '-' },
    { title: 'SERVICE', width: 10, priority: 3, cell: (c) => c.service ?? '-' },
    { title: 'IMAGE', width: 20, priority: 7, cell: (c) => c.image },
    { title: 'SIZE', width: 7, priority: 9, align: 'right', cell: (c) => formatBytes(c.imageSizeBytes) },
    { title: 'VARIANT', width: 7, priority: 5, cell: (c) => c.variant },
    { title: 'STATE', width: 10, priority: 1, cell: (c) => c.state, color: (c) => stateColor(c.state) },
    { title: 'HEALTH', width: 9, priority: 1, cell: (c) => c.health, color: (c) => HEALTH_COLOR[c.health] },
    { title: 'RESTARTS', width: 8, priority: 2, align: 'right', cell: (c) => String(c.restarts), color: (c) => (c.restarts > 0 ? 'yellow' : undefined) },
    { title: 'EXIT', width: 4, priority: 4, align: 'right', cell: (c) => (c.exitCode === null ? '-' : String(c.exitCode)), color: (c) => (c.exitCode ? 'red' : undefined) },
    { title: 'OOM', width: 3, priority: 4, cell: (c) => (c.oomKilled ? 'yes' : 'no'), color: (c) => (c.oomKilled ? 'red' : undefined) },
    { title: 'UPTIME', width: 7, priority: 8, align: 'right', cell: (c) => (c.state === 'running' && c.startedAt ? formatDuration(now - Date.parse(c.startedAt)) : '-') },
  ];
}

function HealthPanel({ width, height }: { width: number; height: number }) {
  const now = useNow();
  // Not all of `docker`: stats frames, every second per container, must not re-sort and re-render this panel.
  const { containers, alerts, connection, host, focused, selectedId, filter, filterEditing, sort } = useAppState((s) => ({
    containers: s.docker.containers,
    alerts: s.docker.alerts,
    connection: s.docker.connection,
    host: s.docker.host,
    focused: s.ui.focus === 'health' && s.ui.overlay === null,
    selectedId: s.ui.selectedId.health,
    filter: s.ui.filters.health,
    filterEditing: s.ui.filterEditing && s.ui.focus === 'health',
    sort: s.ui.sort.health,
  }));
  const rows = useMemo(() => containerRows({ containers, alerts }, filter, sort), [containers, alerts, filter, sort]);
  const columns = useMemo(() => healthColumns(now), [now]);
  const selected = selectedOf(rows, (c) => c.id, selectedId);
  const failure = selected?.health === 'unhealthy' || selected?.lastHealthFailure ? selected.lastHealthFailure : null;
  return (
    <ListPanel
      number={CONTAINERS_PANEL.number}
      title={`Containers · by ${sort}`}
      focused={focused}
      width={width}
      height={height}
      rows={rows}
      rowKey={(c) => c.id}
      columns={columns}
      selectedKey={selected?.id ?? null}
      filter={filter}
      filterEditing={filterEditing}
      message={engineMessage(host, connection, now)}
      emptyText="No containers in the configured compose projects (press a to show all containers)"
      footer={
        failure ? (
          <Text color="red" wrap="truncate">{`last failing check of ${selected?.name}: ${failure.replace(/\s+/g, ' ')}`}</Text>
        ) : null
      }
    />
  );
}

export const CONTAINERS_PANEL: PanelSpec = {
  id: 'health',
  number: 1,
  title: 'Containers',
  component: HealthPanel,
  keys: { title: 'Containers', bindings: [...listKeys('Details of the selected container'), ORDER_KEY, REBUILD_SERVICE_KEY, CONTAINER_RUNBOOKS_KEY] },
};
