/**
 * The Netra stack (docker/, docker-compose*.yml) on a private test engine: stand-in base images, builds with the
 * real compose CLI and BuildKit, up/down, and waiting until a project is healthy. Everything is offline: bases
 * come from docker/make-bases.sh (`docker import`), builds and containers use no network.
 *
 *   await ensureNetraBases(engine);                       // once per engine; idempotent
 *   await buildStack(engine, STACK_FILES.alpineTest, TEST_PROJECT);
 *   await composeUp(engine, STACK_FILES.alpineTest, TEST_PROJECT);   // up -d --no-build
 *   const containers = await waitForStack(engine, TEST_PROJECT);     // healthy + one-shots exited 0
 *   await composeDown(engine, STACK_FILES.alpineTest, TEST_PROJECT, { volumes: true });
 *
 * Compose is docker-compose 1.29 (Python) with /usr/bin first on PATH, so its builds go through the Debian 20.10
 * CLI with BuildKit (COMPOSE_DOCKER_CLI_BUILD=1). Services start at START_SCALE=2 (50× faster start-up: the tests wait on compose, not on the stand-ins).
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ROOT } from './cli-process';
import { DOCKER_BIN, docker, dockerOk, type PrivateEngine } from './docker-engine';
import { sleep } from './wait';

/** Top level of the repository (where the compose files are). */
/** The checkout (found upwards, so that a bench bundled elsewhere finds it too). */
export const REPO_ROOT = ROOT;
export const MAKE_BASES = join(REPO_ROOT, 'docker', 'make-bases.sh');
export const COMPOSE_BIN = existsSync('/usr/bin/docker-compose') ? '/usr/bin/docker-compose' : 'docker-compose';

/** Compose files, relative to REPO_ROOT. */
export const STACK_FILES = {
  alpineTest: 'docker-compose.alpine-test.yml',
  test: 'docker-compose.test.yml',
  stagingAlpine: 'docker-compose.staging.alpine.yml',
  staging: 'docker-compose.staging.yml',
} as const;
export type StackFile = (typeof STACK_FILES)[keyof typeof STACK_FILES];

export const TEST_PROJECT = 'netra-test';
export const STAGING_PROJECT = 'netra-staging';
/** Services of every stack file; `migration` is the one-shot. */
export const STACK_SERVICES = ['postgres', 'redis', 'migration', 'backend', 'auth', 'frontend'] as const;
export const ONE_SHOT_SERVICES = ['migration'] as const;
/** Base images a real user pulls; make-bases.sh tags local stand-ins with this prefix. */
export const STANDIN_PREFIX = 'netra-standin/';
export const START_SCALE = '2';

const BUILD_TIMEOUT_MS = 300_000;
const COMPOSE_TIMEOUT_MS = 180_000;

export interface RunResult {
  stdout: string;
  stderr: string;
}

/** execFile that resolves with the output on exit 0 and otherwise rejects with an error naming the exit and stderr. */
export function run(
  file: string,
  args: string[],
  opts: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number } = {},
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    execFile(
      file,
      args,
      { env: opts.env, cwd: opts.cwd ?? REPO_ROOT, timeout: opts.timeoutMs ?? COMPOSE_TIMEOUT_MS, maxBuffer: 64 << 20 },
      (err, stdout, stderr) => {
        if (err) {
          const how = err.killed ? `was killed (timeout ${opts.timeoutMs ?? COMPOSE_TIMEOUT_MS} ms?)` : `failed (exit ${String(err.code)})`;
          reject(new Error(`${file} ${args.join(' ')} ${how}\nstderr: ${tail(stderr)}\nstdout: ${tail(stdout)}`));
        } else {
          resolve({ stdout, stderr });
        }
      },
    );
  });
}

function tail(text: string, max = 6_000): string {
  const t = text.trim();
  return t.length > max ? `…${t.slice(-max)}` : t;
}

/**
 * The environment for compose (and BuildKit docker build) subprocesses against `engine`: DOCKER_HOST, /usr/bin first
 * on PATH, DOCKER_BUILDKIT=1, COMPOSE_DOCKER_CLI_BUILD=1, NETRA_BASE_PREFIX=netra-standin/, NETRA_START_SCALE=2.
 * NETRA_* and COMPOSE_FILE/COMPOSE_PROJECT_NAME of the caller's environment are dropped; `extra` is applied last.
 */
