/** The console as a whole: focus keys, zoom, quit, window size, footer, notices and the read-only mode. */
import { afterEach, describe, expect, it } from 'vitest';
import { cleanupApps, cloudRunWith, container, dockerWith, focusedPanels, footerLine, highlightedRows, KEY, renderApp, stats, titleLine } from '../support/render-app';
import { staging } from './fixtures';

afterEach(cleanupApps);

const CONTAINERS = '[1] Containers';
const STATS = '[2] Stats';
const CLOUD_RUN = '[3] Cloud Run';
const LOGS = '[4] Logs';

/** burner and web with stats; db without (so Stats and Containers select different first rows). */
const docker = () =>
  dockerWith([container({ id: 'db', health: 'unhealthy', lastHealthFailure: 'db down' }), container({ id: 'burner' }), container({ id: 'web' })], {
    burner: stats({ cpuPercent: 90 }),
    web: stats(),
  });

describe('focus', () => {
  it('Tab and Shift-Tab cycle the focus through the five panels; only the focused title is cyan', async () => {
    const app = await renderApp({ state: { docker: docker() } });
    expect(focusedPanels(app.colorFrame())).toEqual([1]);
    for (const expected of [2, 3, 4, 5, 1]) {
      await app.press(KEY.tab);
      await app.waitFor(() => focusedPanels(app.colorFrame()).join() === String(expected), `panel ${expected} focused`);
    }
    await app.press(KEY.shiftTab);
    await app.waitFor(() => focusedPanels(app.colorFrame()).join() === '5', 'panel 5 focused');
    await app.press(KEY.shiftTab);
    await app.waitFor(() => focusedPanels(app.colorFrame()).join() === '4', 'panel 4 focused');
  });

  it('1, 2, 3 and 4 focus their panels; Enter then opens the focused panel’s selection', async () => {
    const app = await renderApp({ state: { docker: docker(), cloudRun: cloudRunWith(staging()) } });
    for (const n of [2, 3, 4, 1]) {
      await app.press(String(n));
      await app.waitFor(() => focusedPanels(app.colorFrame()).join() === String(n), `panel ${n}`);
    }
    await app.press('2', KEY.enter);
    await app.waitFor('netra-burner-1 — press Esc to close');
    await app.press(KEY.esc, '1', KEY.enter);
    await app.waitFor('netra-db-1 — press Esc to close');
    await app.press(KEY.esc, '3', KEY.enter);
    await app.waitFor('netra-backend-staging revisions (Esc back)');
  });

  it('the selection is highlighted in the focused panel only, and j moves that panel’s selection only', async () => {
    const app = await renderApp({ state: { docker: docker() } });
    await app.press('2');
    await app.waitFor(() => focusedPanels(app.colorFrame()).join() === '2', 'Stats focused');
    expect(highlightedRows(app.colorFrame())).toEqual([expect.stringMatching(/^netra-burner-1 /)]);
    await app.press('j');
    const frame = await app.waitFor((f) => titleLine(f, STATS).includes(' 2/2'), 'Stats 2/2');
    expect(titleLine(frame, CONTAINERS)).toContain(' 1/3');
  });
});

describe('zoom', () => {
  it('z zooms the focused panel to the whole window, and z again goes back', async () => {
    const app = await renderApp({ state: { docker: docker() } });
    await app.press('2', 'z');
    const zoomed = await app.waitFor((f) => f.includes(STATS) && !f.includes(CONTAINERS), 'Stats alone');
    expect(zoomed).not.toContain(CLOUD_RUN);
    expect(zoomed).not.toContain(LOGS);
    expect(zoomed.split('\n')).toHaveLength(40);
    await app.press('z');
    await app.waitFor((f) => [CONTAINERS, STATS, CLOUD_RUN, LOGS].every((t) => f.includes(t)), 'the stack');
  });

  it('a zoomed console follows the focus', async () => {
    const app = await renderApp({ state: { docker: docker(), cloudRun: cloudRunWith(staging()) } });
    await app.press('z', '3');
    await app.waitFor((f) => f.includes(CLOUD_RUN) && !f.includes(CONTAINERS), 'Cloud Run alone');
  });
});

describe('quit', () => {
  it('q exits the app', async () => {
    const app = await renderApp();
    await app.press('q');
    expect(app.exited()).toBe(true);
  });

  it('Ctrl-C exits the app', async () => {
    const app = await renderApp();
    await app.press(KEY.ctrlC);
    expect(app.exited()).toBe(true);
  });

  it('q while typing a filter is a letter, not quit', async () => {
    const app = await renderApp({ state: { docker: docker() } });
    await app.press('/', 'q');
    await app.waitFor((f) => titleLine(f, CONTAINERS).includes('/q█'), '/q█');
    expect(app.exited()).toBe(false);
  });
});

