/** For test files of the `integration` project: this worker's private engine, started by global-setup.ts. */
import { inject } from 'vitest';
import { attachEngine, type PrivateEngine } from './docker-engine';

/** This worker's engine description: workers that run at once have different pool ids, so different engines. */
export function providedEngineInfo(): { host: string; socketPath: string; dir: string } {
  const engines = inject('engines');
  const poolId = Number(process.env.VITEST_POOL_ID);
  const info = engines[poolId - 1];
  if (!info) throw new Error(`no engine for worker ${process.env.VITEST_POOL_ID ?? '(none)'} of ${engines.length}`);
  return info;
}

/** A handle on this worker's engine; stop()/start() act on the real daemon (destroy() is the setup's job). */
export function providedEngine(): PrivateEngine {
  return attachEngine(providedEngineInfo());
}
