import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { computeStats, cpuPercent, hasPreviousSample, isEmptySample, memoryUsage, showsPidCounting, type EngineStats } from '../../src/domain/stats-math';

const FIXTURES = new URL('../fixtures/engine-stats/', import.meta.url);

/** A fresh copy of a recorded payload, so a test may edit it. */
function payload(name: 'cgroup-v1' | 'cgroup-v2' | 'stopped'): EngineStats {
  return JSON.parse(readFileSync(new URL(`${name}.json`, FIXTURES), 'utf8')) as EngineStats;
}

interface CliRow {
  CPUPerc: string;
  MemUsage: string;
  MemPerc: string;
  NetIO: string;
  BlockIO: string;
  PIDs: string;
}
const cli = JSON.parse(readFileSync(new URL('docker-stats-cli.json', FIXTURES), 'utf8')) as Record<'cgroup-v1.json' | 'stopped.json', CliRow>;

const BINARY_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

/** Bytes as the docker CLI prints them: binary units, 4 significant digits ("788KiB", "8.547MiB", "64MiB"). */
function dockerSize(bytes: number): string {
  let size = bytes;
  let unit = 0;
  while (size >= 1024 && unit < BINARY_UNITS.length - 1) {
    size /= 1024;
    unit++;
  }
  return `${Number(size.toPrecision(4))}${BINARY_UNITS[unit]}`;
}
const dockerPair = (a: number, b: number) => `${dockerSize(a)} / ${dockerSize(b)}`;
const cliPercent = (text: string) => Number(text.replace('%', ''));

describe('recorded cgroup v1 payload (busybox, --cpus 0.5, --memory 64m, 12 MiB in the page cache)', () => {
  const raw = payload('cgroup-v1');
  const stats = computeStats(raw);

  it('is a real sample with a previous sample', () => {
    expect(isEmptySample(raw)).toBe(false);
    expect(hasPreviousSample(raw)).toBe(true);
  });

  it('computes CPU % as cpuDelta / systemDelta * online_cpus * 100', () => {
    const cpuDelta = 5_536_938_602 - 5_037_878_464; // 499 060 138 ns of container CPU time
    const systemDelta = 21_116_170_000_000 - 21_114_170_000_000; // 2 s of host time on 2 CPUs
    expect(stats.cpuPercent).toBeCloseTo((cpuDelta / systemDelta) * 2 * 100, 10);
    expect(stats.cpuPercent).toBeCloseTo(49.906, 3);
  });

  it('subtracts total_inactive_file from the usage', () => {
    expect(stats.memUsageBytes).toBe(13_389_824 - 12_582_912); // 788 KiB
    expect(stats.memLimitBytes).toBe(64 * 2 ** 20);
    expect(stats.memPercent).toBeCloseTo((806_912 / 67_108_864) * 100, 10);
  });

  it('has no networks and no block I/O, and counts pids', () => {
    expect(stats).toMatchObject({ netRxBytes: 0, netTxBytes: 0, blockReadBytes: 0, blockWriteBytes: 0, pids: 2 });
  });

  it('agrees with what `docker stats --no-stream` printed for the same container', () => {
    const row = cli['cgroup-v1.json'];
    expect(dockerPair(stats.memUsageBytes, stats.memLimitBytes)).toBe(row.MemUsage);
    expect(`${stats.memPercent.toFixed(2)}%`).toBe(row.MemPerc);
    expect(dockerPair(stats.netRxBytes, stats.netTxBytes)).toBe(row.NetIO);
    expect(dockerPair(stats.blockReadBytes, stats.blockWriteBytes)).toBe(row.BlockIO);
    expect(String(stats.pids)).toBe(row.PIDs);
    // The CLI took its own sample a moment later; both show the 0.5 CPU cap (a formula without the CPU count
    // would give 25 %, one without the factor 100 would give 0.5).
    expect(Math.abs(stats.cpuPercent - cliPercent(row.CPUPerc))).toBeLessThan(5);
  });
});

