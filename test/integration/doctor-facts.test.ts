/**
 * The doctor's facts (src/sources/doctor) read from real faults planted on the private engine: no memory limit, a
 * root user, a real OOM kill, musl refusing a glibc extension, a read-only root without tmpfs, a slow start, a
 * restart loop, a missing image, a compose file that does not validate, the repo's Dockerfiles; and a container set
 * up as the guides ask, which must read as such. Cloud Run facts come from the in-process sandbox.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { CONTAINER_CHECKS } from '../../src/domain/checks/container-checks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDockerHost } from '../../src/config/docker-host';
import type { ContainerFacts } from '../../src/domain/checks/types';
import type { StackDefinition } from '../../src/domain/stacks';
import { startSandbox, type Sandbox } from '../../src/sandbox/index';
import { createLoggingClient } from '../../src/sources/logs/cloud-tail';
import { readCloudRunFacts } from '../../src/sources/doctor/cloud-run-facts';
import { readContainerFacts } from '../../src/sources/doctor/container-facts';
import { gatherDoctorFacts, type DoctorDeps } from '../../src/sources/doctor/gather';
import { readStackFacts } from '../../src/sources/doctor/stack-facts';
import { docker, dockerOk, DOCKER_BIN, FIXTURE_IMAGES, runContainer, shortLived, type ContainerSpec } from '../support/docker-engine';
import { providedEngine } from '../support/engine-context';
import { removeProjectContainers, uniqueProject } from '../support/live-store';
import { buildImage, ensureNetraBases, REPO_ROOT, STACK_FILES, STANDIN_PREFIX } from '../support/netra-stack';
import { waitFor } from '../support/wait';

const engine = providedEngine();
const client = new Docker({ socketPath: engine.socketPath });
const endpoint = parseDockerHost(engine.host, 'test engine');
const project = uniqueProject('doctor');
const ghostProject = uniqueProject('doctor-ghost');
const GLIBC_TAG = `netra-doctor-glibc-ext:${project}`;
const GHOST_IMAGE = 'netra-doctor-ghost:never';
const MiB = 1024 * 1024;
const QUICK_STOP = ['--stop-timeout', '1'];
const LOOP = ['sh', '-c', 'echo started; while :; do sleep 1; done'];

let dir = '';
let ghost: StackDefinition;
const ids: Record<string, string> = {};
const startedAt = Date.now();

const repoStack: StackDefinition = {
  name: 'test',
  project: 'netra-test',
  files: { alpine: [join(REPO_ROOT, STACK_FILES.alpineTest)], regular: [join(REPO_ROOT, STACK_FILES.test)] },
  env: {},
};

function deps(extra: Partial<DoctorDeps> = {}): DoctorDeps {
  return { docker: client, endpoint, dockerCli: DOCKER_BIN, stacks: [ghost, repoStack], projects: [project, ghostProject], ...extra };
}

async function inspectState(name: string): Promise<{ Status: string; Health?: { Status: string }; RestartCount: number }> {
  const out = await dockerOk(engine, ['inspect', '--format', '{{json .State}}|{{.RestartCount}}', name]);
  const [state, restarts] = out.split('|');
  return { ...(JSON.parse(state!) as { Status: string; Health?: { Status: string } }), RestartCount: Number(restarts) };
}

async function factsOf(name: string): Promise<ContainerFacts> {
  const [facts] = await readContainerFacts(client, [ids[name]!], { stacks: [ghost, repoStack] });
  if (!facts) throw new Error(`no facts for ${name}`);
  return facts;
}

/** Runs a fixture container of the doctor's project. */
function run(key: string, spec: Partial<ContainerSpec> & { cmd: string[] }): Promise<void> {
  const name = `${project}-${key}`;
  return runContainer(engine, { name, image: FIXTURE_IMAGES.base, project, service: key, ...spec }).then((id) => {
    ids[key] = id;
  });
}

