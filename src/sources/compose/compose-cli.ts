/**
 * The compose CLI as a subprocess: `<docker> compose` (v2) where the plugin is there, else the Python
 * `docker-compose` (v1, 1.29 on Debian). Spawned without a shell; every failure is one line.
 */
import { spawn } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, dirname, isAbsolute, join } from 'node:path';
import type { DockerEndpoint } from '../../config/docker-host';
import { printable } from '../../domain/printable';
import { lineSplitter } from '../text-lines';

export type ComposeFlavour = 'v1' | 'v2';

export interface ComposeCli {
  flavour: ComposeFlavour;
  /** The executable: the docker CLI (v2) or `docker-compose` (v1). */
  command: string;
  /** Arguments before compose's own: `['compose']` for v2. */
  prefix: string[];
  /** How messages name it: `docker compose` or `docker-compose`. */
  display: string;
}

export const NO_COMPOSE_CLI = 'no compose CLI found: install docker-compose (apt-get install docker-compose) or the docker compose plugin';

const DETECT_TIMEOUT_MS = 15_000;
/** What is kept of a command's stderr for its error line (a build can print megabytes). */
const STDERR_KEEP_CHARS = 64 * 1024;
const KILL_GRACE_MS = 5_000;
const MAX_ERROR_CHARS = 500;

/**
 * The environment for compose: ours, the stack's extra variables, the engine as DOCKER_HOST (never a context),
 * BuildKit with plain progress, and the configured docker CLI's directory first on PATH (v1 runs `docker build`
 * from PATH, and a newer `docker` first on PATH may lack buildx).
 */
export function composeEnvironment(options: {
  cli: string;
  endpoint: DockerEndpoint;
  stackEnv?: Record<string, string>;
  base?: NodeJS.ProcessEnv;
}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...(options.base ?? process.env), ...options.stackEnv };
  const { endpoint } = options;
  env.DOCKER_HOST = endpoint.kind === 'socket' ? `unix://${endpoint.socketPath}` : `tcp://${endpoint.host}:${endpoint.port}`;
  delete env.DOCKER_CONTEXT;
  env.DOCKER_BUILDKIT = '1';
  env.COMPOSE_DOCKER_CLI_BUILD = '1';
  env.BUILDKIT_PROGRESS = 'plain';
  if (isAbsolute(options.cli)) {
    const dir = dirname(options.cli);
    const rest = (env.PATH ?? '').split(delimiter).filter((p) => p && p !== dir);
    env.PATH = [dir, ...rest].join(delimiter);
  }
  return env;
}

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  spawnError: NodeJS.ErrnoException | null;
  timedOut: boolean;
}

