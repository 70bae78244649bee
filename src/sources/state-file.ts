/**
 * JSON files kept between runs in the state directory (build history, stack measurements). Losing one costs what it
 * remembered, nothing more: a load never throws and never rewrites the file; a save replaces it atomically.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { printable } from '../domain/printable';

/** `$XDG_STATE_HOME/netra-console/<file>`, by default `~/.local/state/netra-console/<file>`. */
export function defaultStatePath(env: NodeJS.ProcessEnv, file: string): string {
  const state = env.XDG_STATE_HOME || join(env.HOME || homedir(), '.local', 'state');
  return join(state, 'netra-console', file);
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export interface LoadedStateFile<T> {
  value: T;
  /** One line saying why the file was not used; null when it was, or when there is none yet. */
  problem: string | null;
}

/**
 * Reads the JSON object at `path`. Missing file: `empty`, no problem. Unreadable, not JSON, not an object, or an object
 * for which `problemOf` says why it is not what we write: `empty`, and one line naming `what` and the path.
 */
export function loadStateFile<T>(path: string, what: string, empty: T, problemOf: (value: Record<string, unknown>) => string | null): LoadedStateFile<T> {
  const unusable = (why: string): LoadedStateFile<T> => ({
    value: empty,
    problem: `${what} ${printable(path)} ignored: ${printable(why)}`,
  });
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    if (e.code === 'ENOENT') return { value: empty, problem: null };
    return unusable(e.code === 'EISDIR' ? 'it is a directory' : (e.message ?? String(error)).split('\n')[0]!);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return unusable(`not valid JSON (${(error as Error).message.split('\n')[0]})`);
  }
  if (!isObject(value)) return unusable('not a JSON object');
  const why = problemOf(value);
  if (why) return unusable(why);
  return { value: value as T, problem: null };
}

/**
 * Writes `value` as JSON: a temp file (0600) in the same directory (0700, created when missing), flushed, then
 * renamed over the old one, so a crash leaves the old file or the new one, never half of one. Throws one line naming
 * `what` and the path.
 */
export function saveStateFile(path: string, what: string, value: unknown): void {
  const dir = dirname(path);
  const temp = join(dir, `.${basename(path)}.${process.pid}.${Date.now().toString(36)}.tmp`);
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const fd = openSync(temp, 'wx', 0o600);
    try {
      writeSync(fd, `${JSON.stringify(value, null, 2)}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, path);
  } catch (error) {
    removeQuietly(temp);
    throw new Error(`cannot save ${what} ${printable(path)}: ${printable(((error as Error).message ?? String(error)).split('\n')[0]!)}`);
  }
}

/** A temp file that may not exist, in a directory that may not be one: best effort. */
function removeQuietly(path: string): void {
  try {
    rmSync(path, { force: true });
  } catch {
    // nothing was written there
  }
}
