/** The Containers panel ([1]): selection, paging, details, filter, show-all and ordering, key → screen. */
import { afterEach, describe, expect, it } from 'vitest';
import {
  cleanupApps,
  container,
  dockerWith,
  footerLine,
  highlightedRows,
  KEY,
  renderApp,
  rowsOf,
  stats,
  titleLine,
} from '../support/render-app';

afterEach(cleanupApps);

const CONTAINERS = '[1] Containers';
const STATS = '[2] Stats';
const position = (frame: string, title = CONTAINERS) => / (\d+\/\d+)\s*│?$/.exec(titleLine(frame, title))?.[1];

/** api, auth, db (unhealthy, with a failing check), web; db comes first (worst alert first). */
function fourContainers() {
  return dockerWith(
    [
      container({ id: 'api' }),
      container({ id: 'auth', image: 'netra-auth:1.4', variant: 'regular' }),
      container({ id: 'db', health: 'unhealthy', lastHealthFailure: 'db down: pg_isready no response' }),
      container({ id: 'web' }),
    ],
    { api: stats(), auth: stats(), db: stats(), web: stats() },
  );
}

/** `count` healthy containers named c00, c01, …, in name order. */
function many(count: number) {
  const ids = Array.from({ length: count }, (_, i) => `c${String(i).padStart(2, '0')}`);
  return dockerWith(ids.map((id) => container({ id })));
}

