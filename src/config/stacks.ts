import { dirname, resolve } from 'node:path';
import type { StackDefinition } from '../domain/stacks';
import { DEFAULT_STACKS, type Config } from './schema';

/**
 * The stacks with absolute file paths: those of the config relative to its directory; without a `stacks:` section,
 * the platform's two stacks relative to `cwd` (where a checkout's compose files are).
 */
export function resolveStacks(config: Config, configPath: string | null, cwd: string): StackDefinition[] {
  const base = config.stacks && configPath ? dirname(configPath) : cwd;
  return Object.entries(config.stacks ?? DEFAULT_STACKS).map(([name, stack]) => ({
    name,
    project: stack.project,
    files: { alpine: stack.alpine.map((f) => resolve(base, f)), regular: stack.regular.map((f) => resolve(base, f)) },
    env: stack.env,
    ...(config.stacks ? {} : { implicit: true as const }),
  }));
}
