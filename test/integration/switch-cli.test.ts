/**
 * `netra-console switch` and `compare` as scripts run them: the built CLI in a CI-like environment against the
 * project's own stack (docker/, docker-compose*.yml) on the private engine, with the real docker-compose and
 * BuildKit. Both directions, a target whose health never passes (revert, and --no-revert), the timeout, a missing
 * image, read-only, the real musl/glibc failure, compare; what runs is checked with the engine itself.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDockerHost } from '../../src/config/docker-host';
import type { StackDefinition } from '../../src/domain/stacks';
import { executeSwitch, preflight } from '../../src/flows/switch-driver';
import { createStackPort } from '../../src/sources/compose/stack-port';
import { createDockerClient } from '../../src/sources/docker/client';
import { buildCli, runCli, type Run } from '../support/cli-process';
import { docker, dockerOk, DOCKER_BIN } from '../support/docker-engine';
import { providedEngine } from '../support/engine-context';
import { buildBackendWithGlibcExtension, buildStack, composeDown, ensureNetraBases, REPO_ROOT, runningServices, STACK_FILES, STANDIN_PREFIX, START_SCALE, TEST_PROJECT } from '../support/netra-stack';

const engine = providedEngine();
let home = '';

interface ServiceDoc {
  service: string;
  variant: string;
  image: string;
  imageSizeBytes: number | null;
  state: string;
  health: string;
  healthySeconds: number | null;
  memUsageBytes: number | null;
  memLimitBytes: number | null;
}

interface SwitchDoc {
  stack: string;
  project: string;
  from: string | null;
  to: string;
  result: string;
  elapsedSeconds: number;
  services: ServiceDoc[];
  previous: ServiceDoc[] | null;
  runningNow: string | null;
  failure: { service: string; healthOutputs: string[]; logLines: string[] } | null;
  error: string | null;
}

/** The test stack of this checkout, built from the local stand-in bases, starting 50 times faster. */
function writeConfig(env: Record<string, string> = {}): void {
  const stackEnv = { NETRA_BASE_PREFIX: STANDIN_PREFIX, NETRA_START_SCALE: START_SCALE, ...env };
  const config = {
    docker: { cli: DOCKER_BIN, host: engine.host },
    stacks: {
      test: { project: TEST_PROJECT, alpine: [join(REPO_ROOT, STACK_FILES.alpineTest)], regular: [join(REPO_ROOT, STACK_FILES.test)], env: stackEnv },
    },
  };
  writeFileSync(join(home, '.netra-console.yaml'), JSON.stringify(config));
}

function cli(args: string[], timeoutMs = 150_000): Promise<Run> {
  return runCli(args, { cwd: home, timeoutMs });
}

function parsed(run: Run): SwitchDoc {
  try {
    return JSON.parse(run.stdout) as SwitchDoc;
  } catch {
    throw new Error(`not JSON (exit ${run.code}): ${run.stdout}\n${run.stderr}`);
  }
}


const ALPINE_RUNNING = ['auth=alpine', 'backend=alpine', 'frontend=alpine', 'postgres=alpine', 'redis=alpine'];
const REGULAR_RUNNING = ALPINE_RUNNING.map((s) => s.replace('alpine', 'regular'));

function auditLines(): Array<{ action: string; stack: string; from: string | null; to: string; result: string; error: string | null }> {
  const text = readFileSync(join(home, 'state', 'netra-console', 'audit.log'), 'utf8');
  return text.trimEnd().split('\n').map((l) => JSON.parse(l));
}

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'netra-switch-'));
  await Promise.all([buildCli(), ensureNetraBases(engine)]);
  await buildStack(engine, STACK_FILES.alpineTest, TEST_PROJECT);
  await buildStack(engine, STACK_FILES.test, TEST_PROJECT);
  await composeDown(engine, STACK_FILES.alpineTest, TEST_PROJECT, { volumes: true });
  await composeDown(engine, STACK_FILES.test, TEST_PROJECT, { volumes: true });
  writeConfig();
}, 600_000);