/** The 1-based line of `  <service>:` in a compose file, found by plain text. */
async function lineOf(file: string, service: string): Promise<number> {
  const lines = (await readFile(file, 'utf8')).split('\n');
  return lines.indexOf(`  ${service}:`) + 1;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'netra-doctor-'));
  const alpineFile = join(dir, 'ghost.alpine.yml');
  const regularFile = join(dir, 'ghost.yml');
  await writeFile(alpineFile, `services:\n  web:\n    image: ${GHOST_IMAGE}\n    network_mode: none\n`);
  await writeFile(regularFile, `services:\n  web:\n    image: ${GHOST_IMAGE}\n    imagee: typo\n`);
  ghost = { name: 'ghost', project: ghostProject, files: { alpine: [alpineFile], regular: [regularFile] }, env: {} };

  // Built first: health probes and OOM kills are engine events, and the engine keeps only its last 256 events (each
  // probe makes three), so the containers whose events are read start together, right before their tests.
  await ensureNetraBases(engine);
  await buildImage(engine, 'backend.alpine.Dockerfile', GLIBC_TAG, {
    BASE_IMAGE: `${STANDIN_PREFIX}python:3.11-alpine3.19`,
    GLIBC_IMAGE: `${STANDIN_PREFIX}python:3.11-slim`,
    NATIVE_EXT: 'glibc',
  });
  await Promise.all([
    // Defaults everywhere: no limit, root, writable root, no init. Labelled as the ghost stack's Alpine `web`.
    runContainer(engine, {
      name: `${project}-plain`,
      image: FIXTURE_IMAGES.base,
      cmd: LOOP,
      project: ghostProject,
      service: 'web',
      labels: { 'com.docker.compose.project.config_files': alpineFile },
      extraArgs: QUICK_STOP,
    }).then((id) => (ids.plain = id)),
    run('hardened', {
      cmd: LOOP,
      memory: '64m',
      health: { cmd: 'true', interval: '1s' },
      extraArgs: [
        ...['--read-only', '--tmpfs', '/tmp', '--cap-drop', 'ALL', '--security-opt', 'no-new-privileges'],
        ...['--user', '1000', '--init', ...QUICK_STOP],
      ],
    }),
    // busybox tail keeps what it read of a file without newlines: it grows until the kernel kills it.
    run('oom', { cmd: ['tail', '/dev/zero'], memory: '8m' }),
    run('readonly', { cmd: LOOP, extraArgs: ['--read-only', ...QUICK_STOP] }),
    // Ready 4 s after the start, start period 1 s. Probes every 3 s leave the start in the health log; every 0.5 s
    // they push it out of the engine's five kept probes, and the engine's health_status event has to tell.
    run('slow', {
      cmd: ['sh', '-c', 'sleep 4; : > /tmp/ready; while :; do sleep 1; done'],
      health: { cmd: 'test -f /tmp/ready', interval: '3s', startPeriod: '1s' },
      extraArgs: QUICK_STOP,
    }),
    run('slow-busy', {
      cmd: ['sh', '-c', 'sleep 4; : > /tmp/ready; while :; do sleep 1; done'],
      health: { cmd: 'test -f /tmp/ready', interval: '500ms', startPeriod: '1s' },
      extraArgs: QUICK_STOP,
    }),
    run('loop', { cmd: shortLived('echo crashing; exit 1'), restart: 'always' }),
    run('glibc', { image: GLIBC_TAG, cmd: [], extraArgs: ['--read-only', '--tmpfs', '/tmp:mode=1777', '-e', 'START_SCALE=10'] }),
  ]);
}, 240_000);

