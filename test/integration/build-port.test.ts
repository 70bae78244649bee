/**
 * createBuildPort on the shared private engine, with the Alpine test stack built by the real compose CLI (1.29,
 * BuildKit through the Debian 20.10 docker CLI): a `--no-cache` rebuild through StackPort.build leaves the old image
 * dangling with its compose project label (docker-compose files: `build.labels`), and the scoped prune removes
 * exactly the project's dangling images and stopped containers, plus old builder cache, while other projects'
 * images, unlabelled dangling images, running containers and every volume survive. Offline: stand-in bases only.
 */
import { join } from 'node:path';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DockerEndpoint } from '../../src/config/docker-host';
import type { PrunePlan } from '../../src/domain/build';
import type { StackDefinition } from '../../src/domain/stacks';
import type { BuildPort } from '../../src/flows/build-port';
import { createBuildPort } from '../../src/sources/compose/build-port';
import { createStackPort } from '../../src/sources/compose/stack-port';
import { DOCKER_BIN, docker, dockerOk, FIXTURE_IMAGES, shortLived } from '../support/docker-engine';
import { providedEngine } from '../support/engine-context';
import {
  buildStack,
  composeDown,
  composeUp,
  ensureNetraBases,
  REPO_ROOT,
  serviceOf,
  STACK_FILES,
  STACK_SERVICES,
  STANDIN_PREFIX,
  START_SCALE,
  TEST_PROJECT,
  waitForStack,
} from '../support/netra-stack';
import { waitFor } from '../support/wait';

const engine = providedEngine();
const client = new Docker({ socketPath: engine.socketPath });
const endpoint: DockerEndpoint = { kind: 'socket', socketPath: engine.socketPath, display: engine.host };
const port: BuildPort = createBuildPort(client);
const stackPort = createStackPort(client, { cli: DOCKER_BIN, endpoint });

const LABEL = 'com.docker.compose.project';
const OTHER_PROJECT = 'netra-bp-other';
const REDIS_IMAGE = 'netra-alpine-test-redis:latest';
const UNRELATED_TAG = 'netra-bp-unrelated:keep';
const SCRATCH_TAG = 'netra-bp-scratch:latest';
const OTHER_TAG = 'netra-bp-other:latest';
const PROJECT_VOLUME = `${TEST_PROJECT}_bp-scratch`;
const UNRELATED_VOLUME = 'netra-bp-unrelated';
const NAMES = { oldUser: 'netra-bp-old-user', writer: 'netra-bp-writer', revived: 'netra-bp-revived', otherStopped: 'netra-bp-other-stopped' };

const stack: StackDefinition = {
  name: 'test',
  project: TEST_PROJECT,
  files: { alpine: [join(REPO_ROOT, STACK_FILES.alpineTest)], regular: [join(REPO_ROOT, STACK_FILES.test)] },
  env: { NETRA_BASE_PREFIX: STANDIN_PREFIX, NETRA_START_SCALE: START_SCALE },
};

/** What the test made and must find again. */
const made = {
  oldRedisId: '',
  newRedisId: '',
  unlabelledDanglingId: '',
  otherDanglingId: '',
  containerIds: {} as Record<keyof typeof NAMES, string>,
  runningIds: [] as string[],
  migrationId: '',
  volumesBefore: [] as string[],
  /** The anonymous volume the container made from the old redis image got (VOLUME /data). */
  anonymousVolume: '',
};

async function imageId(ref: string): Promise<string> {
  return dockerOk(engine, ['image', 'inspect', '--format', '{{.Id}}', ref]);
}

async function exists(kind: 'image' | 'container' | 'volume', ref: string): Promise<boolean> {
  return (await docker(engine, [kind, 'inspect', ref])).code === 0;
}

async function lines(args: string[]): Promise<string[]> {
  return (await dockerOk(engine, args)).split('\n').filter((l) => l.trim() !== '');
}

/** `docker build` (legacy builder, from stdin) of a one-line image on the fixture base; returns its id. */
async function buildTiny(tag: string, labels: Record<string, string>): Promise<string> {
  const dockerfile = `FROM ${FIXTURE_IMAGES.base}\nLABEL ${Object.entries(labels).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(' ')}\n`;
  const out = await dockerOk(engine, ['build', '-q', '-t', tag, '-'], { input: dockerfile, timeoutMs: 120_000 });
  const id = out.split('\n').pop()?.trim() ?? '';
  expect(id).toMatch(/^sha256:[0-9a-f]{64}$/);
  return id;
}

