/**
 * createStackPort against the private engine, with the real `docker-compose` (1.29 here; the plugin where
 * `/usr/bin/docker compose` works) and the Debian docker CLI: the fixture project in test/fixtures/compose/ is
 * resolved, started, measured, followed, stopped and built. Nothing may be pulled: every image is a fixture one.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DockerEndpoint } from '../../src/config/docker-host';
import type { StackDefinition } from '../../src/domain/stacks';
import type { StackEvent, StackPort } from '../../src/flows/stack-port';
import { composeEnvironment, detectCompose, runCompose } from '../../src/sources/compose/compose-cli';
import { createStackPort } from '../../src/sources/compose/stack-port';
import { DOCKER_BIN, docker as dockerCli, FIXTURE_IMAGES } from '../support/docker-engine';
import { providedEngine } from '../support/engine-context';
import { waitFor } from '../support/wait';

const engine = providedEngine();
const client = new Docker({ socketPath: engine.socketPath });
const endpoint: DockerEndpoint = { kind: 'socket', socketPath: engine.socketPath, display: engine.host };
const port: StackPort = createStackPort(client, { cli: DOCKER_BIN, endpoint });

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/compose/${name}`, import.meta.url));
const suffix = randomBytes(3).toString('hex');
const BUILT_IMAGE = 'netra-fixture-built:test';
const MISSING_IMAGE = `netra-fixture-missing-${suffix}:none`;

const stack: StackDefinition = {
  name: 'fixture',
  project: `netra-sp-${suffix}`,
  files: { alpine: [fixture('stack.yml')], regular: [fixture('stack.yml'), fixture('regular.yml')] },
  env: {},
};
const buildStack: StackDefinition = {
  name: 'tools',
  project: `netra-spb-${suffix}`,
  files: { alpine: [fixture('build.yml')], regular: [fixture('build.yml')] },
  env: { NETRA_FIXTURE_BASE: FIXTURE_IMAGES.base },
};

const startedAt = Date.now();
const events: StackEvent[] = [];
const eventErrors: Error[] = [];
let stopEvents: (() => void) | null = null;

/** `compose down -v` of a project, volumes too (the port itself never removes volumes). */
async function removeProject(definition: StackDefinition): Promise<void> {
  const env = composeEnvironment({ cli: DOCKER_BIN, endpoint, stackEnv: definition.env });
  const compose = await detectCompose(DOCKER_BIN, env);
  await runCompose(compose, ['down', '-v', '--remove-orphans'], { files: definition.files.alpine, project: definition.project, env, timeoutMs: 120_000 });
}

async function containerOf(service: string) {
  const found = (await port.containers(stack.project)).find((c) => c.service === service);
  if (!found) throw new Error(`no container for ${service}`);
  return found;
}

beforeAll(() => {
  stopEvents = port.events(stack.project, startedAt, (e) => events.push(e), (e) => eventErrors.push(e));
});

afterAll(async () => {
  stopEvents?.();
  await removeProject(stack).catch(() => undefined);
  await removeProject(buildStack).catch(() => undefined);
  await dockerCli(engine, ['image', 'rm', '-f', BUILT_IMAGE]);
});

