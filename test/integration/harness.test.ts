import { afterAll, describe, expect, inject, it } from 'vitest';
import {
  docker,
  dockerOk,
  ensureFixtureImages,
  FIXTURE_IMAGES,
  removeAllContainers,
  runContainer,
} from '../support/docker-engine';
import { providedEngine, providedEngineInfo } from '../support/engine-context';

const engine = providedEngine();

afterAll(async () => {
  await removeAllContainers(engine);
});

describe('private docker engine harness', () => {
  it('is a private engine answering the Debian docker CLI', async () => {
    const info = providedEngineInfo();
    expect(info.host).toBe(`unix://${info.socketPath}`);
    expect(info.socketPath.startsWith(`${info.dir}/`)).toBe(true);
    // One engine per worker: a file running beside this one has another.
    const engines = inject('engines');
    expect(engines).toHaveLength(2);
    expect(new Set(engines.map((e) => e.dir)).size).toBe(2);
    expect(engine.host).not.toBe('unix:///var/run/docker.sock');

    const res = await docker(engine, ['version', '--format', '{{.Client.Version}} {{.Server.Version}}']);
    expect(res.code, res.stderr).toBe(0);
    const [client, server] = res.stdout.trim().split(' ');
    expect(client).toMatch(/^20\.10\./);
    expect(server).toMatch(/^\d+\.\d+\./);

    // The engine's data lives in the per-run directory, not in /var/lib/docker.
    expect(await dockerOk(engine, ['info', '--format', '{{.DockerRootDir}}'])).toBe(`${engine.dir}/data`);
  });

  it('has the fixture images with the expected labels', async () => {
    const labels = async (image: string) =>
      JSON.parse(await dockerOk(engine, ['image', 'inspect', '--format', '{{json .Config.Labels}}', image])) as Record<
        string,
        string
      > | null;

    expect((await labels(FIXTURE_IMAGES.alpine))?.['com.netra.variant']).toBe('alpine');
    expect((await labels(FIXTURE_IMAGES.regular))?.['com.netra.variant']).toBe('regular');
    expect((await labels(FIXTURE_IMAGES.unlabelledAlpine))?.['com.netra.variant']).toBeUndefined();
    expect((await labels(FIXTURE_IMAGES.base))?.['com.netra.variant']).toBeUndefined();

    const cmd = await dockerOk(engine, ['image', 'inspect', '--format', '{{json .Config.Cmd}}', FIXTURE_IMAGES.base]);
    expect(JSON.parse(cmd)).toEqual(['sh']);

    // Idempotent: a second call leaves the images as they are.
    const ids = async () =>
      Promise.all(Object.values(FIXTURE_IMAGES).map((image) => dockerOk(engine, ['image', 'inspect', '--format', '{{.Id}}', image])));
    const before = await ids();
    await ensureFixtureImages(engine);
    expect(await ids()).toEqual(before);
  });

  it('runs a --network none container to completion', async () => {
    const id = await runContainer(engine, {
      name: 'harness-echo',
      image: FIXTURE_IMAGES.alpine,
      cmd: ['echo', 'hello'],
      project: 'harness',
      service: 'echo',
    });
    const wait = await dockerOk(engine, ['wait', id]);
    expect(wait).toBe('0');

    const logs = await docker(engine, ['logs', id]);
    expect(logs.code).toBe(0);
    expect(logs.stdout).toBe('hello\n');

    expect(await dockerOk(engine, ['inspect', '--format', '{{.HostConfig.NetworkMode}}', id])).toBe('none');
    const labels = JSON.parse(await dockerOk(engine, ['inspect', '--format', '{{json .Config.Labels}}', id])) as Record<
      string,
      string
    >;
    expect(labels['com.docker.compose.project']).toBe('harness');
    expect(labels['com.docker.compose.service']).toBe('echo');
  });
});
