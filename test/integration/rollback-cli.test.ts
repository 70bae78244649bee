/**
 * `netra-console rollback` as scripts and runbooks run it: the built CLI (dist/cli.js, pinned Node 24) in a CI-like
 * environment (pipes, no terminal, CI=true) against a sandbox — in another process where no fault is needed, in
 * this process (its endpoint passed with --gcp-endpoint) where the test switches faults on. Every exit code, the
 * JSON and text reports, and the audit log; what changed is checked with the official client.
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildCli, CLI, cliEnv, NODE, runCli as runCliIn, startCli, type Run } from '../support/cli-process';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index';
import { sandboxClients, type SandboxClients } from '../support/sandbox-clients';
import { startSandboxProcess, type SandboxProcess } from '../support/sandbox-process';
import { terminalEnv, TmuxTerminal } from '../support/tmux-terminal';
import { waitFor } from '../support/wait';

const LOCATION = 'projects/netra-staging/locations/us-central1';
const full = (service: string) => `${LOCATION}/services/${service}`;
const AUDIT_KEYS = ['time', 'user', 'host', 'mode', 'endpoint', 'project', 'region', 'service', 'action', 'before', 'requested', 'after', 'result', 'error'].sort();


interface Traffic {
  revision: string | null;
  percent: number;
  tag: string | null;
  latest?: boolean;
}

interface AuditLine {
  service: string;
  action: string;
  result: string;
  before: Traffic[] | null;
  requested: Traffic[] | null;
  after: Traffic[] | null;
  error: string | null;
  project: string;
  region: string;
}

/** A fresh home for each run: HOME, XDG dirs (the audit log goes to $XDG_STATE_HOME unless --audit-log). */
let home = '';
const stateHome = () => join(home, 'state');
const defaultAudit = () => join(stateHome(), 'netra-console', 'audit-sandbox.log');

/** Runs the CLI as a CI job does (pipes, CI=true, no Google or console settings) in this test's home. */
function runCli(args: string[], timeoutMs = 30_000, env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return runCliIn(args, { cwd: home, timeoutMs, env });
}

/** `netra-console sandbox --port 0 --log-rate 0` in its own process, with nothing of this test's home. */
function sandboxProcess(): Promise<SandboxProcess> {
  return startSandboxProcess({ cwd: tmpdir(), env: cliEnv(tmpdir()) });
}

function auditLines(path = defaultAudit()): AuditLine[] {
  const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
  return lines.map((l) => {
    const entry = JSON.parse(l) as AuditLine;
    expect(Object.keys(entry).sort()).toEqual(AUDIT_KEYS);
    return entry;
  });
}

const mode = (path: string) => statSync(path).mode & 0o777;

function oneLine(text: string): string {
  const lines = text.split('\n').filter((l) => l !== '');
  expect(lines, `expected one line, got:\n${text}`).toHaveLength(1);
  return lines[0]!;
}

function key(targets: readonly Traffic[] | null | undefined): string[] {
  return (targets ?? []).map((t) => `${t.latest ? 'LATEST' : t.revision} ${t.percent} ${t.tag ?? ''}`).sort();
}

/** The service now, via the official client: etag, and requested and served traffic with short revision names. */
async function served(clients: SandboxClients, service: string) {
  const [s] = await clients.services.getService({ name: full(service) });
  const traffic = (targets: typeof s.traffic) =>
    (targets ?? []).map((t) => ({
      revision: t.revision ? (t.revision.split('/').at(-1) ?? null) : null,
      percent: t.percent ?? 0,
      tag: t.tag || null,
      latest: String(t.type) === 'TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST',
    }));
  const [revisions] = await clients.revisions.listRevisions({ parent: full(service) });
  const names = revisions.map((r) => (r.name ?? '').split('/').at(-1)!).sort();
  return { etag: s.etag ?? '', traffic: traffic(s.traffic), statuses: traffic(s.trafficStatuses), names };
}

