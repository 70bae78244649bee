/**
 * What containers print, through the private test engine: 100 KB lines are cut where they enter and the ring stays
 * within its byte budget; escape sequences (title, clipboard, screen clear, blink, NUL) reach neither the model,
 * nor the text and JSON output of `logs` and `status`, nor a saved file; credentials in DOCKER_HOST are never shown.
 */
import { mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLogSources } from '../../src/cli/log-sources';
import type { Settings } from '../../src/cli/settings';
import { parseDockerHost } from '../../src/config/docker-host';
import type { NewLogLine } from '../../src/domain/log-line';
import { MAX_LINE_BYTES } from '../../src/domain/printable';
import { createDockerClient } from '../../src/sources/docker/client';
import { ContainerLogs } from '../../src/sources/logs/container-logs';
import { lineBytes, LogIngest, LogRing } from '../../src/store/log-ring';
import { buildCli, runCli as runCliIn, type Run } from '../support/cli-process';
import { dockerOk, FIXTURE_IMAGES, runContainer } from '../support/docker-engine';
import { providedEngine } from '../support/engine-context';
import { makeStore } from '../support/render-app';
import { removeProjectContainers, uniqueProject } from '../support/live-store';
import { waitFor } from '../support/wait';

const engine = providedEngine();
const dockerClient = createDockerClient(parseDockerHost(engine.host, 'test engine'));
const project = uniqueProject('foreign');
const FLOOD = `${project}-flood`;
const EVIL = `${project}-evil`;

/** Terminal-injection payloads as printf writes them: OSC 0 title, OSC 52 clipboard, clear + home, blink red, NUL, SOH. */
const PAYLOAD_PRINTF = String.raw`evil \033]0;pwned\007 \033]52;c;Y3VybA==\007 \033[2J\033[H \033[5;31mblink\033[0m \000 \001 end`;
/** The same as the console shows it. */
const PAYLOAD_SHOWN = 'evil ␛]0;pwned␇ ␛]52;c;Y3VybA==␇ ␛[2J␛[H ␛[5;31mblink␛[0m ␀ ␁ end';
/** Anything a terminal could act on: C0 but tab (and the line feeds between lines), DEL, C1. */
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

/** 100 KB lines of x, 400 of them, then quiet: a flood, but a bounded one for the engine's disk. */
// It starts when told (/tmp/go): the console follows a container from its last 200 lines, and on a slow host a flood
// started at once could be further on than that when the test attaches (399 of 400 was seen).
const FLOOD_CMD = ['sh', '-c', `trap 'exit 0' TERM; while [ ! -e /tmp/go ]; do sleep 0.1; done; i=0; while [ $i -lt 400 ]; do head -c 102400 /dev/zero | tr '\\000' x; echo; i=$((i+1)); done; while :; do sleep 1; done`];
/** The payload once a second; the health check prints it too, and fails. */
const EVIL_CMD = ['sh', '-c', `trap 'exit 0' TERM; while :; do printf '${PAYLOAD_PRINTF}\\n'; sleep 1; done`];

let home = '';

function runCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return runCliIn(args, { cwd: home, env });
}

beforeAll(async () => {
  await buildCli();
  home = realpathSync(mkdtempSync(join(tmpdir(), 'netra-foreign-')));
  writeFileSync(join(home, '.netra-console.yaml'), `docker:\n  projects: [${JSON.stringify(project)}]\n`);
  await Promise.all([
    runContainer(engine, { name: FLOOD, image: FIXTURE_IMAGES.base, cmd: FLOOD_CMD, project, service: 'flood' }),
    runContainer(engine, {
      name: EVIL,
      image: FIXTURE_IMAGES.base,
      cmd: EVIL_CMD,
      project,
      service: 'evil',
      health: { cmd: `printf '${PAYLOAD_PRINTF}'; exit 1`, interval: '1s', retries: 1 },
    }),
  ]);
});

afterAll(async () => {
  await removeProjectContainers(engine, project);
  if (home) rmSync(home, { recursive: true, force: true });
});

/** Follows one container into a ring the way the console does; returns what stops it. */
async function followInto(ring: LogRing, name: string): Promise<() => void> {
  const ingest = new LogIngest(ring, () => {});
  const logs = new ContainerLogs(dockerClient, (line: NewLogLine) => ingest.add(line));
  const { Id } = await dockerClient.getContainer(name).inspect();
  logs.sync([{ id: Id, name }]);
  return () => {
    logs.stop();
    ingest.dispose();
  };
}

