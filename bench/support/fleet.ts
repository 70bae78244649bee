// The containers the bench watches: `docker run` of the busybox fixture (sleep, network none) with compose's project
// and service labels, so the console groups them as a compose stack would.
import { dockerOk, FIXTURE_IMAGES, runContainer, type ContainerSpec, type PrivateEngine } from '../../test/support/docker-engine';

/** Containers started at once: the engine (and runc) on 2 cores is the limit, not the CLI. */
const CONCURRENCY = 4;

export interface Fleet {
  project: string;
  names: string[];
}

const sleeper = (spec: Omit<ContainerSpec, 'image' | 'cmd'>): ContainerSpec => ({ ...spec, image: FIXTURE_IMAGES.alpine, cmd: ['sleep', '1000000'] });

async function runAll(engine: PrivateEngine, specs: readonly ContainerSpec[]): Promise<void> {
  const queue = [...specs];
  const worker = async () => {
    for (let spec = queue.shift(); spec; spec = queue.shift()) await runContainer(engine, spec);
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
}

/** 20 services of one container each; every other one with a health check every 5 s. */
export async function startTwenty(engine: PrivateEngine): Promise<Fleet> {
  const project = 'netra-bench';
  const specs = Array.from({ length: 20 }, (_, i) =>
    sleeper({ name: `bench-${String(i).padStart(2, '0')}`, project, service: `svc${i}`, health: i % 2 === 0 ? { cmd: 'true', interval: '5s' } : undefined }),
  );
  await runAll(engine, specs);
  return { project, names: specs.map((s) => s.name) };
}

/** `services` services of `replicas` containers each, named as compose names them (project-service-N); no health checks. */
export async function startMany(engine: PrivateEngine, services: number, replicas: number): Promise<Fleet> {
  const project = 'netra-many';
  const specs = Array.from({ length: services * replicas }, (_, i) => {
    const service = `svc${String(Math.floor(i / replicas)).padStart(2, '0')}`;
    return sleeper({ name: `${project}-${service}-${(i % replicas) + 1}`, project, service });
  });
  await runAll(engine, specs);
  return { project, names: specs.map((s) => s.name) };
}

export async function removeFleet(engine: PrivateEngine, fleet: Fleet): Promise<void> {
  await dockerOk(engine, ['rm', '-f', ...fleet.names], { timeoutMs: 120_000 });
}
