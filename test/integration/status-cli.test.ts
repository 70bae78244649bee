/**
 * The built CLI (dist/cli.js, run by the pinned Node 24) as a user runs it: `status --json` against the private
 * engine, an unreachable engine, bad config and flags, the console refusing a pipe, --help and --version.
 */
import { mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dockerOk, FIXTURE_IMAGES, runContainer, shortLived } from '../support/docker-engine';
import { providedEngine } from '../support/engine-context';
import { removeProjectContainers, uniqueProject } from '../support/live-store';
import { waitFor } from '../support/wait';
import { startUnansweredPingEngine } from '../support/slow-engine';
import { buildCli, runCli as runCliIn, type CliRunOptions, type Run } from '../support/cli-process';

const engine = providedEngine();
const project = uniqueProject('cli');
const other = uniqueProject('cli-other');
const QUICK_STOP = ['--stop-timeout', '1'];

let cwd = '';
let ids: Record<'burner' | 'done' | 'loop' | 'outsider', string>;


/** Runs the CLI (with pipes, so never a TTY) in this test's working directory unless told another. */
function runCli(args: string[], opts: Partial<CliRunOptions> = {}): Promise<Run> {
  return runCliIn(args, { ...opts, cwd: opts.cwd ?? cwd });
}

/** Waits until `docker inspect --format` of a container satisfies `ok`; reports the last value otherwise. */
async function waitForInspect(id: string, format: string, ok: (value: string) => boolean, what: string): Promise<void> {
  let last = '';
  await waitFor(
    async () => {
      last = await dockerOk(engine, ['inspect', '--format', format, id]);
      return ok(last);
    },
    { what, observe: () => `${format} = ${last}` },
  );
}

beforeAll(async () => {
  cwd = realpathSync(mkdtempSync(join(tmpdir(), 'netra-cli-')));
  writeFileSync(join(cwd, '.netra-console.yaml'), `docker:\n  projects: [${project}]\n`);
  await buildCli();

  const burner = await runContainer(engine, {
    name: `${project}-burner`,
    image: FIXTURE_IMAGES.alpine,
    cmd: ['sh', '-c', 'while :; do :; done'],
    project,
    service: 'burner',
    health: { cmd: 'true', interval: '1s' },
    extraArgs: QUICK_STOP,
  });
  const done = await runContainer(engine, { name: `${project}-done`, image: FIXTURE_IMAGES.regular, cmd: shortLived('exit 7'), project, service: 'done' });
  const loop = await runContainer(engine, {
    name: `${project}-loop`,
    image: FIXTURE_IMAGES.base,
    cmd: shortLived('exit 3'),
    project,
    service: 'loop',
    restart: 'always',
  });
  const outsider = await runContainer(engine, {
    name: `${other}-x`,
    image: FIXTURE_IMAGES.base,
    cmd: ['sh', '-c', 'while :; do sleep 1; done'],
    project: other,
    extraArgs: QUICK_STOP,
  });
  ids = { burner, done, loop, outsider };
  await waitForInspect(burner, '{{.State.Health.Status}}', (v) => v === 'healthy', 'the burner to be healthy');
  await waitForInspect(loop, '{{.RestartCount}}', (v) => Number(v) >= 1, 'the crash loop to restart once');
  await waitForInspect(done, '{{.State.Status}}', (v) => v === 'exited', 'the exit-7 container to exit');
});

afterAll(async () => {
  await removeProjectContainers(engine, project);
  await removeProjectContainers(engine, other);
  if (cwd) rmSync(cwd, { recursive: true, force: true });
});

interface StatusJson {
  docker: {
    host: string;
    reachable: boolean;
    error: string | null;
    containers: Array<Record<string, unknown> & { id: string; name: string; stats: Record<string, number> | null }>;
  };
  alerts: Array<{ level: string; source: string; kind: string; container: string; message: string }>;
}

const CONTAINER_KEYS = [
  'id', 'name', 'project', 'service', 'image', 'imageSizeBytes', 'variant', 'state', 'health', 'restarts',
  'exitCode', 'oomKilled', 'startedAt', 'stats',
].sort();
const STATS_KEYS = [
  'cpuPercent', 'memUsageBytes', 'memLimitBytes', 'memPercent', 'netRxBytes', 'netTxBytes', 'blockReadBytes',
  'blockWriteBytes', 'pids',
].sort();

function oneLine(text: string): string {
  const lines = text.split('\n').filter((l) => l !== '');
  expect(lines, `expected one line on stderr, got:\n${text}`).toHaveLength(1);
  expect(text).not.toContain('    at ');
  return lines[0]!;
}

