/**
 * `netra-console rebuild` as scripts run it: the built CLI against a copy of the project's own stack (docker/ and
 * the Alpine test compose file, copied so the tests can change code and manifests) on the private engine, with the
 * real docker-compose and BuildKit. Clean (no step cached), unchanged (every step cached), an app-code change, a
 * dependency-manifest change, a failing step, an image over its budget, a scoped prune, read-only.
 */
import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, runCli, type Run } from '../support/cli-process';
import { docker, dockerOk, DOCKER_BIN, FIXTURE_IMAGES } from '../support/docker-engine';
import { providedEngine } from '../support/engine-context';
import { composeDown, ensureNetraBases, REPO_ROOT, STACK_FILES, STANDIN_PREFIX, START_SCALE, TEST_PROJECT } from '../support/netra-stack';

const engine = providedEngine();
const PROJECT = TEST_PROJECT;
let home = '';
let stackDir = '';

interface ServiceDoc {
  service: string;
  image: string;
  imageSizeBytes: number | null;
  budgetBytes: number;
  overBudget: boolean;
  cacheableSteps: number;
  cachedSteps: number;
  cacheHitRatio: number | null;
  steps: Array<{ name: string; cached: boolean; seconds: number | null; error: string | null }>;
  largestLayers: Array<{ sizeBytes: number; createdBy: string }>;
  previous: { firstBroken: { name: string; reason: string } | null } | null;
  failure: { step: string; lines: string[]; hints: string[] } | null;
}

interface RebuildDoc {
  stack: string;
  variant: string;
  noCache: boolean;
  result: string;
  elapsedSeconds: number;
  services: ServiceDoc[];
  pruned: { reclaimedBytes: number } | null;
  error: string | null;
}

function writeConfig(images: object = {}): void {
  const stack = { project: PROJECT, alpine: [join(stackDir, STACK_FILES.alpineTest)], regular: [join(stackDir, STACK_FILES.test)], env: { NETRA_BASE_PREFIX: STANDIN_PREFIX, NETRA_START_SCALE: START_SCALE } };
  writeFileSync(join(home, '.netra-console.yaml'), JSON.stringify({ docker: { cli: DOCKER_BIN, host: engine.host }, stacks: { test: stack }, images }));
}

async function rebuild(args: string[]): Promise<{ run: Run; doc: RebuildDoc }> {
  const run = await runCli(['rebuild', '--variant', 'alpine', '--yes', '--json', ...args], { cwd: home, timeoutMs: 300_000 });
  try {
    return { run, doc: JSON.parse(run.stdout) as RebuildDoc };
  } catch {
    throw new Error(`not JSON (exit ${run.code}): ${run.stdout}\n${run.stderr}`);
  }
}

const backend = (doc: RebuildDoc) => doc.services.find((s) => s.service === 'backend')!;

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'netra-rebuild-'));
  stackDir = mkdtempSync(join(tmpdir(), 'netra-rebuild-stack-'));
  cpSync(join(REPO_ROOT, 'docker'), join(stackDir, 'docker'), { recursive: true });
  for (const file of [STACK_FILES.alpineTest, STACK_FILES.test]) cpSync(join(REPO_ROOT, file), join(stackDir, file));
  await Promise.all([buildCli(), ensureNetraBases(engine)]);
  writeConfig();
}, 300_000);

afterAll(async () => {
  await composeDown(engine, join(stackDir, STACK_FILES.alpineTest), PROJECT, { volumes: true }).catch(() => undefined);
  rmSync(home, { recursive: true, force: true });
  rmSync(stackDir, { recursive: true, force: true });
});

