/**
 * The last build of each stack, variant and service, kept between runs in the state directory so the next build
 * can be compared with it. Losing it costs the comparison, nothing more: a load never throws and never rewrites the
 * file; a save replaces it atomically (same pattern as stack-measurements.ts).
 */
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import type { BuildHistory, BuildRecord } from '../domain/build';
import { printable } from '../domain/printable';
import type { StackVariant } from '../domain/stacks';

/** `$XDG_STATE_HOME/netra-console/builds.json`, by default `~/.local/state/netra-console/builds.json`. */
export function defaultBuildHistoryPath(env: NodeJS.ProcessEnv): string {
  const state = env.XDG_STATE_HOME || join(env.HOME || homedir(), '.local', 'state');
  return join(state, 'netra-console', 'builds.json');
}

export interface LoadedBuildHistory {
  history: BuildHistory;
  /** One line saying why the file was not used; null when it was, or when there is none yet. */
  problem: string | null;
}

const VARIANTS: readonly string[] = ['alpine', 'regular'] satisfies StackVariant[];

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Why `value` is not a BuildRecord of `variant`, or null when it is one (the fields later code reads). */
function recordProblem(value: unknown, variant: string): string | null {
  if (!isObject(value)) return 'is not an object';
  if (typeof value.service !== 'string' || typeof value.image !== 'string' || typeof value.builtAt !== 'string') return 'lacks service, image or builtAt';
  if (value.variant !== variant) return `says variant ${printable(String(value.variant))}`;
  if (typeof value.noCache !== 'boolean') return 'lacks noCache';
  for (const key of ['seconds', 'cacheableSteps', 'cachedSteps'] as const) {
    if (typeof value[key] !== 'number' || !Number.isFinite(value[key])) return `has no number ${key}`;
  }
  if (value.imageSizeBytes !== null && typeof value.imageSizeBytes !== 'number') return 'has an imageSizeBytes that is not a number';
  if (!Array.isArray(value.steps)) return 'has no steps';
  for (const step of value.steps) {
    if (!isObject(step) || typeof step.name !== 'string' || typeof step.cached !== 'boolean') return 'has a step without name or cached';
    if (step.seconds !== null && typeof step.seconds !== 'number') return 'has a step whose seconds is not a number';
  }
  return null;
}

/** Missing file: nothing built yet. Unreadable or not what we write: nothing, and a problem to show. */
export function loadBuildHistory(path: string): LoadedBuildHistory {
  const unusable = (why: string): LoadedBuildHistory => ({
    history: {},
    problem: `build history ${printable(path)} ignored: ${printable(why)}`,
  });
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    if (e.code === 'ENOENT') return { history: {}, problem: null };
    return unusable(e.code === 'EISDIR' ? 'it is a directory' : (e.message ?? String(error)).split('\n')[0]!);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return unusable(`not valid JSON (${(error as Error).message.split('\n')[0]})`);
  }
  if (!isObject(value)) return unusable('not a JSON object');
  for (const [stack, variants] of Object.entries(value)) {
    if (!isObject(variants)) return unusable(`the entry for ${stack} is not an object`);
    for (const [variant, services] of Object.entries(variants)) {
      if (!VARIANTS.includes(variant)) return unusable(`${stack}.${variant} is not a variant`);
      if (!isObject(services)) return unusable(`${stack}.${variant} is not an object`);
      for (const [service, record] of Object.entries(services)) {
        const why = recordProblem(record, variant);
        if (why) return unusable(`${stack}.${variant}.${service} ${why}`);
      }
    }
  }
  return { history: value as BuildHistory, problem: null };
}

/**
 * Writes the history: a temp file (0600) in the same directory (0700, created when missing), flushed, then renamed
 * over the old one, so a crash leaves the old file or the new one, never half of one. Throws one line.
 */
export function saveBuildHistory(path: string, history: BuildHistory): void {
  const dir = dirname(path);
  const temp = join(dir, `.${basename(path)}.${process.pid}.${Date.now().toString(36)}.tmp`);
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const fd = openSync(temp, 'wx', 0o600);
    try {
      writeSync(fd, `${JSON.stringify(history, null, 2)}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, path);
  } catch (error) {
    removeQuietly(temp);
    throw new Error(`cannot save build history ${printable(path)}: ${printable(((error as Error).message ?? String(error)).split('\n')[0]!)}`);
  }
}

/** The history with `records` as the last builds of `stack`'s `variant` (other services, variants and stacks kept). */
export function withBuilds(history: BuildHistory, stack: string, variant: StackVariant, records: readonly BuildRecord[]): BuildHistory {
  const services = { ...history[stack]?.[variant] };
  for (const record of records) services[record.service] = record;
  return { ...history, [stack]: { ...history[stack], [variant]: services } };
}

/** A temp file that may not exist, in a directory that may not be one: best effort. */
function removeQuietly(path: string): void {
  try {
    rmSync(path, { force: true });
  } catch {
    // nothing was written there
  }
}