describe('netra-console (built CLI)', () => {
  it('status --json reports the configured project with health, restarts, stats and alerts', async () => {
    const run = await runCli(['--docker-host', engine.host, 'status', '--json']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toBe('');
    const doc = JSON.parse(run.stdout) as StatusJson;
    // cloudRun (the in-process sandbox here) is covered by status-cloud-run.test.ts.
    expect(Object.keys(doc).sort()).toEqual(['alerts', 'cloudRun', 'docker']);
    expect(Object.keys(doc.docker).sort()).toEqual(['containers', 'error', 'host', 'reachable', 'slow']);
    expect(doc.docker).toMatchObject({ host: engine.host, reachable: true, error: null, slow: false });

    const byId = new Map(doc.docker.containers.map((c) => [c.id, c]));
    expect([...byId.keys()].sort()).toEqual([ids.burner, ids.done, ids.loop].sort());
    for (const c of doc.docker.containers) expect(Object.keys(c).sort()).toEqual(CONTAINER_KEYS);

    const burner = byId.get(ids.burner)!;
    expect(burner).toMatchObject({
      name: `${project}-burner`,
      project,
      service: 'burner',
      image: FIXTURE_IMAGES.alpine,
      variant: 'alpine',
      state: 'running',
      health: 'healthy',
      restarts: 0,
      exitCode: null,
      oomKilled: false,
    });
    expect(burner.imageSizeBytes).toBeGreaterThan(0);
    expect(Number.isNaN(Date.parse(burner.startedAt as string))).toBe(false);
    expect(Object.keys(burner.stats!).sort()).toEqual(STATS_KEYS);
    expect(burner.stats!.cpuPercent).toBeGreaterThan(10);
    expect(burner.stats!.pids).toBeGreaterThanOrEqual(1);
    expect(burner.stats!.memLimitBytes).toBeGreaterThan(0);

    const done = byId.get(ids.done)!;
    expect(done).toMatchObject({ state: 'exited', exitCode: 7, health: 'none', variant: 'regular', stats: null });

    const loop = byId.get(ids.loop)!;
    expect(loop.restarts as number).toBeGreaterThanOrEqual(1);

    const kinds = doc.alerts.map((a) => `${a.kind} ${a.container}`);
    expect(kinds).toContain(`exited ${project}-done`);
    expect(kinds).toContain(`crash-loop ${project}-loop`);
    for (const a of doc.alerts) {
      expect(['docker', 'cloudrun']).toContain(a.source);
      expect(['warning', 'high', 'critical']).toContain(a.level);
    }
    // Most severe first.
    const rank = { critical: 0, high: 1, warning: 2 } as Record<string, number>;
    const ranks = doc.alerts.map((a) => rank[a.level]!);
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
  });

  it('status --json reports an OOM kill the engine told only as an event (a subshell killed, the container runs on)', async () => {
    const oomProject = uniqueProject('cli-oom');
    const name = `${oomProject}-x`;
    try {
      await runContainer(engine, {
        name,
        image: FIXTURE_IMAGES.base,
        cmd: ['sh', '-c', '(echo 1000 > /proc/self/oom_score_adj; head -c 200m /dev/zero | tail); echo survived; exec sleep 600'],
        project: oomProject,
        memory: '16m',
        extraArgs: QUICK_STOP,
      });
      await waitFor(async () => (await dockerOk(engine, ['logs', name])).includes('survived'), { what: 'the kill inside the container' });
      const run = await runCli(['--docker-host', engine.host, 'status', '--json', '--all']);
      expect(run.code, run.stderr).toBe(0);
      const doc = JSON.parse(run.stdout) as StatusJson;
      expect(doc.docker.containers.find((c) => c.name === name)).toMatchObject({ state: 'running', oomKilled: true });
      expect(doc.alerts.find((a) => a.container === name)).toMatchObject({ level: 'critical', kind: 'oom-killed' });
    } finally {
      await removeProjectContainers(engine, oomProject);
    }
  });

  it('status (human) prints one line per container of the project', async () => {
    const run = await runCli(['--docker-host', engine.host, 'status']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`Docker engine ${engine.host}: 3 containers`);
    expect(run.stdout).toContain(`${project}-burner  running  healthy`);
    expect(run.stdout).not.toContain(`${other}-x`);
  });

  it('status --json --all includes containers of other projects', async () => {
    const run = await runCli(['--docker-host', engine.host, 'status', '--json', '--all']);
    expect(run.code, run.stderr).toBe(0);
    const doc = JSON.parse(run.stdout) as StatusJson;
    expect(doc.docker.containers.map((c) => c.id)).toEqual(expect.arrayContaining([ids.burner, ids.outsider]));
  });

  it('uses docker.host from the config file when no flag or DOCKER_HOST is given', async () => {
    const dir = realpathSync(mkdtempSync(join(tmpdir(), 'netra-cli-host-')));
    try {
      writeFileSync(join(dir, '.netra-console.yaml'), `docker:\n  host: ${engine.host}\n  projects: [${project}]\n`);
      const run = await runCli(['status', '--json'], { cwd: dir });
      expect(run.code, run.stderr).toBe(0);
      const doc = JSON.parse(run.stdout) as StatusJson;
      expect(doc.docker.host).toBe(engine.host);
      expect(doc.docker.containers).toHaveLength(3);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('status --json against an unreachable engine exits 1 with valid JSON naming the error', async () => {
    const run = await runCli(['--docker-host', 'unix:///nonexistent.sock', 'status', '--json']);
    expect(run.code).toBe(1);
    const doc = JSON.parse(run.stdout) as StatusJson;
    expect(doc.docker.host).toBe('unix:///nonexistent.sock');
    expect(doc.docker.reachable).toBe(false);
    expect(doc.docker.error).toMatch(/\S/);
    expect(doc.docker.containers).toEqual([]);
    expect(doc.docker).toMatchObject({ slow: false });
    expect(doc.alerts.filter((a) => a.source === 'docker')).toEqual([
      {
        level: 'critical',
        source: 'docker',
        kind: 'engine-unreachable',
        host: 'unix:///nonexistent.sock',
        message: `Docker engine unreachable at unix:///nonexistent.sock: ${doc.docker.error}`,
        // No hold for an outage: firing at once, since now (no console has been tracking it); no check behind it.
        state: 'firing',
        since: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        check: null,
        silenced: false,
        acked: false,
      },
    ]);
  });

  it('status retries a ping the engine is slow to answer and says "slow", not "unreachable"', async () => {
    const proxy = await startUnansweredPingEngine(engine, 1);
    try {
      const run = await runCli(['--docker-host', proxy.host, 'status', '--json']);
      expect(run.code, run.stderr).toBe(0);
      const doc = JSON.parse(run.stdout) as StatusJson & { docker: { slow: boolean } };
      expect(doc.docker).toMatchObject({ reachable: true, error: null, slow: true });
      expect(doc.docker.containers).toHaveLength(3);
      expect(proxy.counter.pings).toBe(2);
    } finally {
      await proxy.close();
    }
  });

  it('status against an engine that never answers its ping: not reachable, slow, and says so apart from a refused connection', async () => {
    const proxy = await startUnansweredPingEngine(engine, Number.POSITIVE_INFINITY);
    try {
      // --timeout bounds the wait (10 s by default).
      const run = await runCli(['--docker-host', proxy.host, 'status', '--json', '--timeout', '3']);
      expect(run.code).toBe(1);
      const doc = JSON.parse(run.stdout) as StatusJson & { docker: { slow: boolean } };
      expect(doc.docker).toMatchObject({ reachable: false, slow: true });
      expect(doc.docker.error).toBe('no answer to ping within 3 s (2 tries): the engine is overloaded or hung');
    } finally {
      await proxy.close();
    }
  });

  it('rejects an unknown config key with exit 2 and one line naming file:line and the key', async () => {
    const dir = realpathSync(mkdtempSync(join(tmpdir(), 'netra-cli-bad-')));
    try {
      const file = join(dir, '.netra-console.yaml');
      writeFileSync(file, `docker:\n  projects: [${project}]\n  colour: red\n`);
      const run = await runCli(['--docker-host', engine.host, 'status', '--json'], { cwd: dir });
      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
      const line = oneLine(run.stderr);
      expect(line).toContain(`${file}:3`);
      expect(line).toContain('colour');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('under npm start, reads the config of the directory npm was run from (INIT_CWD), not the checkout', async () => {
    const dir = realpathSync(mkdtempSync(join(tmpdir(), 'netra-cli-init-cwd-')));
    try {
      const file = join(dir, '.netra-console.yaml');
      writeFileSync(file, 'docker:\n  colour: red\n');
      // npm runs the start script in the checkout (here: cwd, whose config is valid) with INIT_CWD set.
      const started = await runCli(['--docker-host', engine.host, 'status', '--json'], { env: { npm_lifecycle_event: 'start', INIT_CWD: dir } });
      expect(started.code).toBe(2);
      expect(oneLine(started.stderr)).toContain(`${file}:2`);
      // Another npm script (a test run) passes INIT_CWD on too: there the working directory is the one meant.
      const other = await runCli(['--docker-host', engine.host, 'status', '--json'], { env: { npm_lifecycle_event: 'test', INIT_CWD: dir } });
      expect(other.code, other.stderr).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects an unsupported --docker-host scheme with exit 2 and one line', async () => {
    const run = await runCli(['--docker-host', 'ftp://x', 'status', '--json']);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    const line = oneLine(run.stderr);
    expect(line).toContain('ftp://x');
    expect(line).toContain('--docker-host');
  });

  it('refuses to open the console when stdout is not a terminal and points at status --json', async () => {
    const run = await runCli(['--docker-host', engine.host]);
    expect(run.code).toBe(2);
    const line = oneLine(run.stderr);
    expect(line).toContain('status --json');
  });

  it('prints help and version with exit 0', async () => {
    const help = await runCli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage:');
    expect(help.stdout).toContain('status');
    expect(help.stdout).toContain('--docker-host');

    const version = await runCli(['--version']);
    expect(version.code).toBe(0);
    const pkg = (await import('../../package.json', { with: { type: 'json' } })).default as { version: string };
    expect(version.stdout.trim()).toBe(pkg.version);
  });
});
