/**
 * The real CLI (dist/cli.js, built from src/ in beforeAll) in a real pseudo-terminal (tmux), against the
 * private test engine: asserts on what a person would see on the screen and on how the terminal is left.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dockerOk, FIXTURE_IMAGES, removeAllContainers, runContainer } from '../support/docker-engine';
import { buildCli, CLI, NODE } from '../support/cli-process';
import { providedEngine } from '../support/engine-context';
import { frame, panelLines, terminalEnv, titleLine, TmuxTerminal } from '../support/tmux-terminal';

const COLS = 120;
/**
 * Tall enough for the full stack (Containers, Stats, Cloud Run and Logs) with every Stats row of the test's
 * three running containers on screen: at 36 rows the Stats panel has room for one row only.
 */
const ROWS = 44;
/** Generous: the engine, the first health checks and the first stats take a few seconds. */
const SLOW = 30_000;

const engine = providedEngine();
// Digits only, so that filter texts like "burner" can only match the container meant.
const suffix = String(Math.floor(Math.random() * 1e6)).padStart(6, '0');
const project = `e2e-${suffix}`;
const otherProject = `e2x-${suffix}`;
const NAME = {
  web: `${project}-web`,
  db: `${project}-db`,
  burner: `${project}-burner`,
  crasher: `${project}-crasher`,
  late: `${project}-late`,
  stray: `${otherProject}-stray`,
};
const IDLE = ['sh', '-c', 'while :; do sleep 1; done'];
const QUICK_STOP = ['--stop-timeout', '1'];

async function consoleDir(projects: string[]): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'e2e-console-'));
  await writeFile(join(dir, '.netra-console.yaml'), `docker:\n  projects: [${projects.map((p) => JSON.stringify(p)).join(', ')}]\n`);
  return dir;
}

/** Data rows of a list panel (below its column header), without blank filler lines and the totals row. */
function rowsOf(screen: string, title: string): string[] {
  const lines = panelLines(screen, title);
  return lines.slice(1).filter((l) => l.trim() !== '' && !l.startsWith('TOTAL') && !l.startsWith('last failing check'));
}

function rowNamed(screen: string, title: string, name: string): string | undefined {
  return rowsOf(screen, title).find((l) => l.split(/\s+/)[0] === name);
}

/** Cells of a Containers row by column title; every cell there is one word. */
function containerCells(screen: string, name: string): Record<string, string> | undefined {
  const lines = panelLines(screen, '[1] Containers');
  const header = (lines[0] ?? '').trim().split(/\s+/);
  const row = rowNamed(screen, '[1] Containers', name);
  if (!row) return undefined;
  const cells = row.trim().split(/\s+/);
  return Object.fromEntries(header.map((h, i) => [h, cells[i] ?? '']));
}

