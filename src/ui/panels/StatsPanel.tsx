import { useMemo } from 'react';
import { cpuLevel, memoryLevel, type Thresholds } from '../../domain/thresholds';
import { STATS_STALE_MS } from '../../domain/stats-math';
import type { ContainerStats } from '../../domain/types';
import { selectedOf, statsRows, type StatsRow } from '../../store/selectors';
import type { StatsSort } from '../../store/store';
import type { Column } from '../columns';
import { ListPanel } from '../components/ListPanel';
import { useAppState } from '../context';
import { formatBytes, formatPercent, formatPids, sparkline } from '../format';
import { LEVEL_COLOR } from '../theme';
import { listKeys, ORDER_KEY } from '../keys/list-keys';
import type { PanelSpec } from '../keys/view-spec';
import { useNow } from '../use-now';
import { engineMessage } from './engine-message';

const SPARK_WIDTH = 12;
const SORT_TITLE: Record<StatsSort, string> = { severity: 'severity', memory: 'memory %', cpu: 'CPU %', name: 'name' };

/** How long a row's figures have been the last known ones, or null while they are current (and for the totals). */
function staleSeconds(r: StatsRow, now: number): number | null {
  return r.receivedAt !== null && now - r.receivedAt > STATS_STALE_MS ? Math.floor((now - r.receivedAt) / 1000) : null;
}

function statsColumns(t: Thresholds, now: number): Column<StatsRow>[] {
  const stale = (r: StatsRow) => staleSeconds(r, now) !== null;
  const memColor = (r: StatsRow) => {
    const level = r.stats.memLimitBytes > 0 ? memoryLevel(r.stats.memPercent, t) : null;
    return level ? LEVEL_COLOR[level] : undefined;
  };
  const cpuColor = (r: StatsRow) => {
    if (stale(r)) return 'yellow';
    const level = cpuLevel(r.stats.cpuPercent, t);
    return level ? LEVEL_COLOR[level] : undefined;
  };
  return [
    { title: 'NAME', width: 18, priority: 0, grow: true, cell: (r) => r.name },
    { title: 'CPU %', width: 7, priority: 0, align: 'right', cell: (r) => (stale(r) ? 'stale' : formatPercent(r.stats.cpuPercent)), color: cpuColor },
    { title: 'MEM USAGE / LIMIT', width: 19, priority: 1, align: 'right', cell: (r) => `${formatBytes(r.stats.memUsageBytes)} / ${formatBytes(r.stats.memLimitBytes)}` },
    { title: 'MEM %', width: 6, priority: 0, align: 'right', cell: (r) => formatPercent(r.stats.memPercent), color: memColor },
    { title: 'NET RX / TX', width: 17, priority: 4, align: 'right', cell: (r) => `${formatBytes(r.stats.netRxBytes)} / ${formatBytes(r.stats.netTxBytes)}` },
    { title: 'BLOCK R / W', width: 17, priority: 5, align: 'right', cell: (r) => `${formatBytes(r.stats.blockReadBytes)} / ${formatBytes(r.stats.blockWriteBytes)}` },
    { title: 'PIDS', width: 5, priority: 3, align: 'right', cell: (r) => formatPids(r.stats.pids) },
    {
      title: 'CPU HISTORY',
      width: SPARK_WIDTH,
      priority: 2,
      cell: (r) => (stale(r) ? `no stats ${staleSeconds(r, now)}s` : sparkline(r.cpuHistory, SPARK_WIDTH)),
      color: (r) => (stale(r) ? 'yellow' : 'cyan'),
    },
  ];
}

/** Sums every column; the limit is summed too so the total MEM % is the share of all limits. */
export function totalsRow(rows: readonly StatsRow[]): StatsRow {
  const sum = (pick: (s: ContainerStats) => number) => rows.reduce((total, r) => total + pick(r.stats), 0);
  const counted = rows.some((r) => r.stats.pids !== null);
  const memUsageBytes = sum((s) => s.memUsageBytes);
  const memLimitBytes = sum((s) => s.memLimitBytes);
  return {
    id: 'total',
    name: `TOTAL (${rows.length})`,
    cpuHistory: [],
    receivedAt: null,
    stats: {
      cpuPercent: sum((s) => s.cpuPercent),
      memUsageBytes,
      memLimitBytes,
      memPercent: memLimitBytes > 0 ? (memUsageBytes / memLimitBytes) * 100 : 0,
      netRxBytes: sum((s) => s.netRxBytes),
      netTxBytes: sum((s) => s.netTxBytes),
      blockReadBytes: sum((s) => s.blockReadBytes),
      blockWriteBytes: sum((s) => s.blockWriteBytes),
      pids: counted ? sum((s) => s.pids ?? 0) : null,
    },
  };
}

export function StatsPanel({ width, height }: { width: number; height: number }) {
  const now = useNow();
  const { docker, connection, host, thresholds, focused, selectedId, filter, filterEditing, sort } = useAppState((s) => ({
    docker: s.docker,
    connection: s.docker.connection,
    host: s.docker.host,
    thresholds: s.settings.thresholds,
    focused: s.ui.focus === 'stats' && s.ui.overlay === null,
    selectedId: s.ui.selectedId.stats,
    filter: s.ui.filters.stats,
    filterEditing: s.ui.filterEditing && s.ui.focus === 'stats',
    sort: s.ui.sort.stats,
  }));
  const rows = useMemo(() => statsRows(docker, filter, sort), [docker, filter, sort]);
  const columns = useMemo(() => statsColumns(thresholds, now), [thresholds, now]);
  const totals = useMemo(() => (rows.length > 0 ? totalsRow(rows) : null), [rows]);
  return (
    <ListPanel
      number={STATS_PANEL.number}
      title={`Stats · by ${SORT_TITLE[sort]}`}
      focused={focused}
      width={width}
      height={height}
      rows={rows}
      rowKey={(r) => r.id}
      columns={columns}
      selectedKey={selectedOf(rows, (r) => r.id, selectedId)?.id ?? null}
      filter={filter}
      filterEditing={filterEditing}
      message={engineMessage(host, connection, now)}
      emptyText="No running containers with stats yet"
      summaryRow={totals}
    />
  );
}

export const STATS_PANEL: PanelSpec = {
  id: 'stats',
  number: 2,
  title: 'Stats',
  component: StatsPanel,
  keys: { title: 'Stats', bindings: [...listKeys('Details of the selected container'), ORDER_KEY] },
};