export function composeEnv(engine: PrivateEngine, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...engine.env };
  for (const key of Object.keys(env)) {
    if (key.startsWith('NETRA_') || key === 'COMPOSE_FILE' || key === 'COMPOSE_PROJECT_NAME') delete env[key];
  }
  return {
    ...env,
    DOCKER_HOST: engine.host,
    PATH: `/usr/bin:${env.PATH ?? '/usr/local/bin:/bin'}`,
    DOCKER_BUILDKIT: '1',
    COMPOSE_DOCKER_CLI_BUILD: '1',
    BUILDKIT_PROGRESS: 'plain',
    NETRA_BASE_PREFIX: STANDIN_PREFIX,
    NETRA_START_SCALE: START_SCALE,
    ...extra,
  };
}

const basesMade = new Map<string, Promise<void>>();

/** Runs docker/make-bases.sh (DOCKER=/usr/bin/docker) against the engine, once per engine and process. */
export function ensureNetraBases(engine: PrivateEngine): Promise<void> {
  let pending = basesMade.get(engine.host);
  if (pending === undefined) {
    pending = run('bash', [MAKE_BASES], { env: { ...engine.env, DOCKER: DOCKER_BIN }, timeoutMs: 120_000 }).then(
      () => undefined,
    );
    pending.catch(() => basesMade.delete(engine.host));
    basesMade.set(engine.host, pending);
  }
  return pending;
}

/** `docker-compose -f FILE -p PROJECT …args` with composeEnv(engine, extraEnv). */
export function compose(
  engine: PrivateEngine,
  file: StackFile | string,
  project: string,
  args: string[],
  opts: { extraEnv?: Record<string, string>; timeoutMs?: number } = {},
): Promise<RunResult> {
  return run(COMPOSE_BIN, ['-f', resolve(REPO_ROOT, file), '-p', project, ...args], {
    env: composeEnv(engine, opts.extraEnv),
    timeoutMs: opts.timeoutMs,
  });
}

/** `compose build` (BuildKit, plain progress); resolves with the build output (BuildKit writes it to stderr). */
export async function buildStack(
  engine: PrivateEngine,
  file: StackFile | string,
  project: string,
  opts: { extraEnv?: Record<string, string>; services?: string[] } = {},
): Promise<string> {
  const res = await compose(engine, file, project, ['build', ...(opts.services ?? [])], {
    extraEnv: opts.extraEnv,
    timeoutMs: BUILD_TIMEOUT_MS,
  });
  return `${res.stdout}${res.stderr}`;
}

/** `compose up -d --no-build` (compose 1.29 waits for depends_on conditions; it does not wait for the last services). */
export async function composeUp(
  engine: PrivateEngine,
  file: StackFile | string,
  project: string,
  opts: { extraEnv?: Record<string, string>; services?: string[] } = {},
): Promise<void> {
  await compose(engine, file, project, ['up', '-d', '--no-build', ...(opts.services ?? [])], { extraEnv: opts.extraEnv });
}

/** `compose down --remove-orphans -t 5`, plus `-v` (remove the file's named volumes) when asked. */
export async function composeDown(
  engine: PrivateEngine,
  file: StackFile | string,
  project: string,
  opts: { volumes?: boolean } = {},
): Promise<void> {
  await compose(engine, file, project, ['down', '--remove-orphans', '-t', '5', ...(opts.volumes ? ['-v'] : [])]);
}

/** `docker build` of one Dockerfile in docker/ with BuildKit and no network (what compose does for one service). */
export async function buildImage(
  engine: PrivateEngine,
  dockerfile: string,
  tag: string,
  buildArgs: Record<string, string> = {},
): Promise<string> {
  const args = ['build', '--network', 'none', '--progress', 'plain', '-f', join(REPO_ROOT, 'docker', dockerfile), '-t', tag];
  for (const [k, v] of Object.entries(buildArgs)) args.push('--build-arg', `${k}=${v}`);
  args.push(join(REPO_ROOT, 'docker'));
  const res = await run(DOCKER_BIN, args, { env: composeEnv(engine), timeoutMs: BUILD_TIMEOUT_MS });
  return `${res.stdout}${res.stderr}`;
}

// ---------------------------------------------------------------------------------------------
// Containers of a project

/** The parts of `docker inspect` the stack tests read. */
export interface StackContainer {
  Id: string;
  Name: string;
  Path: string;
  Config: { User: string; Image: string; Labels: Record<string, string> | null; Env: string[] | null };
  State: { Status: string; Running: boolean; ExitCode: number; Health?: { Status: string } };
  HostConfig: {
    Memory: number;
    NanoCpus: number;
    ReadonlyRootfs: boolean;
    CapDrop: string[] | null;
    SecurityOpt: string[] | null;
    NetworkMode: string;
    Tmpfs: Record<string, string> | null;
  };
  Mounts: Array<{ Type: string; Name?: string; Destination: string }>;
}

