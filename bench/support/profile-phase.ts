// CPU profiles (`npm run bench -- --profile`): the console of one case under `node --cpu-prof` in its own session,
// ready and settled, then one or more windows (nobody typing; key presses); `q` quits it, Node writes the profile,
// and each window is summarised on its own (start-up and quitting are cut off by their offsets from the launch).
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { sleep } from '../../test/support/wait';
import type { BenchTerminal } from './bench-terminal';
import { summariseProfile, type ProfileSummary } from './cpu-profile';
import { startConsole, type IdleCase } from './idle-phase';
import { isRunning } from './proc-stats';

const EXIT_WAIT_MS = 15_000;

export interface ProfileWindow {
  label: string;
  /** Runs the window against the profiled console, `pid`. */
  run(pid: number): Promise<unknown>;
}

export async function profileConsole(
  term: BenchTerminal,
  c: IdleCase,
  dir: string,
  settleMs: number,
  windows: readonly ProfileWindow[],
): Promise<{ file: string; summaries: Array<{ label: string; from: number; to: number; summary: ProfileSummary }> }> {
  mkdirSync(dir, { recursive: true });
  const launched = performance.now();
  const pid = await startConsole(term, c);
  await sleep(settleMs);
  const spans: Array<{ label: string; from: number; to: number }> = [];
  for (const w of windows) {
    const from = performance.now() - launched;
    await w.run(pid);
    spans.push({ label: w.label, from, to: performance.now() - launched });
  }
  await term.keys(c.session, 'q');
  const deadline = performance.now() + EXIT_WAIT_MS;
  while (isRunning(pid)) {
    if (performance.now() > deadline) throw new Error(`the profiled console did not quit on q within ${EXIT_WAIT_MS} ms`);
    await sleep(20);
  }
  const written = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
  if (written.length !== 1) throw new Error(`expected one .cpuprofile in ${dir}, found ${written.length}`);
  const file = join(dir, written[0]!);
  return { file, summaries: spans.map((s) => ({ ...s, summary: summariseProfile(file, s.from, s.to) })) };
}
