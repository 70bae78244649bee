/**
 * The Cloud Run panel of the real CLI (dist/cli.js, built from src/ in beforeAll) in a real terminal (tmux):
 * against the in-process sandbox (no project configured), against a sandbox started here and passed with
 * --gcp-endpoint (so the test can switch on faults and change services through the official client), and
 * against an endpoint where nothing listens. Asserts on what a person sees; the Docker panels run against the
 * private test engine alongside.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index';
import { docker, FIXTURE_IMAGES, runContainer } from '../support/docker-engine';
import { buildCli, CLI, NODE } from '../support/cli-process';
import { providedEngine } from '../support/engine-context';
import { sandboxClients, type SandboxClients } from '../support/sandbox-clients';
import { frame, panelLines, terminalEnv, titleLine, TmuxTerminal } from '../support/tmux-terminal';
import { sleep } from '../support/wait';

const COLS = 150;
const ROWS = 40;
/** Start-up: Node, the first frame, then the Google clients load and the first read. */
const SLOW = 20_000;
const QUICK = 5_000;

const engine = providedEngine();
const suffix = String(Math.floor(Math.random() * 1e6)).padStart(6, '0');
const project = `e2c-${suffix}`;
const CONTAINER = `${project}-web`;

const CLOUD_RUN = '[3] Cloud Run';
const CONTAINERS = '[1] Containers';
const STATS = '[2] Stats';
const BACKEND = 'netra-backend-staging';
const AUTH = 'netra-auth';
const FRONTEND = 'netra-frontend-staging';
const SERVICES = [BACKEND, AUTH, FRONTEND];
const revisionsTitle = (service: string) => `[3] Cloud Run › ${service} revisions (Esc back)`;
const PERMISSION = 'run.services.list';

/**
 * A working directory with a config that scopes the Docker panels to this test's project and names the services,
 * so the panel lists them in the order the tests walk them (by default it lists the region's, in the API's order).
 */
async function consoleDir(moreCloudRunYaml = ''): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'e2e-cloudrun-'));
  const cloudRun = `cloudRun:\n  services: [${SERVICES.join(', ')}]\n${moreCloudRunYaml}`;
  await writeFile(join(dir, '.netra-console.yaml'), `docker:\n  projects: [${JSON.stringify(project)}]\n${cloudRun}`);
  return dir;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** `3/25` at the right end of a panel's title line: the selected row and the number of rows. */
function position(screen: string, title: string): string | undefined {
  return / (\d+\/\d+) [│║]\s*$/.exec(titleLine(screen, title))?.[1];
}

