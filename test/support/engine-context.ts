/** For test files of the `integration` project: the private engine started by global-setup.ts. */
import { inject } from 'vitest';
import { attachEngine, type PrivateEngine } from './docker-engine';

/** A handle on the shared engine; stop()/start() act on the real daemon (destroy() is the setup's job). */
export function providedEngine(): PrivateEngine {
  return attachEngine({ dir: inject('engineDir'), host: inject('dockerHost'), socketPath: inject('dockerSocket') });
}
