// How the bench starts the console: as people run it, dist/cli.js through its shebang (its heap caps and
// MALLOC_ARENA_MAX), with the pinned Node 24 first on PATH and a clean environment. A profiled start runs the same
// Node with the shebang's own settings plus --cpu-prof.
import { readFileSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const ROOT = process.cwd();
export const CLI = join(ROOT, 'dist/cli.js');
const BIN = join(ROOT, 'node_modules/.bin');
/** The pinned Node 24, the one the shebang finds first on PATH. */
export const NODE = realpathSync(join(BIN, 'node'));

/** `#!/usr/bin/env -S MALLOC_ARENA_MAX=2 node --max-old-space-size=192 …`: its variables and Node's flags. */
function shebang(): { env: Record<string, string>; nodeFlags: string[] } {
  const words = readFileSync(CLI, 'utf8').split('\n')[0]!.replace(/^#!\S*env -S /, '').split(/\s+/);
  const nodeAt = words.indexOf('node');
  if (nodeAt < 0) throw new Error(`${CLI}: no node in its first line; run npm run build`);
  const env = Object.fromEntries(words.slice(0, nodeAt).map((w) => w.split('=') as [string, string]));
  return { env, nodeFlags: words.slice(nodeAt + 1) };
}

/** The whole environment of a program the bench starts: nothing leaks in from the shell that ran npm. */
export function cleanEnv(home: string): Record<string, string> {
  return {
    PATH: `${BIN}:/usr/local/bin:/usr/bin:/bin`,
    HOME: home,
    XDG_STATE_HOME: join(home, 'state'),
    XDG_CONFIG_HOME: join(home, 'config'),
    TERM: 'xterm-256color',
    LANG: 'C.UTF-8',
    // Node's compile cache (dist/cli.js enables it): warmed by the bench's first start, kept out of the user's /tmp.
    NODE_COMPILE_CACHE: join(home, 'compile-cache'),
  };
}

export interface Launch {
  argv: string[];
  env: Record<string, string>;
}

export function consoleLaunch(home: string, args: readonly string[]): Launch {
  return { argv: [CLI, ...args], env: cleanEnv(home) };
}

/** The same start under the CPU profiler; Node writes DIR/*.cpuprofile when the console exits. */
export function profiledLaunch(home: string, args: readonly string[], dir: string): Launch {
  const { env, nodeFlags } = shebang();
  return { argv: [NODE, '--cpu-prof', `--cpu-prof-dir=${dir}`, ...nodeFlags, CLI, ...args], env: { ...cleanEnv(home), ...env } };
}

/** The same start with frame-trace.mjs loaded: it saves what it recorded to `traceFile` when the console exits. */
export function tracedLaunch(home: string, args: readonly string[], traceFile: string): Launch {
  const { env, nodeFlags } = shebang();
  const preload = pathToFileURL(join(ROOT, 'bench/support/frame-trace.mjs')).href;
  return { argv: [NODE, ...nodeFlags, '--import', preload, CLI, ...args], env: { ...cleanEnv(home), ...env, NETRA_BENCH_FRAME_TRACE: traceFile } };
}

/** The baseline of the start-up figures: the same Node doing nothing, started the same way. */
export function bareNodeLaunch(home: string): Launch {
  return { argv: [NODE, '-e', '0'], env: cleanEnv(home) };
}
