/**
 * `netra-console logs` always comes to an end: Ctrl-C does not wait for a Cloud call in flight, and a Cloud error
 * that reconnecting cannot cure ends `--follow` with one line instead of reconnecting for ever. The built CLI
 * (pipes, CI=true) against a sandbox in this process with its fault injection; `--service` keeps Docker out.
 */
import { mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index';
import { buildCli, runCli, startCli, type Run, type RunningProcess } from '../support/cli-process';
import { waitFor } from '../support/wait';

/** Far longer than the exit may take, far shorter than the slow call and the client's own 30 s timeout. */
const EXIT_WAIT_MS = 10_000;
/** No credentials anywhere; a metadata lookup would go to a closed port. */
const NO_METADATA = { METADATA_SERVER_DETECTION: 'none', GCE_METADATA_HOST: '127.0.0.1:9', GCE_METADATA_IP: '127.0.0.1:9' };

let home = '';
let sandbox: Sandbox;
const running: RunningProcess[] = [];

function follow(args: string[], env: NodeJS.ProcessEnv = {}): RunningProcess {
  const run = startCli(['logs', '--follow', '--json', ...args], { cwd: home, env });
  running.push(run);
  return run;
}

/** Its exit, awaited generously: what matters is that it comes, not how many milliseconds it took. */
async function exitOf(run: RunningProcess): Promise<Run> {
  await waitFor(() => run.child.exitCode !== null || run.child.signalCode !== null, {
    what: 'the logs command to exit',
    timeoutMs: EXIT_WAIT_MS,
    observe: () => run.stderr(),
  });
  return run.done;
}

function stderrLines(run: Run): string[] {
  return run.stderr.split('\n').filter((line) => line !== '');
}

beforeAll(async () => {
  await buildCli();
  home = realpathSync(mkdtempSync(join(tmpdir(), 'netra-logs-exit-')));
  sandbox = await startSandbox({ logRatePerSecond: 5 });
});

afterEach(() => {
  sandbox.faults.clear();
  for (const run of running.splice(0)) if (run.child.exitCode === null) run.child.kill('SIGKILL');
});

afterAll(async () => {
  await sandbox?.stop();
  if (home) rmSync(home, { recursive: true, force: true });
});

describe('netra-console logs comes to an end', () => {
  it('Ctrl-C during a slow backfill exits at once (it used to wait for the call, 23 s)', async () => {
    sandbox.faults.slowCalls(120_000, 'ListLogEntries');
    const before = sandbox.calls('ListLogEntries');
    const run = follow(['--since', '5m', '--service', 'netra-auth', '--gcp-endpoint', sandbox.endpoint]);
    await waitFor(() => sandbox.calls('ListLogEntries') > before, { what: 'the backfill to be in flight', observe: () => run.stderr() });
    run.child.kill('SIGINT');
    const result = await exitOf(run);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toBe('');
  });

  it('--follow with PERMISSION_DENIED says why in one line and exits 1, not reconnecting for ever', async () => {
    sandbox.faults.permissionDenied('logging.logEntries.list');
    const run = follow(['--service', 'netra-auth', '--gcp-endpoint', sandbox.endpoint]);
    const result = await exitOf(run);
    expect(result.code, result.stderr).toBe(1);
    expect(stderrLines(result)).toEqual([
      'netra-console: Cloud Logging could not be read: missing permission logging.logEntries.list on project netra-staging: ask for roles/run.viewer (or a role that grants it)',
    ]);
  });

  it('--follow with no credentials at all says how to sign in and exits 1', async () => {
    const run = follow(['--service', 'netra-auth', '--project', 'netra-staging'], NO_METADATA);
    const result = await exitOf(run);
    expect(result.code, result.stderr).toBe(1);
    const lines = stderrLines(result);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^netra-console: Cloud Logging could not be read: not signed in to Google Cloud: run "gcloud auth application-default login"/);
  });

  it('a filter Logging refuses (INVALID_ARGUMENT) ends --follow and a one-off read alike, exit 1', async () => {
    writeFileSync(join(home, '.netra-console.yaml'), 'logs:\n  cloudFilter: resource.type="cloud_run_revision" OR severity>=ERROR\n');
    try {
      const followed = follow(['--service', 'netra-auth', '--gcp-endpoint', sandbox.endpoint]);
      const [once, ended] = await Promise.all([
        runCli(['logs', '--service', 'netra-auth', '--sandbox'], { cwd: home, timeoutMs: EXIT_WAIT_MS }),
        exitOf(followed),
      ]);
      for (const result of [once, ended]) {
        expect(result.code, result.stderr).toBe(1);
        expect(stderrLines(result)).toEqual([expect.stringMatching(/^netra-console: Cloud Logging could not be read: .*Invalid filter.*OR is not supported/)]);
      }
    } finally {
      rmSync(join(home, '.netra-console.yaml'));
    }
  });
});
