/**
 * `netra-console doctor` as a new user runs it: the built CLI against a stack with planted faults on the private
 * engine (fixture images; a real OOM kill, restart loop, failing health, slow start, musl refusing a glibc binary,
 * a missing image, compose files that do not validate). Every planted fault is found with its evidence and fix; the
 * service that follows the guides fails nothing; the exit codes follow --fail-on.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, runCli, type Run } from '../support/cli-process';
import { docker, dockerOk, DOCKER_BIN, ensureFixtureImages } from '../support/docker-engine';
import { providedEngine } from '../support/engine-context';
import { buildImage, COMPOSE_BIN, composeEnv, ensureNetraBases, REPO_ROOT, run, STANDIN_PREFIX } from '../support/netra-stack';
import { waitFor } from '../support/wait';

const engine = providedEngine();
const PROJECT = 'netra-faults';
const FAULTS = join(REPO_ROOT, 'test/fixtures/compose/planted-faults.yml');
const FAULTS_ALPINE = join(REPO_ROOT, 'test/fixtures/compose/planted-faults.alpine.yml');
const INVALID = join(REPO_ROOT, 'test/fixtures/compose/invalid.yml');
const STARTED = ['good', 'no-limit', 'root-user', 'readonly-no-tmpfs', 'restart-loop', 'oom', 'unhealthy', 'slow-start', 'native-ext'];
let home = '';

interface CheckDoc {
  code: string;
  severity: string;
  status: string;
  target: string;
  evidence: string[];
  fix: string;
  command: string;
  location: { file: string; line: number | null } | null;
  safeFix: string | null;
}
interface DoctorDoc {
  checks: CheckDoc[];
  summary: { pass: number; fail: number; skip: number; error: number };
}

function compose(args: string[]) {
  return run(COMPOSE_BIN, ['-p', PROJECT, '-f', FAULTS, ...args], { env: composeEnv(engine), timeoutMs: 120_000 });
}

function cli(args: string[]): Promise<Run> {
  return runCli(args, { cwd: home, timeoutMs: 90_000 });
}

function parsed(run: Run): DoctorDoc {
  try {
    return JSON.parse(run.stdout) as DoctorDoc;
  } catch {
    throw new Error(`not JSON (exit ${run.code}): ${run.stdout}\n${run.stderr}`);
  }
}

async function inspect(name: string): Promise<{ restarts: number; health: string; oom: boolean; status: string }> {
  const out = await dockerOk(engine, ['inspect', '--format', '{{.RestartCount}} {{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}} {{.State.OOMKilled}} {{.State.Status}}', name]);
  const [restarts, health, oom, status] = out.trim().split(' ');
  return { restarts: Number(restarts), health: health!, oom: oom === 'true', status: status! };
}

const container = (service: string) => `${PROJECT}_${service}_1`;
const failed = (doc: DoctorDoc, target: string) => doc.checks.filter((c) => c.target === target && c.status === 'fail').map((c) => c.code).sort();

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'netra-doctor-'));
  const config = {
    docker: { cli: DOCKER_BIN, host: engine.host, projects: [PROJECT] },
    stacks: {
      faults: { project: PROJECT, alpine: [FAULTS_ALPINE], regular: [FAULTS] },
      broken: { project: 'netra-broken', alpine: [INVALID], regular: [INVALID] },
    },
  };
  writeFileSync(join(home, '.netra-console.yaml'), JSON.stringify(config));
  await Promise.all([buildCli(), ensureFixtureImages(engine), ensureNetraBases(engine)]);
  await buildImage(engine, 'backend.alpine.Dockerfile', 'netra-faults-native-ext:latest', {
    BASE_IMAGE: `${STANDIN_PREFIX}python:3.11-alpine3.19`,
    GLIBC_IMAGE: `${STANDIN_PREFIX}python:3.11-slim`,
    NATIVE_EXT: 'glibc',
  });
  await compose(['up', '-d', '--no-build', ...STARTED]);
  // The faults take effect on their own time: wait for each, never for a fixed time.
  await waitFor(async () => (await inspect(container('restart-loop'))).restarts >= 3, { timeoutMs: 90_000, what: 'three restarts' });
  // The kill ends it with 137; the engine's OOMKilled flag can lose a race with the exit (docker 20.10, cgroup v2).
  await waitFor(async () => (await inspect(container('oom'))).status === 'exited', { timeoutMs: 90_000, what: 'the OOM kill (its exit)' });
  await waitFor(async () => (await inspect(container('unhealthy'))).health === 'unhealthy', { timeoutMs: 60_000, what: 'unhealthy' });
  await waitFor(async () => (await inspect(container('slow-start'))).health === 'healthy', { timeoutMs: 90_000, what: 'the slow start' });
  await waitFor(async () => (await inspect(container('native-ext'))).status === 'exited', { timeoutMs: 60_000, what: 'musl refusing the extension' });
  await waitFor(async () => (await inspect(container('good'))).health === 'healthy', { timeoutMs: 60_000, what: 'good healthy' });
}, 600_000);

afterAll(async () => {
  await compose(['down', '-t', '1']).catch(() => undefined);
  await docker(engine, ['rmi', 'netra-faults-native-ext:latest']);
  if (home) rmSync(home, { recursive: true, force: true });
});

describe('doctor on a stack with planted faults', () => {
  let doc: DoctorDoc;
  let text: Run;

  beforeAll(async () => {
    const runJson = await cli(['doctor', '--stack', 'faults', '--json']);
    expect(runJson.code, runJson.stderr).toBe(1);
    expect(runJson.stderr).toBe('');
    doc = parsed(runJson);
    text = await cli(['doctor', '--stack', 'faults']);
  }, 180_000);

  it('finds every planted fault, each in its own service, with evidence and a fix', () => {
    expect(failed(doc, container('no-limit'))).toEqual(['NC103']);
    expect(failed(doc, container('root-user'))).toEqual(['NC109']);
    expect(failed(doc, container('readonly-no-tmpfs'))).toEqual(['NC108']);
    expect(failed(doc, container('restart-loop'))).toContain('NC101');
    expect(failed(doc, container('oom'))).toContain('NC102');
    expect(failed(doc, container('unhealthy'))).toEqual(['NC105']);
    expect(failed(doc, container('slow-start'))).toEqual(['NC106', 'NC107']);
    expect(failed(doc, container('native-ext'))).toContain('NC115');
    expect(failed(doc, 'faults/missing-image (regular)')).toEqual(['NC202']);
    expect(failed(doc, 'faults/good (alpine)')).toEqual(['NC202']);
    for (const c of doc.checks.filter((x) => x.status === 'fail')) {
      expect(c.evidence.length, c.code).toBeGreaterThan(0);
      expect(c.fix.length, c.code).toBeGreaterThan(10);
      expect(c.command.length, c.code).toBeGreaterThan(5);
    }
  });

  it('quotes the evidence: the OOM kill, musl\'s own words, the failing health output, the compose line to change', () => {
    const evidence = (code: string, service: string) => doc.checks.find((c) => c.code === code && c.target === container(service))!;
    expect(evidence('NC115', 'native-ext').evidence.join('\n')).toMatch(/Error relocating \/app\/native\/ext: \w+: symbol not found/);
    expect(evidence('NC105', 'unhealthy').evidence.join('\n')).toContain('database connection refused');
    // OOMKilled or the engine's oom event (error); where both lost the race with the exit, exit 137 (warning).
    expect(evidence('NC102', 'oom').evidence.join('\n')).toMatch(/State\.OOMKilled is true|oom event|exit code 137/);
    const tmpfs = evidence('NC108', 'readonly-no-tmpfs');
    expect(tmpfs.location).toEqual({ file: FAULTS, line: expect.any(Number) });
    expect(tmpfs.fix).toContain('services.readonly-no-tmpfs');
    expect(evidence('NC107', 'slow-start').fix).toMatch(/start_period/);
  });

  it('fails nothing on the service that follows the guides', () => {
    const good = doc.checks.filter((c) => c.target === container('good'));
    expect(good.length).toBeGreaterThan(10);
    expect(good.filter((c) => c.status === 'fail' || c.status === 'error')).toEqual([]);
    expect(good.filter((c) => c.status === 'pass').map((c) => c.code)).toEqual(expect.arrayContaining(['NC103', 'NC105', 'NC108', 'NC109', 'NC110', 'NC111', 'NC112', 'NC113']));
  });

  it('prints the same findings as text, failures in full', () => {
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(new RegExp(`^FAIL +(error|warning) +NC102 +${container('oom')}: `, 'm'));
    expect(text.stdout).toMatch(/^ {4}fix: {3}\S/m);
    expect(text.stdout).toMatch(/^doctor \(stack faults\): \d+ failed, 0 could not run, \d+ skipped, \d+ passed in [\d.]+ s\n$/m);
  });
});

describe('doctor exit codes and narrowing', () => {
  it('one healthy container at --fail-on warning: exit 0', async () => {
    const r = await cli(['doctor', '--container', container('good'), '--fail-on', 'warning', '--json']);
    expect(r.code, r.stdout).toBe(0);
    const d = parsed(r);
    expect(new Set(d.checks.map((c) => c.target))).toEqual(new Set([container('good')]));
    expect(d.summary.fail).toBe(0);
  });

  it('a warning-only fault fails at --fail-on warning, not at the default error', async () => {
    const slow = ['doctor', '--container', container('slow-start')];
    expect((await cli(slow)).code).toBe(0);
    expect((await cli([...slow, '--fail-on', 'warning'])).code).toBe(1);
  });

  it('compose files that do not validate fail NC401 in compose\'s own words', async () => {
    const r = await cli(['doctor', '--stack', 'broken', '--json']);
    const invalid = parsed(r).checks.filter((c) => c.code === 'NC401');
    expect(invalid.map((c) => c.status)).toEqual(['fail', 'fail']);
    expect(invalid[0]!.evidence.join(' ')).toMatch(/invalid\.yml|services/);
  });

  it('--service of Cloud Run checks that service in the sandbox: its failed newest revision, with the rollback as fix key', async () => {
    const r = await cli(['doctor', '--service', 'netra-backend-staging', '--json']);
    expect(r.code, r.stderr).toBe(1);
    const d = parsed(r) as DoctorDoc & { cloudRun: { mode: string } | null };
    expect(d.cloudRun).toMatchObject({ mode: 'sandbox' });
    const cloud = d.checks.filter((c) => c.code.startsWith('NC6'));
    expect(new Set(cloud.map((c) => c.target))).toEqual(new Set(['netra-backend-staging']));
    const failedRevision = cloud.find((c) => c.code === 'NC601')!;
    expect(failedRevision).toMatchObject({ status: 'fail', safeFix: 'open-rollback' });
    expect(failedRevision.evidence[0]).toMatch(/^newest revision netra-backend-staging-\d{5}-\w+ failed$/);
    expect(cloud.find((c) => c.code === 'NC602')!.status).toBe('fail');
    expect(['pass', 'fail', 'skip']).toContain(cloud.find((c) => c.code === 'NC603')!.status);
    const text = await cli(['doctor', '--service', 'netra-backend-staging']);
    expect(text.stdout).toMatch(/· Cloud Run: SANDBOX\n$/);
  });

  it('bad usage is exit 2 with one line and nothing read', async () => {
    const unknownStack = await cli(['doctor', '--stack', 'nope']);
    expect(unknownStack.code).toBe(2);
    expect(unknownStack.stderr).toBe('netra-console: unknown stack "nope"; the configured stacks are: faults, broken (config stacks:)\n');
    const unknownContainer = await cli(['doctor', '--container', 'no-such-container']);
    expect(unknownContainer.code).toBe(2);
    expect(unknownContainer.stderr).toMatch(/^netra-console: no container named no-such-container .*; see the names with: netra-console status\n$/);
    const badLevel = await cli(['doctor', '--fail-on', 'fatal']);
    expect(badLevel.code).toBe(2);
    expect(badLevel.stdout).toBe('');
  });

  it('an exclusion in the config shows the check skipped with its reason', async () => {
    const configPath = join(home, 'excluding.yaml');
    const config = {
      docker: { cli: DOCKER_BIN, host: engine.host, projects: [PROJECT] },
      stacks: { faults: { project: PROJECT, alpine: [FAULTS_ALPINE], regular: [FAULTS] } },
      doctor: { exclude: [{ code: 'NC109', target: `${PROJECT}_root-*`, reason: 'this image needs root' }] },
    };
    writeFileSync(configPath, JSON.stringify(config));
    const r = await cli(['doctor', '--container', container('root-user'), '--config', configPath, '--json']);
    const check = parsed(r).checks.find((c) => c.code === 'NC109')!;
    expect(check.status).toBe('skip');
    expect(check.evidence).toEqual(['excluded in the config (doctor.exclude): this image needs root']);
  });
});