/** Revision n of a service by its short name (`netra-auth-00004-…`). */
function nth(names: string[], n: number): string {
  const found = names.find((name) => name.includes(`-${String(n).padStart(5, '0')}-`));
  if (!found) throw new Error(`no revision ${n} among ${names.join(', ')}`);
  return found;
}

beforeAll(buildCli);

beforeEach(() => {
  home = realpathSync(mkdtempSync(join(tmpdir(), 'netra-rollback-cli-')));
});

afterEach(() => {
  if (home) rmSync(home, { recursive: true, force: true });
});

describe('rollback against a sandbox in another process', () => {
  let sandbox: SandboxProcess;
  let clients: SandboxClients;

  beforeEach(async () => {
    sandbox = await sandboxProcess();
    clients = sandboxClients({ port: sandbox.port });
  });

  afterEach(async () => {
    await clients?.close();
    await sandbox?.stop();
  });

  it('exit 0: --service netra-auth --previous --yes --json rolls back, verifies and prints before/requested/after/result', async () => {
    const before = await served(clients, 'netra-auth');
    const run = await runCli(['rollback', '--service', 'netra-auth', '--previous', '--yes', '--json', '--gcp-endpoint', sandbox.endpoint]);
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as Record<string, unknown> & { before: Traffic[]; requested: Traffic[]; after: Traffic[] };
    const target = nth(before.names, 4);
    expect(report).toMatchObject({ endpoint: sandbox.endpoint, service: 'netra-auth', target, result: 'succeeded', error: null });
    expect(typeof report.elapsedMs).toBe('number');
    expect(key(report.before)).toEqual(key(before.statuses));
    expect(key(report.requested)).toEqual([`${target} 100 `, `${nth(before.names, 5)} 0 canary`].sort());
    expect(key(report.after)).toEqual(key(report.requested));

    const now = await served(clients, 'netra-auth');
    expect(key(now.statuses)).toEqual(key(report.requested));

    expect(mode(defaultAudit())).toBe(0o600);
    const audit = auditLines();
    expect(audit.map((a) => a.result)).toEqual(['confirmed', 'succeeded']);
    for (const a of audit) {
      expect(a).toMatchObject({ service: 'netra-auth', action: 'rollback-previous', project: 'netra-staging', region: 'us-central1', error: null });
      // A sandbox's rollbacks name it, in a log of their own (audit-sandbox.log): never taken for production ones.
      expect(a).toMatchObject({ mode: 'endpoint', endpoint: sandbox.endpoint });
      expect(key(a.before)).toEqual(key(before.statuses));
      expect(key(a.requested)).toEqual(key(report.requested));
    }
    expect(audit[0]!.after).toBeNull();
    expect(key(audit[1]!.after)).toEqual(key(report.requested));
  });

  it('asks for the service name in a terminal: a wrong name cancels (exit 2), the right one rolls back (exit 0)', async () => {
    const before = await served(clients, 'netra-auth');
    const auditPath = join(home, 'audit', 'rollbacks.log');
    const ask = async (typed: string): Promise<{ code: number; screen: string }> => {
      const term = new TmuxTerminal();
      try {
        await term.start([NODE, CLI, 'rollback', '--service', 'netra-auth', '--gcp-endpoint', sandbox.endpoint, '--audit-log', auditPath], {
          cols: 150,
          rows: 20,
          cwd: home,
          env: terminalEnv(home),
        });
        await term.waitForText(`Type netra-auth to move 100% of its traffic to ${nth(before.names, 4)}:`);
        await term.type(typed);
        await term.send('Enter');
        const code = await term.waitForExit(30_000);
        return { code, screen: await term.screen() };
      } finally {
        await term.close();
      }
    };

    const cancelled = await ask('netra-aut');
    expect(cancelled.code, cancelled.screen).toBe(2);
    expect(cancelled.screen).toContain('✘ netra-auth: cancelled: the typed name did not match');
    expect((await served(clients, 'netra-auth')).etag).toBe(before.etag);
    expect(auditLines(auditPath).map((a) => a.result)).toEqual(['cancelled']);

    const confirmed = await ask('netra-auth');
    expect(confirmed.code, confirmed.screen).toBe(0);
    expect(confirmed.screen).toContain(`✔ netra-auth rolled back to ${nth(before.names, 4)} and verified in`);
    expect(mode(auditPath)).toBe(0o600);
    expect(auditLines(auditPath).map((a) => a.result)).toEqual(['cancelled', 'confirmed', 'succeeded']);
    expect(existsSync(defaultAudit())).toBe(false);
  });
});

