/**
 * vitest globalSetup for the `integration` project: one private Docker engine (see docker-engine.ts) per worker
 * the project may run at once, each with the fixture images built. Two files run side by side, each on its own
 * engine (engine-context.ts picks it by the worker's VITEST_POOL_ID), so no engine ever has two files at once.
 */
import { readFileSync } from 'node:fs';
import type { TestProject } from 'vitest/node';
import { ensureFixtureImages, startPrivateEngine, type PrivateEngine } from './docker-engine';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const count = project.config.maxWorkers;
  const engines: PrivateEngine[] = [];
  // Safety net for a run that dies before teardown: do not leave our dockerds running.
  const onExit = () => engines.forEach(killIfRunning);
  process.once('exit', onExit);
  const destroyAll = async () => {
    process.off('exit', onExit);
    await Promise.all(engines.map((engine) => engine.destroy()));
  };
  try {
    await Promise.all(
      Array.from({ length: count }, async () => {
        const engine = await startPrivateEngine();
        engines.push(engine);
        await ensureFixtureImages(engine);
      }),
    );
  } catch (err) {
    await destroyAll();
    throw err;
  }
  project.provide('engines', engines.map((e) => ({ host: e.host, socketPath: e.socketPath, dir: e.dir })));
  return destroyAll;
}

function killIfRunning(engine: PrivateEngine): void {
  // Synchronous by necessity ('exit' handlers cannot await): SIGTERM lets dockerd shut down cleanly.
  try {
    const pid = Number(readFileSync(`${engine.dir}/docker.pid`, 'utf8'));
    if (pid > 0) process.kill(pid, 'SIGTERM');
  } catch {
    // no pid file or no process: nothing to do
  }
}
