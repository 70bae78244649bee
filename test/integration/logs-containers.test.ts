/**
 * Container logs of the logs panel (ContainerLogs) against the private test engine: following stdout and stderr
 * apart, re-attaching across `docker restart`, following a recreated container, and reading once since a time.
 * What the engine itself stored (`docker logs -t`, stdout and stderr apart) is the ground truth: the lines shown
 * must be exactly those, none doubled, none left out.
 */
import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { parseDockerHost } from '../../src/config/docker-host';
import type { NewLogLine } from '../../src/domain/log-line';
import { createDockerClient } from '../../src/sources/docker/client';
import { ContainerLogs } from '../../src/sources/logs/container-logs';
import { dockerOk, FIXTURE_IMAGES, runContainer } from '../support/docker-engine';
import { providedEngine } from '../support/engine-context';
import { removeProjectContainers, uniqueProject } from '../support/live-store';
import { waitFor } from '../support/wait';

const engine = providedEngine();
const dockerClient = createDockerClient(parseDockerHost(engine.host, 'test engine'));

/**
 * Numbered lines on stdout and stderr, 20 pairs a second. The counter lives in the container's file system, so a
 * restarted container carries on where it stopped; SIGTERM ends it at once (sh as PID 1 ignores it otherwise).
 */
const COUNTER = [
  'sh',
  '-c',
  `trap 'exit 0' TERM
n=$(cat /tmp/n 2>/dev/null || echo 0)
while :; do n=$((n+1)); echo $n > /tmp/n; echo "out $n"; echo "err $n" >&2; sleep 0.05; done`,
];

let project = '';
let followers: ContainerLogs[] = [];

afterEach(async () => {
  for (const f of followers) f.stop();
  followers = [];
  if (project) await removeProjectContainers(engine, project);
});

function follow(since?: string): { lines: NewLogLine[]; logs: ContainerLogs } {
  const lines: NewLogLine[] = [];
  const logs = new ContainerLogs(dockerClient, (line) => lines.push(line), since);
  followers.push(logs);
  return { lines, logs };
}

/** `docker logs -t NAME`, stdout and stderr apart, each line as "TIMESTAMP TEXT". */
async function engineLogs(name: string): Promise<{ stdout: string[]; stderr: string[] }> {
  return new Promise((resolve, reject) => {
    const child = spawn(engine.dockerBin, ['-H', engine.host, 'logs', '-t', name], { env: engine.env });
    let out = '';
    let err = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`docker logs ${name} failed: ${err}`));
      const split = (text: string) => text.split('\n').filter((l) => l !== '');
      resolve({ stdout: split(out), stderr: split(err) });
    });
  });
}

const shown = (lines: NewLogLine[], source: string) => lines.filter((l) => l.source === source).map((l) => `${l.timestamp} ${l.message}`);
const numbers = (lines: NewLogLine[], source: string, word: string) =>
  lines.filter((l) => l.source === source).map((l) => Number(new RegExp(`^${word} (\\d+)$`).exec(l.message)?.[1] ?? NaN));

/**
 * `ours` is a contiguous run of what the engine stored: starting at our first line, the engine's lines are
 * exactly ours, in order.
 */
function expectContiguousRun(ours: string[], engineLines: string[], what: string): void {
  expect(ours.length, `${what}: lines shown`).toBeGreaterThan(0);
  const start = engineLines.indexOf(ours[0]!);
  expect(start, `${what}: the first line shown is one the engine stored`).toBeGreaterThanOrEqual(0);
  expect(ours, what).toEqual(engineLines.slice(start, start + ours.length));
}

async function startedAt(name: string): Promise<string> {
  return dockerOk(engine, ['inspect', '--format', '{{.State.StartedAt}}', name]);
}