describe('StackPort with the real compose CLI', () => {
  it('refuses to start a variant whose image is not on the engine, before compose could pull it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'netra-missing-'));
    const file = join(dir, 'missing.yml');
    writeFileSync(file, `services:\n  ghost:\n    image: ${MISSING_IMAGE}\n    network_mode: none\n`);
    const ghost: StackDefinition = { name: 'ghost', project: `netra-spg-${suffix}`, files: { alpine: [file], regular: [file] }, env: {} };
    try {
      const compose = await detectCompose(DOCKER_BIN, composeEnvironment({ cli: DOCKER_BIN, endpoint }));
      const up = port.up(ghost, 'alpine');
      if (compose.flavour === 'v2') await expect(up).rejects.toThrow(/pull|not found|No such image/i);
      else await expect(up).rejects.toThrow(`stack ghost (alpine) cannot start: not on this engine: ${MISSING_IMAGE} (ghost); build them (netra-console rebuild ghost) or docker load them; nothing was pulled or started`);
      expect((await dockerCli(engine, ['image', 'inspect', MISSING_IMAGE])).code).not.toBe(0);
      expect(await port.containers(ghost.project)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('resolves each variant into its services', async () => {
    const model = await port.resolve(stack, 'alpine');
    const byName = Object.fromEntries(model.services.map((s) => [s.name, s]));
    expect(Object.keys(byName).sort()).toEqual(['api', 'migrate', 'worker']);
    expect(byName.migrate).toMatchObject({ oneShot: true, health: null, image: FIXTURE_IMAGES.alpine, volumes: ['data'], build: null });
    expect(byName.api).toMatchObject({
      oneShot: false,
      health: { intervalSeconds: 1, timeoutSeconds: 2, retries: 3, startPeriodSeconds: 90 },
      memLimitBytes: 64 * 1024 * 1024,
      cpus: 0.5,
      volumes: ['data'],
      dependsOn: ['migrate'],
    });
    expect(byName.worker).toMatchObject({ health: null, dependsOn: ['api'] });
    const regular = await port.resolve(stack, 'regular');
    expect(new Set(regular.services.map((s) => s.image))).toEqual(new Set([FIXTURE_IMAGES.regular]));
  });

  it('says in one line which file is missing or invalid', async () => {
    const missing = { ...stack, files: { ...stack.files, regular: [fixture('stack.yml'), '/nonexistent/netra/y.yml'] } };
    await expect(port.resolve(missing, 'regular')).rejects.toThrow(
      /^compose file \/nonexistent\/netra\/y\.yml does not exist; check stacks\.fixture\.regular in the config$/,
    );
    const invalid = { ...stack, files: { ...stack.files, alpine: [fixture('invalid.yml')] } };
    const invalidError = await port.resolve(invalid, 'alpine').catch((e: Error) => e);
    expect((invalidError as Error).message).toMatch(new RegExp(`^compose file ${fixture('invalid.yml')} is invalid: .*mem_limit.*; check stacks\\.fixture\\.alpine in the config$`));
    const broken = { ...stack, files: { ...stack.files, alpine: [fixture('broken.yml')] } };
    const brokenError = await port.resolve(broken, 'alpine').catch((e: Error) => e);
    expect((brokenError as Error).message).toContain(`compose file ${fixture('broken.yml')} is invalid: `);
    for (const error of [invalidError, brokenError]) expect((error as Error).message).not.toContain('\n');
  });

  it('brings the stack up: the one-shot ran, the others run, events say so', async () => {
    await port.up(stack, 'alpine');
    const containers = await waitFor(
      async () => {
        const list = await port.containers(stack.project);
        const api = list.find((c) => c.service === 'api');
        return api?.health === 'healthy' && list.length === 3 ? list : null;
      },
      { what: 'three containers with api healthy', timeoutMs: 30_000 },
    );
    const byService = Object.fromEntries(containers.map((c) => [c.service, c]));
    expect(byService.migrate).toMatchObject({ state: 'exited', exitCode: 0, project: stack.project, variant: 'alpine' });
    expect(byService.api).toMatchObject({ state: 'running', health: 'healthy', variant: 'alpine' });
    expect(byService.worker).toMatchObject({ state: 'running', health: 'none' });
    expect(byService.api!.imageSizeBytes).toBeGreaterThan(0);

    const apiId = byService.api!.id;
    await waitFor(() => events.some((e) => e.containerId === apiId && e.action === 'health_status: healthy'), {
      what: 'a health_status: healthy event for api',
      observe: () => events,
    });
    for (const service of ['migrate', 'api', 'worker']) {
      expect(events.some((e) => e.service === service && e.action === 'start')).toBe(true);
    }
    expect(events.some((e) => e.service === 'migrate' && e.action === 'die')).toBe(true);
    const start = events.find((e) => e.containerId === apiId && e.action === 'start')!;
    const healthy = events.find((e) => e.containerId === apiId && e.action === 'health_status: healthy')!;
    expect(start.timeMs).toBeGreaterThanOrEqual(startedAt - 1000);
    expect(healthy.timeMs).toBeGreaterThanOrEqual(start.timeMs);
    expect(eventErrors).toEqual([]);

    expect(await port.volumes(stack.project)).toEqual(['data']);
  });

  it('samples memory as docker stats counts it', async () => {
    const api = await containerOf('api');
    const samples = await port.memorySamples(api.id, 2);
    expect(samples).toHaveLength(2);
    for (const bytes of samples) {
      expect(bytes).toBeGreaterThan(0);
      expect(bytes).toBeLessThanOrEqual(64 * 1024 * 1024);
    }
  });

  it('reads health-check outputs and log tails', async () => {
    const api = await containerOf('api');
    const outputs = await port.healthOutputs(api.id);
    expect(outputs.length).toBeGreaterThan(0);
    expect(outputs.at(-1)).toBe('api-ok');
    expect(await port.logTail(api.id, 5)).toEqual(['api starting']);
    const migrate = await containerOf('migrate');
    expect(await port.logTail(migrate.id, 1)).toEqual(['migrated']);
  });

  it('sizes images without pulling a missing one', async () => {
    const before = Math.floor(Date.now() / 1000) - 1;
    const sizes = await port.imageSizes([FIXTURE_IMAGES.alpine, MISSING_IMAGE]);
    expect(sizes[FIXTURE_IMAGES.alpine]).toBeGreaterThan(0);
    expect(sizes[MISSING_IMAGE]).toBeNull();
    expect((await dockerCli(engine, ['image', 'inspect', MISSING_IMAGE])).code).not.toBe(0);
    const imageEvents = await client.getEvents({ since: before, until: Math.floor(Date.now() / 1000) + 1, filters: { type: ['image'] } });
    const text = await new Promise<string>((resolve) => {
      let all = '';
      imageEvents.on('data', (chunk: Buffer) => (all += chunk.toString()));
      imageEvents.on('end', () => resolve(all));
    });
    expect(text).not.toContain('"pull"');
  });

  it('reads host resources for a local engine, none for a remote one', async () => {
    const local = await port.hostResources();
    expect(local.memAvailableBytes).toBeGreaterThan(0);
    expect(local.diskFreeBytes).toBeGreaterThan(0);
    const remote = createStackPort(client, { cli: DOCKER_BIN, endpoint: { kind: 'tcp', protocol: 'http', host: '127.0.0.1', port: 1, display: 'tcp://127.0.0.1:1' } });
    expect(await remote.hostResources()).toEqual({ memAvailableBytes: null, diskFreeBytes: null });
  });

  it('takes the stack down and keeps its volumes', async () => {
    await port.down(stack, 'alpine');
    expect(await port.containers(stack.project)).toEqual([]);
    expect(await port.volumes(stack.project)).toEqual(['data']);
    await waitFor(() => events.some((e) => e.action === 'destroy'), { what: 'destroy events', observe: () => events });
    stopEvents?.();
    stopEvents = null;
    expect(eventErrors).toEqual([]);
  });

  it('builds a service with BuildKit, streaming its lines', async () => {
    const lines: string[] = [];
    await port.build(buildStack, 'alpine', ['tool'], (line) => lines.push(line));
    expect(lines.some((l) => /^#\d+ \[\d+\/\d+\] RUN echo/.test(l))).toBe(true);
    expect(lines.some((l) => /^#\d+ DONE/.test(l))).toBe(true);
    expect(lines.every((l) => !l.includes('\n') && l.trim() !== '')).toBe(true);
    const sizes = await port.imageSizes([BUILT_IMAGE]);
    expect(sizes[BUILT_IMAGE]).toBeGreaterThan(0);
    const model = await port.resolve(buildStack, 'alpine');
    expect(model.services[0]).toMatchObject({ name: 'tool', image: BUILT_IMAGE, build: { args: { BASE_IMAGE: FIXTURE_IMAGES.base, GREETING: 'hello' } } });
  });

  it('fails a compose command in one line', async () => {
    const noBase = { ...buildStack, env: {} };
    const error = await port.build(noBase, 'alpine', ['tool'], () => undefined).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/^docker(-| )compose build failed: .*set NETRA_FIXTURE_BASE in the stack env/);
    expect((error as Error).message).not.toContain('\n');
  });
});
