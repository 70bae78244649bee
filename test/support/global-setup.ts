/**
 * vitest globalSetup for the `integration` and `stacks` projects: one private Docker engine each (see
 * docker-engine.ts) with the fixture images built, shared by the project's files. Tests read it with inject('dockerHost'),
 * inject('dockerSocket') and inject('engineDir'), or use providedEngine() from engine-context.ts.
 */
import { readFileSync } from 'node:fs';
import type { TestProject } from 'vitest/node';
import { ensureFixtureImages, startPrivateEngine, type PrivateEngine } from './docker-engine';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const engine = await startPrivateEngine();
  // Safety net for a run that dies before teardown: do not leave our dockerd running.
  const onExit = () => killIfRunning(engine);
  process.once('exit', onExit);
  try {
    await ensureFixtureImages(engine);
  } catch (err) {
    process.off('exit', onExit);
    await engine.destroy();
    throw err;
  }
  project.provide('dockerHost', engine.host);
  project.provide('dockerSocket', engine.socketPath);
  project.provide('engineDir', engine.dir);
  return async () => {
    process.off('exit', onExit);
    await engine.destroy();
  };
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
