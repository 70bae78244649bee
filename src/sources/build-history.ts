/**
 * The last build of each stack, variant and service, kept between runs in the state directory so the next build
 * can be compared with it. Losing it costs the comparison, nothing more: a load never throws and never rewrites the
 * file; a save replaces it atomically (see state-file.ts).
 */
import type { BuildHistory, BuildRecord } from '../domain/build';
import { printable } from '../domain/printable';
import type { StackVariant } from '../domain/stacks';
import { defaultStatePath, isObject, loadStateFile, saveStateFile } from './state-file';

/** `$XDG_STATE_HOME/netra-console/builds.json`, by default `~/.local/state/netra-console/builds.json`. */
export function defaultBuildHistoryPath(env: NodeJS.ProcessEnv): string {
  return defaultStatePath(env, 'builds.json');
}

export interface LoadedBuildHistory {
  history: BuildHistory;
  /** One line saying why the file was not used; null when it was, or when there is none yet. */
  problem: string | null;
}

const VARIANTS: readonly string[] = ['alpine', 'regular'] satisfies StackVariant[];

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

/** Why `value` is not a BuildHistory, or null when it is one. */
function historyProblem(value: Record<string, unknown>): string | null {
  for (const [stack, variants] of Object.entries(value)) {
    if (!isObject(variants)) return `the entry for ${stack} is not an object`;
    for (const [variant, services] of Object.entries(variants)) {
      if (!VARIANTS.includes(variant)) return `${stack}.${variant} is not a variant`;
      if (!isObject(services)) return `${stack}.${variant} is not an object`;
      for (const [service, record] of Object.entries(services)) {
        const why = recordProblem(record, variant);
        if (why) return `${stack}.${variant}.${service} ${why}`;
      }
    }
  }
  return null;
}

/** Missing file: nothing built yet. Unreadable or not what we write: nothing, and a problem to show. */
export function loadBuildHistory(path: string): LoadedBuildHistory {
  const { value, problem } = loadStateFile<BuildHistory>(path, 'build history', {}, historyProblem);
  return { history: value, problem };
}

/** Writes the history atomically (see saveStateFile). Throws one line. */
export function saveBuildHistory(path: string, history: BuildHistory): void {
  saveStateFile(path, 'build history', history);
}

/** The history with `records` as the last builds of `stack`'s `variant` (other services, variants and stacks kept). */
export function withBuilds(history: BuildHistory, stack: string, variant: StackVariant, records: readonly BuildRecord[]): BuildHistory {
  const services = { ...history[stack]?.[variant] };
  for (const record of records) services[record.service] = record;
  return { ...history, [stack]: { ...history[stack], [variant]: services } };
}