export function serviceOf(c: StackContainer): string {
  return c.Config.Labels?.['com.docker.compose.service'] ?? '';
}

/** Every container (running or not) of the compose project, inspected. */
export async function stackContainers(engine: PrivateEngine, project: string): Promise<StackContainer[]> {
  const ids = (await dockerOk(engine, ['ps', '-aq', '--no-trunc', '--filter', `label=com.docker.compose.project=${project}`]))
    .split('\n')
    .filter((s) => s.trim() !== '');
  if (ids.length === 0) return [];
  return JSON.parse(await dockerOk(engine, ['inspect', ...ids])) as StackContainer[];
}

/**
 * Polls until every service of `services` has a container, long-running ones running and healthy, one-shots exited 0.
 * Fails at once when a container exits non-zero or turns unhealthy (with the tail of its logs), or after timeoutMs.
 */
export async function waitForStack(
  engine: PrivateEngine,
  project: string,
  opts: { services?: readonly string[]; oneShots?: readonly string[]; timeoutMs?: number } = {},
): Promise<StackContainer[]> {
  const services = opts.services ?? STACK_SERVICES;
  const oneShots = new Set(opts.oneShots ?? ONE_SHOT_SERVICES);
  const deadline = Date.now() + (opts.timeoutMs ?? 90_000);
  let last = '';
  for (;;) {
    const containers = await stackContainers(engine, project);
    const pending: string[] = [];
    for (const svc of services) {
      const c = containers.find((x) => serviceOf(x) === svc);
      if (c === undefined) {
        pending.push(`${svc}: no container`);
        continue;
      }
      const health = c.State.Health?.Status;
      const broken = oneShots.has(svc)
        ? c.State.Status === 'exited' && c.State.ExitCode !== 0
        : (!c.State.Running && c.State.Status !== 'created') || health === 'unhealthy';
      if (broken) {
        const logs = await docker(engine, ['logs', '--tail', '30', c.Id]);
        throw new Error(
          `${project}/${svc} failed: ${c.State.Status} exit ${c.State.ExitCode} health ${health ?? '-'}\n${logs.stdout}${logs.stderr}`,
        );
      }
      const ready = oneShots.has(svc) ? c.State.Status === 'exited' : c.State.Running && health === 'healthy';
      if (!ready) pending.push(`${svc}: ${c.State.Status}/${health ?? 'no health'}`);
    }
    if (pending.length === 0) return containers;
    last = pending.join(', ');
    if (Date.now() >= deadline) throw new Error(`timed out waiting for ${project} to be healthy; still ${last}`);
    await sleep(250);
  }
}

/** Names of the compose project's named volume for `volume` (e.g. postgres-data-alpine), via compose's labels. */
export async function projectVolume(engine: PrivateEngine, project: string, volume: string): Promise<string | undefined> {
  const out = await dockerOk(engine, [
    'volume', 'ls', '-q',
    '--filter', `label=com.docker.compose.project=${project}`,
    '--filter', `label=com.docker.compose.volume=${volume}`,
  ]);
  return out.split('\n').find((s) => s.trim() !== '');
}

/**
 * Rebuilds the Alpine test stack's backend under its usual tag with a glibc-linked native extension, which fails on
 * musl for real (like a manylinux wheel on Alpine); `buildStack(…, { services: ['backend'] })` makes it whole again.
 */
export function buildBackendWithGlibcExtension(engine: PrivateEngine): Promise<string> {
  return buildImage(engine, 'backend.alpine.Dockerfile', 'netra-alpine-test-backend:latest', {
    BASE_IMAGE: `${STANDIN_PREFIX}python:3.11-alpine3.19`,
    GLIBC_IMAGE: `${STANDIN_PREFIX}python:3.11-slim`,
    NATIVE_EXT: 'glibc',
  });
}

/** The project's running containers as `service=variant` (from their labels), sorted. */
export async function runningServices(engine: PrivateEngine, project: string): Promise<string[]> {
  const format = '{{.Label "com.docker.compose.service"}}={{.Label "com.netra.variant"}}';
  const out = await dockerOk(engine, ['ps', '--filter', `label=com.docker.compose.project=${project}`, '--format', format]);
  return out.split('\n').filter(Boolean).sort();
}