afterAll(async () => {
  await removeProjectContainers(engine, project);
  await removeProjectContainers(engine, ghostProject);
  await docker(engine, ['rmi', '-f', GLIBC_TAG]);
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('container facts', () => {
  it('reads a container set up as the guides ask as such', async () => {
    await waitFor(async () => (await inspectState(ids.hardened!)).Health?.Status === 'healthy', { what: 'the hardened container to be healthy' });
    const facts = await factsOf('hardened');
    expect(facts).toMatchObject({
      name: `${project}-hardened`,
      project,
      service: 'hardened',
      stack: null,
      stackVariant: null,
      state: 'running',
      exitCode: null,
      health: 'healthy',
      failingStreak: 0,
      oomKilled: false,
      oomEvents: 0,
      restarts: 0,
      memoryLimitBytes: 64 * MiB,
      readOnlyRootfs: true,
      tmpfs: ['/tmp'],
      user: '1000',
      capDrop: ['ALL'],
      securityOpt: ['no-new-privileges'],
      dockerInit: true,
      command: LOOP,
      image: FIXTURE_IMAGES.base,
      imageVariant: '?',
      composeLocation: null,
    });
    expect(facts.healthcheck).toEqual({ startPeriodSeconds: 0, intervalSeconds: 1, timeoutSeconds: 30, retries: 3 });
    expect(facts.healthLog.at(-1)?.exitCode).toBe(0);
    expect(facts.memUsageBytes).toBeGreaterThan(0);
    expect(facts.memUsageBytes).toBeLessThan(64 * MiB);
    expect(facts.imageSizeBytes).toBeGreaterThan(0);
    expect(facts.logTail).toContain('started');
  });

  it('reads a real OOM kill', async () => {
    await waitFor(async () => (await inspectState(ids.oom!)).Status === 'exited', { what: 'the OOM container to be killed', timeoutMs: 30_000 });
    const facts = await factsOf('oom');
    expect(facts).toMatchObject({ state: 'exited', exitCode: 137, memoryLimitBytes: 8 * MiB, memUsageBytes: null });
    // docker 20.10 on cgroup v2 can lose OOMKilled (and the oom event) in a race with the exit: whichever signs the
    // engine kept, the OOM check fails on them (exit 137 alone: graded warning, and said to be maybe docker kill).
    const oom = CONTAINER_CHECKS.find((c) => c.code === 'NC102')!.probe(facts);
    expect(oom.status).toBe('fail');
    expect(oom.severity).toBe(facts.oomKilled || facts.oomEvents > 0 ? 'error' : 'warning');
  });

  it('measures a start slower than the start period, from the health log and from the engine’s events', async () => {
    for (const key of ['slow', 'slow-busy']) {
      await waitFor(async () => (await inspectState(ids[key]!)).Health?.Status === 'healthy', { what: `${key} to turn healthy`, timeoutMs: 30_000 });
    }
    const slow = await factsOf('slow');
    expect(slow.healthcheck).toMatchObject({ startPeriodSeconds: 1, intervalSeconds: 3 });
    expect(slow.healthLog.length).toBeLessThan(5);
    const busy = await factsOf('slow-busy');
    expect(busy.healthcheck).toMatchObject({ startPeriodSeconds: 1, intervalSeconds: 0.5 });
    expect(busy.healthLog.length).toBe(5);
    expect(busy.healthLog.every((p) => Date.parse(p.start) >= Date.parse(busy.startedAt!))).toBe(true);
    for (const facts of [slow, busy]) {
      // Ready 4 s after the start; the probe that finds it passes within one interval more. The engine stamps
      // StartedAt after the process has begun (3.990 s was seen on a busy host), hence the quarter second.
      expect(facts.startupSeconds, facts.name).toBeGreaterThan(facts.healthcheck!.startPeriodSeconds);
      expect(facts.startupSeconds, facts.name).toBeGreaterThanOrEqual(3.75);
      expect(facts.startupSeconds, facts.name).toBeLessThan(4 + facts.healthcheck!.intervalSeconds + 2);
    }
  });

  it('reads no memory limit and a root user, and finds the compose file and stack variant that made it', async () => {
    const facts = await factsOf('plain');
    expect(facts).toMatchObject({
      memoryLimitBytes: 0,
      user: '',
      readOnlyRootfs: false,
      tmpfs: [],
      capDrop: [],
      dockerInit: false,
      health: 'none',
      healthcheck: null,
      startupSeconds: null,
      stack: 'ghost',
      stackVariant: 'alpine',
      composeLocation: { file: ghost.files.alpine[0], line: 2 },
    });
  });


  it('reads a read-only root filesystem without tmpfs', async () => {
    const facts = await factsOf('readonly');
    expect(facts.readOnlyRootfs).toBe(true);
    expect(facts.tmpfs).toEqual([]);
  });


  it('reads a restart loop', async () => {
    await waitFor(async () => (await inspectState(ids.loop!)).RestartCount >= 3, {
      what: 'three restarts of the crashing container',
      timeoutMs: 30_000,
    });
    const facts = await factsOf('loop');
    expect(facts.restarts).toBeGreaterThanOrEqual(3);
    expect(facts.logTail.filter((line) => line === 'crashing').length).toBeGreaterThanOrEqual(3);
    expect(facts.oomKilled).toBe(false);
  });

  it('reads musl refusing a glibc extension in the log tail', async () => {
    await waitFor(async () => (await inspectState(ids.glibc!)).Status === 'exited', {
      what: 'the glibc-extension backend to fail',
      timeoutMs: 30_000,
    });
    const facts = await factsOf('glibc');
    expect(facts).toMatchObject({ state: 'exited', exitCode: 1, imageVariant: 'alpine', user: 'netra' });
    expect(facts.command).toEqual(['/sbin/tini', '--', '/app/bin/netra-service']);
    expect(facts.logTail.some((line) => /^Error relocating \/app\/native\/ext: \w+: symbol not found$/.test(line))).toBe(true);
    // The image's own HEALTHCHECK (--interval=2s --timeout=2s --start-period=20s --retries=3).
    expect(facts.healthcheck).toEqual({ startPeriodSeconds: 20, intervalSeconds: 2, timeoutSeconds: 2, retries: 3 });
  });

  it('leaves out a container that is gone', async () => {
    const facts = await readContainerFacts(client, ['0123456789abcdef', ids.readonly!], { stacks: [] });
    expect(facts.map((f) => f.name)).toEqual([`${project}-readonly`]);
  });
});

describe('stack facts', () => {
  it('finds a missing image without pulling it, and a compose file that does not validate, in compose’s words', async () => {
    const facts = await readStackFacts({ docker: client, dockerCli: DOCKER_BIN, endpoint }, [ghost]);
    expect(facts.failures).toEqual([]);
    const byVariant = Object.fromEntries(facts.compose.map((c) => [c.variant, c]));
    expect(byVariant.alpine).toEqual({ stack: 'ghost', variant: 'alpine', files: ghost.files.alpine, valid: true, error: null });
    expect(byVariant.regular).toMatchObject({ stack: 'ghost', variant: 'regular', valid: false });
    expect(byVariant.regular!.error).toMatch(/imagee/);
    expect(facts.images).toEqual([
      {
        stack: 'ghost',
        variant: 'alpine',
        service: 'web',
        image: GHOST_IMAGE,
        present: false,
        sizeBytes: null,
        buildable: false,
        composeLocation: { file: ghost.files.alpine[0], line: 2 },
      },
    ]);
    expect(facts.dockerfiles).toEqual([]);
    const window = ['--since', String(startedAt / 1000), '--until', String(Date.now() / 1000)];
    const pulls = await dockerOk(engine, ['events', ...window, '--filter', 'event=pull']);
    expect(pulls).toBe('');
    expect((await docker(engine, ['image', 'inspect', GHOST_IMAGE])).code).not.toBe(0);
  });

  it('reads the Dockerfiles the repo’s test stack builds from, each once', async () => {
    const facts = await readStackFacts({ docker: client, dockerCli: DOCKER_BIN, endpoint }, [repoStack]);
    expect(facts.failures).toEqual([]);
    expect(facts.compose.map((c) => [c.variant, c.valid])).toEqual([
      ['alpine', true],
      ['regular', true],
    ]);
    const dockerfile = (name: string) => facts.dockerfiles.find((d) => d.path === join(REPO_ROOT, 'docker', name));
    const names = ['postgres', 'redis', 'migration', 'backend', 'auth', 'frontend'];
    const expected = ['postgres.Dockerfile', 'redis.Dockerfile', ...names.slice(2).flatMap((n) => [`${n}.Dockerfile`, `${n}.alpine.Dockerfile`])];
    expect(facts.dockerfiles.map((d) => d.path).sort()).toEqual(expected.map((n) => join(REPO_ROOT, 'docker', n)).sort());
    expect(dockerfile('postgres.Dockerfile')?.usedBy).toEqual(['test/postgres']);
    expect(dockerfile('backend.alpine.Dockerfile')).toMatchObject({ usedBy: ['test/backend'], dockerignore: true });
    expect(dockerfile('backend.alpine.Dockerfile')?.text).toBe(await readFile(join(REPO_ROOT, 'docker', 'backend.alpine.Dockerfile'), 'utf8'));
    expect(facts.images).toHaveLength(12);
    for (const image of facts.images) {
      const file = repoStack.files[image.variant][0]!;
      expect(image.buildable, image.service).toBe(true);
      expect(image.composeLocation, image.service).toEqual({ file, line: await lineOf(file, image.service) });
    }
    expect(facts.images.find((i) => i.variant === 'alpine' && i.service === 'backend')?.image).toBe('netra-alpine-test-backend:latest');
  });
});

describe('gathering', () => {
  it('narrows to one container, to a stack, and tells progress per scope', async () => {
    const progress: string[] = [];
    const one = await gatherDoctorFacts(deps(), { container: `${project}-readonly` }, (scope, state) => progress.push(`${scope} ${state}`));
    expect(one.containers.map((c) => c.name)).toEqual([`${project}-readonly`]);
    expect(one).toMatchObject({ images: [], compose: [], dockerfiles: [], host: null, cloudRun: [], failures: [] });
    expect(progress).toEqual(['container running', 'container done']);

    const stack = await gatherDoctorFacts(deps(), { stack: 'ghost' });
    expect(stack.containers.map((c) => c.name)).toEqual([`${project}-plain`]);
    expect(stack.compose.map((c) => `${c.stack} ${c.variant} ${c.valid}`).sort()).toEqual(['ghost alpine true', 'ghost regular false']);
    expect(stack.images.map((i) => `${i.service} ${i.present}`)).toEqual(['web false']);
    expect(stack.host).toBeNull();
    expect(stack.failures).toEqual([]);

    const unknown = await gatherDoctorFacts(deps(), { container: 'no-such-container' });
    expect(unknown.failures).toEqual([{ scope: 'container', message: expect.stringContaining('no container named no-such-container') }]);
  });

  it('reads everything in scope, the host included', async () => {
    const facts = await gatherDoctorFacts(deps({ stacks: [ghost] }));
    expect(facts.containers.map((c) => c.name).sort()).toEqual(
      ['plain', 'hardened', 'oom', 'readonly', 'slow', 'slow-busy', 'loop', 'glibc'].map((k) => `${project}-${k}`).sort(),
    );
    expect(facts.host).toMatchObject({ diskPath: join(engine.dir, 'data') });
    expect(facts.host!.memTotalBytes).toBeGreaterThan(0);
    expect(facts.host!.cpus).toBeGreaterThan(0);
    expect(facts.host!.memAvailableBytes).toBeGreaterThan(0);
    expect(facts.host!.diskFreeBytes).toBeGreaterThan(0);
    expect(facts.failures).toEqual([]);
  });

  it('turns an engine that does not answer into failures, not an exception', async () => {
    const socketPath = join(dir, 'no-engine.sock');
    const gone = new Docker({ socketPath });
    const facts = await gatherDoctorFacts(deps({ docker: gone, endpoint: parseDockerHost(`unix://${socketPath}`, 'test'), stacks: [ghost] }));
    const scopes = facts.failures.map((f) => f.scope).sort();
    expect(scopes).toEqual(['container', 'host', 'service']);
    for (const failure of facts.failures) expect(failure.message).toMatch(/does not answer: ENOENT/);
    expect(facts.containers).toEqual([]);
    expect(facts.compose.map((c) => c.valid).sort()).toEqual([false, true]);
  });
});

describe('Cloud Run facts', () => {
  let sandbox: Sandbox;
  const target = () => ({ project: sandbox.project, region: sandbox.region, endpoint: { host: sandbox.host, port: sandbox.port } });

  beforeAll(async () => {
    sandbox = await startSandbox({ logRatePerSecond: 0 });
  });
  afterAll(async () => {
    await sandbox?.stop();
  });

  /** Entries of the service in the window, counted by the sandbox's own filter. */
  async function count(service: string, now: number, extra: string): Promise<number> {
    const logging = await createLoggingClient(target());
    try {
      const since = new Date(now - 300_000).toISOString();
      const filter = `resource.type="cloud_run_revision" AND resource.labels.service_name="${service}" AND timestamp>="${since}"${extra}`;
      const entries = await logging.listLogEntries({ resourceNames: [`projects/${sandbox.project}`], filter }, { autoPaginate: true });
      return (entries[0] as unknown[]).length;
    } finally {
      await logging.close();
    }
  }

  it('reads readiness, the failed latest revision and the error rate of the last five minutes', async () => {
    const now = Date.now();
    const read = await readCloudRunFacts({ target: target(), services: ['netra-backend-staging', 'netra-auth', 'netra-nowhere'] }, now);
    expect(read.facts.map((f) => f.service)).toEqual(['netra-backend-staging', 'netra-auth']);
    expect(read.failures).toEqual([{ scope: 'cloudrun', message: expect.stringContaining('netra-nowhere is configured but') }]);
    const backend = read.facts[0]!;
    expect(backend.latestRevision?.state).toBe('failed');
    expect(backend.ready).toBe(false);
    // Cloud Run's multi-line condition messages, each as one printable line.
    expect(backend.latestRevision?.message).toMatch(/^The user-provided container failed to start .*troubleshooting/);
    expect(backend.readyMessage).toMatch(/^Revision 'netra-backend-staging-\d{5}-\w+' is not ready/);
    for (const text of [backend.readyMessage!, backend.latestRevision!.message!]) expect(text).not.toMatch(/[\n\r]/);
    for (const facts of read.facts) {
      const [total, errors] = await Promise.all([count(facts.service, now, ''), count(facts.service, now, ' AND severity>=ERROR')]);
      expect(total, facts.service).toBeGreaterThan(0);
      expect(facts.errorRate, facts.service).toEqual({ errors, total, windowSeconds: 300 });
    }
  });

  it('leaves the error rate unknown when Logging refuses, and reports Cloud Run that does not answer', async () => {
    sandbox.faults.permissionDenied('logging.logEntries.list', 'ListLogEntries');
    const noLogs = await readCloudRunFacts({ target: target(), services: ['netra-auth'] });
    expect(noLogs.facts).toHaveLength(1);
    expect(noLogs.facts[0]!.errorRate).toBeNull();
    sandbox.faults.clear();

    sandbox.faults.unavailable(1, 'ListServices');
    const down = await readCloudRunFacts({ target: target(), services: ['netra-auth'] });
    sandbox.faults.clear();
    expect(down.facts).toEqual([]);
    expect(down.failures).toEqual([{ scope: 'cloudrun', message: expect.stringMatching(/^cannot read Cloud Run at /) }]);
  });
});
