// CPU time and memory of processes, read from /proc: the same clock (kernel ticks) for the console and its baseline,
// so other work on the machine slows both alike instead of skewing a wall-clock comparison.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

const TICKS_PER_SECOND = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());

/** The fields after the command name; a name may hold spaces and parentheses, it ends at the last ')'. */
function statFields(pid: number): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null; // gone
  }
}

/** utime + stime + cutime + cstime: its own time and that of its children it has waited for. */
function ownTicks(pid: number): number {
  const f = statFields(pid);
  return f ? Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]) : 0;
}

function childrenByParent(): Map<number, number[]> {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const parent = Number(statFields(Number(entry))?.[1]);
    if (!Number.isFinite(parent)) continue;
    children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
  }
  return children;
}

/** The pid and all its live descendants. */
function processTree(pid: number): number[] {
  const children = childrenByParent();
  const tree: number[] = [];
  for (let queue = [pid]; queue.length > 0; ) {
    const next = queue.shift()!;
    tree.push(next);
    queue.push(...(children.get(next) ?? []));
  }
  return tree;
}

/** CPU ticks of a process and everything it started (exited children count once reaped). */
export function treeTicks(pid: number): number {
  return processTree(pid).reduce((sum, p) => sum + ownTicks(p), 0);
}

/** CPU time of a process and everything it started, in milliseconds (tick resolution). */
export const treeCpuMs = (pid: number): number => (treeTicks(pid) / TICKS_PER_SECOND) * 1000;

function statusKiB(pid: number, field: 'VmRSS' | 'VmHWM' | 'RssAnon' | 'RssFile'): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith(`${field}:`));
  if (!line) throw new Error(`/proc/${pid}/status has no ${field}`);
  return Number(line.split(/\s+/)[1]);
}

export const rssMiB = (pid: number): number => statusKiB(pid, 'VmRSS') / 1024;
/**
 * Resident memory of its own (heap, stacks: anonymous pages) and resident pages of files it maps (its executable and
 * libraries), which the kernel shares with every process mapping the same files.
 */
export const rssSplitMiB = (pid: number): { anon: number; file: number } => ({ anon: statusKiB(pid, 'RssAnon') / 1024, file: statusKiB(pid, 'RssFile') / 1024 });
/** The most resident memory the process has had so far. */
export const peakRssMiB = (pid: number): number => statusKiB(pid, 'VmHWM') / 1024;

export interface CpuShare {
  ticks: number;
  /** Share of one core over the window, in percent. */
  percent: number;
}

/**
 * Starts one window over several processes (each with its descendants): `stop()` gives each its CPU over exactly
 * the same wall-clock span.
 */
export function cpuWindow(pids: Record<string, number>) {
  const names = Object.keys(pids);
  const before = new Map(names.map((n) => [n, treeTicks(pids[n]!)]));
  const started = performance.now();
  return {
    stop(): { seconds: number; shares: Record<string, CpuShare> } {
      const seconds = (performance.now() - started) / 1000;
      const shares: Record<string, CpuShare> = {};
      for (const n of names) {
        const ticks = treeTicks(pids[n]!) - before.get(n)!;
        shares[n] = { ticks, percent: (ticks / TICKS_PER_SECOND / seconds) * 100 };
      }
      return { seconds, shares };
    },
  };
}

/** True while the process exists and is not a zombie. */
export function isRunning(pid: number): boolean {
  const state = statFields(pid)?.[0];
  return state !== undefined && state !== 'Z' && state !== 'X';
}