describe('refusals and dry runs against a sandbox in another process (nothing changes)', () => {
  let sandbox: SandboxProcess;
  let clients: SandboxClients;
  let etags: Record<string, string>;

  beforeAll(async () => {
    sandbox = await sandboxProcess();
    clients = sandboxClients({ port: sandbox.port });
    etags = {};
    for (const s of ['netra-auth', 'netra-backend-staging', 'netra-frontend-staging']) etags[s] = (await served(clients, s)).etag;
  });

  afterAll(async () => {
    await clients?.close();
    await sandbox?.stop();
  });

  afterEach(async () => {
    // Nothing was sent: every service keeps its etag, and nothing was audited.
    for (const [s, etag] of Object.entries(etags)) expect((await served(clients, s)).etag, s).toBe(etag);
    expect(existsSync(defaultAudit())).toBe(false);
  });

  const refused = async (args: string[]): Promise<string> => {
    const run = await runCli(['rollback', ...args, '--gcp-endpoint', sandbox.endpoint]);
    expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(2);
    expect(run.stdout).toBe('');
    return oneLine(run.stderr);
  };

  it('exit 2: an unknown service', async () => {
    expect(await refused(['--service', 'netra-nope', '--yes'])).toBe(
      'netra-console: unknown service "netra-nope" in netra-staging (us-central1): check --service',
    );
  });

  it('exit 2: an unknown revision with --to, by name or by number, listing the revisions there are', async () => {
    const listed = [...(await served(clients, 'netra-auth')).names].reverse().join(', ');
    expect(await refused(['--service', 'netra-auth', '--to', 'netra-auth-00099-zzz', '--yes'])).toBe(
      `netra-console: netra-auth has no revision netra-auth-00099-zzz (its revisions: ${listed}); nothing changed`,
    );
    expect(await refused(['--service', 'netra-auth', '--to', '00099', '--yes'])).toBe(
      `netra-console: netra-auth has no revision 00099 (its revisions: ${listed}); nothing changed`,
    );
  });

  it('--to takes the revision number the console shows (00017, or 17)', async () => {
    const seventeen = nth((await served(clients, 'netra-backend-staging')).names, 17);
    for (const to of ['00017', '17']) {
      const run = await runCli(['rollback', '--service', 'netra-backend-staging', '--to', to, '--dry-run', '--gcp-endpoint', sandbox.endpoint]);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toBe(`(dry run) netra-backend-staging would move 100% of its traffic to ${seventeen}; nothing changed\n`);
    }
  });

  it('exit 2: a target that is not Ready (the backend’s failed newest revision)', async () => {
    const failed = nth((await served(clients, 'netra-backend-staging')).names, 25);
    const line = await refused(['--service', 'netra-backend-staging', '--to', failed, '--yes']);
    expect(line).toMatch(new RegExp(`^netra-console: revision ${failed} is not Ready \\(failed\\): The user-provided container failed to start .*; nothing changed$`));
    expect(line).not.toContain('Logs URL');
  });

  it('exit 2: no --yes and no terminal to ask', async () => {
    expect(await refused(['--service', 'netra-auth', '--previous'])).toBe(
      'netra-console: refusing to change traffic without a confirmation: no terminal to ask, so add --yes (or try --dry-run first)',
    );
  });

  it('exit 2: --read-only', async () => {
    expect(await refused(['--service', 'netra-auth', '--yes', '--read-only'])).toBe(
      'netra-console: this console is read-only (--read-only or readOnly: true): rollback refused, nothing changed',
    );
  });

  it('--dry-run prints the change and sends nothing', async () => {
    const auth = await served(clients, 'netra-auth');
    const run = await runCli(['rollback', '--service', 'netra-auth', '--dry-run', '--gcp-endpoint', sandbox.endpoint]);
    expect(run.code, run.stderr).toBe(0);
    const target = nth(auth.names, 4);
    const canary = nth(auth.names, 5);
    expect(run.stderr).toBe(`netra-auth: ${nth(auth.names, 6)} 90%, ${canary} 10% (canary)  →  ${target} 100%, ${canary} 0% (canary)\n`);
    expect(run.stdout).toBe(`(dry run) netra-auth would move 100% of its traffic to ${target}; nothing changed\n`);

    const all = await runCli(['rollback', '--all', '--to-regular', '--dry-run', '--json', '--gcp-endpoint', sandbox.endpoint]);
    expect(all.code, all.stderr).toBe(0);
    const doc = JSON.parse(all.stdout) as { results: Array<{ service: string; result: string; target: string; after: unknown }> };
    expect(doc.results.map((r) => `${r.service} ${r.result}`)).toEqual([
      'netra-frontend-staging dry-run',
      'netra-auth dry-run',
      'netra-backend-staging dry-run',
    ]);
    expect(doc.results[1]!.target).toBe(canary);
    for (const r of doc.results) expect(r.after).toBeNull();
    expect(key((await served(clients, 'netra-auth')).statuses)).toEqual(key(auth.statuses));
  });
});