/** Runs a command to its end without a shell; never rejects. */
function execute(
  command: string,
  args: readonly string[],
  options: { env: NodeJS.ProcessEnv; cwd?: string; timeoutMs: number; onLine?: (line: string) => void; signal?: AbortSignal },
): Promise<Exit> {
  return new Promise((resolve) => {
    let child;
    try {
      // Its own process group, so a timeout also ends what it started (v1 runs `docker build`).
      child = spawn(command, [...args], { env: options.env, cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    } catch (error) {
      resolve({ code: null, signal: null, stdout: '', stderr: '', spawnError: error as NodeJS.ErrnoException, timedOut: false });
      return;
    }
    const stdout: Buffer[] = [];
    let stderr = '';
    let spawnError: NodeJS.ErrnoException | null = null;
    let timedOut = false;
    const emit = options.onLine
      ? (line: string) => {
          const text = printable(stripAnsi(line).replace(/\s+$/, ''));
          if (text.trim()) options.onLine!(text);
        }
      : null;
    // Progress rewrites a line with \r: each rewrite counts as a line.
    const splitter = () => (emit ? lineSplitter((l) => l.split('\r').forEach(emit)) : null);
    const outLines = splitter();
    const errLines = splitter();
    const errDecoder = new TextDecoder();
    child.stdout.on('data', (chunk: Buffer) => {
      // A caller that takes the lines (a build's progress) does not need them again: a long build stays bounded.
      if (!emit) stdout.push(chunk);
      outLines?.(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += errDecoder.decode(chunk, { stream: true });
      if (stderr.length > STDERR_KEEP_CHARS * 2) stderr = stderr.slice(-STDERR_KEEP_CHARS);
      errLines?.(chunk);
    });
    const killGroup = (sig: NodeJS.Signals) => {
      try {
        if (child.pid) process.kill(-child.pid, sig);
      } catch {
        // already gone
      }
    };
    let killTimer: NodeJS.Timeout | undefined;
    const end = () => {
      killGroup('SIGTERM');
      killTimer = setTimeout(() => killGroup('SIGKILL'), KILL_GRACE_MS);
    };
    const timer = setTimeout(() => {
      timedOut = true;
      end();
    }, options.timeoutMs);
    options.signal?.addEventListener('abort', end, { once: true });
    child.on('error', (error) => {
      spawnError = error;
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', end);
      if (killTimer) clearTimeout(killTimer);
      outLines?.('\n');
      errLines?.('\n');
      resolve({ code, signal, stdout: Buffer.concat(stdout).toString('utf8'), stderr, spawnError, timedOut });
    });
  });
}

const ANSI = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(\u0007|\u001b\\)|\u001b[@-Z\\-_]/g;

export function stripAnsi(text: string): string {
  return text.replace(ANSI, '');
}

/** Lines that end compose's output without saying what went wrong. */
const NOISE = [/^Encountered errors while bringing up the project\.?$/i, /^exit status \d+$/i];
/** A YAML error's location line (v1): kept, but as a suffix of the error it places. */
/** v1's progress: `Creating web_1 ... done`. */
const PROGRESS = / \.\.\.\s*(done|error)?$/;
const LOCATION = /^in "(.*)", line (\d+), column (\d+)$/;

/**
 * The line of compose's output that says what went wrong: the last one that is not blank, a progress line or
 * noise; `ERROR:` prefixes dropped, control characters made visible, at most 500 characters.
 */
export function lastMeaningfulLine(output: string): string | null {
  const lines = stripAnsi(output)
    .split(/\r\n|\r|\n/)
    .map((l) => l.trim())
    .filter((l) => l && !NOISE.some((n) => n.test(l)));
  let location = '';
  while (lines.length > 0) {
    const line = lines.pop()!;
    const where = LOCATION.exec(line);
    if (where) {
      location ||= ` (${where[1]}, line ${where[2]}, column ${where[3]})`;
      continue;
    }
    if (PROGRESS.test(line)) continue;
    let text = line.replace(/^(ERROR|Error):\s*/, '').replace(/^for (\S+)\s+/, '$1: ');
    text = printable(text.replace(/\s+/g, ' ')) + location;
    return text.length > MAX_ERROR_CHARS ? `${text.slice(0, MAX_ERROR_CHARS)}…` : text;
  }
  return null;
}

/** A compose command that failed: `message` is one line; `output` keeps the end of what it printed. */
export class ComposeError extends Error {
  override name = 'ComposeError';
  constructor(
    message: string,
    readonly detail: string | null,
    readonly output: string,
  ) {
    super(message);
  }
}

const detected = new Map<string, Promise<ComposeCli>>();

/**
 * Which compose this machine has for the docker CLI `cli`: v2 when `<cli> compose version` succeeds, else v1 when
 * `docker-compose version` does (looked up on `env.PATH`). Cached per `cli`; a failure is not cached, so installing
 * one is seen on the next call.
 */
export function detectCompose(cli: string, env: NodeJS.ProcessEnv): Promise<ComposeCli> {
  let pending = detected.get(cli);
  if (!pending) {
    pending = probe(cli, env);
    detected.set(cli, pending);
    pending.catch(() => detected.delete(cli));
  }
  return pending;
}

async function probe(cli: string, env: NodeJS.ProcessEnv): Promise<ComposeCli> {
  const v2 = await execute(cli, ['compose', 'version'], { env, timeoutMs: DETECT_TIMEOUT_MS });
  if (v2.code === 0 && !v2.spawnError) return { flavour: 'v2', command: cli, prefix: ['compose'], display: 'docker compose' };
  // v1 is a Python program: running it only to ask its version costs half a second. Finding it on PATH is enough;
  // a broken one fails the command that runs next, in one line like any other compose failure.
  if (onPath('docker-compose', env)) return { flavour: 'v1', command: 'docker-compose', prefix: [], display: 'docker-compose' };
  throw new Error(NO_COMPOSE_CLI);
}

/** An executable file of that name in one of PATH's directories. */
function onPath(name: string, env: NodeJS.ProcessEnv): boolean {
  return (env.PATH ?? '').split(delimiter).some((dir) => {
    if (!dir) return false;
    try {
      accessSync(join(dir, name), constants.X_OK);
      return statSync(join(dir, name)).isFile();
    } catch {
      return false;
    }
  });
}

export interface RunComposeOptions {
  files: readonly string[];
  project: string;
  env: NodeJS.ProcessEnv;
  /** Each line of output (stdout and stderr), ANSI stripped and made printable, blank ones left out. */
  onLine?: (line: string) => void;
  timeoutMs: number;
  /** Default: the first file's directory. */
  cwd?: string;
  /** Aborting ends compose (and what it started), as a timeout does. */
  signal?: AbortSignal;
}

export interface ComposeOutput {
  stdout: string;
  stderr: string;
}

/**
 * `compose -p <project> -f <file>… <args>`; resolves with what it printed when it exits 0, else rejects with a
 * ComposeError whose message is one line: `docker-compose up failed: <what compose said last>`.
 */
export async function runCompose(compose: ComposeCli, args: readonly string[], options: RunComposeOptions): Promise<ComposeOutput> {
  const full = [...compose.prefix, '-p', options.project, ...options.files.flatMap((f) => ['-f', f]), ...args];
  const cwd = options.cwd ?? (options.files[0] ? dirname(options.files[0]) : undefined);
  const exit = await execute(compose.command, full, { env: options.env, cwd, timeoutMs: options.timeoutMs, onLine: options.onLine, signal: options.signal });
  const what = `${compose.display} ${args[0] ?? ''}`.trim();
  if (exit.spawnError) {
    const why = exit.spawnError.code === 'ENOENT' ? `${compose.command} not found` : printable(exit.spawnError.message.split('\n')[0] ?? '');
    throw new ComposeError(`${what} failed: ${why}`, why, '');
  }
  if (exit.code === 0 && !exit.timedOut) return { stdout: exit.stdout, stderr: exit.stderr };
  const detail = lastMeaningfulLine(exit.stderr) ?? lastMeaningfulLine(exit.stdout);
  const output = exit.stderr.slice(-STDERR_KEEP_CHARS);
  if (exit.timedOut) throw new ComposeError(`${what} timed out after ${Math.round(options.timeoutMs / 1000)} s${detail ? `: ${detail}` : ''}`, detail, output);
  const status = exit.signal ? `killed by ${exit.signal}` : `exit code ${exit.code}`;
  throw new ComposeError(`${what} failed: ${detail ?? status}`, detail, output);
}
