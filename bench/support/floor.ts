// The floor under the idle figures (support/floor-app.tsx): the least a Node process built like the console can
// spend to show the same containers' stats, with and without the Google clients the console must load. Measured in
// one window next to `docker stats` on the same containers, as the console is.
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
  floor: CpuShare;
  floorRssMiB: number;
  /** The same program with the Google clients loaded (not connected): what memory they take on their own. */
  withGoogle: CpuShare;
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

/** Both floors, started through their shebang in a clean environment, each once it lists all `names`. */
export async function measureFloor(term: BenchTerminal, home: string, engineHost: string, names: readonly string[], dockerStats: number, settleMs: number, seconds: number): Promise<FloorResult> {
  const program = await buildFloor();
  const listsAll = (s: string) => names.every((name) => s.includes(name));
  const env = cleanEnv(home);
  const floorPid = await term.start('floor', [program, engineHost], env);
  const googlePid = await term.start('floor-google', [program, engineHost, '--google'], env);
  try {
    await term.waitFor('floor', listsAll, 'the floor program to list the containers', 60_000);
    await term.waitFor('floor-google', listsAll, 'the floor program (Google clients loaded) to list the containers', 60_000);
    await sleep(settleMs);
    const window = cpuWindow({ floor: floorPid, withGoogle: googlePid, dockerStats });
    await sleep(seconds * 1000);
    const { seconds: measured, shares } = window.stop();
    return {
      seconds: measured,
      floor: shares.floor!,
      floorRssMiB: rssMiB(floorPid),
      withGoogle: shares.withGoogle!,
      withGoogleRssMiB: rssMiB(googlePid),
      dockerStats: shares.dockerStats!,
    };
  } finally {
    await term.end('floor', floorPid);
    await term.end('floor-google', googlePid);
  }
}

const pct = (s: CpuShare) => `${s.percent.toFixed(2)} % (${s.ticks} ticks)`;

export function floorLine(r: FloorResult): string {
  return `floor (Node + Ink + dockerode, same 20 stats streams, one frame a second): over ${r.seconds.toFixed(1)} s ${pct(r.floor)}, RSS ${r.floorRssMiB.toFixed(0)} MiB; the same with the Google clients loaded ${pct(r.withGoogle)}, RSS ${r.withGoogleRssMiB.toFixed(0)} MiB; docker stats ${pct(r.dockerStats)}`;
}
