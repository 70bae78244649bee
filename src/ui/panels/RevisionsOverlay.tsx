import { Text } from 'ink';
import { firstLine, revisionTags, servingShare, type CloudRunRevision } from '../../domain/cloud-run';
import { selectedOf, selectedService } from '../../store/selectors';
import type { Column } from '../columns';
import { ListPanel } from '../components/ListPanel';
import { useAppState } from '../context';
import { formatDuration, shortImage } from '../format';
import { REFRESH_KEY, ROLLBACK_KEYS } from '../keys/cloud-run-keys';
import { MOVE_KEYS } from '../keys/list-keys';
import { ESC_CLOSES } from '../keys/overlay-keys';
import type { OverlaySpec } from '../keys/view-spec';
import { useNow } from '../use-now';
import { CLOUD_RUN_PANEL } from './CloudRunPanel';

const STATE_COLOR = { ready: 'green', failed: 'red', pending: 'yellow' } as const;

function revisionColumns(now: number, share: Map<string, number>, tags: Map<string, string[]>): Column<CloudRunRevision>[] {
  return [
    { title: 'REVISION', width: 32, priority: 0, cell: (r) => r.name },
    { title: 'AGE', width: 7, priority: 3, align: 'right', cell: (r) => (r.createTime ? formatDuration(now - Date.parse(r.createTime)) : '-') },
    { title: 'STATE', width: 7, priority: 0, cell: (r) => r.state, color: (r) => STATE_COLOR[r.state] },
    { title: 'IMAGE', width: 28, priority: 2, grow: true, cell: (r) => shortImage(r.image) },
    { title: 'VARIANT', width: 7, priority: 1, cell: (r) => r.variant },
    { title: 'MEM', width: 6, priority: 4, align: 'right', cell: (r) => r.memory ?? '-' },
    { title: 'CPU', width: 5, priority: 4, align: 'right', cell: (r) => r.cpu ?? '-' },
    { title: 'MIN/MAX', width: 7, priority: 5, align: 'right', cell: (r) => `${r.minInstances ?? 0}/${r.maxInstances ?? '-'}` },
    { title: 'TRAFFIC', width: 7, priority: 0, align: 'right', cell: (r) => `${share.get(r.name) ?? 0}%`, color: (r) => (share.get(r.name) ? 'cyan' : undefined) },
    { title: 'TAGS', width: 10, priority: 3, cell: (r) => (tags.get(r.name) ?? []).join(',') },
  ];
}

/** The revisions of the selected Cloud Run service, newest first, with the share of traffic each serves. */
function RevisionsOverlay({ width, height }: { width: number; height: number }) {
  const now = useNow();
  const { service, selectedId } = useAppState((s) => ({ service: selectedService(s), selectedId: s.ui.selectedId.revisions }));
  if (!service) return <Text color="yellow">That service is gone. Press Esc to go back.</Text>;
  const rows = service.revisions;
  const selected = selectedOf(rows, (r) => r.name, selectedId);
  const columns = revisionColumns(now, servingShare(service), revisionTags(service));
  return (
    <ListPanel
      number={CLOUD_RUN_PANEL.number}
      title={`Cloud Run › ${service.name} revisions (Esc back)`}
      focused
      width={width}
      height={height}
      rows={rows}
      rowKey={(r) => r.name}
      columns={columns}
      selectedKey={selected?.name ?? null}
      filter=""
      filterEditing={false}
      emptyText="No revisions"
      footer={
        <Text wrap="truncate" color={selected && !selected.ready ? 'red' : 'gray'}>
          {selected ? `${selected.name}: ${firstLine(selected.message) ?? selected.state}` : ''}
        </Text>
      }
    />
  );
}

export const REVISIONS_OVERLAY: OverlaySpec = {
  id: 'revisions',
  component: RevisionsOverlay,
  keys: { title: 'Revisions', bindings: [...MOVE_KEYS, REFRESH_KEY, ...ROLLBACK_KEYS, { ...ESC_CLOSES, description: 'Back to the panels', hint: 'back' }] },
};