describe('container logs against a real engine', () => {
  it('follows stdout and stderr apart, and carries on after docker restart with nothing doubled or left out', async () => {
    project = uniqueProject('logs');
    const name = `${project}-counter`;
    const id = await runContainer(engine, { name, image: FIXTURE_IMAGES.base, cmd: COUNTER, project, service: 'counter' });
    const { lines, logs } = follow();
    logs.sync([{ id, name }]);
    const stderrSource = `${name} (stderr)`;
    await waitFor(() => numbers(lines, name, 'out').includes(10) && numbers(lines, stderrSource, 'err').includes(10), {
      what: 'ten numbered lines on stdout and stderr',
      observe: () => lines.slice(-6).map((l) => `${l.source}: ${l.message}`),
    });
    const out = lines.find((l) => l.source === name)!;
    const err = lines.find((l) => l.source === stderrSource)!;
    // Neither stream's plain lines carry a level: no severity is made up for them.
    expect(out).toMatchObject({ origin: 'container', insertId: null, severity: 'DEFAULT' });
    expect(out.message).toMatch(/^out \d+$/);
    expect(out.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$/);
    expect(err).toMatchObject({ origin: 'container', insertId: null, severity: 'DEFAULT' });
    expect(err.message).toMatch(/^err \d+$/);

    const firstStart = await startedAt(name);
    await dockerOk(engine, ['restart', '-t', '5', name]);
    expect(await startedAt(name)).not.toBe(firstStart);
    const engineAtRestart = await engineLogs(name);
    const lastBefore = Number(/out (\d+)$/.exec(engineAtRestart.stdout.at(-1)!)![1]);
    // Lines the restarted container writes come through the re-attached stream.
    await waitFor(() => Math.max(...numbers(lines, name, 'out')) >= lastBefore + 20 && Math.max(...numbers(lines, stderrSource, 'err')) >= lastBefore + 20, {
      what: `lines after the restart (from ${lastBefore})`,
      observe: () => lines.slice(-6).map((l) => `${l.source}: ${l.message}`),
    });
    logs.stop();

    const stored = await engineLogs(name);
    expectContiguousRun(shown(lines, name), stored.stdout, 'stdout');
    expectContiguousRun(shown(lines, stderrSource), stored.stderr, 'stderr');
    // The counter carried on across the restart, and every number came once.
    const outs = numbers(lines, name, 'out');
    expect(new Set(outs).size).toBe(outs.length);
    expect(outs).toEqual([...outs].sort((a, b) => a - b));
    expect(outs.filter((n) => n > lastBefore).length).toBeGreaterThanOrEqual(20);
    expect(lines.every((l) => l.source === name || l.source === stderrSource)).toBe(true);
  });

  it('follows a recreated container (same name, new id) from its start once synced', async () => {
    project = uniqueProject('logs');
    const name = `${project}-web`;
    const oldId = await runContainer(engine, { name, image: FIXTURE_IMAGES.base, cmd: COUNTER, project, service: 'web' });
    const { lines, logs } = follow();
    logs.sync([{ id: oldId, name }]);
    await waitFor(() => numbers(lines, name, 'out').includes(5), { what: 'the first container to log', observe: () => lines.length });

    await dockerOk(engine, ['rm', '-f', name]);
    const GEN2 = ['sh', '-c', `trap 'exit 0' TERM; n=0; while :; do n=$((n+1)); echo "gen2 $n"; sleep 0.05; done`];
    const newId = await runContainer(engine, { name, image: FIXTURE_IMAGES.base, cmd: GEN2, project, service: 'web' });
    expect(newId).not.toBe(oldId);
    const beforeSync = lines.length;
    logs.sync([{ id: newId, name }]);
    await waitFor(() => numbers(lines, name, 'gen2').includes(20), {
      what: 'the recreated container to be followed',
      observe: () => lines.slice(-4).map((l) => l.message),
    });
    logs.stop();

    const gen2 = lines.slice(beforeSync);
    expect(gen2.every((l) => /^gen2 \d+$/.test(l.message))).toBe(true);
    // From its first line: a new container is followed from its start.
    expect(gen2[0]!.message).toBe('gen2 1');
    expectContiguousRun(shown(gen2, name), (await engineLogs(name)).stdout, 'the recreated container');
    const outs = numbers(lines.slice(0, beforeSync), name, 'out');
    expect(new Set(outs).size).toBe(outs.length);
  });

  it('readOnce returns every line since a time, stdout and stderr, and resolves', async () => {
    project = uniqueProject('logs');
    const name = `${project}-burst`;
    // Two bursts two seconds apart; stdout and stderr written back to back, as fast as the shell goes.
    const BURSTS = [
      'sh',
      '-c',
      `trap 'exit 0' TERM
i=0; while [ $i -lt 200 ]; do i=$((i+1)); echo "early $i"; echo "early $i" >&2; done
sleep 2
i=0; while [ $i -lt 3000 ]; do i=$((i+1)); echo "late $i"; echo "late $i" >&2; done
while :; do sleep 0.2; done`,
    ];
    const id = await runContainer(engine, { name, image: FIXTURE_IMAGES.base, cmd: BURSTS, project, service: 'burst' });
    const stored = await waitFor(
      async () => {
        const logs = await engineLogs(name);
        return logs.stdout.at(-1)?.endsWith(' late 3000') && logs.stderr.at(-1)?.endsWith(' late 3000') ? logs : null;
      },
      { what: 'both bursts to be logged' },
    );
    const firstLate = stored.stdout.find((l) => l.endsWith(' late 1'))!;
    const since = firstLate.slice(0, firstLate.indexOf(' '));

    const lines: NewLogLine[] = [];
    await new ContainerLogs(dockerClient, (line) => lines.push(line), since).readOnce([{ id, name }]);

    const expected = (all: string[]) => all.filter((l) => / late \d+$/.test(l));
    expect(shown(lines, name)).toEqual(expected(stored.stdout));
    expect(shown(lines, `${name} (stderr)`)).toEqual(expected(stored.stderr));
    expect(lines).toHaveLength(6000);
    expect(lines.every((l) => l.timestamp >= since.slice(0, 19))).toBe(true);
  });
});
