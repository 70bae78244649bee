import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { BuildRecord, ImageLayer, ServiceBuild } from '../../src/domain/build';
import {
  budgetLevel,
  cacheStats,
  cleanCreatedBy,
  compareWithPrevious,
  copySources,
  failingStep,
  failureCauses,
  failureHints,
  imageBudget,
  isDependencyManifest,
  largestLayers,
  REASON_BASE,
  REASON_CODE,
  REASON_COMMAND,
  REASON_MANIFEST,
  REASON_NO_CACHE,
  slowestSteps,
  toRecord,
  type RecordMeta,
} from '../../src/domain/build-analysis';
import { parseBuildOutput } from '../../src/domain/buildkit-progress';

const FIXTURES = new URL('../fixtures/buildkit/', import.meta.url);

function builds(name: string, services: string[] = []): ServiceBuild[] {
  return parseBuildOutput(readFileSync(new URL(`${name}.txt`, FIXTURES), 'utf8'), services);
}

function service(name: string, svc: string): ServiceBuild {
  const found = builds(name, [svc]).find((b) => b.service === svc);
  if (!found) throw new Error(`no ${svc} in ${name}`);
  return found;
}

const META: RecordMeta = { variant: 'alpine', image: 'netra-alpine-test-backend:latest', noCache: false, builtAt: '2026-12-02T07:00:00.000Z', seconds: 10, imageSizeBytes: 3_404_928 };

function record(name: string, svc: string, meta: Partial<RecordMeta> = {}): BuildRecord {
  return toRecord(service(name, svc), { ...META, ...meta });
}

/** The defaults of `images:` in src/config/schema.ts. */
const IMAGES = { warningMB: 250, criticalMB: 500, budgetsMB: { backend: 500, frontend: 200 } };

describe('cacheStats', () => {
  it('a clean (--no-cache) build: none of the cacheable steps hit the cache', () => {
    expect(cacheStats(service('compose-v1-clean', 'postgres'))).toEqual({ cacheableSteps: 2, cachedSteps: 0, ratio: 0 });
    // The FROM vertex said CACHED, but FROM resolution is not a cacheable step.
    expect(cacheStats(service('compose-v1-clean', 'migration'))).toEqual({ cacheableSteps: 10, cachedSteps: 0, ratio: 0 });
  });

  it('--no-cache still reuses, within one compose run, a vertex an earlier service just built', () => {
    // backend's `[builder 2/4] WORKDIR /build` is the very vertex migration built a moment before.
    const backend = service('compose-v1-clean', 'backend');
    expect(cacheStats(backend)).toEqual({ cacheableSteps: 10, cachedSteps: 1, ratio: 0.1 });
    expect(backend.steps.filter((s) => s.kind === 'step' && s.state === 'cached').map((s) => s.name)).toEqual(['[builder 2/4] WORKDIR /build']);
  });

  it('a cached build: ratio 1 (internal, FROM and export vertices not counted)', () => {
    expect(cacheStats(service('compose-v1-cached', 'backend'))).toEqual({ cacheableSteps: 10, cachedSteps: 10, ratio: 1 });
    expect(cacheStats(service('compose-v1-cached', 'frontend'))).toEqual({ cacheableSteps: 14, cachedSteps: 14, ratio: 1 });
    expect(cacheStats(service('seed-003-cached', 'backend'))).toEqual({ cacheableSteps: 6, cachedSteps: 6, ratio: 1 });
    expect(cacheStats(service('seed-003-first', 'backend')).ratio).toBe(0);
  });

  it('ratio null without cacheable steps', () => {
    expect(cacheStats({ service: 'x', steps: [], error: null })).toEqual({ cacheableSteps: 0, cachedSteps: 0, ratio: null });
  });
});

describe('slowestSteps', () => {
  it('over the seed first build: pip install, the export, apk add', () => {
    const slow = slowestSteps(builds('seed-003-first', ['backend']), 3);
    expect(slow.map((s) => [s.service, s.step.seconds])).toEqual([
      ['backend', 61.3],
      ['backend', 19.5],
      ['backend', 8.3],
    ]);
    expect(slow[0]?.step.name).toBe('[builder 4/5] RUN pip install --no-cache-dir --user -r requirements.txt');
  });

  it('over several services, naming each step’s service; cached steps (no time) are left out', () => {
    const slow = slowestSteps(builds('compose-v1-clean'), 2);
    expect(slow.map((s) => [s.service, s.step.seconds])).toEqual([
      ['postgres', 0.2],
      ['backend', 0.2],
    ]);
    expect(slowestSteps(builds('compose-v1-cached'), 100).every((s) => s.step.state !== 'cached')).toBe(true);
    expect(slowestSteps(builds('compose-v1-cached'), 0)).toEqual([]);
  });
});

