// Selection keys in the Containers panel, timed from outside in a real terminal: `j` (then `k`) is sent through a
// tmux control client attached to the console's session, which then polls the screen until the panel's position
// ("12/200") moved. The same client receives what the pane prints (%output notifications, in order with the
// replies), so each press also gives the time at which the frame showing the move had been written to the terminal:
// the last output before the reply that showed it. That is the closest to a frame time that can be read from
// outside: it includes reading the key, React's render, Ink's output and tmux, so it bounds the frame from above.
import { sleep } from '../../test/support/wait';
import type { BenchTerminal } from './bench-terminal';
import { treeCpuMs } from './proc-stats';

export interface SelectionSamples {
  /** Key sent → the frame with the selection moved written to the terminal. */
  keyToFrameMs: number[];
  /** Key sent → capture-pane shows the selection moved. */
  keyToScreenMs: number[];
  /** The console's CPU time over all the presses, and how long they took: less load-sensitive than the latencies. */
  cpuMs: number;
  seconds: number;
}

const POSITION = /\[1\] Containers[^\n]*\s(\d+)\/(\d+) │/;
const PRESS_TIMEOUT_MS = 5_000;

function position(screen: string): number {
  const match = POSITION.exec(screen);
  if (!match) throw new Error(`no Containers panel position on the screen:\n${screen}`);
  return Number(match[1]);
}

/**
 * `presses` times `j` down the list, then as many `k` back up, at a person's pace (60–120 ms apart), to the console
 * `pid` running in `session`.
 */
export async function measureSelection(term: BenchTerminal, session: string, pid: number, presses: number): Promise<SelectionSamples> {
  let lastOutputAt = 0;
  const client = term.attach(session, (line) => {
    if (line.startsWith('%output ')) lastOutputAt = performance.now();
  });
  const keyToFrameMs: number[] = [];
  const keyToScreenMs: number[] = [];
  const cpuBefore = treeCpuMs(pid);
  const started = performance.now();
  try {
    for (const key of ['j', 'k']) {
      for (let i = 0; i < presses; i++) {
        const from = position(await client.screen(session));
        const want = key === 'j' ? from + 1 : from - 1;
        const sent = performance.now();
        await client.command('send-keys', '-t', session, key);
        for (;;) {
          const shown = await client.screen(session);
          const seen = performance.now();
          if (position(shown) === want) {
            keyToScreenMs.push(seen - sent);
            keyToFrameMs.push(lastOutputAt - sent);
            break;
          }
          if (seen - sent > PRESS_TIMEOUT_MS) throw new Error(`${key} at ${from}: the selection did not move in ${PRESS_TIMEOUT_MS} ms`);
          await sleep(1);
        }
        await sleep(60 + Math.random() * 60);
      }
    }
  } finally {
    client.close();
  }
  return { keyToFrameMs, keyToScreenMs, cpuMs: treeCpuMs(pid) - cpuBefore, seconds: (performance.now() - started) / 1000 };
}