describe('Containers panel', () => {
  it('lists the containers worst alert first, says so in the title, and starts on row 1', async () => {
    const app = await renderApp({ state: { docker: fourContainers() } });
    const frame = app.lastFrame();
    expect(titleLine(frame, CONTAINERS)).toContain('by severity');
    expect(position(frame)).toBe('1/4');
    const rows = rowsOf(frame, CONTAINERS);
    expect(rows.map((r) => r.split(/\s+/)[0])).toEqual(['netra-db-1', 'netra-api-1', 'netra-auth-1', 'netra-web-1']);
    expect(rows[0]).toMatch(/running\s+unhealthy/);
    expect(rows[2]).toMatch(/netra-auth:1\.4\s+regular/);
    // The selected unhealthy container's last failing check shows under the list, on one line.
    expect(frame).toContain('last failing check of netra-db-1: db down: pg_isready no response');
  });

  it('j and ↓ move the selection down, k and ↑ up; the highlighted row follows', async () => {
    const app = await renderApp({ state: { docker: fourContainers() } });
    await app.press('j');
    await app.waitFor((f) => position(f) === '2/4', '2/4');
    expect(highlightedRows(app.colorFrame()).filter((l) => l.includes('netra-'))).toEqual([expect.stringContaining('netra-api-1')]);
    await app.press(KEY.down);
    await app.waitFor((f) => position(f) === '3/4', '3/4');
    expect(highlightedRows(app.colorFrame()).join()).toContain('netra-auth-1');
    await app.press('k');
    await app.waitFor((f) => position(f) === '2/4', 'back to 2/4');
    await app.press(KEY.up, KEY.up, KEY.up);
    await app.waitFor((f) => position(f) === '1/4', 'stops at 1/4');
    expect(highlightedRows(app.colorFrame()).join()).toContain('netra-db-1');
  });

  it('G and End go to the last row, g and Home to the first', async () => {
    const app = await renderApp({ state: { docker: fourContainers() } });
    await app.press('G');
    await app.waitFor((f) => position(f) === '4/4', 'G to 4/4');
    await app.press('g');
    await app.waitFor((f) => position(f) === '1/4', 'g to 1/4');
    await app.press(KEY.end);
    await app.waitFor((f) => position(f) === '4/4', 'End to 4/4');
    await app.press(KEY.home);
    await app.waitFor((f) => position(f) === '1/4', 'Home to 1/4');
  });

  it('PgDn moves a page down and keeps the selection on screen; PgUp goes back', async () => {
    const app = await renderApp({ state: { docker: many(40) } });
    await app.press(KEY.pageDown);
    const frame = await app.waitFor((f) => Number(position(f)?.split('/')[0]) > 2, 'a page down');
    const at = Number(position(frame)!.split('/')[0]);
    const selectedName = `netra-c${String(at - 1).padStart(2, '0')}-1`;
    expect(rowsOf(frame, CONTAINERS).some((r) => r.startsWith(selectedName))).toBe(true);
    expect(highlightedRows(app.colorFrame()).join()).toContain(selectedName);
    await app.press(KEY.pageDown);
    await app.waitFor((f) => Number(position(f)?.split('/')[0]) > at, 'another page down');
    await app.press(KEY.pageUp, KEY.pageUp);
    await app.waitFor((f) => position(f) === '1/40', 'back to 1/40');
  });

  it('the list scrolls to keep the selection in view', async () => {
    const app = await renderApp({ state: { docker: many(40) } });
    expect(rowsOf(app.lastFrame(), CONTAINERS)[0]).toMatch(/^netra-c00-1 /);
    await app.press('G');
    const frame = await app.waitFor((f) => position(f) === '40/40', '40/40');
    expect(frame).not.toContain('netra-c00-1');
    expect(rowsOf(frame, CONTAINERS).some((r) => r.startsWith('netra-c39-1'))).toBe(true);
  });

  it('Enter opens the details of the selected container; Esc closes them', async () => {
    const app = await renderApp({ state: { docker: fourContainers() } });
    await app.press('j', 'j', KEY.enter);
    const frame = await app.waitFor('netra-auth-1 — press Esc to close');
    expect(frame).not.toContain(CONTAINERS);
    expect(frame).toMatch(/project\/service\s+netra \/ auth/);
    expect(frame).toMatch(/image\s+netra-auth:1\.4 \(50\.0MiB, regular\)/);
    expect(frame).toMatch(/health\s+healthy/);
    expect(frame).toMatch(/stats\s+CPU 1\.0%\s+MEM 51\.2MiB \/ 512MiB \(10\.0%\)\s+PIDS 3/);
    expect(frame).toMatch(/Last failing health check[\s║]*\n[\s║]*none recorded/);
    await app.press(KEY.esc);
    const back = await app.waitFor(CONTAINERS);
    expect(back).not.toContain('press Esc to close');
    expect(position(back)).toBe('3/4');
  });

  it('the details of an unhealthy container show its last failing health check', async () => {
    const app = await renderApp({ state: { docker: fourContainers() } });
    await app.press(KEY.enter);
    const frame = await app.waitFor('netra-db-1 — press Esc to close');
    expect(frame).toMatch(/health\s+unhealthy/);
    const lines = frame.split('\n');
    const at = lines.findIndex((l) => l.includes('Last failing health check'));
    expect(at).toBeGreaterThan(0);
    expect(lines[at + 1]).toContain('db down');
    // Enter again closes the details too.
    await app.press(KEY.enter);
    await app.waitFor(CONTAINERS);
  });

  it('details say so when the container went away meanwhile', async () => {
    const app = await renderApp({ state: { docker: fourContainers() } });
    await app.press(KEY.enter);
    await app.waitFor('netra-db-1 — press Esc to close');
    app.store.setState((s) => {
      const { db: _gone, ...containers } = s.docker.containers;
      return { docker: { ...s.docker, containers } };
    });
    await app.waitFor('That container is gone. Press Esc to go back.');
  });

  it('/ filters as you type and shows the text; Enter keeps the filter, Esc clears it', async () => {
    const app = await renderApp({ state: { docker: fourContainers() } });
    await app.press('/');
    await app.type('au');
    let frame = await app.waitFor((f) => titleLine(f, CONTAINERS).includes('/au█'), 'the filter being typed');
    expect(rowsOf(frame, CONTAINERS).filter((r) => r.startsWith('netra-'))).toEqual([expect.stringMatching(/^netra-auth-1 /)]);
    // Only the focused list is filtered.
    expect(position(frame, STATS)).toBe('1/4');
    // Keys are text while typing: j is a letter, not a move.
    await app.type('th');
    await app.press(KEY.enter);
    frame = await app.waitFor((f) => /\/auth(?!█)/.test(titleLine(f, CONTAINERS)), 'the kept filter');
    expect(position(frame)).toBe('1/1');
    // Kept: keys act again (j does not type).
    await app.press('j');
    expect(titleLine(app.lastFrame(), CONTAINERS)).not.toContain('/authj');
    await app.press(KEY.esc);
    // All four rows back, the selection still on the container it was on.
    frame = await app.waitFor((f) => position(f) === '3/4', 'all four rows back');
    expect(titleLine(frame, CONTAINERS)).not.toContain('/auth');
    expect(highlightedRows(app.colorFrame()).join()).toContain('netra-auth-1');
  });

  it('Backspace edits the filter; Esc while typing clears it at once', async () => {
    const app = await renderApp({ state: { docker: fourContainers() } });
    await app.press('/');
    await app.type('webx');
    await app.waitFor('No rows match "webx"');
    await app.press(KEY.backspace);
    const frame = await app.waitFor((f) => titleLine(f, CONTAINERS).includes('/web█'), '/web█');
    expect(position(frame)).toBe('1/1');
    await app.press(KEY.esc);
    await app.waitFor((f) => position(f) === '1/4' && !titleLine(f, CONTAINERS).includes('/web'), 'cleared');
    expect(app.store.getState().ui.filterEditing).toBe(false);
  });

  it('the filter matches project, service and image too', async () => {
    const docker = dockerWith([container({ id: 'a', project: 'billing' }), container({ id: 'b', image: 'redis:7' }), container({ id: 'c' })]);
    const app = await renderApp({ state: { docker } });
    await app.press('/');
    await app.type('redis');
    let frame = await app.waitFor((f) => position(f) === '1/1', 'one row');
    expect(rowsOf(frame, CONTAINERS).join('\n')).toContain('netra-b-1');
    await app.press(KEY.esc, '/');
    await app.type('billing');
    frame = await app.waitFor((f) => position(f) === '1/1' && titleLine(f, CONTAINERS).includes('/billing'), 'one row');
    expect(rowsOf(frame, CONTAINERS).join('\n')).toContain('netra-a-1');
  });

  it('a asks for all containers and says so in the status bar; a again goes back', async () => {
    const app = await renderApp({ state: { docker: fourContainers() } });
    expect(app.lastFrame().split('\n')[0]).toContain('4 containers:');
    await app.press('a');
    await app.waitFor((f) => f.split('\n')[0]!.includes('4 containers (all)'), '(all)');
    expect(app.calls('setShowAll')).toEqual([[true]]);
    await app.press('a');
    await app.waitFor((f) => !f.split('\n')[0]!.includes('(all)'), 'not (all)');
    expect(app.calls('setShowAll')).toEqual([[true], [false]]);
  });

  it('an empty list says how to see every container', async () => {
    const app = await renderApp({ state: { docker: dockerWith([]) } });
    expect(app.lastFrame()).toContain('No containers in the configured compose projects (press a to show all containers)');
  });

  it('O orders by name and back to worst alert first', async () => {
    const app = await renderApp({ state: { docker: fourContainers() } });
    await app.press('O');
    let frame = await app.waitFor((f) => titleLine(f, CONTAINERS).includes('by name'), 'by name');
    expect(rowsOf(frame, CONTAINERS).filter((r) => r.startsWith('netra-')).map((r) => r.split(/\s+/)[0])).toEqual(['netra-api-1', 'netra-auth-1', 'netra-db-1', 'netra-web-1']);
    // Only the Containers order changed.
    expect(titleLine(frame, STATS)).toContain('by severity');
    await app.press('O');
    frame = await app.waitFor((f) => titleLine(f, CONTAINERS).includes('by severity'), 'by severity');
    expect(rowsOf(frame, CONTAINERS)[0]).toMatch(/^netra-db-1 /);
  });

  it('columns show restarts, exit code and OOM-killed', async () => {
    const docker = dockerWith([container({ id: 'crash', state: 'exited', health: 'none', restarts: 3, exitCode: 137, oomKilled: true })]);
    const app = await renderApp({ state: { docker } });
    const row = rowsOf(app.lastFrame(), CONTAINERS).find((r) => r.startsWith('netra-crash-1'))!;
    expect(row).toMatch(/exited\s+none\s+3\s+137\s+yes/);
  });

  it('with the engine unreachable, the Docker panels say so and when they retry', async () => {
    const app = await renderApp({
      state: { docker: { ...fourContainers(), connection: { state: 'unreachable', error: 'ENOENT', retryAt: Date.now() + 5_000 } } },
    });
    const frame = app.lastFrame();
    expect(frame.split('\n')[0]).toContain('✘ unreachable');
    for (const title of [CONTAINERS, STATS]) {
      const message = frame.split('\n')[frame.split('\n').findIndex((l) => l.includes(title)) + 1]!;
      expect(message).toMatch(/Docker engine unreachable at unix:\/\/\/var\/run\/docker\.sock \(ENOENT\), retrying in \d+s/);
    }
    expect(footerLine(frame)).toContain('q quit');
  });

  it('while it tries the engine again after a failure, the panels and the status bar still say why it failed', async () => {
    const app = await renderApp({ state: { docker: { ...fourContainers(), connection: { state: 'connecting', lastError: 'no answer to ping within 3 s' } } } });
    const frame = app.lastFrame();
    expect(frame.split('\n')[0]).toContain('✘ unreachable');
    expect(frame.split('\n')[0]).not.toContain('connecting');
    for (const title of [CONTAINERS, STATS]) {
      const message = frame.split('\n')[frame.split('\n').findIndex((l) => l.includes(title)) + 1]!;
      expect(message).toContain('Docker engine unreachable at unix:///var/run/docker.sock (no answer to ping within 3 s), trying again now…');
    }
  });

  it('connecting for the first time says only that', async () => {
    const app = await renderApp({ state: { docker: { ...fourContainers(), connection: { state: 'connecting' } } } });
    const frame = app.lastFrame();
    expect(frame.split('\n')[0]).toContain('◌ connecting');
    expect(frame).toContain('Connecting to the Docker engine at unix:///var/run/docker.sock…');
  });
});
