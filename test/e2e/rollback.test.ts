/**
 * The emergency rollback in the real console (dist/cli.js, built in beforeAll) in a real terminal (tmux, 150×40),
 * against a Cloud Run sandbox started in this process (so the test can switch its faults on) and reached with
 * --gcp-endpoint, as with a sandbox in another terminal. Asserts on what a person sees, on the audit log, and on
 * what Cloud Run serves afterwards (read with the official client).
 */
import { existsSync, readFileSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index';
import { buildCli, CLI, NODE } from '../support/cli-process';
import { providedEngine } from '../support/engine-context';
import { sandboxClients, type SandboxClients } from '../support/sandbox-clients';
import { frame, panelLines, terminalEnv, titleLine, TmuxTerminal } from '../support/tmux-terminal';
import { sleep, waitFor } from '../support/wait';

const COLS = 150;
const ROWS = 40;
const CLOUD_RUN = '[3] Cloud Run';
const LOCATION = 'projects/netra-staging/locations/us-central1';
const SERVICES = ['netra-backend-staging', 'netra-auth', 'netra-frontend-staging'] as const;
type ServiceName = (typeof SERVICES)[number];

const engine = providedEngine();
let sandbox: Sandbox;
let clients: SandboxClients;
/** Revision short names per service, oldest first: names[service][n - 1] is revision n. */
const names = {} as Record<ServiceName, string[]>;
const rev = (service: ServiceName, n: number) => names[service][n - 1]!;
/** `00004` of `netra-auth-00004-p4l`, as the Cloud Run panel shows revisions. */
const num = (revision: string) => /-(\d{5})-/.exec(revision)![1]!;

beforeAll(async () => {
  await buildCli();
  sandbox = await startSandbox({ logRatePerSecond: 0 });
  clients = sandboxClients(sandbox);
  for (const service of SERVICES) {
    const [revisions] = await clients.revisions.listRevisions({ parent: `${LOCATION}/services/${service}` });
    names[service] = revisions.map((r) => (r.name ?? '').split('/').at(-1)!).sort();
  }
});

afterAll(async () => {
  await clients?.close();
  await sandbox?.stop();
});

async function servedBy(service: ServiceName) {
  const [s] = await clients.services.getService({ name: `${LOCATION}/services/${service}` });
  return {
    etag: s.etag ?? '',
    statuses: (s.trafficStatuses ?? []).map((t) => `${(t.revision ?? '').split('/').at(-1)} ${t.percent ?? 0}${t.tag ? ` ${t.tag}` : ''}`).sort(),
  };
}

async function startConsole(term: TmuxTerminal, home: string, extra: string[] = []): Promise<void> {
  // The services in the order the tests walk them (by default the panel lists the region's, in the API's order).
  writeFileSync(join(home, '.netra-console.yaml'), `cloudRun:\n  services: [${SERVICES.join(', ')}]\n`);
  await term.start([NODE, CLI, '--gcp-endpoint', sandbox.endpoint, '--docker-host', engine.host, ...extra], {
    cols: COLS,
    rows: ROWS,
    cwd: home,
    env: terminalEnv(home),
  });
}

/** The Cloud Run panel's row of a service. */
function serviceRow(screen: string, service: ServiceName): string {
  return panelLines(screen, CLOUD_RUN).find((l) => l.split(/\s+/)[0] === service) ?? '';
}

const lastLine = (screen: string) => screen.trimEnd().split('\n').at(-1) ?? '';

describe('rollback in the console', () => {
  const term = new TmuxTerminal();
  let home = '';
  let auditPath = '';

  beforeAll(async () => {
    home = realpathSync(await mkdtemp(join(tmpdir(), 'e2e-rollback-')));
    auditPath = join(home, 'state', 'netra-console', 'audit-sandbox.log');
    await startConsole(term, home);
  });

  afterAll(async () => {
    await term.close();
    if (home) await rm(home, { recursive: true, force: true });
  });

  const auditResults = () =>
    readFileSync(auditPath, 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => {
        const e = JSON.parse(l) as { service: string; result: string };
        return `${e.service} ${e.result}`;
      });

  it('3 focuses Cloud Run; r on netra-auth shows now/after traffic and the proposed target; j picks another; Esc cancels', async () => {
    await term.waitForText((s) => SERVICES.every((name) => serviceRow(s, name) !== ''), 30_000, 'the three Cloud Run services');
    await term.send('3', 'j');
    let screen = await term.waitForText((s) => titleLine(s, CLOUD_RUN).includes(' 2/3'), 5_000, 'netra-auth selected (2/3)');
    expect(serviceRow(screen, 'netra-auth')).toContain(`${num(rev('netra-auth', 6))} 90%, ${num(rev('netra-auth', 5))} 10% (canary)`);

    await term.send('r');
    screen = await term.waitForText('Roll back netra-auth', 5_000);
    expect(screen).toContain(`now:    ${rev('netra-auth', 6)} 90%, ${rev('netra-auth', 5)} 10% (canary)`);
    expect(screen).toContain(`after:  ${rev('netra-auth', 4)} 100%, ${rev('netra-auth', 5)} 0% (canary)`);
    expect(screen).toContain(`target: ${rev('netra-auth', 4)} · auth:v1.4 (regular) · Ready`);
    expect(screen).toContain(`› ${rev('netra-auth', 4)}`);
    expect(screen).toContain('Enter continue · Esc cancel (nothing is sent)');

    await term.send('j');
    screen = await term.waitForText(`› ${rev('netra-auth', 3)}`, 5_000);
    expect(screen).toContain(`after:  ${rev('netra-auth', 3)} 100%, ${rev('netra-auth', 5)} 0% (canary)`);
    expect(screen).toContain(`target: ${rev('netra-auth', 3)} ·`);

    await term.send('Escape');
    screen = await term.waitForNoText('Roll back netra-auth', 5_000);
    expect(screen).toContain(CLOUD_RUN);
  });

  it('a non-Ready target (the backend’s failed newest revision) is refused with its condition message', async () => {
    await term.send('k');
    await term.waitForText((s) => titleLine(s, CLOUD_RUN).includes(' 1/3'), 5_000, 'netra-backend-staging selected (1/3)');
    await term.send('r');
    let screen = await term.waitForText('Roll back netra-backend-staging', 5_000);
    expect(screen).toContain(`› ${rev('netra-backend-staging', 23)}`);
    await term.send('k', 'k');
    screen = await term.waitForText(`› ${rev('netra-backend-staging', 25)}`, 5_000);
    expect(screen).toContain(`✘ revision ${rev('netra-backend-staging', 25)} is not Ready (failed): The user-provided container failed to start`);
    expect(screen).not.toContain('Enter continue');
    // Enter does not go on to the confirmation.
    await term.send('Enter');
    // Nothing to wait for: the dialog must still be there after a moment.
    await sleep(300);
    screen = await term.screen();
    expect(screen).not.toContain('Confirm the change');
    expect(screen).toContain('is not Ready (failed)');
    await term.send('Escape');
    await term.waitForNoText('Roll back netra-backend-staging', 5_000);
  });

  it('Enter asks to type the name; a wrong name keeps the dialog; the right one rolls back, shows progress and the verified result', async () => {
    await term.send('j');
    await term.waitForText((s) => titleLine(s, CLOUD_RUN).includes(' 2/3'), 5_000, 'netra-auth selected (2/3)');
    await term.send('r');
    await term.waitForText('Roll back netra-auth', 5_000);
    await term.send('Enter');
    let screen = await term.waitForText('Type netra-auth and press Enter to apply; Esc cancels (nothing is sent):', 5_000);
    expect(screen).toContain('Confirm the change');
    expect(screen).toContain(`after:  ${rev('netra-auth', 4)} 100%, ${rev('netra-auth', 5)} 0% (canary)`);

    await term.type('netra-autx');
    await term.send('Enter');
    screen = await term.waitForText('type netra-auth exactly to confirm, or Esc to cancel', 5_000);
    expect(screen).toContain('Confirm the change');
    expect(screen).toContain('netra-autx█');
    expect((await servedBy('netra-auth')).statuses).toEqual([`${rev('netra-auth', 5)} 10 canary`, `${rev('netra-auth', 6)} 90`].sort());

    await term.send('BSpace');
    await term.type('h');
    await term.waitForText('netra-auth█', 5_000);
    const confirmedAt = Date.now();
    await term.send('Enter');
    screen = await term.waitForText('Rolling back — do not close the console', 10_000);
    expect(screen).toMatch(/◌ netra-auth: (checking the service has not changed|sending the traffic change|waiting for Cloud Run to apply it|verifying the served traffic)…/);
    screen = await term.waitForText(
      new RegExp(`✔ netra-auth rolled back to ${rev('netra-auth', 4)}, verified in \\d+\\.\\ds`),
      30_000,
      'the verified result',
    );
    const verifiedAt = Date.now();
    console.log(`time from confirmation to verified result: ${verifiedAt - confirmedAt} ms`);
    expect(screen).toContain('Done');
    expect((await servedBy('netra-auth')).statuses).toEqual([`${rev('netra-auth', 4)} 100`, `${rev('netra-auth', 5)} 0 canary`].sort());

    await term.send('Escape');
    await term.waitForNoText('Rolling back', 5_000);
    await term.send('C-r');
    screen = await term.waitForText(
      (s) => serviceRow(s, 'netra-auth').includes(`${num(rev('netra-auth', 4))} 100%, ${num(rev('netra-auth', 5))} 0% (canary)`),
      15_000,
      'the Cloud Run panel to show the new traffic of netra-auth',
    );
  });

  it('A shows the audit view with the cancelled, confirmed and succeeded attempts; the audit log is 0600', async () => {
    await term.send('A');
    const screen = await term.waitForText('Audit — this session (4)', 5_000);
    expect(screen).toContain(auditPath);
    const lines = screen.split('\n').filter((l) => /\d\d:\d\d:\d\d (cancelled|confirmed|succeeded|failed|conflicted)/.test(l));
    expect(lines.map((l) => /\d\d:\d\d:\d\d (\S+)\s+(\S+)/.exec(l)!.slice(1).join(' '))).toEqual([
      'cancelled netra-auth',
      'cancelled netra-backend-staging',
      'confirmed netra-auth',
      'succeeded netra-auth',
    ]);
    expect(lines[3]).toContain(`${rev('netra-auth', 6)} 90%, ${rev('netra-auth', 5)} 10% (canary) → ${rev('netra-auth', 4)} 100%`);
    expect(existsSync(auditPath)).toBe(true);
    expect(statSync(auditPath).mode & 0o777).toBe(0o600);
    expect(auditResults()).toEqual(['netra-auth cancelled', 'netra-backend-staging cancelled', 'netra-auth confirmed', 'netra-auth succeeded']);
    // The backend dialog was cancelled while its picked target was refused: recorded, with nothing requested.
    // The traffic before is shortened so that where it went (here nothing) stays visible.
    expect(lines[1]).toMatch(new RegExp(`netra-backend-staging rollback-to-revision: ${rev('netra-backend-staging', 24)} 100%, ${rev('netra-backend-staging', 17)} 0% \\(\\S*… → - ║$`));
    const backendLine = JSON.parse(readFileSync(auditPath, 'utf8').split('\n')[1]!) as Record<string, unknown>;
    expect(backendLine).toMatchObject({ service: 'netra-backend-staging', action: 'rollback-to-revision', result: 'cancelled', requested: null, after: null });
    // The console names actions as the CLI does: r proposes the previous revision, and it was taken.
    expect(JSON.parse(readFileSync(auditPath, 'utf8').split('\n')[2]!)).toMatchObject({ service: 'netra-auth', action: 'rollback-previous' });
    await term.send('A');
    await term.waitForNoText('Audit — this session', 5_000);
  });

  it('a conflict (someone changed the service meanwhile) shows the new state and asks to confirm again', async () => {
    await term.send('r');
    let screen = await term.waitForText('Roll back netra-auth', 5_000);
    expect(screen).toContain(`now:    ${rev('netra-auth', 4)} 100%, ${rev('netra-auth', 5)} 0% (canary)`);
    expect(screen).toContain(`› ${rev('netra-auth', 3)}`);
    await term.send('Enter');
    await term.waitForText('Type netra-auth and press Enter', 5_000);
    await term.type('netra-auth');
    sandbox.faults.abortNextUpdate();
    await term.send('Enter');
    screen = await term.waitForText('netra-auth changed meanwhile; it now serves', 15_000);
    expect(screen).toContain('Check and confirm again.');
    expect(screen).toContain('Confirm the change');
    expect(screen).toMatch(/Type netra-auth and press Enter to apply; Esc cancels \(nothing is sent\):\s*█/);
    expect((await servedBy('netra-auth')).statuses).toEqual([`${rev('netra-auth', 4)} 100`, `${rev('netra-auth', 5)} 0 canary`].sort());

    await term.type('netra-auth');
    await term.send('Enter');
    screen = await term.waitForText(new RegExp(`✔ netra-auth rolled back to ${rev('netra-auth', 3)}, verified in`), 30_000, 'the verified result');
    expect((await servedBy('netra-auth')).statuses).toEqual([`${rev('netra-auth', 3)} 100`, `${rev('netra-auth', 5)} 0 canary`].sort());
    await term.send('Escape');
    await term.send('C-r');
    await term.waitForText(
      (s) => serviceRow(s, 'netra-auth').includes(`${num(rev('netra-auth', 3))} 100%`),
      15_000,
      'the Cloud Run panel to show netra-auth on revision 3',
    );
    expect(auditResults().slice(4)).toEqual(['netra-auth confirmed', 'netra-auth conflicted', 'netra-auth confirmed', 'netra-auth succeeded']);
  });

  it('a pasted name with a newline is typed but does not confirm; Esc cancels; the audit view shows it', async () => {
    await term.send('r');
    await term.waitForText('Roll back netra-auth', 5_000);
    await term.send('Enter');
    await term.waitForText('Type netra-auth and press Enter', 5_000);
    await term.burst('netra-auth\r');
    const typed = await term.waitForText('netra-auth█', 5_000);
    expect(typed).toContain('Confirm the change');
    expect(typed).not.toContain('Rolling back');
    await term.send('Escape');
    await term.waitForNoText('Confirm the change', 5_000);
    await term.send('A');
    const screen = await term.waitForText('Audit — this session (9)', 5_000);
    const last = screen.split('\n').filter((l) => /\d\d:\d\d:\d\d \S/.test(l)).at(-1) ?? '';
    expect(last).toMatch(/\d\d:\d\d:\d\d cancelled\s+netra-auth rollback-previous:/);
    expect(auditResults().at(-1)).toBe('netra-auth cancelled');
    expect((await servedBy('netra-auth')).statuses).toEqual([`${rev('netra-auth', 3)} 100`, `${rev('netra-auth', 5)} 0 canary`].sort());
    await term.send('Escape');
    await term.waitForNoText('Audit — this session', 5_000);
  });

  it('R rolls back all services in order (frontend → auth → backend) and stops at a failure: the rest is not attempted', async () => {
    const backendBefore = await servedBy('netra-backend-staging');
    await term.send('R');
    let screen = await term.waitForText('Roll back 3 services, one at a time: netra-frontend-staging → netra-auth → netra-backend-staging', 5_000);
    const lines = screen.split('\n');
    const header = (name: string) => lines.findIndex((l) => new RegExp(`^\\s*║ ${name}\\s*║\\s*$`).test(l));
    expect(header('netra-frontend-staging'), frame(screen)).toBeGreaterThan(0);
    expect(header('netra-frontend-staging')).toBeLessThan(header('netra-auth'));
    expect(header('netra-auth')).toBeLessThan(header('netra-backend-staging'));
    expect(screen).toContain(`target: ${rev('netra-frontend-staging', 4)} ·`);
    expect(screen).toContain(`target: ${rev('netra-auth', 2)} ·`);
    expect(screen).toContain(`target: ${rev('netra-backend-staging', 23)} ·`);

    await term.send('Enter');
    await term.waitForText('Type all and press Enter to apply', 5_000);
    await term.type('all');
    const updates = sandbox.calls('UpdateService');
    await term.send('Enter');
    // Frontend goes first; once its update is in, the next operation (auth's) fails.
    await waitFor(() => sandbox.calls('UpdateService') > updates, { what: 'the frontend update', intervalMs: 5, timeoutMs: 20_000 });
    sandbox.faults.failNextOperation('Revision limit reached.');
    screen = await term.waitForText('Stopped', 30_000);
    expect(screen).toMatch(new RegExp(`✔ netra-frontend-staging rolled back to ${rev('netra-frontend-staging', 4)}, verified in \\d+\\.\\ds`));
    expect(screen).toContain('✘ netra-auth: the update failed: Revision limit reached.');
    expect(screen).toContain(`traffic now: ${rev('netra-auth', 3)} 100%, ${rev('netra-auth', 5)} 0% (canary)`);
    expect(screen).toContain('- netra-backend-staging: not attempted, unchanged');
    expect(await servedBy('netra-backend-staging')).toEqual(backendBefore);
    expect((await servedBy('netra-frontend-staging')).statuses).toEqual([`${rev('netra-frontend-staging', 4)} 100`]);
    expect(auditResults().slice(-4)).toEqual([
      'netra-frontend-staging confirmed',
      'netra-frontend-staging succeeded',
      'netra-auth confirmed',
      'netra-auth failed',
    ]);
    await term.send('Escape');
    await term.waitForNoText('Stopped', 5_000);
  });

  it('b on the backend picks its newest regular revision, the 9th of 25: the picker scrolls to it, and j/k keep it in view', async () => {
    const backend = 'netra-backend-staging';
    await term.send('k');
    await term.waitForText((s) => titleLine(s, CLOUD_RUN).includes(' 1/3'), 5_000, 'netra-backend-staging selected (1/3)');
    await term.send('b');
    let screen = await term.waitForText(`› ${rev(backend, 17)}`, 5_000);
    expect(screen).toContain(`target: ${rev(backend, 17)} ·`);
    expect(screen).toMatch(/↓ \d+ more/);
    // Down to revision 3, 14 rows further: the window follows.
    await term.send(...Array<string>(14).fill('j'));
    screen = await term.waitForText(`› ${rev(backend, 3)}`, 5_000);
    expect(screen).toMatch(/↑ \d+ more/);
    expect(screen).toContain(`target: ${rev(backend, 3)} ·`);
    await term.send('Escape');
    await term.waitForNoText(`Roll back ${backend}`, 5_000);
    expect(auditResults().at(-1)).toBe(`${backend} cancelled`);
  });

  it('picking the revision that already serves 100 % says there is nothing to do: no confirmation, nothing sent, audited unchanged', async () => {
    const backend = 'netra-backend-staging';
    const before = await servedBy(backend);
    const updates = sandbox.calls('UpdateService');
    await term.send('r');
    await term.waitForText(`› ${rev(backend, 23)}`, 5_000);
    await term.send('k');
    let screen = await term.waitForText(`already serving ${rev(backend, 24)}; nothing to do`, 5_000);
    expect(screen).toContain(`› ${rev(backend, 24)}`);
    expect(screen).toContain('Esc close (nothing to send)');
    expect(screen).not.toContain('Enter continue');
    expect(screen).not.toContain('after:');
    // Enter does not go on to a confirmation: the j after it still moves the picker.
    await term.send('Enter', 'j');
    screen = await term.waitForText(`› ${rev(backend, 23)}`, 5_000);
    expect(screen).not.toContain('Confirm the change');
    expect(screen).toContain('Enter continue');
    await term.send('k');
    await term.waitForText(`already serving ${rev(backend, 24)}; nothing to do`, 5_000);
    await term.send('Escape');
    await term.waitForNoText(`Roll back ${backend}`, 5_000);
    const last = JSON.parse(readFileSync(auditPath, 'utf8').trimEnd().split('\n').at(-1)!) as Record<string, unknown>;
    expect(last).toMatchObject({ service: backend, action: 'rollback-to-revision', result: 'unchanged', error: null });
    expect(sandbox.calls('UpdateService')).toBe(updates);
    expect(await servedBy(backend)).toEqual(before);
  });

  it('q quits with exit code 0', async () => {
    await term.send('q');
    expect(await term.waitForExit(15_000)).toBe(0);
    expect(await term.terminalState()).toMatchObject({ alternateScreen: false, cursorVisible: true });
  });
});

describe('rollback in a read-only console', () => {
  const term = new TmuxTerminal();
  let home = '';

  beforeAll(async () => {
    home = realpathSync(await mkdtemp(join(tmpdir(), 'e2e-rollback-ro-')));
    await startConsole(term, home, ['--read-only']);
  });

  afterAll(async () => {
    await term.close();
    if (home) await rm(home, { recursive: true, force: true });
  });

  it('shows no r/b/R in the footer or help, and refuses them', async () => {
    let screen = await term.waitForText((s) => serviceRow(s, 'netra-auth') !== '', 30_000, 'the Cloud Run services');
    const footer = lastLine(screen);
    expect(footer).toContain('READ-ONLY');
    expect(footer).toContain('A audit');
    expect(footer).not.toMatch(/\br rollback\b/);

    await term.send('?');
    screen = await term.waitForText('Keys — press ? or Esc to close', 5_000);
    expect(screen).toContain('Read-only console: rollback keys are off.');
    expect(screen).toContain('Audit view: the rollbacks, switches, builds, acks and silences of this session');
    expect(screen).not.toContain('Roll back');
    expect(screen).not.toMatch(/^\s*║\s*(r|b|R)\s{5,}/m);
    await term.send('?');
    await term.waitForNoText('Keys — press', 5_000);

    await term.send('3');
    for (const key of ['r', 'b', 'R']) {
      await term.send('j');
      await term.waitForText((s) => !lastLine(s).includes('read-only console'), 5_000, 'the footer back');
      await term.send(key);
      screen = await term.waitForText((s) => lastLine(s).includes('read-only console: rollback refused'), 5_000, `${key} refused`);
      expect(screen).not.toContain('Roll back');
      expect(screen).not.toContain('Confirm the change');
    }
    expect(existsSync(join(home, 'state', 'netra-console', 'audit.log'))).toBe(false);

    await term.send('q');
    expect(await term.waitForExit(15_000)).toBe(0);
  });
});