afterAll(async () => {
  await composeDown(engine, STACK_FILES.alpineTest, TEST_PROJECT, { volumes: true }).catch(() => undefined);
  await composeDown(engine, STACK_FILES.test, TEST_PROJECT, { volumes: true }).catch(() => undefined);
  rmSync(home, { recursive: true, force: true });
}, 120_000);

describe('switch', { timeout: 200_000 }, () => {
  it('brings up Alpine from nothing: healthy, measured, audited (exit 0)', async () => {
    const run = await cli(['switch', '--to', 'alpine', '--yes', '--json']);
    const doc = parsed(run);
    expect(run.code, run.stderr).toBe(0);
    expect(doc).toMatchObject({ stack: 'test', project: TEST_PROJECT, from: null, to: 'alpine', result: 'switched', previous: null, error: null });
    expect(doc.services.map((s) => s.service).sort()).toEqual(['auth', 'backend', 'frontend', 'migration', 'postgres', 'redis']);
    const backend = doc.services.find((s) => s.service === 'backend')!;
    expect(backend).toMatchObject({ variant: 'alpine', image: 'netra-alpine-test-backend:latest', state: 'running', health: 'healthy', memLimitBytes: 512 * 1024 ** 2 });
    expect(backend.healthySeconds).toBeGreaterThan(0);
    expect(backend.memUsageBytes).toBeGreaterThan(0);
    expect(backend.imageSizeBytes).toBeGreaterThan(0);
    expect(doc.services.find((s) => s.service === 'migration')).toMatchObject({ state: 'exited', memUsageBytes: null });
    expect(await runningServices(engine, TEST_PROJECT)).toEqual(ALPINE_RUNNING);
    expect(auditLines().map((l) => `${l.action} ${l.from}→${l.to} ${l.result}`)).toEqual(['switch null→alpine confirmed', 'switch null→alpine switched']);
    const saved = JSON.parse(readFileSync(join(home, 'state', 'netra-console', 'stacks.json'), 'utf8'));
    expect(saved.test.alpine.services).toHaveLength(6);
    expect(saved.test.lastHealthy).toBe('alpine');
  });

  it('says unchanged (exit 0, nothing done) when the target already runs healthy', async () => {
    const before = await dockerOk(engine, ['ps', '-q', '--filter', `label=com.docker.compose.project=${TEST_PROJECT}`]);
    const run = await cli(['switch', '--to', 'alpine', '--yes']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('= test already runs alpine, every service healthy; nothing to do');
    expect(await dockerOk(engine, ['ps', '-q', '--filter', `label=com.docker.compose.project=${TEST_PROJECT}`])).toBe(before);
  });

  it('a dry run prints the plan and changes nothing', async () => {
    const run = await cli(['switch', '--to', 'regular', '--dry-run']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain('test (project netra-test): alpine → regular');
    expect(run.stderr).toMatch(/backend +512MiB\/0\.4 CPU → 2\.0GiB\/1 CPU/);
    expect(run.stdout).toContain('(dry run) test would switch alpine → regular; nothing changed');
    expect(await runningServices(engine, TEST_PROJECT)).toEqual(ALPINE_RUNNING);
  });

  it('refuses without a terminal and without --yes, and in read-only (exit 2, nothing changed)', async () => {
    const ask = await cli(['switch', '--to', 'regular']);
    expect(ask.code).toBe(2);
    expect(ask.stderr).toBe('netra-console: refusing to switch without a confirmation: no terminal to ask, so add --yes (or try --dry-run first)\n');
    const readOnly = await cli(['switch', '--to', 'regular', '--yes', '--read-only']);
    expect(readOnly.code).toBe(2);
    expect(readOnly.stderr).toContain('read-only');
    const unknown = await cli(['switch', '--to', 'regular', '--yes', '--stack', 'prod']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe('netra-console: unknown stack "prod"; the configured stacks are: test (config stacks:)\n');
    expect(await runningServices(engine, TEST_PROJECT)).toEqual(ALPINE_RUNNING);
  });

  it('switches to regular: the Alpine one measured as previous, its volumes kept', async () => {
    const run = await cli(['switch', '--to', 'regular', '--yes', '--json']);
    const doc = parsed(run);
    expect(run.code, run.stderr).toBe(0);
    expect(doc).toMatchObject({ from: 'alpine', to: 'regular', result: 'switched', runningNow: 'regular' });
    expect(doc.previous!.find((s) => s.service === 'backend')).toMatchObject({ variant: 'alpine', memLimitBytes: 512 * 1024 ** 2 });
    expect(doc.services.find((s) => s.service === 'backend')).toMatchObject({ variant: 'regular', memLimitBytes: 2 * 1024 ** 3, health: 'healthy' });
    expect(await runningServices(engine, TEST_PROJECT)).toEqual(REGULAR_RUNNING);
    const volumes = await dockerOk(engine, ['volume', 'ls', '-q', '--filter', `label=com.docker.compose.project=${TEST_PROJECT}`]);
    expect(volumes.split('\n').sort()).toEqual(['netra-test_postgres-data-alpine', 'netra-test_postgres-data-regular', 'netra-test_redis-data-alpine', 'netra-test_redis-data-regular']);
  });

  it('the real musl/glibc failure: a glibc extension in the Alpine backend fails the switch in musl\'s own words, and it is reverted (exit 1)', async () => {
    await buildBackendWithGlibcExtension(engine);
    try {
      const run = await cli(['switch', '--to', 'alpine', '--yes', '--json']);
      const doc = parsed(run);
      expect(run.code, run.stderr).toBe(1);
      expect(doc).toMatchObject({ from: 'regular', to: 'alpine', result: 'reverted', runningNow: 'regular' });
      expect(doc.failure!.service).toBe('backend');
      expect(doc.failure!.logLines.join('\n')).toMatch(/Error relocating \/app\/native\/ext: \w+: symbol not found/);
      expect(await runningServices(engine, TEST_PROJECT)).toEqual(REGULAR_RUNNING);
      expect(auditLines().slice(-4).map((l) => `${l.action} ${l.to} ${l.result}`)).toEqual(['switch alpine confirmed', 'switch alpine failed', 'revert regular confirmed', 'revert regular switched']);
    } finally {
      await buildStack(engine, STACK_FILES.alpineTest, TEST_PROJECT, { services: ['backend'] });
    }
  });

  it('a target whose health never passes, with --no-revert, times out within --timeout and is left as it is', async () => {
    writeConfig({ NETRA_FAIL_HEALTH_SERVICES: 'backend' });
    const run = await cli(['switch', '--to', 'alpine', '--yes', '--no-revert', '--timeout', '8']);
    writeConfig();
    expect(run.code, run.stderr).toBe(1);
    expect(run.stdout).toContain('✘ test: timed out after 8 s waiting for backend; runs now: alpine');
    expect(run.stdout).toContain('backend, last log lines:');
    expect((await runningServices(engine, TEST_PROJECT)).filter((s) => s.endsWith('=alpine'))).toEqual(ALPINE_RUNNING.filter((s) => !s.startsWith('frontend')));
    // Back to a healthy regular for what follows.
    expect((await cli(['switch', '--to', 'regular', '--yes'])).code).toBe(0);
    expect(await runningServices(engine, TEST_PROJECT)).toEqual(REGULAR_RUNNING);
  });

  it('a missing target image is a preflight refusal (exit 2) that names it; nothing is pulled or changed', async () => {
    await dockerOk(engine, ['tag', 'netra-alpine-test-auth:latest', 'netra-keep-auth:latest']);
    await dockerOk(engine, ['rmi', 'netra-alpine-test-auth:latest']);
    try {
      const run = await cli(['switch', '--to', 'alpine', '--yes']);
      expect(run.code).toBe(2);
      expect(run.stderr).toBe('netra-console: test: images: missing netra-alpine-test-auth:latest; build them first (nothing is pulled); nothing changed\n');
      expect(await runningServices(engine, TEST_PROJECT)).toEqual(REGULAR_RUNNING);
    } finally {
      await dockerOk(engine, ['tag', 'netra-keep-auth:latest', 'netra-alpine-test-auth:latest']);
      await docker(engine, ['rmi', 'netra-keep-auth:latest']);
    }
  });
});

describe('someone else changing the stack', { timeout: 200_000 }, () => {
  it('between the plan and the switch: nothing is done, the fresh plan says what runs now', async () => {
    const settings = { endpoint: parseDockerHost(engine.host, 'test'), cli: DOCKER_BIN };
    const port = createStackPort(createDockerClient(settings.endpoint), { cli: settings.cli, endpoint: settings.endpoint });
    const stack: StackDefinition = {
      name: 'test',
      project: TEST_PROJECT,
      files: { alpine: [join(REPO_ROOT, STACK_FILES.alpineTest)], regular: [join(REPO_ROOT, STACK_FILES.test)] },
      env: { NETRA_BASE_PREFIX: STANDIN_PREFIX, NETRA_START_SCALE: START_SCALE },
    };
    const plan = await preflight(port, stack, 'alpine');
    if ('error' in plan) throw new Error(plan.error);
    expect(plan.from).toBe('regular');
    // A colleague stops the stack by hand after the plan was shown.
    await composeDown(engine, STACK_FILES.test, TEST_PROJECT);
    const result = await executeSwitch(plan, port, { phase: () => {}, progress: () => {} });
    expect(result).toMatchObject({ notice: 'test changed meanwhile; now nothing runs. Check and confirm again.' });
    expect('conflict' in result && 'from' in result.conflict && result.conflict.from).toBeNull();
    expect(await runningServices(engine, TEST_PROJECT)).toEqual([]);
    expect((await cli(['switch', '--to', 'regular', '--yes'])).code).toBe(0);
  });
});

describe('compare', { timeout: 300_000 }, () => {
  it('measures both variants in this run and leaves the stack as it was', async () => {
    const run = await cli(['compare', '--yes', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const doc = JSON.parse(run.stdout) as { result: string; variants: SwitchDoc[] };
    expect(doc.result).toBe('switched');
    expect(doc.variants.map((v) => `${v.from}→${v.to} ${v.result}`)).toEqual(['regular→alpine switched', 'alpine→regular switched']);
    for (const variant of doc.variants) expect(variant.services.find((s) => s.service === 'backend')!.healthySeconds).toBeGreaterThan(0);
    expect(await runningServices(engine, TEST_PROJECT)).toEqual(REGULAR_RUNNING);
  });
});

describe('demo', { timeout: 300_000 }, () => {
  it('up refuses to replace a running stack without --yes; with it, bases and images are made and Alpine runs healthy; down keeps the volumes', async () => {
    const refused = await cli(['demo', 'up']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe('netra-console: project netra-test already has 6 container(s); demo up would replace them: add --yes, or use netra-console switch\n');
    expect(await runningServices(engine, TEST_PROJECT)).toEqual(REGULAR_RUNNING);

    const up = await cli(['demo', 'up', '--yes'], 300_000);
    expect(up.code, up.stderr).toBe(0);
    expect(up.stderr).toContain('making the local stand-in base images (docker/make-bases.sh)');
    expect(up.stdout).toContain('✔ test switched to alpine, every service healthy in');
    expect(up.stdout).toContain('Press 5 for Stacks, S to switch to regular.');
    expect(await runningServices(engine, TEST_PROJECT)).toEqual(ALPINE_RUNNING);

    const unconfirmed = await cli(['demo', 'down']);
    expect(unconfirmed.code).toBe(2);
    expect(unconfirmed.stderr).toBe('netra-console: refusing to stop test without a confirmation: no terminal to ask, so add --yes\n');
    const down = await cli(['demo', 'down', '--yes']);
    expect(down.code, down.stderr).toBe(0);
    expect(down.stdout).toBe('test (project netra-test) is down; its volumes are kept\n');
    expect(await runningServices(engine, TEST_PROJECT)).toEqual([]);
    const volumes = await dockerOk(engine, ['volume', 'ls', '-q', '--filter', `label=com.docker.compose.project=${TEST_PROJECT}`]);
    expect(volumes.split('\n')).toContain('netra-test_postgres-data-alpine');
    expect(auditLines().slice(-2).map((l) => `${l.action} ${l.result}`)).toEqual(['demo down confirmed', 'demo down stopped']);
  });
});
