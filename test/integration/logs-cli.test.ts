/**
 * `netra-console logs` as scripts run it: the built CLI (dist/cli.js, pinned Node 24) with pipes and CI=true,
 * against a sandbox started in this process (passed with --gcp-endpoint, so the test can cut its tail sessions)
 * and the private test engine, in a working directory whose config scopes Docker to this test's project.
 * Sandbox entries carry their sequence number in the last ten hex digits of the insertId, so the cloud side is
 * checked for loss and repetition entry by entry.
 */
import { mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEVERITIES, severityRank, type Severity } from '../../src/domain/log-line';
import { startSandbox, type Sandbox } from '../../src/sandbox/index';
import { FIXTURE_IMAGES, runContainer } from '../support/docker-engine';
import { buildCli, runCli as runCliIn, startCli, type Run } from '../support/cli-process';
import { providedEngine } from '../support/engine-context';
import { removeProjectContainers, uniqueProject } from '../support/live-store';
import { sleep, waitFor } from '../support/wait';

const KEYS = ['insertId', 'timestamp', 'severity', 'source', 'message'];

const engine = providedEngine();
const project = uniqueProject('logcli');
const API = `${project}-api`;
const WORKER = `${project}-worker`;

/** Numbered lines: `out N` on stdout, `err N` on stderr, and every fifth an ERROR line on stderr. */
const numbered = (word: string) => [
  'sh',
  '-c',
  `trap 'exit 0' TERM
n=0; while :; do n=$((n+1)); echo "${word} out $n"; echo "${word} err $n" >&2
if [ $((n % 5)) -eq 0 ]; then echo "ERROR ${word} failed $n" >&2; fi; sleep 0.1; done`,
];

interface JsonLine {
  insertId: string | null;
  timestamp: string;
  severity: Severity;
  source: string;
  message: string;
}

let home = '';
let sandbox: Sandbox;

const common = () => ['--gcp-endpoint', sandbox.endpoint, '--docker-host', engine.host];

/** Runs the CLI as a script does (pipes, CI=true, a clean environment) in this test's home. */
function runCli(args: string[]): Promise<Run> {
  return runCliIn(args, { cwd: home });
}

/** Every stdout line as JSON, checked to have exactly the documented keys. */
function parseLines(stdout: string): JsonLine[] {
  expect(stdout.endsWith('\n') || stdout === '').toBe(true);
  return stdout
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => {
      const line = JSON.parse(l) as JsonLine;
      expect(Object.keys(line)).toEqual(KEYS);
      expect(SEVERITIES).toContain(line.severity);
      expect(Number.isNaN(Date.parse(line.timestamp))).toBe(false);
      return line;
    });
}

const isContainer = (l: JsonLine, name: string) => l.source === name || l.source === `${name} (stderr)`;
/** The sandbox's sequence number, from the last ten hex digits of a generated entry's insertId. */
const seqOf = (l: JsonLine) => parseInt(l.insertId!.slice(-10), 16);

function expectNoLossNoRepeat(seqs: number[]): void {
  expect(seqs.length).toBeGreaterThan(0);
  const first = Math.min(...seqs);
  const last = Math.max(...seqs);
  const missing: number[] = [];
  const set = new Set(seqs);
  for (let s = first; s <= last; s++) if (!set.has(s)) missing.push(s);
  expect({ missing, repeated: seqs.length - set.size }).toEqual({ missing: [], repeated: 0 });
}