describe('rebuild', { timeout: 300_000 }, () => {
  it('the whole stack: every service built with BuildKit, sizes, budgets and largest layers (exit 0)', async () => {
    const { run, doc } = await rebuild([]);
    expect(run.code, run.stderr).toBe(0);
    expect(doc).toMatchObject({ stack: 'test', variant: 'alpine', noCache: false, result: 'built', pruned: null, error: null });
    expect(doc.services.map((s) => s.service).sort()).toEqual(['auth', 'backend', 'frontend', 'migration', 'postgres', 'redis']);
    for (const s of doc.services) {
      expect(s.cacheableSteps, s.service).toBeGreaterThan(0);
      expect(s.imageSizeBytes).toBeGreaterThan(0);
    }
    expect(backend(doc)).toMatchObject({ image: 'netra-alpine-test-backend:latest', budgetBytes: 500e6, overBudget: false });
    expect(backend(doc).steps.some((s) => s.name.includes('COPY') && s.name.includes('requirements.txt'))).toBe(true);
    expect(backend(doc).largestLayers.length).toBeGreaterThan(0);
    expect(backend(doc).largestLayers[0]!.createdBy).not.toBe('');
  });

  it('clean (--no-cache): nothing that copies or runs comes from the cache (ratio about 0)', async () => {
    const { run, doc } = await rebuild(['--no-cache', '--service', 'backend']);
    expect(run.code, run.stderr).toBe(0);
    expect(doc.noCache).toBe(true);
    // BuildKit still answers an instruction it already ran in this very build (WORKDIR of two stages alike) from
    // that run: what it says is what is shown. Nothing that copies or runs anything comes from the cache.
    const b = backend(doc);
    expect(b.cacheableSteps).toBeGreaterThan(3);
    expect(b.cacheHitRatio).toBeLessThan(0.2);
    expect(b.steps.filter((s) => s.cached && /\b(RUN|COPY)\b/.test(s.name))).toEqual([]);
  });

  it('unchanged: every cacheable step comes from the cache (ratio 1)', async () => {
    const { run, doc } = await rebuild(['--service', 'backend', '--service', 'auth']);
    expect(run.code, run.stderr).toBe(0);
    expect(doc.services.map((s) => s.service).sort()).toEqual(['auth', 'backend']);
    for (const s of doc.services) expect({ service: s.service, ratio: s.cacheHitRatio }).toEqual({ service: s.service, ratio: 1 });
    expect(backend(doc).previous).toMatchObject({ firstBroken: null });
  });

  it('an app-code change rebuilds only the steps after the code copy, and says so', async () => {
    appendFileSync(join(stackDir, 'docker', 'app', 'backend', 'app', 'main.py'), '\n# a change\n');
    const { doc } = await rebuild(['--service', 'backend']);
    const b = backend(doc);
    expect(b.cacheHitRatio).toBeGreaterThan(0);
    expect(b.cacheHitRatio).toBeLessThan(1);
    expect(b.previous!.firstBroken).toMatchObject({ reason: 'app code changed' });
    const firstRebuilt = b.steps.findIndex((s) => !s.cached);
    expect(b.steps.slice(0, firstRebuilt).every((s) => s.cached)).toBe(true);
    expect(b.steps[firstRebuilt]!.name).toMatch(/COPY/);
  });

  it('a dependency-manifest change breaks the cache at the manifest copy', async () => {
    appendFileSync(join(stackDir, 'docker', 'app', 'backend', 'requirements.txt'), 'a-new-package==1.0.0\n');
    const { doc } = await rebuild(['--service', 'backend']);
    expect(backend(doc).previous!.firstBroken).toMatchObject({ reason: 'the dependency manifest changed' });
    expect(backend(doc).previous!.firstBroken!.name).toContain('requirements.txt');
  });

  it('an image over its budget is reported, not a failure (exit 0)', async () => {
    writeConfig({ budgetsMB: { backend: 0.001 } });
    const { run, doc } = await rebuild(['--service', 'backend']);
    writeConfig();
    expect(run.code, run.stderr).toBe(0);
    expect(backend(doc)).toMatchObject({ budgetBytes: 1000, overBudget: true });
  });

  it('a failing step: exit 1, the step, its last lines and a hint', async () => {
    const dockerfile = join(stackDir, 'docker', 'backend.alpine.Dockerfile');
    const original = readFileSync(dockerfile, 'utf8');
    writeFileSync(dockerfile, original.replace(/^(FROM .* AS runtime.*)$/m, '$1\nRUN echo "ERROR: unable to select packages: libfoo-9.9 (no such package)" >&2 && exit 1'));
    try {
      const { run, doc } = await rebuild(['--service', 'backend']);
      expect(run.code).toBe(1);
      expect(doc.result).toBe('failed');
      const failure = backend(doc).failure!;
      expect(failure.step).toContain('RUN echo');
      expect(failure.lines.join('\n')).toContain('unable to select packages');
      expect(failure.hints.join('\n')).toMatch(/package/);
    } finally {
      writeFileSync(dockerfile, original);
    }
  });

  it('a scoped prune reclaims this stack\'s dangling images and leaves other images and every volume alone', async () => {
    await dockerOk(engine, ['tag', FIXTURE_IMAGES.base, 'unrelated:keep']);
    await dockerOk(engine, ['volume', 'create', 'unrelated-data']);
    await dockerOk(engine, ['volume', 'create', '--label', `com.docker.compose.project=${PROJECT}`, `${PROJECT}_postgres-data-alpine`]);
    const dangling = async () => (await dockerOk(engine, ['images', '-q', '--filter', 'dangling=true', '--filter', `label=com.docker.compose.project=${PROJECT}`])).split('\n').filter(Boolean);
    expect((await dangling()).length).toBeGreaterThan(0);
    const { run, doc } = await rebuild(['--service', 'backend', '--prune']);
    expect(run.code, run.stderr).toBe(0);
    expect(doc.pruned!.reclaimedBytes).toBeGreaterThan(0);
    expect(await dangling()).toEqual([]);
    expect((await docker(engine, ['image', 'inspect', 'unrelated:keep'])).code).toBe(0);
    const volumes = await dockerOk(engine, ['volume', 'ls', '-q']);
    expect(volumes).toContain('unrelated-data');
    expect(volumes).toContain(`${PROJECT}_postgres-data-alpine`);
  });

  it('--restart brings the stack up on the new images, healthy, as a switch does', async () => {
    const { run, doc } = await rebuild(['--service', 'backend', '--restart']);
    expect(run.code, run.stderr).toBe(0);
    const restart = (doc as RebuildDoc & { restart: { result: string; runningNow: string; services: Array<{ service: string; health: string }> } }).restart;
    expect(restart).toMatchObject({ result: 'switched', runningNow: 'alpine' });
    expect(restart.services.find((s) => s.service === 'backend')!.health).toBe('healthy');
    await composeDown(engine, join(stackDir, STACK_FILES.alpineTest), PROJECT);
  });

  it('a base image that is not on the engine refuses the build (exit 2): BuildKit would fetch it, and nothing is pulled', async () => {
    writeConfig();
    const config = JSON.parse(readFileSync(join(home, '.netra-console.yaml'), 'utf8'));
    config.stacks.test.env.NETRA_BASE_PREFIX = 'netra-nowhere/';
    writeFileSync(join(home, '.netra-console.yaml'), JSON.stringify(config));
    const run = await runCli(['rebuild', '--variant', 'alpine', '--service', 'backend', '--yes'], { cwd: home, timeoutMs: 60_000 });
    writeConfig();
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      'netra-console: test: not on the engine, and nothing is pulled: base image netra-nowhere/python:3.11-alpine3.19, netra-nowhere/python:3.11-slim; get it onto the engine (or run netra-console demo up for local stand-ins); nothing changed\n',
    );
    expect((await docker(engine, ['image', 'inspect', 'netra-nowhere/python:3.11-alpine3.19'])).code).not.toBe(0);
  });

  it('read-only refuses (exit 2), nothing built', async () => {
    const run = await runCli(['rebuild', '--yes', '--read-only'], { cwd: home });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('netra-console: this console is read-only (--read-only or readOnly: true): rebuild refused, nothing changed\n');
  });

  it('every build and prune is on the audit log', () => {
    const lines = readFileSync(join(home, 'state', 'netra-console', 'audit.log'), 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as { action: string; result: string });
    expect(lines.filter((l) => l.action === 'build').map((l) => l.result)).toEqual([...Array(6).fill(['confirmed', 'built']).flat(), 'confirmed', 'failed', 'confirmed', 'built', 'confirmed', 'built']);
    expect(lines.filter((l) => l.action === 'switch').map((l) => l.result)).toEqual(['confirmed', 'switched']);
    expect(lines.filter((l) => l.action === 'prune').map((l) => l.result)).toEqual(['confirmed', 'pruned']);
  });
});