/** The yellow SANDBOX badge of the status bar (from `capture-pane -e`): yellow is SGR 33, set before the text. */
function sandboxBadge(attributedLine: string): boolean {
  const at = attributedLine.indexOf(' SANDBOX ');
  if (at < 0) return false;
  const sgr = [...attributedLine.slice(0, at).matchAll(/\x1b\[([\d;]*)m/g)].at(-1)?.[1] ?? '';
  return sgr.split(';').includes('33');
}

const CONTAINERS = '[1] Containers';
const STATS = '[2] Stats';
const CLOUD_RUN = '[3] Cloud Run';

// The CLI under test is built from the current sources.
beforeAll(buildCli);

describe('netra-console in a real terminal', () => {
  const term = new TmuxTerminal();
  let cwd = '';

  beforeAll(async () => {
    await removeAllContainers(engine);
    await Promise.all([
      runContainer(engine, {
        name: NAME.web, image: FIXTURE_IMAGES.alpine, cmd: IDLE, project, service: 'web',
        health: { cmd: 'true', interval: '1s' }, extraArgs: QUICK_STOP,
      }),
      runContainer(engine, {
        name: NAME.db, image: FIXTURE_IMAGES.alpine, cmd: IDLE, project, service: 'db',
        health: { cmd: 'echo db down; exit 1', interval: '1s', retries: 1 }, extraArgs: QUICK_STOP,
      }),
      runContainer(engine, {
        name: NAME.burner, image: FIXTURE_IMAGES.alpine, cmd: ['sh', '-c', 'while :; do :; done'], project, service: 'burner',
        memory: '64m', extraArgs: QUICK_STOP,
      }),
      runContainer(engine, {
        name: NAME.crasher, image: FIXTURE_IMAGES.alpine, cmd: ['sh', '-c', 'sleep 1; exit 3'], project, service: 'crasher',
        restart: 'always', extraArgs: QUICK_STOP,
      }),
      runContainer(engine, { name: NAME.stray, image: FIXTURE_IMAGES.alpine, cmd: IDLE, project: otherProject, service: 'stray', extraArgs: QUICK_STOP }),
    ]);
    cwd = await consoleDir([project]);
    await term.start([NODE, CLI, '--docker-host', engine.host], { cols: COLS, rows: ROWS, cwd, env: terminalEnv(cwd, { DOCKER_HOST: engine.host }) });
  });

  afterAll(async () => {
    await term.close();
    if (cwd) await rm(cwd, { recursive: true, force: true });
    await removeAllContainers(engine);
  });

  it('first screen: status bar, Containers panel and Stats panel', async () => {
    // Containers: every container of the project with its service, state and health; not the stray one.
    const screen = await term.waitForText(
      (s) =>
        containerCells(s, NAME.web)?.HEALTH === 'healthy' &&
        containerCells(s, NAME.db)?.HEALTH === 'unhealthy' &&
        containerCells(s, NAME.burner)?.STATE === 'running' &&
        Number(containerCells(s, NAME.crasher)?.RESTARTS) > 0,
      SLOW,
      'web healthy, db unhealthy, burner running and crasher restarted',
    );
    expect((await term.terminalState()).alternateScreen).toBe(true);
    const header = panelLines(screen, CONTAINERS)[0]!;
    for (const title of ['NAME', 'SERVICE', 'STATE', 'HEALTH', 'RESTARTS']) expect(header).toContain(title);
    expect(containerCells(screen, NAME.web)).toMatchObject({ SERVICE: 'web', STATE: 'running', HEALTH: 'healthy' });
    expect(containerCells(screen, NAME.db)).toMatchObject({ SERVICE: 'db', STATE: 'running', HEALTH: 'unhealthy' });
    expect(containerCells(screen, NAME.burner)).toMatchObject({ SERVICE: 'burner', STATE: 'running', HEALTH: 'none' });
    expect(containerCells(screen, NAME.crasher)).toMatchObject({ SERVICE: 'crasher', HEALTH: 'none' });
    expect(['running', 'restarting', 'exited']).toContain(containerCells(screen, NAME.crasher)!.STATE);
    expect(rowsOf(screen, CONTAINERS)).toHaveLength(4);
    expect(screen).not.toContain(NAME.stray);
    expect(titleLine(screen, CONTAINERS)).toContain('1/4');
    // The panels in order: Containers, Stats, then Cloud Run of the sandbox's project and region.
    const titles = screen.split('\n').filter((l) => /^[│║] \[\d\] /.test(l)).map((l) => /\[(\d)\] /.exec(l)![1]);
    expect(titles.slice(0, 3)).toEqual(['1', '2', '3']);
    expect(titleLine(screen, CLOUD_RUN)).toMatch(/\[3\] Cloud Run netra-staging us-central1 SANDBOX\b/);

    // Status bar: connection, alert count and health counts; the host comes last and may be cut at the right edge.
    // No Google project is configured, so the console serves its in-process sandbox and says so in a yellow
    // SANDBOX badge right after the name.
    const status = screen.split('\n')[0]!;
    expect(status.startsWith(' netra-console  SANDBOX  alerts: '), status).toBe(true);
    expect(status).toMatch(/alerts: \d+/);
    expect(sandboxBadge((await term.screenWithAttributes()).split('\n')[0]!), 'SANDBOX badge in yellow').toBe(true);
    expect(status).toContain('│ docker ● connected │');
    const counts = /4 containers: (.*)$/.exec(status);
    expect(counts, status).not.toBeNull();
    const shown = counts![1]!.split(' │ ')[0]!.replace(/…$/, '');
    expect(shown.length).toBeGreaterThan(0);
    // The crasher counts as exited while it is not running, whatever health it had.
    const whole = ['1 healthy 1 unhealthy 0 starting 2 no check 0 exited', '1 healthy 1 unhealthy 0 starting 1 no check 1 exited'];
    expect(whole.some((counted) => counted.startsWith(shown)), status).toBe(true);

    // Stats: CPU % and MEM columns, the burner at its 64 MiB limit and busy, and a TOTAL row.
    const stats = await term.waitForText(
      (s) => {
        const row = rowNamed(s, STATS, NAME.burner);
        const cpu = row ? Number(/^\S+\s+([\d.]+)%/.exec(row)?.[1]) : 0;
        return cpu > 5 && Boolean(rowNamed(s, STATS, NAME.web)) && Boolean(rowNamed(s, STATS, NAME.db));
      },
      SLOW,
      'stats rows of web, db and a busy burner',
    );
    const statsHeader = panelLines(stats, STATS)[0]!;
    for (const title of ['CPU %', 'MEM USAGE / LIMIT', 'MEM %', 'PIDS']) expect(statsHeader).toContain(title);
    expect(rowNamed(stats, STATS, NAME.burner)).toMatch(/ \/ 64\.0MiB\s+[\d.]+%/);
    expect(panelLines(stats, STATS).some((l) => /^TOTAL \(\d+\)\s+[\d.]+%/.test(l)), frame(stats)).toBe(true);
    // The footer lists the main keys, Cloud Run's refresh among them.
    const footer = stats.trimEnd().split('\n').at(-1)!;
    expect(footer).toMatch(/\? help\s+q quit/);
    expect(footer).toMatch(/Ctrl-R refresh\s+A audit\s+j move\s+Enter details\s+\/ filter/);
  });

  it('a shows all containers (another project too) and hides them again', async () => {
    await term.send('a');
    let screen = await term.waitForText((s) => Boolean(rowNamed(s, CONTAINERS, NAME.stray)), 10_000, 'the stray container');
    expect(screen.split('\n')[0]).toContain('5 containers (all)');
    expect(containerCells(screen, NAME.stray)).toMatchObject({ PROJECT: otherProject, SERVICE: 'stray', STATE: 'running' });
    await term.send('a');
    // The watcher reconnects with the narrower scope (the panel says "Connecting…" meanwhile).
    screen = await term.waitForText((s) => !s.includes(NAME.stray) && rowsOf(s, CONTAINERS).length === 4, 10_000, 'the four rows of the project');
    expect(screen.split('\n')[0]).not.toContain('(all)');
  });

  it('follows engine events: a new container appears, a removed one disappears', async () => {
    await runContainer(engine, { name: NAME.late, image: FIXTURE_IMAGES.alpine, cmd: IDLE, project, service: 'late', extraArgs: QUICK_STOP });
    let screen = await term.waitForText((s) => containerCells(s, NAME.late)?.STATE === 'running', 10_000, 'the new container');
    expect(containerCells(screen, NAME.late)).toMatchObject({ SERVICE: 'late' });
    expect(screen.split('\n')[0]).toContain('5 containers');

    await dockerOk(engine, ['rm', '-f', '-v', NAME.crasher]);
    screen = await term.waitForText(
      (s) => !rowNamed(s, CONTAINERS, NAME.crasher) && !rowNamed(s, STATS, NAME.crasher) && rowsOf(s, CONTAINERS).length === 4,
      10_000,
      'the removed container to disappear',
    );
    expect(screen).not.toContain(NAME.crasher);
    expect(screen.split('\n')[0]).toContain('4 containers');
  });

  it('a too-small window shows a message; a larger one shows the panels again', async () => {
    // Wide enough for the whole status bar.
    await term.resize(190, 40);
    let screen = await term.waitForText(`4 containers: 1 healthy 1 unhealthy 0 starting 2 no check 0 exited │ ${engine.host}`, 10_000);
    expect(screen).toContain(CONTAINERS);

    await term.resize(60, 15);
    screen = await term.waitForText(/needs a window of at least 80×24/, 10_000);
    expect(screen.replace(/\s+/g, ' ')).toContain('this one is 60×15');
    expect(screen).not.toContain(CONTAINERS);
    expect(screen).not.toContain(STATS);
    expect(screen).not.toContain(CLOUD_RUN);

    // The limit is exact: one row short is too small, 80×24 shows the panels.
    await term.resize(80, 23);
    screen = await term.waitForText((s) => s.replace(/\s+/g, ' ').includes('this one is 80×23'), 10_000, 'the message for 80×23');
    expect(screen).toContain('needs a window of at least 80×24');
    expect(screen).not.toContain(CONTAINERS);
    await term.resize(80, 24);
    screen = await term.waitForText((s) => s.includes(CONTAINERS) && s.includes(STATS) && s.includes(CLOUD_RUN), 10_000, 'the panels at 80×24');
    expect(screen).not.toContain('needs a window');

    await term.resize(COLS, ROWS);
    screen = await term.waitForText((s) => s.includes(CONTAINERS) && s.includes(STATS) && Boolean(rowNamed(s, CONTAINERS, NAME.db)), 10_000, 'the panels again');
    expect(screen).not.toContain('needs a window');
    expect(await term.terminalState()).toMatchObject({ cols: COLS, rows: ROWS, alternateScreen: true });
  });

  it('q quits with exit code 0 and restores the terminal', async () => {
    expect(await term.isAlive()).toBe(true);
    await term.send('q');
    expect(await term.waitForExit(15_000)).toBe(0);
    const screen = await term.screen();
    expect(screen).not.toContain(CONTAINERS);
    expect(screen).not.toContain(STATS);
    expect(screen).not.toContain('netra-console');
    expect(await term.terminalState()).toMatchObject({ alternateScreen: false, cursorVisible: true });
  });
});

describe('netra-console with an unreachable engine', () => {
  const term = new TmuxTerminal();
  let cwd = '';

  afterAll(async () => {
    await term.close();
    if (cwd) await rm(cwd, { recursive: true, force: true });
  });

  it('says the engine is unreachable and keeps retrying; --docker-host wins over DOCKER_HOST', async () => {
    cwd = await consoleDir(['netra*']);
    const host = 'unix:///tmp/does-not-exist.sock';
    // As on CI (CI=true), and with the cursor left mid-line as by keys typed while the console starts:
    // the first frame must still start at the top-left corner.
    const command = ['sh', '-c', 'printf typed-ahead; exec "$@"', 'sh', NODE, CLI, '--docker-host', host];
    await term.start(command, { cols: COLS, rows: ROWS, cwd, env: terminalEnv(cwd, { DOCKER_HOST: engine.host, CI: 'true' }) });
    // Cloud Run (the in-process sandbox) does not depend on the engine: its services load all the same.
    const screen = await term.waitForText(
      (s) => s.includes(`Docker engine unreachable at ${host}`) && /retrying in \d+s/.test(s) && panelLines(s, CLOUD_RUN).some((l) => l.startsWith('netra-auth ')),
      SLOW,
      'the unreachable message and the Cloud Run services',
    );
    const lines = screen.split('\n');
    // The engine alert, and the sandbox's two Cloud Run ones (backend not ready, its newest revision failed).
    expect(lines[0]!.startsWith(` netra-console  SANDBOX  alerts: 3 │ docker ✘ unreachable │ 0 containers`), frame(screen)).toBe(true);
    expect(lines[1]).toMatch(/^▲ CRITICAL netra-backend-staging is not ready: /);
    expect(screen).not.toContain('typed-ahead');
    for (const title of [CONTAINERS, STATS]) {
      expect(panelLines(screen, title)[0]).toMatch(new RegExp(`^Docker engine unreachable at ${host.replace(/[./]/g, '\\$&')} \\(ENOENT\\), retrying in \\d+s`));
    }
    expect(await term.terminalState()).toMatchObject({ alternateScreen: true, cursorVisible: false });
    expect(await term.isAlive()).toBe(true);

    await term.send('q');
    expect(await term.waitForExit(15_000)).toBe(0);
    expect(await term.terminalState()).toMatchObject({ alternateScreen: false, cursorVisible: true });
  });
});