describe('rollback with faults, and with nothing to do (sandbox in this process, CLI in another)', () => {
  let sandbox: Sandbox;
  let clients: SandboxClients;

  beforeEach(async () => {
    sandbox = await startSandbox({ logRatePerSecond: 0 });
    clients = sandboxClients(sandbox);
  });

  afterEach(async () => {
    await clients?.close();
    await sandbox?.stop();
  });

  it('exit 1: the operation fails; the output says so and what is served now', async () => {
    const before = await served(clients, 'netra-auth');
    sandbox.faults.failNextOperation('Quota exceeded for revisions of netra-auth.');
    const run = await runCli(['rollback', '--service', 'netra-auth', '--yes', '--gcp-endpoint', sandbox.endpoint]);
    expect(run.code, run.stderr).toBe(1);
    const six = nth(before.names, 6);
    const five = nth(before.names, 5);
    expect(run.stdout).toBe(
      `✘ netra-auth: the update failed: Quota exceeded for revisions of netra-auth. — serving now: ${six} 90%, ${five} 10% (canary)\n`,
    );
    expect(key((await served(clients, 'netra-auth')).statuses)).toEqual(key(before.statuses));
    const audit = auditLines();
    expect(audit.map((a) => a.result)).toEqual(['confirmed', 'failed']);
    expect(audit[1]!.error).toBe('the update failed: Quota exceeded for revisions of netra-auth.');
    expect(key(audit[1]!.after)).toEqual(key(before.statuses));
    expect(mode(defaultAudit())).toBe(0o600);
  });

  it('exit 4: the operation does not finish within --timeout: timed-out, naming the operation, and the change still applies later', async () => {
    const before = await served(clients, 'netra-auth');
    sandbox.faults.slowOperations(4_000);
    const run = await runCli(['rollback', '--service', 'netra-auth', '--yes', '--json', '--timeout', '1', '--gcp-endpoint', sandbox.endpoint]);
    expect(run.code, run.stderr).toBe(4);
    const report = JSON.parse(run.stdout) as { result: string; error: string; after: Traffic[]; requested: Traffic[] };
    expect(report.result).toBe('timed-out');
    expect(report.error).toMatch(/^timed out after 1s waiting for operation projects\/netra-staging\/locations\/us-central1\/operations\/\S+; the change may still be applied$/);
    // Read again after the timeout: still the old traffic, as it is now.
    expect(key(report.after)).toEqual(key(before.statuses));
    const audit = auditLines();
    expect(audit.map((a) => a.result)).toEqual(['confirmed', 'timed-out']);
    expect(audit[1]!.error).toBe(report.error);
    // Not a failure: Cloud Run applies it once the operation ends.
    await waitFor(async () => JSON.stringify(key((await served(clients, 'netra-auth')).statuses)) === JSON.stringify(key(report.requested)), {
      what: 'the timed-out change to apply',
      intervalMs: 100,
      timeoutMs: 20_000,
    });
  });

  it('exit 4 in text: one line saying timed-out, the operation, that the change may still apply, and what serves now', async () => {
    const before = await served(clients, 'netra-auth');
    sandbox.faults.slowOperations(60_000);
    const run = await runCli(['rollback', '--service', 'netra-auth', '--yes', '--timeout', '1', '--gcp-endpoint', sandbox.endpoint]);
    expect(run.code, run.stderr).toBe(4);
    const six = nth(before.names, 6);
    const five = nth(before.names, 5);
    expect(oneLine(run.stdout)).toMatch(
      new RegExp(`^⧗ netra-auth: timed out after 1s waiting for operation \\S+; the change may still be applied — serving now: ${six} 90%, ${five} 10% \\(canary\\)$`),
    );
  });

  it('exit 2, nothing sent: the audit log cannot be written (XDG_STATE_HOME=/dev/null)', async () => {
    const run = await runCli(['rollback', '--service', 'netra-auth', '--yes', '--gcp-endpoint', sandbox.endpoint], 30_000, { XDG_STATE_HOME: '/dev/null' });
    expect(run.code, run.stderr).toBe(2);
    expect(run.stdout).toBe('');
    expect(oneLine(run.stderr)).toMatch(/^netra-console: cannot write the audit log \/dev\/null\/netra-console\/audit-sandbox\.log: ENOTDIR/);
    expect(sandbox.calls('UpdateService')).toBe(0);
  });

  it('exit 2, nothing sent: a symlinked audit log is refused, its target untouched', async () => {
    const target = join(home, 'precious.txt');
    writeFileSync(target, 'keep\n');
    const link = join(home, 'audit.log');
    symlinkSync(target, link);
    const run = await runCli(['rollback', '--service', 'netra-auth', '--yes', '--audit-log', link, '--gcp-endpoint', sandbox.endpoint]);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stdout).toBe('');
    expect(oneLine(run.stderr)).toBe(`netra-console: cannot write the audit log ${link}: it is a symbolic link; refusing to follow it`);
    expect(readFileSync(target, 'utf8')).toBe('keep\n');
    expect(sandbox.calls('UpdateService')).toBe(0);
  });

  it('exit 2, nothing sent: an audit directory anyone may write to', async () => {
    const dir = join(home, 'shared');
    mkdirSync(dir, { mode: 0o777 });
    // mkdir's mode is cut by the umask.
    chmodSync(dir, 0o777);
    const run = await runCli(['rollback', '--service', 'netra-auth', '--yes', '--audit-log', join(dir, 'audit.log'), '--gcp-endpoint', sandbox.endpoint]);
    expect(run.code, run.stderr).toBe(2);
    expect(oneLine(run.stderr)).toContain(`its directory ${dir} is writable by everyone (mode 0777); run chmod o-w ${dir}`);
    expect(sandbox.calls('UpdateService')).toBe(0);
  });

  it('the audit directory disappears mid-operation: the outcome is still printed, with a line saying it is not on record', async () => {
    sandbox.faults.slowOperations(2_000);
    const running = startCli(['rollback', '--service', 'netra-auth', '--yes', '--gcp-endpoint', sandbox.endpoint], { cwd: home });
    await waitFor(() => sandbox.calls('UpdateService') >= 1, { what: 'the update', intervalMs: 5, timeoutMs: 20_000 });
    // The directory goes, and a file takes its place so that it cannot be made again.
    const dir = join(stateHome(), 'netra-console');
    rmSync(dir, { recursive: true, force: true });
    writeFileSync(dir, '');
    const run = await running.done;
    expect(run.code, run.stderr).toBe(0);
    expect(oneLine(run.stdout)).toMatch(/^✔ netra-auth rolled back to \S+ and verified in /);
    expect(run.stderr.split('\n').filter((l) => l.startsWith('netra-console:'))).toEqual([
      expect.stringMatching(new RegExp(`^netra-console: cannot write the audit log ${dir}/audit-sandbox\\.log: .*; the succeeded result below is not on record$`)),
    ]);
  });

  it('a Cloud Run endpoint that does not answer GetService is named in the message', async () => {
    sandbox.faults.unavailable(1, 'GetService');
    const run = await runCli(['rollback', '--service', 'netra-auth', '--yes', '--gcp-endpoint', sandbox.endpoint]);
    expect(run.code, run.stderr).toBe(1);
    expect(oneLine(run.stdout)).toMatch(new RegExp(`^✘ netra-auth: Cloud Run endpoint ${sandbox.endpoint.replace(/\./g, '\\.')} unreachable \\(`));
    expect(sandbox.calls('UpdateService')).toBe(0);
  });

  it('exit 3: a conflict (the service changed meanwhile); nothing changed', async () => {
    const before = await served(clients, 'netra-auth');
    sandbox.faults.abortNextUpdate();
    const run = await runCli(['rollback', '--service', 'netra-auth', '--previous', '--yes', '--audit-log', 'logs/audit.log', '--gcp-endpoint', sandbox.endpoint]);
    expect(run.code, run.stderr).toBe(3);
    expect(run.stdout).toMatch(/^✘ netra-auth: conflict, nothing changed: netra-auth was changed by someone else: .*Conflict for resource 'netra-auth'.* — serving now: /);
    const now = await served(clients, 'netra-auth');
    expect(key(now.statuses)).toEqual(key(before.statuses));
    expect(key(now.traffic)).toEqual(key(before.traffic));
    // --audit-log is relative to the working directory.
    const auditPath = join(home, 'logs', 'audit.log');
    expect(mode(auditPath)).toBe(0o600);
    expect(auditLines(auditPath).map((a) => a.result)).toEqual(['confirmed', 'conflicted']);
    expect(auditLines(auditPath)[1]!.error).toContain('was changed by someone else');
  });

  it('--all stops at a failure in the middle (exit 1) and says which services changed and which did not', async () => {
    const before = {
      frontend: await served(clients, 'netra-frontend-staging'),
      auth: await served(clients, 'netra-auth'),
      backend: await served(clients, 'netra-backend-staging'),
    };
    const running = runCli(['rollback', '--all', '--yes', '--gcp-endpoint', sandbox.endpoint]);
    // Frontend goes first; once its update is in, the next operation (auth's) is set to fail.
    await waitFor(() => sandbox.calls('UpdateService') >= 1, { what: 'the frontend update', intervalMs: 5, timeoutMs: 20_000 });
    sandbox.faults.failNextOperation('Revision limit reached.');
    const run = await running;
    expect(run.code, run.stderr).toBe(1);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(new RegExp(`^✔ netra-frontend-staging rolled back to ${nth(before.frontend.names, 4)} and verified in [\\d.]+s — serving now: ${nth(before.frontend.names, 4)} 100%$`));
    expect(lines[1]).toMatch(/^✘ netra-auth: the update failed: Revision limit reached\. — serving now: /);
    expect(lines[2]).toBe('- netra-backend-staging: not attempted (stopped after the failure above); unchanged');

    expect(key((await served(clients, 'netra-frontend-staging')).statuses)).toEqual([`${nth(before.frontend.names, 4)} 100 `]);
    expect(key((await served(clients, 'netra-auth')).statuses)).toEqual(key(before.auth.statuses));
    expect((await served(clients, 'netra-backend-staging')).etag).toBe(before.backend.etag);
    expect(sandbox.calls('UpdateService')).toBe(2);

    const audit = auditLines().map((a) => `${a.service} ${a.action} ${a.result}`);
    expect(audit).toEqual([
      'netra-frontend-staging rollback-previous confirmed',
      'netra-frontend-staging rollback-previous succeeded',
      'netra-auth rollback-previous confirmed',
      'netra-auth rollback-previous failed',
    ]);
    expect(mode(defaultAudit())).toBe(0o600);
  });

  // Rollbacks with nothing to do.
  it('exit 0: --to the revision already serving 100 % sends nothing, asks nothing and audits `unchanged`', async () => {
    const before = await served(clients, 'netra-backend-staging');
    const serving = nth(before.names, 24);
    expect(key(before.statuses)).toEqual([`${serving} 100 `, `${nth(before.names, 17)} 0 stable`].sort());
    const run = await runCli(['rollback', '--service', 'netra-backend-staging', '--to', '00024', '--yes', '--gcp-endpoint', sandbox.endpoint]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe(`= netra-backend-staging already serving ${serving}; nothing to do\n`);
    expect(run.stderr).toBe('');
    expect(sandbox.calls('UpdateService')).toBe(0);
    expect((await served(clients, 'netra-backend-staging')).etag).toBe(before.etag);
    const [line, ...rest] = auditLines();
    expect(rest).toEqual([]);
    expect(line).toMatchObject({ service: 'netra-backend-staging', action: 'rollback-to-revision', result: 'unchanged', error: null });
    expect(key(line!.after)).toEqual(key(before.statuses));
  });

  it('--all --to-regular: a service with nothing to do is reported unchanged and the others proceed; run again, nothing is sent', async () => {
    // auth is put on its regular revision first, so it sits in the middle of the order with nothing to do.
    const first = await runCli(['rollback', '--service', 'netra-auth', '--to-regular', '--yes', '--gcp-endpoint', sandbox.endpoint]);
    expect(first.code, first.stderr).toBe(0);
    expect(sandbox.calls('UpdateService')).toBe(1);
    const names = {
      frontend: (await served(clients, 'netra-frontend-staging')).names,
      auth: (await served(clients, 'netra-auth')).names,
      backend: (await served(clients, 'netra-backend-staging')).names,
    };

    const all = await runCli(['rollback', '--all', '--to-regular', '--yes', '--json', '--gcp-endpoint', sandbox.endpoint]);
    expect(all.code, all.stderr).toBe(0);
    const doc = JSON.parse(all.stdout) as { results: Array<{ service: string; result: string; target: string }> };
    expect(doc.results.map((r) => `${r.service} ${r.result} ${r.target}`)).toEqual([
      `netra-frontend-staging succeeded ${nth(names.frontend, 3)}`,
      `netra-auth unchanged ${nth(names.auth, 5)}`,
      `netra-backend-staging succeeded ${nth(names.backend, 17)}`,
    ]);
    expect(sandbox.calls('UpdateService')).toBe(3);

    const etags = await Promise.all(['netra-frontend-staging', 'netra-auth', 'netra-backend-staging'].map(async (s) => (await served(clients, s)).etag));
    const again = await runCli(['rollback', '--all', '--to-regular', '--yes', '--gcp-endpoint', sandbox.endpoint]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toBe(
      [
        `= netra-frontend-staging already serving ${nth(names.frontend, 3)}; nothing to do`,
        `= netra-auth already serving ${nth(names.auth, 5)}; nothing to do`,
        `= netra-backend-staging already serving ${nth(names.backend, 17)}; nothing to do`,
        '',
      ].join('\n'),
    );
    expect(again.stdout).not.toContain('rolled back');
    expect(sandbox.calls('UpdateService')).toBe(3);
    const etagsAfter = await Promise.all(['netra-frontend-staging', 'netra-auth', 'netra-backend-staging'].map(async (s) => (await served(clients, s)).etag));
    expect(etagsAfter).toEqual(etags);

    expect(auditLines().map((a) => `${a.service} ${a.action} ${a.result}`)).toEqual([
      'netra-auth rollback-to-regular confirmed',
      'netra-auth rollback-to-regular succeeded',
      'netra-frontend-staging rollback-to-regular confirmed',
      'netra-frontend-staging rollback-to-regular succeeded',
      'netra-auth rollback-to-regular unchanged',
      'netra-backend-staging rollback-to-regular confirmed',
      'netra-backend-staging rollback-to-regular succeeded',
      'netra-frontend-staging rollback-to-regular unchanged',
      'netra-auth rollback-to-regular unchanged',
      'netra-backend-staging rollback-to-regular unchanged',
    ]);
  });
});
