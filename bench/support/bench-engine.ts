import { rmSync } from 'node:fs';
import { startPrivateEngine, type PrivateEngine } from '../../test/support/docker-engine';

/**
 * A bench's private engine and temp directories, removed at the end (`cleanUp`) and on SIGINT/SIGTERM, so an
 * interrupted bench leaves no dockerd behind.
 */
export function benchEngine(log: (line: string) => void) {
  let engine: PrivateEngine | null = null;
  const dirs: string[] = [];
  let cleaning: Promise<void> | null = null;
  const cleanUp = (): Promise<void> => {
    cleaning ??= (async () => {
      if (engine) await engine.destroy().catch((e: unknown) => log(`could not remove the engine: ${String(e)}`));
      for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    })();
    return cleaning;
  };
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.once(sig, () => {
      log(`${sig}: removing the engine`);
      void cleanUp().finally(() => process.exit(130));
    });
  }
  return {
    async start(): Promise<PrivateEngine> {
      engine = await startPrivateEngine();
      return engine;
    },
    /** A directory to remove with the engine. */
    removeWith(dir: string): string {
      dirs.push(dir);
      return dir;
    },
    cleanUp,
  };
}
