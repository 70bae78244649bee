/**
 * The last measurement of each stack variant, kept between runs in the state directory. Losing it costs a
 * re-measurement, nothing more: a load never throws and never rewrites the file; a save replaces it atomically
 * (see state-file.ts).
 */
import type { StackMeasurements } from '../domain/stacks';
import { defaultStatePath, isObject, loadStateFile, saveStateFile } from './state-file';

/** `$XDG_STATE_HOME/netra-console/stacks.json`, by default `~/.local/state/netra-console/stacks.json`. */
export function defaultMeasurementsPath(env: NodeJS.ProcessEnv): string {
  return defaultStatePath(env, 'stacks.json');
}

export interface LoadedMeasurements {
  measurements: StackMeasurements;
  /** One line saying why the file was not used; null when it was, or when there is none yet. */
  problem: string | null;
}

/** Why `value` is not StackMeasurements, or null when it is. */
function measurementsProblem(value: Record<string, unknown>): string | null {
  for (const [stack, entry] of Object.entries(value)) {
    if (!isObject(entry)) return `the entry for ${stack} is not an object`;
    for (const [key, variant] of Object.entries(entry)) {
      if (key === 'lastHealthy') {
        if (variant !== 'alpine' && variant !== 'regular') return `${stack}.lastHealthy is not a variant`;
      } else if (!isObject(variant) || !Array.isArray(variant.services)) {
        return `${stack}.${key} is not a measurement`;
      }
    }
  }
  return null;
}

/** Missing file: nothing measured yet. Unreadable or not what we write: nothing, and a problem to show. */
export function loadMeasurements(path: string): LoadedMeasurements {
  const { value, problem } = loadStateFile<StackMeasurements>(path, 'stack measurements', {}, measurementsProblem);
  return { measurements: value, problem };
}

/** Writes the measurements atomically (see saveStateFile). Throws one line. */
export function saveMeasurements(path: string, measurements: StackMeasurements): void {
  saveStateFile(path, 'stack measurements', measurements);
}