function expectUsageLine(run: Run, pattern: RegExp): void {
  expect(run.code).toBe(2);
  expect(run.stdout).toBe('');
  const lines = run.stderr.split('\n').filter((l) => l !== '');
  expect(lines, run.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
  expect(run.stderr).not.toMatch(/^\s+at /m);
}

beforeAll(async () => {
  await buildCli();
  home = realpathSync(mkdtempSync(join(tmpdir(), 'netra-logs-cli-')));
  writeFileSync(join(home, '.netra-console.yaml'), `docker:\n  projects: [${JSON.stringify(project)}]\n`);
  sandbox = await startSandbox({ logRatePerSecond: 10 });
  await Promise.all([
    runContainer(engine, { name: API, image: FIXTURE_IMAGES.base, cmd: numbered('api'), project, service: 'api' }),
    runContainer(engine, { name: WORKER, image: FIXTURE_IMAGES.base, cmd: numbered('worker'), project, service: 'worker' }),
  ]);
  // Enough container lines for every filter below, ERROR ones included.
  await sleep(1_200);
});

afterAll(async () => {
  await removeProjectContainers(engine, project);
  await sandbox?.stop();
  if (home) rmSync(home, { recursive: true, force: true });
});

describe('netra-console logs', () => {
  it('--json --since 5m: one object a line with exactly the documented keys, containers and Cloud Run, in time order', async () => {
    const run = await runCli(['logs', '--json', '--since', '5m', ...common()]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toBe('');
    const lines = parseLines(run.stdout);
    const cloud = lines.filter((l) => l.insertId !== null);
    const api = lines.filter((l) => isContainer(l, API));
    const worker = lines.filter((l) => isContainer(l, WORKER));
    expect(cloud.length).toBeGreaterThan(500); // the sandbox holds five minutes of history
    expect(api.length).toBeGreaterThan(10);
    expect(worker.length).toBeGreaterThan(10);
    expect(cloud.length + api.length + worker.length).toBe(lines.length);
    expect(new Set(cloud.map((l) => l.source.split('/')[0]))).toEqual(new Set(['netra-backend-staging', 'netra-auth', 'netra-frontend-staging']));
    expect(cloud.every((l) => /^netra-[a-z-]+\/\d{5}$/.test(l.source))).toBe(true);
    expect(api.some((l) => l.source === `${API} (stderr)` && l.message === 'api err 1')).toBe(true);
    expect(api.find((l) => l.message === 'api out 1')).toMatchObject({ source: API, severity: 'DEFAULT', insertId: null });
    // Oldest first across all sources.
    for (let i = 1; i < lines.length; i++) {
      expect(Date.parse(lines[i]!.timestamp), `${JSON.stringify(lines[i - 1])} before ${JSON.stringify(lines[i])}`).toBeGreaterThanOrEqual(Date.parse(lines[i - 1]!.timestamp));
    }
    // Each container line once, in order; every Cloud entry of the five minutes once.
    const apiOut = api.filter((l) => l.source === API).map((l) => Number(/ (\d+)$/.exec(l.message)![1]));
    expect(apiOut).toEqual(Array.from({ length: apiOut.length }, (_, i) => i + 1));
    expectNoLossNoRepeat(cloud.map(seqOf));
  });

  it('--service netra-auth prints that service only; --container NAME that container only', async () => {
    const [auth, worker] = await Promise.all([
      runCli(['logs', '--json', '--since', '5m', '--service', 'netra-auth', ...common()]),
      runCli(['logs', '--json', '--since', '5m', '--container', WORKER, ...common()]),
    ]);
    expect(auth.code, auth.stderr).toBe(0);
    const authLines = parseLines(auth.stdout);
    expect(authLines.length).toBeGreaterThan(20);
    expect(authLines.every((l) => l.source.startsWith('netra-auth/') && l.insertId !== null)).toBe(true);

    expect(worker.code, worker.stderr).toBe(0);
    const workerLines = parseLines(worker.stdout);
    expect(workerLines.length).toBeGreaterThan(10);
    expect(workerLines.every((l) => isContainer(l, WORKER))).toBe(true);
    expect(new Set(workerLines.map((l) => l.source))).toEqual(new Set([WORKER, `${WORKER} (stderr)`]));
  });

  it('--severity ERROR prints only ERROR and above; --filter REGEX only matching lines', async () => {
    const [errors, filtered] = await Promise.all([
      runCli(['logs', '--json', '--since', '5m', '--severity', 'ERROR', ...common()]),
      runCli(['logs', '--json', '--since', '5m', '--filter', 'REFRESH|worker err \\d*7$', ...common()]),
    ]);
    expect(errors.code, errors.stderr).toBe(0);
    const errorLines = parseLines(errors.stdout);
    expect(errorLines.every((l) => severityRank(l.severity) >= severityRank('ERROR'))).toBe(true);
    expect(errorLines.some((l) => l.insertId !== null)).toBe(true);
    expect(errorLines.some((l) => l.source === `${API} (stderr)` && /^ERROR api failed \d+$/.test(l.message))).toBe(true);
    expect(errorLines.some((l) => l.message.startsWith('api out'))).toBe(false);

    expect(filtered.code, filtered.stderr).toBe(0);
    const filteredLines = parseLines(filtered.stdout);
    const regex = /REFRESH|worker err \d*7$/i;
    expect(filteredLines.every((l) => regex.test(l.message) || regex.test(l.source))).toBe(true);
    expect(filteredLines.some((l) => l.insertId !== null && /refresh/i.test(l.message))).toBe(true);
    expect(filteredLines.some((l) => l.message === 'worker err 7')).toBe(true);
    expect(filteredLines.some((l) => l.message === 'worker err 8')).toBe(false);
  });

  it('--follow prints new lines as they come, survives forced tail cuts without repeating a line, and stops on SIGTERM', async () => {
    const run = startCli(['logs', '--json', '--follow', '--since', '1m', ...common()], { cwd: home });
    const lines = () => parseLines(run.stdout().slice(0, run.stdout().lastIndexOf('\n') + 1));
    const newestApi = () => Math.max(0, ...lines().filter((l) => l.source === API).map((l) => Number(/ (\d+)$/.exec(l.message)![1])));
    const newestSeq = () => Math.max(0, ...lines().filter((l) => l.insertId !== null).map(seqOf));
    try {
      // The history first, then what arrives afterwards.
      const started = sandbox.lastLogSeq();
      await waitFor(() => newestSeq() >= started + 10 && newestApi() > 0, {
        what: 'new Cloud entries and container lines while following',
        timeoutMs: 20_000,
        observe: () => ({ stderr: run.stderr(), lines: lines().length }),
      });
      const apiBefore = newestApi();
      await waitFor(() => newestApi() >= apiBefore + 5, { what: 'new container lines', observe: () => newestApi() });

      // Cut the tail session twice: OUT_OF_RANGE, as Logging ends a session after an hour.
      sandbox.faults.endTailsAfter(1, 'OUT_OF_RANGE');
      await waitFor(() => (run.stderr().match(/Cloud Logging tail reconnecting/g) ?? []).length >= 2, {
        what: 'two reconnects',
        timeoutMs: 20_000,
        observe: () => run.stderr(),
      });
      sandbox.faults.endTailsAfter(null);
      const afterCuts = sandbox.lastLogSeq() + 20;
      await waitFor(() => newestSeq() >= afterCuts, { what: `entry ${afterCuts} after the cuts`, observe: () => newestSeq() });
      expect(run.child.exitCode).toBeNull();

      run.child.kill('SIGTERM');
      const result = await run.done;
      expect(result.code, result.stderr).toBe(0);
      expect(result.stderr).toMatch(/^(netra-console: Cloud Logging tail reconnecting: The tail session reached its maximum duration; start a new one to keep tailing\.\n)+$/);

      const all = parseLines(result.stdout);
      const cloud = all.filter((l) => l.insertId !== null);
      expectNoLossNoRepeat(cloud.map(seqOf));
      expect(Math.max(...cloud.map(seqOf))).toBeGreaterThanOrEqual(afterCuts);
      for (const name of [API, WORKER]) {
        const keys = all.filter((l) => isContainer(l, name)).map((l) => `${l.timestamp} ${l.source} ${l.message}`);
        expect(keys.length).toBeGreaterThan(10);
        expect(new Set(keys).size).toBe(keys.length);
        const outs = all.filter((l) => l.source === name).map((l) => Number(/ (\d+)$/.exec(l.message)![1]));
        expect(outs).toEqual(Array.from({ length: outs.length }, (_, i) => outs[0]! + i));
      }
    } finally {
      sandbox.faults.clear();
      if (run.child.exitCode === null) run.child.kill('SIGKILL');
    }
  });

  it('bad --since, --severity or an unknown --container or --service: exit 2 with one line, no stack trace', async () => {
    const [since, severity, container, service] = await Promise.all([
      runCli(['logs', '--since', '5x', ...common()]),
      runCli(['logs', '--severity', 'LOUD', ...common()]),
      runCli(['logs', '--container', `${project}-nope`, ...common()]),
      runCli(['logs', '--service', 'netra-nope', ...common()]),
    ]);
    // A misspelt service used to match no entry and exit 0 with nothing, as if the service were quiet.
    expectUsageLine(
      service,
      /^netra-console: no Cloud Run service "netra-nope" in netra-staging \(us-central1\); services there: netra-(auth|backend-staging|frontend-staging)(, netra-(auth|backend-staging|frontend-staging)){2}: check --service$/,
    );
    expectUsageLine(since, /^netra-console: --since "5x" is not a duration: use e\.g\. 90s, 10m, 2h or 1d$/);
    expectUsageLine(severity, /^netra-console: --severity "LOUD" is not a severity: use DEBUG, INFO, NOTICE, WARNING, ERROR or CRITICAL$/);
    expectUsageLine(container, new RegExp(`^netra-console: no container named "${project}-nope" on .+: check docker ps$`));
  });
});
