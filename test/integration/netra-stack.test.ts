/**
 * The Netra stack itself (docker/, docker-compose*.yml), offline on the shared private engine: stand-in bases made
 * with `docker import`, both test-stack variants built with the real compose CLI and BuildKit, each brought up and
 * checked against the guides (non-root, limits, read-only rootfs, cap_drop ALL, tini as PID 1, variant label), the
 * Postgres stand-in refusing the other libc's data volume, and a glibc native extension failing on musl.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docker, dockerOk } from '../support/docker-engine';
import { providedEngine } from '../support/engine-context';
import {
  buildImage,
  buildStack,
  composeDown,
  composeUp,
  projectVolume,
  serviceOf,
  STACK_FILES,
  STACK_SERVICES,
  TEST_PROJECT,
  ensureNetraBases,
  waitForStack,
  type StackContainer,
} from '../support/netra-stack';
import { waitFor } from '../support/wait';

const engine = providedEngine();
const NATIVE_TAG = 'netra-alpine-test-backend:native-glibc';
const MiB = 1024 * 1024;

/** The guides' limits: [memory MiB, CPUs] (no CPU limit on the datastores). */
const LIMITS = {
  alpine: { backend: [512, 0.4], auth: [256, 0.25], frontend: [512, 0.3], postgres: [512, 0], redis: [256, 0] },
  regular: { backend: [2048, 1.0], auth: [512, 0.5], frontend: [1024, 0.5], postgres: [512, 0], redis: [256, 0] },
} as const;
const USERS: Record<string, string> = {
  backend: 'netra', auth: 'netra', migration: 'netra', frontend: 'nextjs', postgres: 'postgres', redis: 'redis',
};

async function cleanUp(): Promise<void> {
  await composeDown(engine, STACK_FILES.alpineTest, TEST_PROJECT, { volumes: true }).catch(() => undefined);
  await composeDown(engine, STACK_FILES.test, TEST_PROJECT, { volumes: true }).catch(() => undefined);
  await docker(engine, ['rm', '-f', 'netra-pg-swap', 'netra-pg-own']);
}

beforeAll(async () => {
  await ensureNetraBases(engine);
  await cleanUp();
}, 120_000);

afterAll(async () => {
  await cleanUp();
  await docker(engine, ['rmi', '-f', NATIVE_TAG]);
}, 120_000);

async function exec(id: string, cmd: string[]): Promise<string> {
  return dockerOk(engine, ['exec', id, ...cmd]);
}

/** Everything the guides ask of a running stack, for one variant. */
async function checkHardened(containers: StackContainer[], variant: 'alpine' | 'regular'): Promise<void> {
  const byService = new Map(containers.map((c) => [serviceOf(c), c]));
  expect([...byService.keys()].sort()).toEqual([...STACK_SERVICES].sort());
  const prefix = variant === 'alpine' ? 'netra-alpine-test' : 'netra-test';
  for (const [svc, c] of byService) {
    const where = `${svc} (${variant})`;
    expect(c.Config.Image, where).toBe(`${prefix}-${svc}:latest`);
    expect(c.Config.Labels?.['com.netra.variant'], where).toBe(variant);
    expect(c.Config.User, where).toBe(USERS[svc]);
    expect(c.HostConfig.ReadonlyRootfs, where).toBe(true);
    expect(c.HostConfig.CapDrop, where).toEqual(['ALL']);
    expect(c.HostConfig.SecurityOpt, where).toContain('no-new-privileges:true');
    expect(c.HostConfig.NetworkMode, where).toBe('none');
    expect(Object.keys(c.HostConfig.Tmpfs ?? {}), where).toContain('/tmp');
    const limits = (LIMITS[variant] as Record<string, readonly [number, number]>)[svc];
    if (limits !== undefined) {
      expect(c.HostConfig.Memory, where).toBe(limits[0] * MiB);
      expect(c.HostConfig.NanoCpus, where).toBe(Math.round(limits[1] * 1e9));
    }
    if (svc === 'migration') {
      expect(c.State.ExitCode, where).toBe(0);
      continue;
    }
    // The process, not just the config: non-root, tini as PID 1.
    expect(await exec(c.Id, ['id', '-u']), where).not.toBe('0');
    expect(await exec(c.Id, ['cat', '/proc/1/comm']), where).toBe('tini');
  }
  // The memory the stand-in holds (a file in its tmpfs) shows in the container's usage.
  const backend = byService.get('backend')!;
  const usage = await dockerOk(engine, ['stats', '--no-stream', '--format', '{{.MemUsage}}', backend.Id]);
  const usedMiB = parseFloat(usage) * (/GiB/.test(usage.split('/')[0] ?? '') ? 1024 : 1);
  const ballast = Number(backend.Config.Env?.find((e) => e.startsWith('MEMORY_MB='))?.slice('MEMORY_MB='.length));
  expect(usedMiB, `backend memory usage ${usage}`).toBeGreaterThanOrEqual(ballast);
}

