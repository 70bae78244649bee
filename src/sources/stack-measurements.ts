/**
 * The last measurement of each stack variant, kept between runs in the state directory. Losing it costs a
 * re-measurement, nothing more: a load never throws and never rewrites the file; a save replaces it atomically.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, basename } from 'node:path';
import { printable } from '../domain/printable';
import type { StackMeasurements } from '../domain/stacks';

/** `$XDG_STATE_HOME/netra-console/stacks.json`, by default `~/.local/state/netra-console/stacks.json`. */
export function defaultMeasurementsPath(env: NodeJS.ProcessEnv): string {
  const state = env.XDG_STATE_HOME || join(env.HOME || homedir(), '.local', 'state');
  return join(state, 'netra-console', 'stacks.json');
}

export interface LoadedMeasurements {
  measurements: StackMeasurements;
  /** One line saying why the file was not used; null when it was, or when there is none yet. */
  problem: string | null;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Missing file: nothing measured yet. Unreadable or not what we write: nothing, and a problem to show. */
export function loadMeasurements(path: string): LoadedMeasurements {
  const unusable = (why: string): LoadedMeasurements => ({
    measurements: {},
    problem: `stack measurements ${printable(path)} ignored: ${printable(why)}`,
  });
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    if (e.code === 'ENOENT') return { measurements: {}, problem: null };
    return unusable(e.code === 'EISDIR' ? 'it is a directory' : (e.message ?? String(error)).split('\n')[0]!);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return unusable(`not valid JSON (${(error as Error).message.split('\n')[0]})`);
  }
  if (!isObject(value)) return unusable('not a JSON object');
  for (const [stack, entry] of Object.entries(value)) {
    if (!isObject(entry)) return unusable(`the entry for ${stack} is not an object`);
    for (const [key, variant] of Object.entries(entry)) {
      if (key === 'lastHealthy') {
        if (variant !== 'alpine' && variant !== 'regular') return unusable(`${stack}.lastHealthy is not a variant`);
      } else if (!isObject(variant) || !Array.isArray(variant.services)) {
        return unusable(`${stack}.${key} is not a measurement`);
      }
    }
  }
  return { measurements: value as StackMeasurements, problem: null };
}

/**
 * Writes the measurements: a temp file (0600) in the same directory (0700, created when missing), flushed, then
 * renamed over the old one, so a crash leaves the old file or the new one, never half of one. Throws one line.
 */
export function saveMeasurements(path: string, measurements: StackMeasurements): void {
  const dir = dirname(path);
  const temp = join(dir, `.${basename(path)}.${process.pid}.${Date.now().toString(36)}.tmp`);
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const fd = openSync(temp, 'wx', 0o600);
    try {
      writeSync(fd, `${JSON.stringify(measurements, null, 2)}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, path);
  } catch (error) {
    removeQuietly(temp);
    throw new Error(`cannot save stack measurements ${printable(path)}: ${printable(((error as Error).message ?? String(error)).split('\n')[0]!)}`);
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