describe('toRecord', () => {
  it('keeps the cacheable steps with their cache state and the meta', () => {
    const r = record('compose-v1-code-change', 'backend', { seconds: 4.2 });
    expect(r).toMatchObject({ service: 'backend', variant: 'alpine', seconds: 4.2, cacheableSteps: 10, cachedSteps: 8, imageSizeBytes: 3_404_928 });
    expect(r.steps).toHaveLength(10);
    expect(r.steps.find((s) => s.name === '[runtime 5/6] COPY app/backend/app /app/app')).toEqual({ name: '[runtime 5/6] COPY app/backend/app /app/app', cached: false, seconds: 0 });
    expect(r.steps.some((s) => s.name.includes('FROM') || s.name.includes('exporting'))).toBe(false);
  });
});

describe('compareWithPrevious', () => {
  it('a code change (recorded): the app-code COPY broke the cache', () => {
    const previous = record('compose-v1-cached', 'backend', { seconds: 3, imageSizeBytes: 3_404_928 });
    const current = record('compose-v1-code-change', 'backend', { seconds: 5, imageSizeBytes: 3_404_950 });
    const cmp = compareWithPrevious(current, previous);
    expect(cmp.firstBroken).toEqual({ name: '[runtime 5/6] COPY app/backend/app /app/app', reason: REASON_CODE });
    expect(cmp.secondsDelta).toBe(2);
    expect(cmp.sizeDeltaBytes).toBe(22);
    expect(cmp.ratioDelta).toBeCloseTo(-0.2);
  });

  it('a requirements change (recorded): the manifest COPY, not the stage copying from it, nor the printed-first step', () => {
    const cmp = compareWithPrevious(record('compose-v1-manifest-change', 'backend'), record('compose-v1-cached', 'backend'));
    expect(cmp.firstBroken).toEqual({ name: '[builder 3/4] COPY app/backend/requirements.txt ./requirements.txt', reason: REASON_MANIFEST });
    expect(cmp.ratioDelta).toBeCloseTo(-0.7);
  });

  it('the 003 seed logs: code change and requirements change', () => {
    const cached = record('seed-003-cached', 'backend');
    expect(compareWithPrevious(record('seed-003-code-change', 'backend'), cached).firstBroken).toEqual({
      name: '[stage-1 7/8] COPY netra_backend /app/netra_backend',
      reason: REASON_CODE,
    });
    expect(compareWithPrevious(record('seed-003-requirements-change', 'backend'), cached).firstBroken).toEqual({
      name: '[builder 3/5] COPY requirements.txt .',
      reason: REASON_MANIFEST,
    });
  });

  it('--no-cache: the first cacheable step, "a clean build", even without a previous build', () => {
    const clean = record('compose-v1-clean', 'postgres', { noCache: true });
    const cmp = compareWithPrevious(clean, undefined);
    expect(cmp.firstBroken?.reason).toBe(REASON_NO_CACHE);
    expect(cmp.firstBroken?.name).toMatch(/^\[2\/3\] RUN echo 'postgres/);
    expect(cmp.secondsDelta).toBeNull();
    expect(cmp.sizeDeltaBytes).toBeNull();
    expect(cmp.ratioDelta).toBeNull();
  });

  it('nothing broke: a cached build after a cached build', () => {
    const cached = record('compose-v1-cached', 'backend');
    expect(compareWithPrevious(cached, cached)).toEqual({ secondsDelta: 0, sizeDeltaBytes: 0, ratioDelta: 0, firstBroken: null });
    expect(compareWithPrevious(record('compose-v1-code-change', 'backend'), undefined).firstBroken).toBeNull();
  });

  const rec = (steps: BuildRecord['steps'], extra: Partial<BuildRecord> = {}): BuildRecord => ({
    service: 'api',
    variant: 'regular',
    image: 'api:latest',
    noCache: false,
    builtAt: '2026-01-01T00:00:00.000Z',
    seconds: 1,
    imageSizeBytes: null,
    cacheableSteps: steps.length,
    cachedSteps: steps.filter((s) => s.cached).length,
    steps,
    ...extra,
  });

  it('an unchanged RUN right after FROM rebuilt: the base image changed', () => {
    const previous = rec([
      { name: '[2/3] RUN apt-get update', cached: true, seconds: null },
      { name: '[3/3] COPY . /app', cached: true, seconds: null },
    ]);
    const current = rec([
      { name: '[2/3] RUN apt-get update', cached: false, seconds: 3 },
      { name: '[3/3] COPY . /app', cached: false, seconds: 0.1 },
    ]);
    expect(compareWithPrevious(current, previous).firstBroken).toEqual({ name: '[2/3] RUN apt-get update', reason: REASON_BASE });
    expect(compareWithPrevious(current, previous).sizeDeltaBytes).toBeNull();
  });

  it('a RUN whose command changed (same place, new text): the command or a build arg', () => {
    const previous = rec([
      { name: '[2/4] COPY requirements.txt .', cached: true, seconds: null },
      { name: '[3/4] RUN pip install -r requirements.txt', cached: true, seconds: null },
    ]);
    const current = rec([
      { name: '[2/4] COPY requirements.txt .', cached: true, seconds: null },
      { name: '[3/4] RUN pip install --no-deps -r requirements.txt', cached: false, seconds: 9 },
    ]);
    expect(compareWithPrevious(current, previous).firstBroken).toEqual({ name: '[3/4] RUN pip install --no-deps -r requirements.txt', reason: REASON_COMMAND });
  });

  it('the root cause even when printed after what it broke (BuildKit prints in run order, not Dockerfile order)', () => {
    const previous = rec([
      { name: '[runtime 1/3] WORKDIR /app', cached: true, seconds: null },
      { name: '[runtime 2/3] COPY --from=builder /install /app/site-packages', cached: true, seconds: null },
      { name: '[builder 2/3] COPY requirements.txt .', cached: true, seconds: null },
      { name: '[builder 3/3] RUN pip install -r requirements.txt', cached: true, seconds: null },
    ]);
    const current = rec([
      { name: '[runtime 1/3] WORKDIR /app', cached: true, seconds: null },
      { name: '[runtime 2/3] COPY --from=builder /install /app/site-packages', cached: false, seconds: 0.2 },
      { name: '[builder 3/3] RUN pip install -r requirements.txt', cached: false, seconds: 30 },
      { name: '[builder 2/3] COPY requirements.txt .', cached: false, seconds: 0.1 },
    ]);
    expect(compareWithPrevious(current, previous).firstBroken).toEqual({ name: '[builder 2/3] COPY requirements.txt .', reason: REASON_MANIFEST });
  });

  it('recognises the dependency manifests by name', () => {
    for (const f of ['requirements.txt', 'requirements-dev.txt', 'app/package.json', 'package-lock.json', 'pyproject.toml', 'poetry.lock', 'yarn.lock', 'Pipfile', 'Pipfile.lock'])
      expect(isDependencyManifest(f)).toBe(true);
    for (const f of ['main.py', 'app/', 'src/package.ts', 'requirements']) expect(isDependencyManifest(f)).toBe(false);
    expect(copySources('COPY --chown=1000:1000 pyproject.toml poetry.lock ./')).toEqual(['pyproject.toml', 'poetry.lock']);
    expect(copySources('COPY ["package.json", "yarn.lock", "/app/"]')).toEqual(['package.json', 'yarn.lock']);
  });
});

describe('failingStep and failureHints', () => {
  it('a gone apk package (recorded): the step, its last lines and the package hint', () => {
    const b = service('compose-v1-fail-apk', 'backend');
    const failing = failingStep(b);
    expect(failing?.name).toMatch(/^\[4\/5\] RUN echo "fetch/);
    expect(failing?.lines.slice(0, 2)).toEqual(['fetch https://dl-cdn.alpinelinux.org/alpine/v3.19/main/x86_64/APKINDEX.tar.gz', 'ERROR: unable to select packages:']);
    expect(failing?.lines.at(-1)).toMatch(/^executor failed running .*exit code: 1$/);
    expect(failureCauses(b).map((h) => h.cause)).toEqual(['package-missing']);
    expect(failureHints(b)).toEqual([expect.stringContaining('postgresql-dev-15.4-r0')]);
  });

  it('a file missing from the context (recorded): the .dockerignore/path hint naming it', () => {
    const b = service('compose-v1-fail-missing-file', 'worker');
    expect(failingStep(b)).toMatchObject({ name: '[4/4] COPY poetry.lock ./', lines: ['"/poetry.lock" not found: not found'] });
    const hints = failureCauses(b);
    expect(hints.map((h) => h.cause)).toEqual(['missing-file']);
    expect(hints[0]?.text).toMatch(/\/poetry\.lock.*\.dockerignore/);
  });

  const failed = (output: string[], error = 'exit code: 1', instruction = 'RUN make'): ServiceBuild => ({
    service: 'api',
    error: null,
    steps: [
      { vertex: 4, name: `[2/2] ${instruction}`, kind: 'step', stage: null, index: 2, total: 2, instruction, state: 'error', seconds: null, output, error },
    ],
  });

  it('apt: unknown package and a pinned version that is gone', () => {
    expect(failureHints(failed(['E: Unable to locate package libfoo-dev']))[0]).toContain('(libfoo-dev)');
    expect(failureHints(failed(["E: Version '15.3-0+deb12u1' for 'libpq5' was not found"]))[0]).toContain('(libpq5=15.3-0+deb12u1)');
  });

  it('a glibc binary on musl', () => {
    for (const line of ['ERROR: numpy-2.0-cp311-cp311-manylinux_2_17_x86_64.whl is not a supported wheel on this platform.', 'Error relocating /usr/lib/libx.so: __fprintf_chk: symbol not found', 'Error loading shared library libstdc++.so.6: No such file or directory'])
      expect(failureCauses(failed([line])).map((h) => h.cause)).toEqual(['musl-wheel']);
  });

  it('out of disk, from the step error or from the build’s error line', () => {
    expect(failureCauses(failed([], 'write /var/lib/docker/tmp/x: no space left on device')).map((h) => h.cause)).toEqual(['disk-full']);
    expect(failureCauses({ service: 'api', steps: [], error: 'failed to solve: no space left on device' }).map((h) => h.cause)).toEqual(['disk-full']);
  });

  it('no failure, no hint; an unknown failure, no hint but a failing step', () => {
    expect(failureHints(service('compose-v1-cached', 'backend'))).toEqual([]);
    expect(failingStep(service('compose-v1-cached', 'backend'))).toBeNull();
    expect(failureHints(failed(['make: *** [all] Error 2']))).toEqual([]);
    expect(failingStep(failed(['make: *** [all] Error 2']))?.lines).toEqual(['make: *** [all] Error 2', 'exit code: 1']);
  });

  it('prefers the failed step over a CANCELED one', () => {
    const b = failed(['boom']);
    b.steps.unshift({ ...b.steps[0]!, vertex: 3, name: '[1/2] RUN other', error: 'CANCELED', output: [] });
    expect(failingStep(b)?.name).toBe('[2/2] RUN make');
  });
});

describe('imageBudget and budgetLevel', () => {
  it('decimal MB, per-service budgets, criticalMB for the rest', () => {
    expect(imageBudget('backend', IMAGES)).toEqual({ budgetBytes: 500_000_000, warningBytes: 250_000_000 });
    expect(imageBudget('frontend', IMAGES)).toEqual({ budgetBytes: 200_000_000, warningBytes: 100_000_000 });
    expect(imageBudget('auth', IMAGES)).toEqual({ budgetBytes: 500_000_000, warningBytes: 250_000_000 });
    expect(imageBudget('toString', IMAGES).budgetBytes).toBe(500_000_000);
  });

  it('levels', () => {
    const b = imageBudget('frontend', IMAGES);
    expect(budgetLevel(3_404_928, b)).toBe('ok');
    expect(budgetLevel(100_000_000, b)).toBe('ok');
    expect(budgetLevel(100_000_001, b)).toBe('warning');
    expect(budgetLevel(200_000_000, b)).toBe('warning');
    expect(budgetLevel(200_000_001, b)).toBe('over');
  });
});

describe('largestLayers', () => {
  it('the recorded backend history: largest non-empty layers, BuildKit suffixes cleaned', () => {
    const layers: ImageLayer[] = readFileSync(new URL('history-backend.tsv', FIXTURES), 'utf8')
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => {
        const tab = l.indexOf('\t');
        return { sizeBytes: Number(l.slice(0, tab)), createdBy: l.slice(tab + 1) };
      });
    const top = largestLayers(layers, 3);
    expect(top).toEqual([
      { sizeBytes: 3_395_372, createdBy: '(base image layer)' },
      { sizeBytes: 8602, createdBy: 'COPY service/netra-service /app/bin/netra-service' },
      { sizeBytes: 404, createdBy: 'COPY /install/site-packages /app/site-packages' },
    ]);
    expect(largestLayers(layers, 100).every((l) => l.sizeBytes > 0)).toBe(true);
    expect(largestLayers(layers, 100).find((l) => l.createdBy.startsWith('RUN'))?.createdBy).toMatch(/^RUN echo 'netra:x:1000/);
  });

  it('the legacy builder’s prefixes', () => {
    expect(cleanCreatedBy('/bin/sh -c #(nop) COPY dir:abc in /app ')).toBe('COPY dir:abc in /app');
    expect(cleanCreatedBy('|2 NATIVE_EXT=none BASE_IMAGE=python:3.11 /bin/sh -c pip install -r requirements.txt')).toBe('RUN pip install -r requirements.txt');
    expect(cleanCreatedBy('RUN |1 NATIVE_EXT=none /bin/sh -c apk add tini # buildkit')).toBe('RUN apk add tini');
    expect(cleanCreatedBy('/bin/sh -c #(nop)  CMD ["sh"]')).toBe('CMD ["sh"]');
  });
});
