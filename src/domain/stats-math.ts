import type { ContainerStats } from './types';

/**
 * The engine sends a running container's stats every second; figures older than this are the last known, not the
 * current ones (the engine fell behind, or the stream stalled and is being opened again).
 */
export const STATS_STALE_MS = 5_000;

/** The subset of the engine's `/containers/{id}/stats` payload that the docker CLI reads. */
export interface EngineStats {
  read?: string;
  cpu_stats?: CpuStats;
  precpu_stats?: CpuStats;
  memory_stats?: { usage?: number; limit?: number; stats?: Record<string, number> };
  networks?: Record<string, { rx_bytes?: number; tx_bytes?: number }>;
  blkio_stats?: { io_service_bytes_recursive?: Array<{ op?: string; value?: number }> | null };
  pids_stats?: { current?: number };
}

interface CpuStats {
  cpu_usage?: { total_usage?: number; percpu_usage?: number[] | null };
  system_cpu_usage?: number;
  online_cpus?: number;
}

/** Whether this frame shows that its engine counts pids (see computeStats). */
export function showsPidCounting(raw: EngineStats): boolean {
  return (raw.pids_stats?.current ?? 0) > 0;
}

/** The engine answers a stopped container's stats with a zero timestamp and zeroed counters. */
export function isEmptySample(raw: EngineStats): boolean {
  return !raw.read || raw.read.startsWith('0001-01-01');
}

/** True when the payload carries a previous sample, so a CPU % can be computed from it. */
export function hasPreviousSample(raw: EngineStats): boolean {
  return (raw.precpu_stats?.system_cpu_usage ?? 0) > 0;
}

/**
 * CPU % as the docker CLI computes it: share of host CPU time, scaled by online CPUs. Without a previous sample
 * the deltas would be lifetime totals, so the result is 0 rather than a lifetime average.
 */
export function cpuPercent(raw: EngineStats): number {
  if (!hasPreviousSample(raw)) return 0;
  const cpuDelta = (raw.cpu_stats?.cpu_usage?.total_usage ?? 0) - (raw.precpu_stats?.cpu_usage?.total_usage ?? 0);
  const systemDelta = (raw.cpu_stats?.system_cpu_usage ?? 0) - (raw.precpu_stats?.system_cpu_usage ?? 0);
  const onlineCpus = raw.cpu_stats?.online_cpus || raw.cpu_stats?.cpu_usage?.percpu_usage?.length || 0;
  if (cpuDelta <= 0 || systemDelta <= 0) return 0;
  return (cpuDelta / systemDelta) * onlineCpus * 100;
}

/** Memory in use minus reclaimable page cache: `total_inactive_file` on cgroup v1, `inactive_file` on v2. */
export function memoryUsage(raw: EngineStats): number {
  const usage = raw.memory_stats?.usage ?? 0;
  const stats = raw.memory_stats?.stats ?? {};
  for (const key of ['total_inactive_file', 'inactive_file']) {
    const inactiveFile = stats[key];
    if (inactiveFile !== undefined && inactiveFile < usage) return usage - inactiveFile;
  }
  return usage;
}

function blockBytes(raw: EngineStats, op: 'read' | 'write'): number {
  let total = 0;
  for (const entry of raw.blkio_stats?.io_service_bytes_recursive ?? []) {
    if (entry.op?.toLowerCase() === op) total += entry.value ?? 0;
  }
  return total;
}

/**
 * `countsPids`: the engine has reported a pid count for some container. It omits a count of zero, and has none
 * where the host does not count pids, so a missing count is zero only on an engine that counts them.
 */
export function computeStats(raw: EngineStats, countsPids = false): ContainerStats {
  const memUsageBytes = memoryUsage(raw);
  const memLimitBytes = raw.memory_stats?.limit ?? 0;
  let netRxBytes = 0;
  let netTxBytes = 0;
  for (const net of Object.values(raw.networks ?? {})) {
    netRxBytes += net.rx_bytes ?? 0;
    netTxBytes += net.tx_bytes ?? 0;
  }
  return {
    cpuPercent: cpuPercent(raw),
    memUsageBytes,
    memLimitBytes,
    memPercent: memLimitBytes > 0 ? (memUsageBytes / memLimitBytes) * 100 : 0,
    netRxBytes,
    netTxBytes,
    blockReadBytes: blockBytes(raw, 'read'),
    blockWriteBytes: blockBytes(raw, 'write'),
    pids: raw.pids_stats?.current ?? (countsPids ? 0 : null),
  };
}