/** The engine's own answer to "the project's dangling images", as the CLI filters them. */
function danglingOf(project: string): Promise<string[]> {
  return lines(['images', '-q', '--no-trunc', '--filter', 'dangling=true', '--filter', `label=${LABEL}=${project}`]);
}

/** Names of the BuildKit steps (`#7 [2/4] RUN …`) that plain progress reported as CACHED. */
function cachedSteps(output: readonly string[]): string[] {
  const names = new Map<string, string>();
  const cached: string[] = [];
  for (const line of output) {
    const match = /^#(\d+) (.+)$/.exec(line.trim());
    if (!match) continue;
    const [, vertex, text] = match as unknown as [string, string, string];
    if (!names.has(vertex)) names.set(vertex, text);
    else if (text === 'CACHED') cached.push(names.get(vertex)!);
  }
  return cached;
}

async function cleanUp(): Promise<void> {
  await composeDown(engine, STACK_FILES.alpineTest, TEST_PROJECT, { volumes: true }).catch(() => undefined);
  await docker(engine, ['rm', '-f', ...Object.values(NAMES)]);
  await docker(engine, ['volume', 'rm', PROJECT_VOLUME, UNRELATED_VOLUME, ...(made.anonymousVolume ? [made.anonymousVolume] : [])]);
  const leftovers = [UNRELATED_TAG, SCRATCH_TAG, OTHER_TAG, made.unlabelledDanglingId, made.otherDanglingId].filter(Boolean);
  await docker(engine, ['rmi', ...leftovers]);
}

beforeAll(async () => {
  await ensureNetraBases(engine);
  await cleanUp();
  await buildStack(engine, STACK_FILES.alpineTest, TEST_PROJECT);
}, 300_000);

afterAll(async () => {
  await cleanUp();
}, 120_000);

describe('building with the project label', () => {
  it('compose 1.29 puts build.labels on every image it builds', async () => {
    for (const service of STACK_SERVICES) {
      const labels = JSON.parse(await dockerOk(engine, ['image', 'inspect', '--format', '{{json .Config.Labels}}', `netra-alpine-test-${service}:latest`])) as Record<string, string>;
      expect(labels[LABEL], service).toBe(TEST_PROJECT);
    }
  });

  it('StackPort.build reuses the cache by default and rebuilds with noCache, leaving the old image dangling and labelled', async () => {
    made.oldRedisId = await imageId(REDIS_IMAGE);
    const cachedLines: string[] = [];
    await stackPort.build(stack, 'alpine', ['redis'], (line) => cachedLines.push(line));
    expect(await imageId(REDIS_IMAGE)).toBe(made.oldRedisId);

    const freshLines: string[] = [];
    await stackPort.build(stack, 'alpine', ['redis'], (line) => freshLines.push(line), { noCache: true });
    made.newRedisId = await imageId(REDIS_IMAGE);
    expect(made.newRedisId).not.toBe(made.oldRedisId);
    // Only the base (FROM) may come from the cache: every RUN, COPY… step ran again.
    expect(cachedSteps(cachedLines).some((s) => /\] (RUN|COPY) /.test(s))).toBe(true);
    expect(cachedSteps(freshLines).filter((s) => !/\] FROM /.test(s))).toEqual([]);
    expect(await danglingOf(TEST_PROJECT)).toContain(made.oldRedisId);
  }, 120_000);
});