describe('cgroup v2 payload (after the Engine API reference example)', () => {
  const raw = payload('cgroup-v2');
  const stats = computeStats(raw);

  it('uses online_cpus when there is no percpu_usage', () => {
    expect(raw.cpu_stats?.cpu_usage?.percpu_usage).toBeUndefined();
    // 1.25 s of container CPU time over 4 s of host time (1 s on 4 CPUs) = 1.25 CPUs.
    expect(stats.cpuPercent).toBeCloseTo((1_250_000_000 / 4_000_000_000) * 4 * 100, 10);
    expect(stats.cpuPercent).toBeCloseTo(125, 10);
  });

  it('subtracts inactive_file (there are no total_* keys on cgroup v2)', () => {
    expect(Object.keys(raw.memory_stats!.stats!).filter((k) => k.startsWith('total_'))).toEqual([]);
    expect(stats.memUsageBytes).toBe(157_286_400 - 20_971_520);
    expect(stats.memLimitBytes).toBe(512 * 2 ** 20);
    expect(stats.memPercent).toBeCloseTo((136_314_880 / 536_870_912) * 100, 10);
    expect(stats.memPercent).toBeCloseTo(25.390625, 10);
  });

  it('sums every network interface', () => {
    expect(stats.netRxBytes).toBe(48_213_655 + 1_048_576);
    expect(stats.netTxBytes).toBe(9_874_321 + 524_288);
  });

  it('sums block reads and writes over every device', () => {
    expect(stats.blockReadBytes).toBe(7_593_984 + 409_600);
    expect(stats.blockWriteBytes).toBe(1_052_672 + 0);
  });

  it('counts pids', () => {
    expect(stats.pids).toBe(12);
  });
});

describe('recorded payload of a stopped container', () => {
  const raw = payload('stopped');

  it('is an empty sample (zero read time) without a previous sample', () => {
    expect(raw.read).toBe('0001-01-01T00:00:00Z');
    expect(isEmptySample(raw)).toBe(true);
    expect(hasPreviousSample(raw)).toBe(false);
  });

  it('computes to all zeros, as `docker stats` prints it (on an engine that counts pids)', () => {
    const zero = computeStats(raw, true);
    expect(zero).toEqual({
      cpuPercent: 0, memUsageBytes: 0, memLimitBytes: 0, memPercent: 0,
      netRxBytes: 0, netTxBytes: 0, blockReadBytes: 0, blockWriteBytes: 0, pids: 0,
    });
    const row = cli['stopped.json'];
    expect([`${zero.cpuPercent.toFixed(2)}%`, `${zero.memPercent.toFixed(2)}%`, String(zero.pids)]).toEqual([row.CPUPerc, row.MemPerc, row.PIDs]);
    expect(dockerPair(zero.memUsageBytes, zero.memLimitBytes)).toBe(row.MemUsage);
  });

  it('has no pid count where the engine has shown none: the engine omits a zero, and has none where the host keeps none', () => {
    expect(raw.pids_stats).toEqual({});
    expect(computeStats(raw).pids).toBeNull();
    expect(showsPidCounting(raw)).toBe(false);
    expect(showsPidCounting(payload('cgroup-v1'))).toBe(true);
  });

  it('treats a payload without a read time as empty too', () => {
    const raw = payload('cgroup-v1');
    delete raw.read;
    expect(isEmptySample(raw)).toBe(true);
  });
});

