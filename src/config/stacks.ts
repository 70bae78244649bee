import { dirname, resolve } from 'node:path';
import type { StackDefinition } from '../domain/stacks';
import type { Config } from './schema';

/** The configured stacks with absolute file paths: relative to the config file's directory, else to `cwd`. */
export function resolveStacks(config: Config, configPath: string | null, cwd: string): StackDefinition[] {
  const base = configPath ? dirname(configPath) : cwd;
  return Object.entries(config.stacks).map(([name, stack]) => ({
    name,
    project: stack.project,
    files: { alpine: stack.alpine.map((f) => resolve(base, f)), regular: stack.regular.map((f) => resolve(base, f)) },
    env: stack.env,
  }));
}