/** The SGR parameters in force at the first occurrence of `text` in an attributed line (`capture-pane -e`). */
function sgrBefore(attributedLine: string, text: string): string[] {
  const at = attributedLine.indexOf(text);
  if (at < 0) return [];
  return ([...attributedLine.slice(0, at).matchAll(/\x1b\[([\d;]*)m/g)].at(-1)?.[1] ?? '').split(';');
}

function shortName(resource: string | null | undefined): string {
  return (resource ?? '').split('/').at(-1) ?? '';
}

type Cells = Record<string, string>;

/**
 * The Cloud Run panel: its column header, the service rows as cells (every column is left-aligned, so each cell
 * starts under its title) and the line at its bottom. Undefined while the panel shows a message instead.
 */
function cloudRunPanel(screen: string): { rows: Cells[]; bottom: string; lines: string[] } | undefined {
  const lines = panelLines(screen, CLOUD_RUN);
  const header = lines[0] ?? '';
  if (!header.startsWith('SERVICE ')) return undefined;
  const titles = ['SERVICE', 'READY', 'LATEST READY', 'LATEST CREATED', 'SERVING (TRAFFIC)', 'STATE'].filter((t) => header.includes(t));
  const starts = titles.map((t) => header.indexOf(t));
  const rows = lines
    .slice(1)
    .filter((l) => SERVICES.some((s) => l.startsWith(`${s} `)))
    .map((l) => Object.fromEntries(titles.map((t, i) => [t, l.slice(starts[i], starts[i + 1]).trim()])));
  const bottom = lines.filter((l) => l.trim() !== '').at(-1)?.trimEnd() ?? '';
  return { rows, bottom, lines };
}

function serviceRow(screen: string, service: string): Cells | undefined {
  return cloudRunPanel(screen)?.rows.find((r) => r.SERVICE === service);
}

function servicesShown(screen: string): string[] {
  return (cloudRunPanel(screen)?.rows ?? []).map((r) => r.SERVICE!);
}

/** The rows of the revisions view as cells; no cell contains a space, TAGS may be empty. */
function revisionRows(screen: string, service: string): Cells[] {
  const lines = panelLines(screen, revisionsTitle(service));
  const header = (lines[0] ?? '').trim().split(/\s+/);
  return lines
    .slice(1)
    .filter((l) => new RegExp(`^${service}-\\d{5}-[a-z0-9]+ `).test(l))
    .map((l) => {
      const cells = l.trim().split(/\s+/);
      return Object.fromEntries(header.map((h, i) => [h, cells[i] ?? '']));
    });
}

/** A message a panel shows instead of its rows, wrapped over several lines: joined back into one. */
function panelMessage(screen: string, title: string): string {
  const lines = panelLines(screen, title);
  const end = lines.findIndex((l) => l.trim() === '');
  return (end < 0 ? lines : lines.slice(0, end)).map((l) => l.trim()).join(' ');
}

let sandbox: Sandbox;
let clients: SandboxClients;

beforeAll(async () => {
  await buildCli();
  // operationPolls 0: an update completes at the first GetOperation (or 10 s later by itself).
  sandbox = await startSandbox({ operationPolls: 0, logRatePerSecond: 1 });
  clients = sandboxClients(sandbox);
  await docker(engine, ['rm', '-f', '-v', CONTAINER]);
  await runContainer(engine, {
    name: CONTAINER, image: FIXTURE_IMAGES.alpine, cmd: ['sh', '-c', 'while :; do sleep 1; done'], project, service: 'web',
    health: { cmd: 'true', interval: '1s' }, extraArgs: ['--stop-timeout', '1'],
  });
});

afterAll(async () => {
  await clients?.close();
  await sandbox?.stop();
  await docker(engine, ['rm', '-f', '-v', CONTAINER]);
});

describe('the Cloud Run panel against the in-process sandbox (no project configured)', () => {
  const term = new TmuxTerminal();
  let cwd = '';

  beforeAll(async () => {
    cwd = await consoleDir();
  });

  afterAll(async () => {
    await term.close();
    if (cwd) await rm(cwd, { recursive: true, force: true });
  });

  it('shows the three services: ready, latest ready vs created, traffic, and the failed newest revision flagged', async () => {
    // Time from launching the CLI to the Cloud Run data on screen, polled every 25 ms (logged, not asserted).
    const started = Date.now();
    await term.start([NODE, CLI], { cols: COLS, rows: ROWS, cwd, env: terminalEnv(cwd, { DOCKER_HOST: engine.host }) });
    let firstFrameMs: number | null = null;
    let screen = '';
    for (;;) {
      screen = await term.screen();
      if (firstFrameMs === null && screen.includes(' netra-console ')) firstFrameMs = Date.now() - started;
      if (servicesShown(screen).length === 3) break;
      if (Date.now() - started > SLOW) throw new Error(`no Cloud Run data after ${SLOW} ms; last screen:\n${frame(screen)}`);
      await sleep(25);
    }
    const dataMs = Date.now() - started;
    console.log(`time to first frame: ${firstFrameMs} ms`);
    console.log(`time to Cloud Run data on screen: ${dataMs} ms (in-process sandbox, ${COLS}×${ROWS} tmux, from launching the CLI)`);

    // The sandbox says so: a yellow SANDBOX badge after the name, and in the panel title.
    const attributed = (await term.screenWithAttributes()).split('\n');
    expect(screen.split('\n')[0]!.startsWith(' netra-console  SANDBOX  alerts: '), frame(screen)).toBe(true);
    expect(sgrBefore(attributed[0]!, ' SANDBOX '), 'SANDBOX badge in yellow').toContain('33');
    expect(titleLine(screen, CLOUD_RUN)).toMatch(/\[3\] Cloud Run netra-staging us-central1 SANDBOX +1\/3 │$/);

    // The services in the configured order, each with its readiness, revisions and the traffic served.
    const panel = cloudRunPanel(screen)!;
    expect(panel.lines[0]).toMatch(/^SERVICE +READY +LATEST READY +LATEST CREATED +SERVING \(TRAFFIC\) +STATE/);
    expect(servicesShown(screen)).toEqual(SERVICES);
    expect(serviceRow(screen, BACKEND)).toMatchObject({ READY: 'no', 'SERVING (TRAFFIC)': '00024 100%, 00017 0% (stable)', STATE: 'steady' });
    expect(serviceRow(screen, BACKEND)!['LATEST READY']).toMatch(/^netra-backend-staging-00024-[a-z0-9]+$/);
    expect(serviceRow(screen, BACKEND)!['LATEST CREATED']).toMatch(/^netra-backend-staging-00025-[a-z0-9]+$/);
    expect(serviceRow(screen, AUTH)).toMatchObject({ READY: 'yes', 'SERVING (TRAFFIC)': '00006 90%, 00005 10% (canary)', STATE: 'steady' });
    expect(serviceRow(screen, AUTH)!['LATEST READY']).toMatch(/^netra-auth-00006-[a-z0-9]+$/);
    expect(serviceRow(screen, AUTH)!['LATEST CREATED']).toBe(serviceRow(screen, AUTH)!['LATEST READY']);
    expect(serviceRow(screen, FRONTEND)).toMatchObject({ READY: 'yes', 'SERVING (TRAFFIC)': 'LATEST(00005) 100%', STATE: 'steady' });
    expect(serviceRow(screen, FRONTEND)!['LATEST CREATED']).toBe(serviceRow(screen, FRONTEND)!['LATEST READY']);

    // The selected service (the backend) is flagged at the bottom of the panel, in red, with the first line
    // of its condition only (Cloud Run's message goes on with a logs URL and troubleshooting links).
    const created = serviceRow(screen, BACKEND)!['LATEST CREATED']!;
    // That line is longer than the panel is wide: it is cut with an ellipsis.
    expect(panel.bottom).toMatch(
      new RegExp(`^${BACKEND}: Revision '${created}' is not ready and cannot serve traffic\\. The user-provided container failed to st.*…$`),
    );
    expect(panel.bottom).not.toContain('Logs URL');
    const bottomAttributed = attributed.find((l) => l.includes(`${BACKEND}: Revision '`))!;
    expect(sgrBefore(bottomAttributed, `${BACKEND}: Revision '`), 'flag line in red').toContain('31');
    // And the backend raises the top alert.
    expect(screen.split('\n')[1]).toMatch(new RegExp(`^▲ CRITICAL ${BACKEND} is not ready: Revision '${created}'`));

    // The Docker panels work alongside.
    screen = await term.waitForText((s) => panelLines(s, CONTAINERS).some((l) => l.startsWith(`${CONTAINER} `)), SLOW, 'the container row');
    expect(screen.split('\n')[0]).toContain('│ docker ● connected │');
  });

  it('q quits with exit code 0 and restores the terminal', async () => {
    await term.send('q');
    expect(await term.waitForExit(15_000)).toBe(0);
    expect(await term.screen()).not.toContain(CLOUD_RUN);
    expect(await term.terminalState()).toMatchObject({ alternateScreen: false, cursorVisible: true });
  });
});

describe('the Cloud Run panel against a sandbox at --gcp-endpoint', () => {
  const term = new TmuxTerminal();
  let cwd = '';
  /** The sandbox's view of a service, for the names it chose. */
  const names = (service: string) => {
    const s = sandbox.service(service)!;
    return { ready: shortName(s.latestReadyRevision), created: shortName(s.latestCreatedRevision) };
  };

  beforeAll(async () => {
    // No automatic refresh during the test: whatever changes on screen after the first read came from Ctrl-R
    // (or from the retries after an error).
    cwd = await consoleDir('  refreshSeconds: 3600\n');
  });

  afterAll(async () => {
    sandbox.faults.clear();
    await term.close();
    if (cwd) await rm(cwd, { recursive: true, force: true });
  });

  it('says what permission is missing before any data, retrying with backoff; after the fix, Ctrl-R loads the services at once', async () => {
    sandbox.faults.permissionDenied(PERMISSION, 'ListServices');
    await term.start([NODE, CLI, '--gcp-endpoint', sandbox.endpoint], { cols: COLS, rows: ROWS, cwd, env: terminalEnv(cwd, { DOCKER_HOST: engine.host }) });
    let screen = await term.waitForText((s) => /retrying in \d+s$/.test(panelMessage(s, CLOUD_RUN)), SLOW, 'the permission error');
    // Not the in-process sandbox: the badge names the endpoint; the title names the project, region and endpoint.
    expect(screen.split('\n')[0]!.startsWith(` netra-console  ENDPOINT ${sandbox.endpoint}  alerts: `), frame(screen)).toBe(true);
    expect(screen.split('\n')[0]).not.toContain('SANDBOX');
    expect(titleLine(screen, CLOUD_RUN)).toMatch(new RegExp(`\\[3\\] Cloud Run netra-staging us-central1 via ${escapeRegExp(sandbox.endpoint)} +│$`));
    expect(panelMessage(screen, CLOUD_RUN)).toMatch(
      new RegExp(`^missing permission ${escapeRegExp(PERMISSION)} on project netra-staging: ask for roles/run\\.viewer .*— retrying in \\d+s$`),
    );
    expect(sandbox.calls('ListServices')).toBeGreaterThan(0);

    // The retries back off (1 s, 2 s, 4 s, …): wait until the next one is at least 4 s away, so that data within
    // the next 2 s can only come from Ctrl-R (the countdown is redrawn once a second, so it may be 1 s behind).
    screen = await term.waitForText((s) => Number(/retrying in (\d+)s$/.exec(panelMessage(s, CLOUD_RUN))?.[1]) >= 4, 10_000, 'a retry 4 s away');
    const retryIn = Number(/retrying in (\d+)s$/.exec(panelMessage(screen, CLOUD_RUN))![1]);
    sandbox.faults.clear();
    await term.send('C-r');
    screen = await term.waitForText((s) => servicesShown(s).length === 3, (retryIn - 2) * 1000, 'the services right after Ctrl-R');
    for (const service of SERVICES) {
      expect(serviceRow(screen, service), service).toMatchObject({ 'LATEST READY': names(service).ready, 'LATEST CREATED': names(service).created });
    }
    expect(serviceRow(screen, BACKEND)).toMatchObject({ READY: 'no', 'SERVING (TRAFFIC)': '00024 100%, 00017 0% (stable)' });
    expect(serviceRow(screen, AUTH)).toMatchObject({ READY: 'yes', 'SERVING (TRAFFIC)': '00006 90%, 00005 10% (canary)' });
    expect(serviceRow(screen, FRONTEND)).toMatchObject({ READY: 'yes', 'SERVING (TRAFFIC)': 'LATEST(00005) 100%' });
    expect(cloudRunPanel(screen)!.bottom).toMatch(new RegExp(`^${BACKEND}: Revision '${names(BACKEND).created}' is not ready`));
  });

  it('Ctrl-R with data on screen: an error shows as a stale line over the last data; after the fix the data is fresh', async () => {
    await term.send('3', 'j');
    await term.waitForText((s) => position(s, CLOUD_RUN) === '2/3', QUICK, 'netra-auth selected');
    const calls = sandbox.calls('ListServices');
    sandbox.faults.permissionDenied(PERMISSION, 'ListServices');
    await term.send('C-r');
    let screen = await term.waitForText((s) => cloudRunPanel(s)?.bottom.startsWith('stale: ') ?? false, QUICK, 'the stale line');
    expect(sandbox.calls('ListServices')).toBeGreaterThan(calls);
    expect(cloudRunPanel(screen)!.bottom).toMatch(new RegExp(`^stale: missing permission ${escapeRegExp(PERMISSION)} on project netra-staging: ask for roles/run\\.viewer`));
    // The last data stays on screen.
    expect(servicesShown(screen)).toEqual(SERVICES);
    expect(serviceRow(screen, AUTH)).toMatchObject({ 'SERVING (TRAFFIC)': '00006 90%, 00005 10% (canary)' });

    sandbox.faults.clear();
    await term.send('C-r');
    screen = await term.waitForText((s) => /updated \d+s ago · Enter revisions · Ctrl-R refresh/.test(cloudRunPanel(s)?.bottom ?? ''), SLOW, 'fresh data');
    expect(screen).not.toContain('stale:');
    expect(servicesShown(screen)).toEqual(SERVICES);
  });

  it('Ctrl-R shows a traffic change made through the official client: reconciling, then the new split', async () => {
    const [before] = await clients.services.getService({ name: sandbox.service(AUTH)!.name! });
    const [alpine, regular] = (before.traffic ?? []).map((t) => t.revision ?? '');
    const [operation] = await clients.services.updateService({
      service: {
        name: before.name,
        etag: before.etag,
        traffic: [
          { type: 'TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION', revision: alpine, percent: 50 },
          { type: 'TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION', revision: regular, percent: 50, tag: 'canary' },
        ],
      },
      updateMask: { paths: ['traffic'] },
    });
    // Nobody has polled the operation yet: Cloud Run is still reconciling and serves the old split.
    await term.send('C-r');
    let screen = await term.waitForText((s) => serviceRow(s, AUTH)?.STATE === 'reconciling', QUICK, 'netra-auth reconciling');
    expect(serviceRow(screen, AUTH)).toMatchObject({ 'SERVING (TRAFFIC)': '00006 90%, 00005 10% (canary)' });

    await operation.promise();
    await term.send('C-r');
    screen = await term.waitForText((s) => serviceRow(s, AUTH)?.STATE === 'steady', QUICK, 'netra-auth steady again');
    expect(serviceRow(screen, AUTH)).toMatchObject({ READY: 'yes', 'SERVING (TRAFFIC)': '00006 50%, 00005 50% (canary)' });

    // The revisions view agrees.
    await term.send('Enter');
    screen = await term.waitForText(revisionsTitle(AUTH), QUICK);
    const rows = revisionRows(screen, AUTH);
    expect(rows.slice(0, 2)).toMatchObject([
      { TRAFFIC: '50%', TAGS: '' },
      { TRAFFIC: '50%', TAGS: 'canary' },
    ]);
    await term.send('Escape');
    await term.waitForText(CONTAINERS, QUICK);
  });

  it('q quits with exit code 0', async () => {
    await term.send('q');
    expect(await term.waitForExit(15_000)).toBe(0);
    expect(await term.terminalState()).toMatchObject({ alternateScreen: false, cursorVisible: true });
  });
});

describe('the Cloud Run panel with nothing listening at --gcp-endpoint', () => {
  const term = new TmuxTerminal();
  let cwd = '';

  afterAll(async () => {
    await term.close();
    if (cwd) await rm(cwd, { recursive: true, force: true });
  });

  it('says the endpoint is unreachable and retries, while the Docker panels keep working', async () => {
    cwd = await consoleDir();
    await term.start([NODE, CLI, '--gcp-endpoint', '127.0.0.1:1'], { cols: COLS, rows: ROWS, cwd, env: terminalEnv(cwd, { DOCKER_HOST: engine.host }) });
    const unreachable = /^Cloud Run endpoint 127\.0\.0\.1:1 unreachable \(.+\) — retrying in (\d+)s$/;
    let screen = await term.waitForText((s) => unreachable.test(panelMessage(s, CLOUD_RUN)), SLOW, 'the unreachable message');
    expect(titleLine(screen, CLOUD_RUN)).toMatch(/\[3\] Cloud Run netra-staging us-central1 via 127\.0\.0\.1:1 +│$/);
    expect(screen.split('\n')[0]).not.toContain('SANDBOX');
    expect(screen.split('\n')[0]).toContain(' ENDPOINT 127.0.0.1:1 ');

    // Docker is unaffected: the container, its health and its stats.
    screen = await term.waitForText(
      (s) =>
        panelLines(s, CONTAINERS).some((l) => l.startsWith(`${CONTAINER} `) && /\brunning\s+healthy\b/.test(l)) &&
        panelLines(s, STATS).some((l) => l.startsWith(`${CONTAINER} `)),
      SLOW,
      'the container healthy and its stats',
    );
    expect(screen.split('\n')[0]).toMatch(/│ docker ● connected │ 1 containers?: 1 healthy/);
    // Still retrying, backing off: after the second failure the next attempt is 2 s or more away.
    screen = await term.waitForText((s) => Number(unreachable.exec(panelMessage(s, CLOUD_RUN))?.[1]) >= 2, 10_000, 'a retry 2 s or more away');
    expect(panelLines(screen, CONTAINERS).some((l) => l.startsWith(`${CONTAINER} `))).toBe(true);
    expect(await term.isAlive()).toBe(true);

    await term.send('q');
    expect(await term.waitForExit(15_000)).toBe(0);
  });
});

