import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ServiceBuild } from '../../src/domain/build';
import { BuildProgress, MAX_OUTPUT_LINES, parseBuildOutput, parseHeader } from '../../src/domain/buildkit-progress';

const FIXTURES = new URL('../fixtures/buildkit/', import.meta.url);

/** A recording (test/fixtures/buildkit/README.md says where each came from). */
function recording(name: string): string {
  return readFileSync(new URL(`${name}.txt`, FIXTURES), 'utf8');
}

function build(builds: ServiceBuild[], service: string): ServiceBuild {
  const found = builds.find((b) => b.service === service);
  if (!found) throw new Error(`no build of ${service} in ${builds.map((b) => b.service).join(', ')}`);
  return found;
}

function step(b: ServiceBuild, name: string) {
  const found = b.steps.find((s) => s.name.startsWith(name));
  if (!found) throw new Error(`no step ${name} in ${b.service}`);
  return found;
}

describe('BuildProgress on compose v1 recordings (docker-compose 1.29, docker CLI 20.10, plain progress)', () => {
  it('splits a clean build by its `Building <service>` lines, in the order compose built them', () => {
    const builds = parseBuildOutput(recording('compose-v1-clean'), ['postgres', 'migration', 'backend']);
    expect(builds.map((b) => b.service)).toEqual(['postgres', 'migration', 'backend']);
    expect(builds.every((b) => b.error === null)).toBe(true);
  });

  it('classifies vertices: internal, FROM resolution, steps and the export', () => {
    const postgres = build(parseBuildOutput(recording('compose-v1-clean')), 'postgres');
    expect(postgres.steps.map((s) => [s.vertex, s.kind])).toEqual([
      [1, 'internal'],
      [2, 'internal'],
      [3, 'from'],
      [4, 'from'],
      [6, 'internal'],
      [5, 'step'],
      [7, 'step'],
      [8, 'export'],
    ]);
    const run = step(postgres, '[2/3] RUN');
    expect(run).toMatchObject({ stage: null, index: 2, total: 3, state: 'done', seconds: 0.2, error: null });
    expect(run.instruction).toMatch(/^RUN echo 'postgres:x:70:70/);
    expect(step(postgres, 'exporting to image')).toMatchObject({ kind: 'export', state: 'done', seconds: 0.1, stage: null });
    expect(step(postgres, '[internal] load metadata for docker.io/netra-standin/postgres:15-alpine3.19')).toMatchObject({ kind: 'from' });
  });

  it('restarts vertex numbers with every service (v1): #5 of backend does not touch #5 of postgres', () => {
    const builds = parseBuildOutput(recording('compose-v1-clean'));
    expect(step(build(builds, 'postgres'), '[2/3]').vertex).toBe(5);
    const backend5 = build(builds, 'backend').steps.find((s) => s.vertex === 5);
    expect(backend5?.name).toMatch(/^\[runtime-base 2\/2\] RUN echo 'netra:x:1000/);
    expect(backend5?.stage).toBe('runtime-base');
    expect(step(build(builds, 'postgres'), '[2/3]').instruction).toMatch(/postgres/);
  });

  it('keeps timed output lines of a step', () => {
    const backend = build(parseBuildOutput(recording('compose-v1-clean')), 'backend');
    expect(step(backend, '[builder 4/4] RUN').output).toEqual(['installed 8 packages']);
  });

  it('marks CACHED steps cached, and FROM vertices as from even when BuildKit says CACHED', () => {
    const backend = build(parseBuildOutput(recording('compose-v1-cached')), 'backend');
    const steps = backend.steps.filter((s) => s.kind === 'step');
    expect(steps).toHaveLength(10);
    expect(steps.every((s) => s.state === 'cached' && s.seconds === null)).toBe(true);
    const clean = build(parseBuildOutput(recording('compose-v1-clean')), 'migration');
    expect(step(clean, '[builder 1/4] FROM')).toMatchObject({ kind: 'from', state: 'cached' });
  });

  it('a code change: only the app-code COPY and what follows it in its stage rebuild', () => {
    const backend = build(parseBuildOutput(recording('compose-v1-code-change')), 'backend');
    const rebuilt = backend.steps.filter((s) => s.kind === 'step' && s.state !== 'cached').map((s) => s.name);
    expect(rebuilt).toEqual(['[runtime 5/6] COPY app/backend/app /app/app', '[runtime 6/6] COPY service/netra-service /app/bin/netra-service']);
  });

  it('a failing RUN: its output, its ERROR, the summary and compose’s failure line', () => {
    const backend = build(parseBuildOutput(recording('compose-v1-fail-apk')), 'backend');
    const failed = backend.steps.filter((s) => s.state === 'error');
    expect(failed.map((s) => s.name)).toEqual([expect.stringMatching(/^\[4\/5\] RUN echo "fetch/)]);
    expect(failed[0]?.output).toContain('ERROR: unable to select packages:');
    expect(failed[0]?.error).toMatch(/^executor failed running \[\/bin\/sh -c .*\]: exit code: 1$/);
    // The CLI's cause, not compose's "Build failed".
    expect(backend.error).toMatch(/^executor failed running .*exit code: 1$/);
    // The step after the failing one never started.
    expect(backend.steps.some((s) => s.name.includes('echo never'))).toBe(false);
  });

  it('a COPY of a missing file: ERROR without output, `failed to compute cache key` as the build error', () => {
    const worker = build(parseBuildOutput(recording('compose-v1-fail-missing-file')), 'worker');
    expect(step(worker, '[4/4] COPY poetry.lock ./')).toMatchObject({ state: 'error', error: '"/poetry.lock" not found: not found', output: [] });
    expect(worker.error).toBe('failed to compute cache key: "/poetry.lock" not found: not found');
    // #5 finished after the failure and still counts as done.
    expect(step(worker, '[2/4] WORKDIR /app').state).toBe('done');
  });

  it('compose’s own failure line alone marks the build failed', () => {
    const p = new BuildProgress(['backend']);
    p.push('Building backend');
    p.push("ERROR: Service 'backend' failed to build: Build failed");
    expect(build(p.builds(), 'backend').error).toBe("Service 'backend' failed to build: Build failed");
  });
});

describe('BuildProgress on the 003 seed logs (bare `docker build` output, annotated)', () => {
  it('attributes lines without `Building` to the only service given', () => {
    const builds = parseBuildOutput(recording('seed-003-first'), ['backend']);
    expect(builds.map((b) => b.service)).toEqual(['backend']);
  });

  it('reads times with annotations after them and one-decimal output times', () => {
    const b = build(parseBuildOutput(recording('seed-003-first'), ['backend']), 'backend');
    const pip = step(b, '[builder 4/5] RUN pip install');
    expect(pip).toMatchObject({ state: 'done', seconds: 61.3, stage: 'builder', index: 4, total: 5 });
    expect(pip.output).toEqual([
      'Collecting pandas==2.3.2',
      'Downloading pandas-2.3.2.tar.gz (5.2 MB)',
      'Collecting numpy==2.3.2',
      'Downloading numpy-2.3.2.tar.gz (18.4 MB)',
    ]);
    expect(step(b, '[builder 1/5] FROM python:3.11-alpine3.19')).toMatchObject({ kind: 'from', seconds: 2.5 });
    expect(step(b, 'exporting to image').seconds).toBe(19.5);
  });

  it('ignores `#1-8 [Same as above, all CACHED]` and `... [150+ packages]` lines', () => {
    const b = build(parseBuildOutput(recording('seed-003-code-change'), ['backend']), 'backend');
    expect(b.steps.map((s) => s.vertex)).toEqual([9, 10, 11]);
    expect(b.steps.map((s) => s.state)).toEqual(['done', 'done', 'done']);
  });
});

describe('BuildProgress on compose v2 lines (service-prefixed vertex names, one session)', () => {
  const v2 = [
    '#0 building with "default" instance using docker driver',
    '',
    '#1 [backend internal] load build definition from backend.alpine.Dockerfile',
    '#1 transferring dockerfile: 4.09kB done',
    '#1 DONE 0.0s',
    '',
    '#2 [frontend internal] load build definition from frontend.alpine.Dockerfile',
    '#2 DONE 0.0s',
    '',
    '#3 [backend internal] load metadata for docker.io/library/python:3.11-alpine3.19',
    '#3 DONE 0.5s',
    '',
    '#4 [backend builder 1/4] FROM docker.io/library/python:3.11-alpine3.19@sha256:abc',
    '#4 DONE 0.0s',
    '',
    '#5 [frontend builder 3/8] COPY app/frontend/package.json ./package.json',
    '#5 CACHED',
    '',
    '#6 [backend builder 4/4] RUN pip install -r requirements.txt',
    '#6 0.512 Collecting fastapi==0.110.0',
    '#7 [frontend builder 4/8] RUN npm ci',
    '#6 1.020 ERROR: foo-1.0-cp311-cp311-manylinux_2_17_x86_64.whl is not a supported wheel on this platform.',
    '#6 ERROR: process "/bin/sh -c pip install -r requirements.txt" did not complete successfully: exit code: 1',
    '#7 CANCELED',
    '------',
    ' > [backend builder 4/4] RUN pip install -r requirements.txt:',
    '0.512 Collecting fastapi==0.110.0',
    '1.021 only in the summary',
    '------',
    'Dockerfile:12',
    '--------------------',
    '  11 |     COPY requirements.txt .',
    '  12 | >>> RUN pip install -r requirements.txt',
    '--------------------',
    'ERROR: failed to solve: process "/bin/sh -c pip install -r requirements.txt" did not complete successfully: exit code: 1',
  ];

  it('attributes each vertex to the service in its brackets and strips it from the name', () => {
    const builds = parseBuildOutput(v2, ['backend', 'frontend']);
    const backend = build(builds, 'backend');
    const frontend = build(builds, 'frontend');
    expect(backend.steps.map((s) => s.name)).toEqual([
      '[internal] load build definition from backend.alpine.Dockerfile',
      '[internal] load metadata for docker.io/library/python:3.11-alpine3.19',
      '[builder 1/4] FROM docker.io/library/python:3.11-alpine3.19@sha256:abc',
      '[builder 4/4] RUN pip install -r requirements.txt',
    ]);
    expect(frontend.steps.map((s) => [s.vertex, s.stage, s.index, s.state])).toEqual([
      [2, null, null, 'done'],
      [5, 'builder', 3, 'cached'],
      [7, 'builder', 4, 'error'],
    ]);
  });

  it('routes DONE/ERROR/output lines by the session-wide vertex number', () => {
    const backend = build(parseBuildOutput(v2, ['backend', 'frontend']), 'backend');
    const pip = step(backend, '[builder 4/4] RUN pip');
    expect(pip.state).toBe('error');
    expect(pip.error).toMatch(/^process "\/bin\/sh -c pip install/);
    // The summary's extra timed line is added, the repeated one is not.
    expect(pip.output).toEqual(['Collecting fastapi==0.110.0', expect.stringContaining('manylinux'), 'only in the summary']);
  });

  it('gives the final `failed to solve` line to the failing service, not the last one printed', () => {
    const builds = parseBuildOutput(v2, ['backend', 'frontend']);
    expect(build(builds, 'backend').error).toMatch(/^failed to solve: process/);
    expect(build(builds, 'frontend').error).toBeNull();
    expect(step(build(builds, 'frontend'), '[builder 4/8]').error).toBe('CANCELED');
  });

  it('a name whose first word is not a known service is a stage', () => {
    expect(parseHeader('[backend builder 2/5] RUN x', new Set(['backend']))).toMatchObject({ service: 'backend', step: { stage: 'builder', index: 2 } });
    expect(parseHeader('[backend builder 2/5] RUN x', new Set())).toMatchObject({ service: null, step: { stage: 'backend builder', index: 2 } });
    expect(parseHeader('[builder internal] load build context')).toMatchObject({ step: { kind: 'internal', stage: 'builder' } });
  });
});

describe('BuildProgress with odd or partial input', () => {
  it('never throws and ignores what it does not understand', () => {
    const p = new BuildProgress(['backend']);
    const odd = ['', '#', '#abc', '#12', '#3 DONE', '#99 CACHED', '#98 DONE 1.0s', '#97 ERROR: x', '#1 [', '[]', '------', ' > [x]:', 'Building', '\u0000\u001b[31m', 'x'.repeat(100_000)];
    for (const line of odd) expect(() => p.push(line)).not.toThrow();
    expect(() => p.push(undefined as unknown as string)).not.toThrow();
    expect(() => p.push(42 as unknown as string)).not.toThrow();
    // The `#1 [` header became a vertex of the fallback build; nothing else did.
    const steps = p.builds().flatMap((b) => b.steps);
    expect(steps.every((s) => s.state === 'running' || s.state === 'error')).toBe(true);
    expect(steps.some((s) => s.vertex === 99 || s.vertex === 98 || s.vertex === 97)).toBe(false);
  });

  it('a stream cut mid-build leaves the running step running', () => {
    const lines = recording('compose-v1-clean').split('\n');
    const cut = lines.findIndex((l) => l.startsWith('#10 0.106 installed 8 packages'));
    const b = build(parseBuildOutput(lines.slice(0, cut + 1)), 'backend');
    expect(step(b, '[builder 4/4] RUN')).toMatchObject({ state: 'running', seconds: null, output: ['installed 8 packages'] });
    expect(b.steps.at(-1)?.name).toMatch(/^\[builder 4\/4\]/);
  });

  it('keeps only the last lines of a chatty step, and takes \\r\\n endings', () => {
    const p = new BuildProgress(['api']);
    p.push('#7 [2/3] RUN make\r\n');
    for (let i = 1; i <= 100; i++) p.push(`#7 ${(i / 10).toFixed(3)} line ${i}\r`);
    p.push('#7 DONE 10.5s\r');
    const s = build(p.builds(), 'api').steps[0];
    expect(s?.output).toHaveLength(MAX_OUTPUT_LINES);
    expect(s?.output.at(-1)).toBe('line 100');
    expect(s?.output[0]).toBe(`line ${100 - MAX_OUTPUT_LINES + 1}`);
    expect(s).toMatchObject({ state: 'done', seconds: 10.5, name: '[2/3] RUN make' });
  });

  it('a repeated header (plain progress switching back to a vertex) adds no step', () => {
    const p = new BuildProgress();
    p.push('#5 [2/3] RUN a');
    p.push('#6 [3/3] RUN b');
    p.push('#5 [2/3] RUN a');
    p.push('#5 DONE 1.0s');
    expect(p.builds()[0]?.steps.map((s) => [s.vertex, s.state])).toEqual([
      [5, 'done'],
      [6, 'running'],
    ]);
  });

  it('builds() returns copies: editing them changes nothing inside', () => {
    const p = new BuildProgress(['api']);
    p.push('#1 [1/2] FROM x');
    const first = p.builds();
    first[0]?.steps[0]?.output.push('mine');
    first[0]!.steps.length = 0;
    expect(p.builds()[0]?.steps[0]?.output).toEqual([]);
    expect(p.currentService()).toBe('api');
  });
});