describe('window size', () => {
  it('a window under 80×24 shows a message with its size instead of the panels; q still quits', async () => {
    const app = await renderApp({ columns: 79, rows: 30 });
    const frame = app.lastFrame();
    expect(frame.replace(/\s+/g, ' ')).toContain('netra-console needs a window of at least 80×24; this one is 79×30.');
    expect(frame).toContain('Make the window larger (or the font smaller). Press q to quit.');
    for (const title of [CONTAINERS, STATS, CLOUD_RUN]) expect(frame).not.toContain(title);
    await app.press('q');
    expect(app.exited()).toBe(true);
  });

  it('one row short is too small; 80×24 shows the panels', async () => {
    const short = await renderApp({ columns: 80, rows: 23 });
    expect(short.lastFrame().replace(/\s+/g, ' ')).toContain('this one is 80×23');
    short.unmount();
    const app = await renderApp({ columns: 80, rows: 24, state: { docker: docker() } });
    const frame = app.lastFrame();
    for (const title of [CONTAINERS, STATS, CLOUD_RUN]) expect(frame).toContain(title);
    expect(frame).not.toContain('needs a window');
    expect(frame.split('\n')).toHaveLength(24);
  });

  it('at 80 columns the status bar keeps the badge, the alert count and the unhealthy count', async () => {
    const app = await renderApp({ columns: 80, rows: 24, state: { docker: docker() } });
    const status = app.lastFrame().split('\n')[0]!;
    expect(status).toContain('SANDBOX');
    expect(status).toMatch(/alerts: \d+/);
    expect(status).toContain('1 unhealthy');
    expect(status).not.toContain('docker.sock');
  });

  it('stopped containers count as exited, not by the health they last had', async () => {
    const health = ['healthy', 'unhealthy', 'starting', 'none'] as const;
    const exited = Array.from({ length: 10 }, (_, i) => container({ id: `old${i}`, state: 'exited', exitCode: 1, health: health[i % 4] }));
    const app = await renderApp({ columns: 160, rows: 30, state: { docker: dockerWith([...exited, container({ id: 'web' })], {}) } });
    const status = app.lastFrame().split('\n')[0]!;
    expect(status).toContain('11 containers: 1 healthy 0 unhealthy 0 starting 0 no check 10 exited');
  });
});

describe('footer and notices', () => {
  it('the footer lists the main keys (in the Cloud Run panel, rollback too)', async () => {
    const app = await renderApp({ columns: 150, state: { ui: { focus: 'cloudrun' } } });
    const footer = footerLine(app.lastFrame());
    for (const hint of ['Tab panel', '? help', 'q quit', 'Ctrl-R refresh', 'j move', '/ filter']) expect(footer).toContain(hint);
    expect(footer).toMatch(/Enter (details|revisions)/);
    expect(footer).toContain('r rollback');
    expect(footer).toContain('A audit');
    expect(footer).not.toContain('READ-ONLY');
  });
});

describe('read-only console', () => {
  const readOnly = () => ({ readOnly: true, docker: docker(), cloudRun: cloudRunWith(staging()), ui: { focus: 'cloudrun' as const } });

  it('shows no rollback keys in the footer, and says READ-ONLY', async () => {
    const app = await renderApp({ state: readOnly(), columns: 150 });
    const footer = footerLine(app.lastFrame());
    expect(footer).toContain('READ-ONLY');
    expect(footer).toContain('A audit');
    expect(footer).not.toMatch(/\br rollback\b/);
  });

  it('the help says the rollback keys are off and does not list them', async () => {
    const app = await renderApp({ state: readOnly(), rows: 50 });
    await app.press('?');
    const frame = await app.waitFor('Keys — press ? or Esc to close');
    expect(frame).toContain('Read-only console: rollback keys are off.');
    expect(frame).toContain('Audit view: the rollbacks, switches, builds, acks and silences of this session');
    expect(frame).toContain('Refresh Cloud Run now');
    expect(frame).not.toContain('Roll back');
    expect(frame).not.toMatch(/║\s*(r|b|R)\s{5,}/m);
  });

  it('r, b and R are refused with a notice, from the panel and from the revisions view', async () => {
    const app = await renderApp({ state: readOnly() });
    for (const key of ['r', 'b', 'R']) {
      await app.press('j');
      await app.waitFor((f) => !footerLine(f).includes('read-only console'), 'the footer back');
      await app.press(key);
      const frame = await app.waitFor((f) => footerLine(f).includes('read-only console: rollback refused'), `${key} refused`);
      expect(frame).not.toContain('Roll back');
      expect(frame).not.toContain('Confirm the change');
    }
    await app.press(KEY.enter);
    await app.waitFor('revisions (Esc back)');
    await app.press('r');
    await app.waitFor((f) => footerLine(f).includes('read-only console: rollback refused'), 'refused in the revisions view');
    expect(app.store.getState().rollback).toBeNull();
    expect(app.calls('runRollback')).toEqual([]);
  });

  it('the audit view still opens', async () => {
    const app = await renderApp({ state: readOnly() });
    await app.press('A');
    await app.waitFor('Audit — this session (0)');
  });
});