describe('the Netra stack, offline', () => {
  it('has a musl base without glibc and a glibc base with it', async () => {
    const find = 'find / -xdev -name libc.so.6; ls /lib/ld-musl-x86_64.so.1 2>/dev/null; true';
    const musl = await dockerOk(engine, ['run', '--rm', '--network', 'none', 'netra-standin/python:3.11-alpine3.19', 'sh', '-c', find]);
    expect(musl.split('\n')).toEqual(['/lib/ld-musl-x86_64.so.1']);
    const glibc = await dockerOk(engine, ['run', '--rm', '--network', 'none', 'netra-standin/python:3.11-slim', 'sh', '-c', find]);
    expect(glibc).toMatch(/\/libc\.so\.6$/m);
    expect(glibc).not.toContain('ld-musl');
    for (const tag of ['netra-standin/postgres:15-alpine3.19', 'netra-standin/node:20-slim']) {
      expect(await dockerOk(engine, ['image', 'inspect', '--format', '{{index .Config.Labels "com.netra.standin"}}', tag])).toBe('true');
    }
  });

  it('builds both variants with compose and BuildKit', async () => {
    for (const [file, variant, prefix] of [
      [STACK_FILES.alpineTest, 'alpine', 'netra-alpine-test'],
      [STACK_FILES.test, 'regular', 'netra-test'],
    ] as const) {
      const started = Date.now();
      const out = await buildStack(engine, file, TEST_PROJECT);
      console.log(`[netra-stack] compose build ${variant}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
      expect(out).toMatch(/^#\d+ \[runtime \d+\/\d+\] COPY service\/netra-service/m); // BuildKit plain progress
      expect(out).toContain('--mount=type=cache');
      for (const svc of STACK_SERVICES) {
        const labels = await dockerOk(engine, ['image', 'inspect', '--format', '{{json .Config.Labels}}', `${prefix}-${svc}:latest`]);
        expect(JSON.parse(labels) as Record<string, string>).toMatchObject({ 'com.netra.variant': variant });
      }
    }
  }, 240_000);

  it('brings the Alpine stack up healthy, hardened as the guides say; down keeps its volumes', async () => {
    const started = Date.now();
    await composeUp(engine, STACK_FILES.alpineTest, TEST_PROJECT);
    const containers = await waitForStack(engine, TEST_PROJECT);
    console.log(`[netra-stack] alpine up to healthy: ${((Date.now() - started) / 1000).toFixed(1)} s`);
    await checkHardened(containers, 'alpine');
    const backend = containers.find((c) => serviceOf(c) === 'backend')!;
    expect(backend.Path).toBe('/sbin/tini');
    expect(await exec(backend.Id, ['sh', '-c', 'cat /etc/alpine-release; ls /lib/libc.so.6 /lib64/libc.so.6 2>&1 || true'])).toMatch(
      /^3\.19\.0\n(.*No such file.*\n?){2}$/,
    );
    await composeDown(engine, STACK_FILES.alpineTest, TEST_PROJECT);
    expect(await projectVolume(engine, TEST_PROJECT, 'postgres-data-alpine')).toBeDefined();
    expect(await projectVolume(engine, TEST_PROJECT, 'redis-data-alpine')).toBeDefined();
  }, 90_000);

  it('brings the regular stack up healthy on its own volumes', async () => {
    const started = Date.now();
    await composeUp(engine, STACK_FILES.test, TEST_PROJECT);
    const containers = await waitForStack(engine, TEST_PROJECT);
    console.log(`[netra-stack] regular up to healthy: ${((Date.now() - started) / 1000).toFixed(1)} s`);
    await checkHardened(containers, 'regular');
    const postgres = containers.find((c) => serviceOf(c) === 'postgres')!;
    expect(postgres.Mounts.find((m) => m.Destination === '/var/lib/postgresql/data')?.Name).toBe(
      await projectVolume(engine, TEST_PROJECT, 'postgres-data-regular'),
    );
    await composeDown(engine, STACK_FILES.test, TEST_PROJECT);
  }, 120_000);

  it('the Postgres stand-in refuses the other variant’s data volume and reopens its own', async () => {
    const alpineVolume = await projectVolume(engine, TEST_PROJECT, 'postgres-data-alpine');
    const regularVolume = await projectVolume(engine, TEST_PROJECT, 'postgres-data-regular');
    expect(alpineVolume).toBeDefined();
    expect(regularVolume).toBeDefined();
    const runPostgres = (name: string, image: string, volume: string, detach: boolean) =>
      docker(engine, [
        'run', ...(detach ? ['-d'] : []), '--name', name, '--network', 'none', '--read-only', '--cap-drop', 'ALL',
        '--tmpfs', '/tmp:mode=1777', '-e', 'START_SCALE=10', '-v', `${volume}:/var/lib/postgresql/data`, image,
      ], { timeoutMs: 30_000 });

    // glibc server on the musl-made cluster, then the other way round.
    const swapped = await runPostgres('netra-pg-swap', 'netra-test-postgres:latest', alpineVolume!, false);
    expect(swapped.code).toBe(1);
    expect(swapped.stderr).toMatch(
      /FATAL: {2}database files are incompatible with this libc: collation version mismatch \(created under musl, running under glibc\)/,
    );
    expect(swapped.stderr).toContain('duplicate-key errors follow if used');
    await dockerOk(engine, ['rm', '-f', 'netra-pg-swap']);
    const reverse = await runPostgres('netra-pg-swap', 'netra-alpine-test-postgres:latest', regularVolume!, false);
    expect(reverse.code).toBe(1);
    expect(reverse.stderr).toContain('(created under glibc, running under musl)');
    await dockerOk(engine, ['rm', '-f', 'netra-pg-swap']);

    // Its own variant reopens it.
    expect((await runPostgres('netra-pg-own', 'netra-alpine-test-postgres:latest', alpineVolume!, true)).code).toBe(0);
    const logs = await waitFor(
      async () => {
        const res = await docker(engine, ['logs', 'netra-pg-own']);
        const text = res.stdout + res.stderr;
        return text.includes('ready to accept connections') ? text : undefined;
      },
      { what: 'the Alpine Postgres stand-in to reopen its own volume', timeoutMs: 30_000 },
    );
    expect(logs).toContain('database system was shut down at');
    expect(logs).toContain('ready to accept connections');
    await dockerOk(engine, ['rm', '-f', 'netra-pg-own']);
  }, 60_000);

  it('an Alpine backend with a glibc native extension fails with musl’s loader error', async () => {
    await buildImage(engine, 'backend.alpine.Dockerfile', NATIVE_TAG, {
      BASE_IMAGE: 'netra-standin/python:3.11-alpine3.19',
      GLIBC_IMAGE: 'netra-standin/python:3.11-slim',
      NATIVE_EXT: 'glibc',
    });
    // libc6-compat's loader link is there; glibc's libc is not.
    const layout = await dockerOk(engine, [
      'run', '--rm', '--network', 'none', '--entrypoint', 'sh', NATIVE_TAG, '-c',
      'readlink /lib64/ld-linux-x86-64.so.2; find / -xdev -name libc.so.6 | wc -l',
    ]);
    expect(layout.split('\n')).toEqual(['/lib/ld-musl-x86_64.so.1', '0']);
    const res = await docker(engine, [
      'run', '--rm', '--network', 'none', '--read-only', '--tmpfs', '/tmp:mode=1777', '-e', 'START_SCALE=10', NATIVE_TAG,
    ], { timeoutMs: 30_000 });
    expect(res.code).toBe(1);
    // musl answers the request for libc.so.6 itself, then cannot bind glibc's symbols: this is its real message.
    expect(res.stderr).toMatch(/^Error relocating \/app\/native\/ext: \w+: symbol not found$/m);
    expect(res.stderr).toContain('native extension /app/native/ext failed to load (exit 127) under musl');
  }, 90_000);
});
