// The floor under the idle figures (support/floor-app.tsx): the least a Node process built like the console can
// spend to show the same containers' stats; the same with the Cloud tail through the official client; and with the
// Google clients only loaded, for memory. Measured in one window next to `docker stats` on the same containers.
import { build, type BuildOptions } from 'esbuild';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { sleep } from '../../test/support/wait';
import type { BenchTerminal } from './bench-terminal';
import { cleanEnv } from './console-launch';
import { cpuWindow, rssMiB, type CpuShare } from './proc-stats';

const OUT_DIR = 'node_modules/.cache/netra-console/floor';

export interface FloorResult {
  seconds: number;
  /** Docker only. */
  floor: CpuShare;
  floorRssMiB: number;
  /** Tailing Cloud Logging at `cloudEndpoint` (the sandbox in another process) as well. */
  withTail: CpuShare;
  withTailRssMiB: number;
  /** The Google clients loaded, not connected: what memory they take on their own. */
  withGoogleRssMiB: number;
  dockerStats: CpuShare;
}

/** Bundles the floor program with the console's own build options (patches, externals, shebang and its flags). */
async function buildFloor(): Promise<string> {
  // Loaded from the repository, not bundled into the bench: it reads package.json and the patches beside it.
  const { bundleOptions } = (await import(pathToFileURL(join(process.cwd(), 'scripts/bundle-options.mjs')).href)) as { bundleOptions: BuildOptions };
  await build({ ...bundleOptions, entryPoints: ['bench/support/floor-app.tsx'], outdir: OUT_DIR, splitting: true, sourcemap: false });
  return join(process.cwd(), OUT_DIR, 'floor-app.js');
}

/** The three floors, started through their shebang in a clean environment, measured once each lists all `names`. */
export async function measureFloor(
  term: BenchTerminal,
  home: string,
  engineHost: string,
  cloudEndpoint: string,
  names: readonly string[],
  dockerStats: number,
  settleMs: number,
  seconds: number,
): Promise<FloorResult> {
  const program = await buildFloor();
  const listsAll = (s: string) => names.every((name) => s.includes(name));
  const env = cleanEnv(home);
  const sessions = { floor: [] as string[], withTail: ['--cloud', cloudEndpoint], withGoogle: ['--google'] };
  const pids: Record<string, number> = {};
  try {
    for (const [session, args] of Object.entries(sessions)) pids[session] = await term.start(session, [program, engineHost, ...args], env);
    for (const session of Object.keys(sessions)) await term.waitFor(session, listsAll, `the floor program (${session}) to list the containers`, 60_000);
    await term.waitFor('withTail', (s) => s.includes('cloud│ '), 'the floor program to show Cloud log lines', 60_000);
    await sleep(settleMs);
    const window = cpuWindow({ floor: pids.floor!, withTail: pids.withTail!, dockerStats });
    await sleep(seconds * 1000);
    const { seconds: measured, shares } = window.stop();
    return {
      seconds: measured,
      floor: shares.floor!,
      floorRssMiB: rssMiB(pids.floor!),
      withTail: shares.withTail!,
      withTailRssMiB: rssMiB(pids.withTail!),
      withGoogleRssMiB: rssMiB(pids.withGoogle!),
      dockerStats: shares.dockerStats!,
    };
  } finally {
    for (const [session, pid] of Object.entries(pids)) await term.end(session, pid);
  }
}

const pct = (s: CpuShare) => `${s.percent.toFixed(2)} % (${s.ticks} ticks)`;

export function floorLine(r: FloorResult): string {
  const floor = `Docker only ${pct(r.floor)}, RSS ${r.floorRssMiB.toFixed(0)} MiB`;
  const tail = `with the Cloud tail from the sandbox in another process ${pct(r.withTail)}, RSS ${r.withTailRssMiB.toFixed(0)} MiB`;
  return `floor (Node + Ink + dockerode, same 20 stats streams, one frame a second): over ${r.seconds.toFixed(1)} s ${floor}; ${tail}; Google clients loaded, not connected: RSS ${r.withGoogleRssMiB.toFixed(0)} MiB; docker stats ${pct(r.dockerStats)}`;
}
