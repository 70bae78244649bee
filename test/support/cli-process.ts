import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { sleep } from './wait';

/** The checkout, found upwards: bench/ runs this file bundled from node_modules/.cache, not from test/support. */
function checkoutRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'src/cli.ts'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no netra-console checkout above ${from}`);
  }
}

export const ROOT = checkoutRoot(import.meta.dirname);
/** The pinned Node 24 (the system node may be too old for the CLI). */
export const NODE = realpathSync(join(ROOT, 'node_modules/.bin/node'));
export const CLI = join(ROOT, 'dist/cli.js');

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunningProcess {
  child: ChildProcessWithoutNullStreams;
  /** What it printed so far. */
  stdout(): string;
  stderr(): string;
  /** Resolves when it has exited and its pipes are drained. */
  done: Promise<Run>;
}

export interface ProcessOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  /** Most time for runProcess/runCli before the process is killed and the run fails with its output. */
  timeoutMs?: number;
  /** For a child that takes commands on stdin; otherwise stdin is closed at once. */
  keepStdinOpen?: boolean;
}

/** Starts a command with pipes for all three streams (so never a TTY), collecting its output. */
export function startProcess(command: string, args: readonly string[], opts: ProcessOptions): RunningProcess {
  const child = spawn(command, args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
  child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
  if (!opts.keepStdinOpen) child.stdin.end();
  const done = new Promise<Run>((resolvePromise, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code, stdout, stderr }));
  });
  return { child, stdout: () => stdout, stderr: () => stderr, done };
}

/** Runs a command to its end (see startProcess); fails with its output if it hangs. */
export async function runProcess(command: string, args: readonly string[], opts: ProcessOptions): Promise<Run> {
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const running = startProcess(command, args, opts);
  let hung = false;
  const timer = setTimeout(() => {
    hung = true;
    running.child.kill('SIGKILL');
  }, timeoutMs);
  const run = await running.done.finally(() => clearTimeout(timer));
  if (hung) throw new Error(`${command} ${args.join(' ')} did not exit within ${timeoutMs} ms\nstdout: ${run.stdout}\nstderr: ${run.stderr}`);
  return run;
}

/**
 * A user's environment and nothing of the test process's: HOME and the XDG directories in `home`, so no Docker
 * host, Google project, credentials, endpoint or NETRA_DEBUG leaks in; what a test needs it passes itself.
 */
export function homeEnv(home: string): Record<string, string> {
  return { PATH: '/usr/bin:/bin', HOME: home, XDG_CONFIG_HOME: join(home, 'config'), XDG_STATE_HOME: join(home, 'state'), LANG: 'C.UTF-8' };
}

/** What a CI job gives the CLI: homeEnv with CI=true, plus `extra`. */
export function cliEnv(home: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { ...homeEnv(home), CI: 'true', ...extra };
}

/** Options of one CLI run: it runs in `cwd`, which is also its HOME; `env` adds to cliEnv. */
export type CliRunOptions = Omit<ProcessOptions, 'env'> & { env?: NodeJS.ProcessEnv };

/** Starts `node dist/cli.js …args` as a script would (pipes, CI=true, a clean environment). */
export function startCli(args: readonly string[], opts: CliRunOptions): RunningProcess {
  return startProcess(NODE, [CLI, ...args], { ...opts, env: cliEnv(opts.cwd, opts.env) });
}

/** Runs `node dist/cli.js …args` to its end as a script would; fails with its output if it hangs. */
export function runCli(args: readonly string[], opts: CliRunOptions): Promise<Run> {
  return runProcess(NODE, [CLI, ...args], { ...opts, env: cliEnv(opts.cwd, opts.env) });
}

/**
 * Builds dist/ from the current sources, as `npm run build` does, unless it is newer than every source; fails with
 * the build's output. Files run side by side: rewriting dist/ under a running CLI would break it, so a fresh build
 * is left alone and a stale one is built by one file at a time.
 */
export async function buildCli(): Promise<void> {
  if (await builtFromCurrentSources()) return;
  const lock = join(ROOT, 'dist.build-lock');
  await takeLock(lock);
  try {
    if (await builtFromCurrentSources()) return;
    const built = await runProcess(NODE, ['scripts/build.mjs'], { cwd: ROOT, timeoutMs: 120_000 });
    if (built.code !== 0) throw new Error(`the build failed (exit ${built.code}): ${built.stderr || built.stdout}`);
  } finally {
    await rm(lock, { recursive: true, force: true });
  }
}

/** What the build reads: a change to any of these makes dist/ stale. */
const BUILD_INPUTS = ['src', 'scripts', 'package.json', 'package-lock.json'];

async function builtFromCurrentSources(): Promise<boolean> {
  const builtAt = await stat(CLI).then((s) => s.mtimeMs, () => null);
  if (builtAt === null) return false;
  for (const input of BUILD_INPUTS) {
    if ((await newestChange(join(ROOT, input))) > builtAt) return false;
  }
  return true;
}

async function newestChange(path: string): Promise<number> {
  const info = await stat(path);
  if (!info.isDirectory()) return info.mtimeMs;
  let newest = info.mtimeMs; // a deleted file shows as its directory's change
  for (const entry of await readdir(path)) newest = Math.max(newest, await newestChange(join(path, entry)));
  return newest;
}

/** mkdir is atomic: whoever creates the directory holds the lock; a lock older than a build can take is stale. */
async function takeLock(lock: string): Promise<void> {
  for (;;) {
    try {
      await mkdir(lock);
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const heldSince = await stat(lock).then((s) => s.mtimeMs, () => null);
      if (heldSince !== null && Date.now() - heldSince > 180_000) await rm(lock, { recursive: true, force: true });
      await sleep(100);
    }
  }
}