describe('BuildPort on the engine', () => {
  beforeAll(async () => {
    // Things a scoped prune must leave: another project's and unlabelled dangling images, a tagged unrelated image.
    made.unlabelledDanglingId = await buildTiny(SCRATCH_TAG, { 'com.netra.bp': 'one' });
    await buildTiny(SCRATCH_TAG, { 'com.netra.bp': 'two' });
    made.otherDanglingId = await buildTiny(OTHER_TAG, { [LABEL]: OTHER_PROJECT, 'com.netra.bp': 'one' });
    await buildTiny(OTHER_TAG, { [LABEL]: OTHER_PROJECT, 'com.netra.bp': 'two' });
    await dockerOk(engine, ['tag', FIXTURE_IMAGES.alpine, UNRELATED_TAG]);

    // The stack, up: five running services and the exited migration (a stopped container of the project).
    await composeUp(engine, STACK_FILES.alpineTest, TEST_PROJECT);
    const containers = await waitForStack(engine, TEST_PROJECT);
    made.migrationId = containers.find((c) => serviceOf(c) === 'migration')!.Id;
    made.runningIds = containers.filter((c) => serviceOf(c) !== 'migration').map((c) => c.Id);

    // More of the project's stopped containers: one created from the old (now dangling) image, which also gives it an
    // anonymous volume (VOLUME /data); one that exited after writing 256 KiB; one that will run again after planning.
    const project = ['--network', 'none', '--label', `${LABEL}=${TEST_PROJECT}`];
    made.containerIds.oldUser = await dockerOk(engine, ['create', '--name', NAMES.oldUser, ...project, made.oldRedisId]);
    made.anonymousVolume = await dockerOk(engine, ['inspect', '--format', '{{range .Mounts}}{{if eq .Destination "/data"}}{{.Name}}{{end}}{{end}}', NAMES.oldUser]);
    expect(made.anonymousVolume).toMatch(/^[0-9a-f]{64}$/);
    await dockerOk(engine, ['run', '--name', NAMES.writer, ...project, FIXTURE_IMAGES.alpine, ...shortLived('dd if=/dev/zero of=/blob bs=1024 count=256 2>/dev/null')]);
    made.containerIds.writer = await dockerOk(engine, ['inspect', '--format', '{{.Id}}', NAMES.writer]);
    made.containerIds.revived = await dockerOk(engine, ['create', '--name', NAMES.revived, ...project, FIXTURE_IMAGES.alpine, 'sleep', '600']);
    await dockerOk(engine, ['run', '--name', NAMES.otherStopped, '--network', 'none', '--label', `${LABEL}=${OTHER_PROJECT}`, FIXTURE_IMAGES.alpine, ...shortLived('true')]);
    made.containerIds.otherStopped = await dockerOk(engine, ['inspect', '--format', '{{.Id}}', NAMES.otherStopped]);

    // A volume of the project with data in it, and an unrelated one.
    await dockerOk(engine, ['volume', 'create', '--label', `${LABEL}=${TEST_PROJECT}`, '--label', 'com.docker.compose.volume=bp-scratch', PROJECT_VOLUME]);
    await dockerOk(engine, ['run', '--rm', '--network', 'none', '-v', `${PROJECT_VOLUME}:/v`, FIXTURE_IMAGES.alpine, ...shortLived('dd if=/dev/zero of=/v/blob bs=1024 count=128 2>/dev/null')]);
    await dockerOk(engine, ['volume', 'create', UNRELATED_VOLUME]);
    made.volumesBefore = (await lines(['volume', 'ls', '-q'])).sort();
    expect(made.volumesBefore).toEqual(expect.arrayContaining([PROJECT_VOLUME, UNRELATED_VOLUME]));
    expect(made.volumesBefore.length).toBeGreaterThanOrEqual(5); // + the stack's two named volumes and the anonymous one
  }, 240_000);

  it('history: the built image’s layers, newest first, with what made them', async () => {
    const layers = await port.history(REDIS_IMAGE);
    expect(layers.length).toBeGreaterThan(3);
    expect(layers.every((l) => typeof l.createdBy === 'string' && l.sizeBytes >= 0)).toBe(true);
    expect(layers.some((l) => l.sizeBytes > 0)).toBe(true);
    const copy = layers.findIndex((l) => l.createdBy.includes('COPY service/netra-service'));
    const passwd = layers.findIndex((l) => l.createdBy.includes('/etc/passwd'));
    expect(copy).toBeGreaterThanOrEqual(0);
    expect(passwd).toBeGreaterThan(copy); // the RUN came before the COPY: further down the list
    await expect(port.history('netra-bp-no-such-image:none')).rejects.toThrow(/^cannot read the history of image netra-bp-no-such-image:none: not found$/);
  });

  it('diskUsage: totals and reclaimable bytes as docker system df counts them', async () => {
    const usage = await port.diskUsage();
    for (const kind of ['images', 'containers', 'volumes', 'buildCache'] as const) {
      expect(usage[kind].totalBytes, kind).toBeGreaterThan(0);
      expect(usage[kind].reclaimableBytes, kind).toBeGreaterThan(0);
      expect(usage[kind].reclaimableBytes, kind).toBeLessThanOrEqual(usage[kind].totalBytes);
    }
    // The writer's 256 KiB are in a stopped container; the scratch volume's 128 KiB in an unused volume.
    expect(usage.containers.reclaimableBytes).toBeGreaterThanOrEqual(256 * 1024);
    expect(usage.volumes.reclaimableBytes).toBeGreaterThanOrEqual(128 * 1024);
    // Images that running containers use are not reclaimable.
    expect(usage.images.reclaimableBytes).toBeLessThan(usage.images.totalBytes);
  });

  let plan: PrunePlan;

  it('planPrune lists exactly the project’s dangling images and stopped containers, and changes nothing', async () => {
    plan = await port.planPrune(TEST_PROJECT, 24);
    expect(plan.project).toBe(TEST_PROJECT);
    expect(plan.cacheOlderThanHours).toBe(24);

    const danglingIds = plan.danglingImages.map((i) => i.id).sort();
    expect(danglingIds).toEqual((await danglingOf(TEST_PROJECT)).sort());
    expect(danglingIds).toContain(made.oldRedisId);
    expect(danglingIds).not.toContain(made.unlabelledDanglingId);
    expect(danglingIds).not.toContain(made.otherDanglingId);
    expect(plan.danglingImages.every((i) => i.sizeBytes > 0)).toBe(true);

    const stopped = await lines(['ps', '-aq', '--no-trunc', '--filter', `label=${LABEL}=${TEST_PROJECT}`, '--filter', 'status=exited', '--filter', 'status=created', '--filter', 'status=dead']);
    expect(plan.stoppedContainers.map((c) => c.id).sort()).toEqual(stopped.sort());
    expect(plan.stoppedContainers.map((c) => c.id).sort()).toEqual(
      [made.migrationId, made.containerIds.oldUser, made.containerIds.writer, made.containerIds.revived].sort(),
    );
    expect(plan.stoppedContainers.map((c) => c.name)).toEqual(expect.arrayContaining([NAMES.oldUser, NAMES.writer, NAMES.revived]));

    // Listing removed nothing.
    expect(await exists('image', made.oldRedisId)).toBe(true);
    expect(await exists('container', made.containerIds.writer)).toBe(true);
    await expect(port.planPrune(TEST_PROJECT, -1)).rejects.toThrow(/^cache age must be a number of hours/);
  });

  it('a prune with an empty plan and a 24 h cache age removes nothing (the cache is younger)', async () => {
    const before = await port.diskUsage();
    expect(await port.prune({ project: TEST_PROJECT, danglingImages: [], stoppedContainers: [], cacheOlderThanHours: 24 })).toEqual({ reclaimedBytes: 0, errors: [] });
    expect((await port.diskUsage()).buildCache).toEqual(before.buildCache);
  });

  it('prune removes exactly the plan’s containers and images, then old cache; everything else survives', async () => {
    // A planned container runs again before the prune: it must be re-checked and kept.
    await dockerOk(engine, ['start', NAMES.revived]);
    await waitFor(async () => (await dockerOk(engine, ['inspect', '--format', '{{.State.Running}}', NAMES.revived])) === 'true', {
      what: `${NAMES.revived} to run`,
    });
    const cacheBefore = (await port.diskUsage()).buildCache;

    const result = await port.prune({ ...plan, cacheOlderThanHours: 0 });
    expect(result.errors).toEqual([`container ${NAMES.revived} kept: it is running now`]);
    expect(result.reclaimedBytes).toBeGreaterThan(256 * 1024);

    // Gone: the plan's stopped containers and dangling images (the old redis image after the container using it).
    for (const id of [made.migrationId, made.containerIds.oldUser, made.containerIds.writer]) expect(await exists('container', id), id).toBe(false);
    for (const { id } of plan.danglingImages) expect(await exists('image', id), id).toBe(false);
    expect(await danglingOf(TEST_PROJECT)).toEqual([]);
    // The builder cache older than 0 h: all of it that was not in use.
    const cacheAfter = (await port.diskUsage()).buildCache;
    expect(cacheAfter.reclaimableBytes).toBeLessThan(cacheBefore.reclaimableBytes);

    // Kept: other images, the revived and the running containers, another project's stopped one, every volume.
    for (const ref of [made.unlabelledDanglingId, made.otherDanglingId, UNRELATED_TAG, REDIS_IMAGE, FIXTURE_IMAGES.alpine]) {
      expect(await exists('image', ref), ref).toBe(true);
    }
    expect(await dockerOk(engine, ['inspect', '--format', '{{.State.Running}}', NAMES.revived])).toBe('true');
    expect(await exists('container', made.containerIds.otherStopped)).toBe(true);
    for (const id of made.runningIds) expect(await dockerOk(engine, ['inspect', '--format', '{{.State.Running}}', id]), id).toBe('true');
    expect((await lines(['volume', 'ls', '-q'])).sort()).toEqual(made.volumesBefore);
  }, 120_000);

  it('pruning again finds nothing of the project left to remove', async () => {
    const again = await port.planPrune(TEST_PROJECT, 0);
    expect(again.danglingImages).toEqual([]);
    expect(again.stoppedContainers).toEqual([]);
    expect((await lines(['volume', 'ls', '-q'])).sort()).toEqual(made.volumesBefore);
  });
});
