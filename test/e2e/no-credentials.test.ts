/**
 * A real Google project with no credentials at all (empty HOME, no GOOGLE_APPLICATION_CREDENTIALS, metadata
 * server detection off): the auth library fails before anything is sent, so nothing leaves this machine. The
 * console, `status`, `logs` and `rollback` must say how to sign in, and the Docker part must keep working.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_IMAGES, runContainer } from '../support/docker-engine';
import { buildCli, CLI, NODE, runCli } from '../support/cli-process';
import { providedEngine } from '../support/engine-context';
import { removeProjectContainers, uniqueProject } from '../support/live-store';
import { frame, panelLines, terminalEnv, TmuxTerminal } from '../support/tmux-terminal';

const engine = providedEngine();
const project = uniqueProject('nocreds');
const SIGN_IN = 'gcloud auth application-default login';
let home = '';

/** No credentials anywhere (the base environments name none); a metadata lookup would go to a closed port. */
const NO_METADATA = { METADATA_SERVER_DETECTION: 'none', GCE_METADATA_HOST: '127.0.0.1:9', GCE_METADATA_IP: '127.0.0.1:9' };

/** The CLI against the test engine and a real Google project, signed out. */
function runSignedOut(args: string[]) {
  return runCli(['--docker-host', engine.host, '--project', 'netra-staging', ...args], { cwd: home, env: NO_METADATA });
}

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'netra-nocreds-'));
  await buildCli();
  await runContainer(engine, { name: `${project}-web`, image: FIXTURE_IMAGES.alpine, cmd: ['sh', '-c', 'while :; do sleep 1; done'], project, service: 'web' });
});

afterAll(async () => {
  await removeProjectContainers(engine, project);
  if (home) await rm(home, { recursive: true, force: true });
});

describe('a Google project without credentials', () => {
  it('status --json prints the whole document: Docker read, Cloud Run unreachable with how to sign in', async () => {
    const run = await runSignedOut(['--all', 'status', '--json']);
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).not.toContain('    at ');
    const doc = JSON.parse(run.stdout) as {
      docker: { reachable: boolean; containers: Array<{ name: string }> };
      cloudRun: { mode: string; reachable: boolean; error: string; services: unknown[] };
    };
    expect(doc.docker.reachable).toBe(true);
    expect(doc.docker.containers.map((c) => c.name)).toContain(`${project}-web`);
    expect(doc.cloudRun).toMatchObject({ mode: 'google', reachable: false, services: [] });
    expect(doc.cloudRun.error).toContain(SIGN_IN);
    expect(doc.cloudRun.error).toContain('GOOGLE_APPLICATION_CREDENTIALS');
  });

  it('status (text), logs and rollback say how to sign in, in one line, without a stack trace', async () => {
    const status = await runSignedOut(['--all', 'status']);
    expect(status.code).toBe(1);
    expect(status.stdout).toContain(`${project}-web  running`);
    expect(status.stdout).toContain(SIGN_IN);

    const logs = await runSignedOut(['logs', '--since', '1m']);
    expect(logs.code).toBe(1);
    expect(logs.stderr.trim().split('\n')).toHaveLength(1);
    expect(logs.stderr).toContain(SIGN_IN);

    const rollback = await runSignedOut(['rollback', '--service', 'netra-auth', '--previous', '--yes']);
    expect(rollback.code).toBe(1);
    expect(rollback.stderr.trim().split('\n')).toHaveLength(1);
    expect(rollback.stderr).toContain(SIGN_IN);
    expect(rollback.stderr).not.toContain('unexpected error');
  });

  it('the console stays up: containers listed, the Cloud Run panel says how to sign in', async () => {
    const term = new TmuxTerminal();
    try {
      await term.start([NODE, CLI, '--docker-host', engine.host, '--project', 'netra-staging', '--all'], { cols: 140, rows: 44, cwd: home, env: terminalEnv(home, NO_METADATA) });
      const screen = await term.waitForText(
        (s) => panelLines(s, '[1] Containers').some((l) => l.startsWith(`${project}-web`)) && panelLines(s, '[3] Cloud Run').join(' ').includes(SIGN_IN),
        30_000,
        'the container and the sign-in message',
      );
      expect(screen, frame(screen)).not.toContain('SANDBOX');
      expect(await term.isAlive()).toBe(true);
      await term.send('q');
      expect(await term.waitForExit(15_000)).toBe(0);
    } finally {
      await term.close();
    }
  });
});
