// Start-up in a real terminal: a bare `node -e 0` (start to exit) and the console (start to its first frame, and to
// every container listed), alternated round by round so that load on the machine hits both alike. Both are started
// the same way: a new tmux session running `sh script` that execs `env -i … program`.
import { sleep } from '../../test/support/wait';
import type { BenchTerminal } from './bench-terminal';
import type { Launch } from './console-launch';
import { isRunning } from './proc-stats';

export interface StartupSamples {
  bareNodeMs: number[];
  firstFrameMs: number[];
  allShownMs: number[];
}

const FIRST_FRAME = /\[1\] Containers/;
const NODE_EXIT_WAIT_MS = 10_000;

/** The status bar counts them and the Containers panel lists them (its position reads 1/N). */
export const allListed = (count: number) => (screen: string) =>
  screen.includes(`${count} containers:`) && new RegExp(`\\[1\\] Containers[^\\n]*\\s1/${count} │`).test(screen);

async function bareNode(term: BenchTerminal, launch: Launch, session: string): Promise<number> {
  const started = performance.now();
  const pid = await term.start(session, launch.argv, launch.env);
  const deadline = started + NODE_EXIT_WAIT_MS;
  while (isRunning(pid)) {
    if (performance.now() > deadline) throw new Error(`node -e 0 still running after ${NODE_EXIT_WAIT_MS} ms`);
    await sleep(1);
  }
  return performance.now() - started;
}

async function consoleStart(term: BenchTerminal, launch: Launch, session: string, containers: number) {
  const started = performance.now();
  const pid = await term.start(session, launch.argv, launch.env);
  const firstFrame = (await term.waitFor(session, (s) => FIRST_FRAME.test(s), 'the first frame')) - started;
  const allShown = (await term.waitFor(session, allListed(containers), `all ${containers} containers`)) - started;
  await term.end(session, pid);
  return { firstFrame, allShown };
}

/** One untimed round first: it fills Node's compile cache and the page cache, as any start after the first finds them. */
export async function measureStartup(term: BenchTerminal, node: Launch, console: Launch, containers: number, rounds: number): Promise<StartupSamples> {
  const samples: StartupSamples = { bareNodeMs: [], firstFrameMs: [], allShownMs: [] };
  for (let round = 0; round <= rounds; round++) {
    const nodeMs = await bareNode(term, node, `node${round}`);
    const { firstFrame, allShown } = await consoleStart(term, console, `start${round}`, containers);
    if (round === 0) continue;
    samples.bareNodeMs.push(nodeMs);
    samples.firstFrameMs.push(firstFrame);
    samples.allShownMs.push(allShown);
  }
  return samples;
}
