// Idle cost: the console following the engine (and a Cloud tail) with nobody typing, next to `docker stats` streaming
// the same containers, both measured in CPU ticks over the same window; the console's RSS at the window's end.
import { sleep } from '../../test/support/wait';
import type { BenchTerminal } from './bench-terminal';
import type { Launch } from './console-launch';
import { cpuWindow, peakRssMiB, rssMiB, rssSplitMiB, type CpuShare } from './proc-stats';

export interface IdleCase {
  session: string;
  launch: Launch;
  /** The screen that says the console is following everything it will follow. */
  ready(screen: string): boolean;
  what: string;
}

export interface IdleResult {
  seconds: number;
  /** Context: how often the console redrew while nobody typed. */
  framesPerSecond: number;
  /** Context: log lines the console received a second (the Cloud tail's rate). */
  logLinesPerSecond: number;
  console: CpuShare;
  dockerStats: CpuShare;
  /** Context: the engine's own CPU over the window (both clients' streams cost it too). */
  dockerd: CpuShare;
  /** Context: the sandbox in another process, when there is one. */
  sandbox?: CpuShare;
  rssMiB: number;
  /** RSS split into its own (anonymous) pages and mapped files' pages, shared with other processes mapping them. */
  rssSplitMiB: { anon: number; file: number };
  peakRssMiB: number;
  dockerStatsRssMiB: number;
  dockerStatsRssSplitMiB: { anon: number; file: number };
}

/** What runs beside the console during its window. */
export interface Bystanders {
  dockerStats: number;
  dockerd: number;
  sandbox?: number;
}

/** Starts the console of `c` and resolves with its pid once its screen says it is ready. */
export async function startConsole(term: BenchTerminal, c: IdleCase): Promise<number> {
  const pid = await term.start(c.session, c.launch.argv, c.launch.env);
  await term.waitFor(c.session, c.ready, c.what, 60_000);
  return pid;
}

/** The logs panel's count of the lines it received (none shown before the first): what the Cloud tail delivered. */
function logLines(screen: string): number {
  const header = /\[4\] Logs [^\n]*/.exec(screen)?.[0];
  if (header === undefined) throw new Error(`no logs panel on the screen:\n${screen}`);
  return Number(/· ([\d,]+) lines/.exec(header)?.[1]?.replace(/,/g, '') ?? 0);
}

/** Ink wraps each frame in a synchronized update (DEC mode 2026); its end, as tmux's %output escapes it. */
const FRAME_END = '\\033[?2026l';

/** One window of a console already running in `session`; a control client counts the frames it writes meanwhile. */
export async function idleWindow(term: BenchTerminal, session: string, pid: number, others: Bystanders, settleMs: number, seconds: number): Promise<IdleResult> {
  await sleep(settleMs); // start-up work (first Cloud Run read, backfill, first stats) is not idle
  const pids: Record<string, number> = { console: pid, dockerStats: others.dockerStats, dockerd: others.dockerd };
  if (others.sandbox) pids.sandbox = others.sandbox;
  let frames = 0;
  const watcher = term.attach(session, (line) => {
    if (line.startsWith('%output ')) frames += line.split(FRAME_END).length - 1;
  });
  const linesBefore = logLines(await term.screen(session));
  const window = cpuWindow(pids);
  await sleep(seconds * 1000);
  const { seconds: measured, shares } = window.stop();
  const linesAfter = logLines(await term.screen(session));
  watcher.close();
  return {
    seconds: measured,
    framesPerSecond: frames / measured,
    logLinesPerSecond: (linesAfter - linesBefore) / measured,
    console: shares.console!,
    dockerStats: shares.dockerStats!,
    dockerd: shares.dockerd!,
    ...(shares.sandbox ? { sandbox: shares.sandbox } : {}),
    rssMiB: rssMiB(pid),
    rssSplitMiB: rssSplitMiB(pid),
    peakRssMiB: peakRssMiB(pid),
    dockerStatsRssMiB: rssMiB(others.dockerStats),
    dockerStatsRssSplitMiB: rssSplitMiB(others.dockerStats),
  };
}

export async function measureIdle(term: BenchTerminal, c: IdleCase, others: Bystanders, settleMs: number, seconds: number): Promise<IdleResult> {
  const pid = await startConsole(term, c);
  const result = await idleWindow(term, c.session, pid, others, settleMs, seconds);
  await term.end(c.session, pid);
  return result;
}

const pct = (s: CpuShare) => `${s.percent.toFixed(2)} % (${s.ticks} ticks)`;

/** The raw figures of one window, one line. */
export function idleLine(label: string, r: IdleResult): string {
  const sandbox = r.sandbox ? `, sandbox process ${pct(r.sandbox)}` : '';
  const activity = `drawing ${r.framesPerSecond.toFixed(1)} frames/s, receiving ${r.logLinesPerSecond.toFixed(1)} log lines/s`;
  const cpu = `netra-console ${pct(r.console)} ${activity}, docker stats ${pct(r.dockerStats)}, dockerd ${pct(r.dockerd)}${sandbox}`;
  const split = (s: { anon: number; file: number }) => `${s.anon.toFixed(0)} own + ${s.file.toFixed(0)} files`;
  const rss = `RSS netra-console ${r.rssMiB.toFixed(0)} MiB = ${split(r.rssSplitMiB)} (peak ${r.peakRssMiB.toFixed(0)}), docker stats ${r.dockerStatsRssMiB.toFixed(0)} MiB = ${split(r.dockerStatsRssSplitMiB)}`;
  return `${label}: over ${r.seconds.toFixed(1)} s ${cpu}; ${rss}`;
}