describe('CPU %', () => {
  it.each([
    ['no precpu_stats at all', (raw: EngineStats) => delete raw.precpu_stats],
    // The first frame of a stats stream: zeroed previous usage, no previous system time.
    ['a zeroed precpu_stats', (raw: EngineStats) => (raw.precpu_stats = { cpu_usage: { total_usage: 0 } })],
  ])('is 0 without a previous sample: %s', (_, edit) => {
    const raw = payload('cgroup-v1');
    edit(raw);
    expect(hasPreviousSample(raw)).toBe(false);
    expect(cpuPercent(raw)).toBe(0);
    expect(computeStats(raw).cpuPercent).toBe(0);
  });

  it.each([
    ['an idle container (no CPU time used)', 0, 2_000_000_000],
    ['a container CPU counter that went backwards', -1_000, 2_000_000_000],
    ['no host time passed', 5_000, 0],
    ['a host time counter that went backwards', 5_000, -2_000_000_000],
  ])('is 0 for %s', (_, cpuDelta, systemDelta) => {
    const raw = payload('cgroup-v2');
    raw.precpu_stats!.cpu_usage!.total_usage = raw.cpu_stats!.cpu_usage!.total_usage! - cpuDelta;
    raw.precpu_stats!.system_cpu_usage = raw.cpu_stats!.system_cpu_usage! - systemDelta;
    expect(hasPreviousSample(raw)).toBe(true);
    expect(cpuPercent(raw)).toBe(0);
  });

  it('falls back to the length of percpu_usage when online_cpus is absent', () => {
    const raw = payload('cgroup-v1');
    delete raw.cpu_stats!.online_cpus;
    expect(cpuPercent(raw)).toBeCloseTo((499_060_138 / 2_000_000_000) * 2 * 100, 10);
    raw.cpu_stats!.cpu_usage!.percpu_usage = [1, 2, 3, 4];
    expect(cpuPercent(raw)).toBeCloseTo((499_060_138 / 2_000_000_000) * 4 * 100, 10);
  });

  it('is 0 when neither online_cpus nor percpu_usage tells the CPU count', () => {
    const raw = payload('cgroup-v2');
    delete raw.cpu_stats!.online_cpus;
    expect(cpuPercent(raw)).toBe(0);
  });
});

describe('memory', () => {
  it.each([
    ['cgroup-v1', 'total_inactive_file'],
    ['cgroup-v2', 'inactive_file'],
  ] as const)('%s: uses the whole usage when %s is not below it', (name, key) => {
    const raw = payload(name);
    const usage = raw.memory_stats!.usage!;
    for (const inactive of [usage, usage + 4096]) {
      raw.memory_stats!.stats = { [key]: inactive };
      expect(memoryUsage(raw)).toBe(usage);
    }
  });

  it('uses the whole usage when the engine reports no memory stats breakdown', () => {
    const raw = payload('cgroup-v2');
    delete raw.memory_stats!.stats;
    expect(memoryUsage(raw)).toBe(157_286_400);
  });

  it.each([
    ['absent', undefined],
    ['zero', 0],
  ])('reports memPercent 0 when the limit is %s', (_, limit) => {
    const raw = payload('cgroup-v2');
    raw.memory_stats!.limit = limit;
    const stats = computeStats(raw);
    expect(stats.memLimitBytes).toBe(0);
    expect(stats.memPercent).toBe(0);
    expect(stats.memUsageBytes).toBe(136_314_880);
  });
});

describe('block I/O', () => {
  it('matches ops case-insensitively and ignores the other cgroup v1 ops', () => {
    const raw = payload('cgroup-v1');
    raw.blkio_stats = {
      io_service_bytes_recursive: [
        { op: 'Read', value: 4096 },
        { op: 'Write', value: 8192 },
        { op: 'Sync', value: 12_288 },
        { op: 'Async', value: 0 },
        { op: 'Discard', value: 0 },
        { op: 'Total', value: 12_288 },
        { op: 'READ', value: 1 },
        { op: 'write', value: 2 },
      ],
    };
    expect(computeStats(raw)).toMatchObject({ blockReadBytes: 4097, blockWriteBytes: 8194 });
  });

  it('is 0 when the engine sends null', () => {
    const raw = payload('cgroup-v2');
    raw.blkio_stats = { io_service_bytes_recursive: null };
    expect(computeStats(raw)).toMatchObject({ blockReadBytes: 0, blockWriteBytes: 0 });
  });
});