describe('100 KB lines from a real container', () => {
  it('are cut to a prefix with a visible mark, and the ring keeps within its byte budget', async () => {
    const ring = new LogRing(1_000); // a budget of ~1 MB: the flood is many times that
    const stop = await followInto(ring, FLOOD);
    await dockerOk(engine, ['exec', FLOOD, 'touch', '/tmp/go']);
    try {
      // 40 MB through the engine's log stream: on a loaded 2-core machine that can take a minute or more.
      await waitFor(() => ring.lastSeq >= 400, { what: 'the 400 long lines', observe: () => ring.lastSeq, timeoutMs: 150_000 });
    } finally {
      stop();
    }
    let held = 0;
    for (let i = 0; i < ring.size; i++) {
      const line = ring.at(i);
      held += lineBytes(line);
      // Docker stamps each 16 KB part of a long line when asked for timestamps: a few bytes more than printed.
      const [, prefix, bytes] = /^(x*)… \[cut: (\d+) bytes, full line in `docker logs ([^`]+)`\]$/.exec(line.message) ?? [];
      expect(prefix, line.message.slice(-100)).toBe('x'.repeat(MAX_LINE_BYTES));
      expect(Number(bytes)).toBeGreaterThanOrEqual(102_400);
      expect(line.message.endsWith(`\`docker logs ${FLOOD}\`]`)).toBe(true);
    }
    expect(held).toBeLessThanOrEqual(ring.byteBudget);
    expect(ring.size).toBeLessThan(400);
    expect(ring.at(ring.size - 1).seq).toBe(ring.lastSeq);
  }, 180_000);
});

describe('escape sequences from a real container', () => {
  it('are shown visibly in the model, and a saved file is plain text', async () => {
    const settings = { config: { logs: { bufferLines: 1_000, cloudFilter: '' } } } as unknown as Settings;
    const id = await dockerClient.getContainer(EVIL).inspect().then((info) => info.Id);
    const store = makeStore();
    const sources = startLogSources(store, dockerClient, settings);
    try {
      store.setState((s) => ({ docker: { ...s.docker, containers: { [id]: { ...s.docker.containers[id]!, id, name: EVIL, state: 'running' } } } }));
      await waitFor(() => sources.ring.size > 0 && store.getState().logs.lastSeq > 0, { what: 'a line of the evil container', timeoutMs: 30_000 });
      expect(sources.ring.at(0).message).toBe(PAYLOAD_SHOWN);
      const notice = sources.save(home);
      const path = /saved \d+ lines to (.+)$/.exec(notice)?.[1];
      expect(path, notice).toBeDefined();
      const saved = readFileSync(path!, 'utf8');
      expect(saved).toContain(PAYLOAD_SHOWN);
      expect(saved).not.toMatch(RAW_CONTROL);
    } finally {
      await sources.stop();
    }
  });

  it('logs --container prints them visibly in text, escaped in JSON', async () => {
    const [text, json] = await Promise.all([
      runCli(['logs', '--container', EVIL, '--since', '5m', '--docker-host', engine.host]),
      runCli(['logs', '--json', '--container', EVIL, '--since', '5m', '--docker-host', engine.host]),
    ]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain(PAYLOAD_SHOWN);
    expect(text.stdout).not.toMatch(RAW_CONTROL);
    expect(json.code, json.stderr).toBe(0);
    expect(json.stdout).not.toMatch(RAW_CONTROL);
    expect(JSON.parse(json.stdout.split('\n')[0]!).message).toBe(PAYLOAD_SHOWN);
  });

  it('status shows the failing health-check output visibly in its alert line', async () => {
    const run = await waitFor(
      async () => {
        const status = await runCli(['status', '--docker-host', engine.host]);
        return status.stdout.includes(`${EVIL} is unhealthy`) ? status : null;
      },
      { what: `${EVIL} to be unhealthy in status`, timeoutMs: 30_000, intervalMs: 500 },
    );
    expect(run.stdout).toContain('␛]0;pwned␇');
    expect(run.stdout).not.toMatch(RAW_CONTROL);
    const json = await runCli(['status', '--json', '--docker-host', engine.host]);
    expect(json.stdout).not.toMatch(RAW_CONTROL);
  });
});

describe('credentials in DOCKER_HOST', () => {
  it('are never printed by status, text or JSON, nor in a usage error', async () => {
    const host = 'tcp://admin:s3cret@127.0.0.1:1';
    const [text, json, bad] = await Promise.all([
      runCli(['status', '--timeout', '2'], { DOCKER_HOST: host }),
      runCli(['status', '--json', '--timeout', '2'], { DOCKER_HOST: host }),
      runCli(['status'], { DOCKER_HOST: 'tcp://admin:s3cret@127.0.0.1:1/path' }),
    ]);
    for (const run of [text, json, bad]) expect(run.stdout + run.stderr).not.toContain('s3cret');
    expect(text.stdout).toContain('tcp://admin:***@127.0.0.1:1');
    expect(JSON.parse(json.stdout).docker.host).toBe('tcp://admin:***@127.0.0.1:1');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('tcp://admin:***@127.0.0.1:1/path');
  });
});
