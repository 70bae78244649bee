import { Text } from 'ink';
import { useMemo } from 'react';
import type { StackDefinition, StackMeasurements, StackVariant, VariantMeasurement } from '../../domain/stacks';
import type { ContainerInfo } from '../../domain/types';
import { selectedOf, stackContainers, stackHealth, stackRows, stackVariantText, summarizeMeasurement, type StackHealth } from '../../store/selectors';
import type { Column } from '../columns';
import { ListPanel } from '../components/ListPanel';
import { useAppState } from '../context';
import { formatBytes } from '../format';
import type { Colour } from '../theme';
import { COMPARE_KEY, STACKS_KEYS, SWITCH_KEY } from '../keys/stacks-keys';
import type { PanelSpec, ViewProps } from '../keys/view-spec';

/** `6.2 s`; `-` when not seen. */
export function secondsText(seconds: number | null): string {
  return seconds === null ? '-' : `${seconds.toFixed(1)} s`;
}

/** Image sizes in decimal units, as `docker image ls` and the platform guides write them: `186 MB`, `1.25 GB`. */
export function imageSizeText(bytes: number | null): string {
  if (bytes === null) return '-';
  return bytes < 1e9 ? `${Math.round(bytes / 1e6)} MB` : `${(bytes / 1e9).toFixed(2)} GB`;
}

/** `max 6.2 s · 1.1GiB · 186 MB`: the slowest start → healthy, the sum of memory medians, the sum of image sizes. */
export function measurementText(measurement: VariantMeasurement | undefined): string {
  if (!measurement) return 'not measured';
  const summary = summarizeMeasurement(measurement.services);
  return `${secondsText(summary.maxStartSeconds)} · ${formatBytes(summary.memoryBytes)} · ${imageSizeText(summary.imageBytes)}`;
}

export function healthText(health: StackHealth): string {
  if (health.total === 0) return 'no containers';
  const extra = [
    health.unhealthy ? `${health.unhealthy} unhealthy` : '',
    health.starting ? `${health.starting} starting` : '',
    health.down ? `${health.down} down` : '',
  ].filter(Boolean);
  return [`${health.healthy}/${health.total} healthy`, ...extra].join(', ');
}

export function healthColor(health: StackHealth): Colour | undefined {
  if (health.total === 0) return 'gray';
  if (health.unhealthy || health.down) return 'red';
  if (health.starting || health.healthy < health.total) return 'yellow';
  return 'green';
}

interface StackRow {
  stack: StackDefinition;
  /** `?` while the engine is not connected: what runs is not known. */
  running: StackVariant | 'mixed' | 'none' | '?';
  health: StackHealth | null;
  measured: Partial<Record<StackVariant, VariantMeasurement>>;
}

function stackRowsOf(
  definitions: readonly StackDefinition[],
  containers: Record<string, ContainerInfo>,
  measurements: StackMeasurements,
  filter: string,
  engineConnected: boolean,
): StackRow[] {
  return stackRows(definitions, filter).map((stack) => {
    const mine = stackContainers(containers, stack.project);
    const { alpine, regular } = measurements[stack.name] ?? {};
    const measured = { alpine, regular };
    return engineConnected ? { stack, running: stackVariantText(mine), health: stackHealth(mine), measured } : { stack, running: '?', health: null, measured };
  });
}

/** Each variant's last measurement, in the order the columns say: slowest start-up, memory, images. */
const MEASURED_HEADER = 'max start·mem·img';

const COLUMNS: Column<StackRow>[] = [
  { title: 'STACK', width: 12, priority: 0, cell: (r) => r.stack.name },
  { title: 'PROJECT', width: 12, priority: 4, cell: (r) => r.stack.project },
  {
    title: 'RUNNING',
    width: 7,
    priority: 0,
    cell: (r) => r.running,
    color: (r) => (r.running === 'mixed' ? 'yellow' : r.running === 'none' || r.running === '?' ? 'gray' : 'cyan'),
  },
  {
    title: 'HEALTH',
    width: 20,
    priority: 1,
    grow: true,
    cell: (r) => (r.health ? healthText(r.health) : 'engine not connected'),
    color: (r) => (r.health ? healthColor(r.health) : 'gray'),
  },
  {
    title: `ALPINE ${MEASURED_HEADER}`,
    width: 26,
    priority: 2,
    cell: (r) => measurementText(r.measured.alpine),
    color: (r) => (r.measured.alpine ? undefined : 'gray'),
  },
  {
    title: `REGULAR ${MEASURED_HEADER}`,
    width: 26,
    priority: 3,
    cell: (r) => measurementText(r.measured.regular),
    color: (r) => (r.measured.regular ? undefined : 'gray'),
  },
];

function measuredAt(m: VariantMeasurement | undefined): string {
  return m ? ` (${m.measuredAt.slice(0, 16).replace('T', ' ')})` : '';
}

function footerText(row: StackRow | undefined, readOnly: boolean): string {
  if (!row) return readOnly ? '' : `${SWITCH_KEY.label} switch · ${COMPARE_KEY.label} compare`;
  const variants = (['alpine', 'regular'] as const).map((v) => `${v} ${measurementText(row.measured[v])}${measuredAt(row.measured[v])}`);
  return `${row.stack.name}: ${variants.join(' · ')}`;
}

function StacksPanel({ width, height }: ViewProps) {
  const { definitions, measurements, containers, connected, focused, selectedId, filter, filterEditing, readOnly } = useAppState((s) => ({
    definitions: s.stacks.definitions,
    measurements: s.stacks.measurements,
    containers: s.docker.containers,
    connected: s.docker.connection.state === 'connected',
    focused: s.ui.focus === 'stacks' && s.ui.overlay === null,
    selectedId: s.ui.selectedId.stacks,
    filter: s.ui.filters.stacks,
    filterEditing: s.ui.filterEditing && s.ui.focus === 'stacks',
    readOnly: s.readOnly,
  }));
  const rows = useMemo(() => stackRowsOf(definitions, containers, measurements, filter, connected), [definitions, containers, measurements, filter, connected]);
  const selected = selectedOf(rows, (r) => r.stack.name, selectedId);
  return (
    <ListPanel
      number={STACKS_PANEL.number}
      title="Stacks"
      focused={focused}
      width={width}
      height={height}
      rows={rows}
      rowKey={(r) => r.stack.name}
      columns={COLUMNS}
      selectedKey={selected?.stack.name ?? null}
      filter={filter}
      filterEditing={filterEditing}
      emptyText="No stacks configured (add them under stacks: in the config file)"
      footer={
        <Text wrap="truncate" dimColor>
          {footerText(selected, readOnly)}
        </Text>
      }
    />
  );
}

export const STACKS_PANEL: PanelSpec = {
  id: 'stacks',
  number: 5,
  title: 'Stacks',
  component: StacksPanel,
  keys: { title: 'Stacks', bindings: STACKS_KEYS },
};
