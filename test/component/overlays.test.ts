/** The help, audit and alerts overlays, key → screen. */
import { afterEach, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../src/domain/audit';
import { cleanupApps, cloudRunWith, container, dockerWith, KEY, renderApp, stats } from '../support/render-app';
import { auditEntry } from '../unit/rollback-fixtures';
import { rev, staging } from './fixtures';

afterEach(cleanupApps);

const HELP = 'Keys — press ? or Esc to close';

/** A key label starts a cell of the help: after the border, spaces, or the cut end of the cell before it. */
function helpLists(frame: string, label: string, description?: RegExp): boolean {
  const re = new RegExp(`(║ |\\s|…)${label.replace(/[!?/]/g, '\\$&')} {2,}(\\S.*)`);
  return frame.split('\n').some((line) => {
    const m = re.exec(line);
    return m !== null && (!description || description.test(m[2]!));
  });
}

const missingFrom = (frame: string, keys: Array<string | [string, RegExp]>) =>
  keys.map((k) => (typeof k === 'string' ? ([k, undefined] as const) : k)).filter(([label, d]) => !helpLists(frame, label, d)).map(([label]) => label);

/** Keys that work everywhere, with words of their descriptions. */
const GLOBAL_KEYS: Array<string | [string, RegExp]> = [
  ['Tab', /next panel/i],
  ['Shift-Tab', /previous panel/i],
  ['1', /Containers/],
  ['2', /Stats/],
  ['3', /Cloud Run/],
  ['4', /Logs/],
  ['z', /Zoom/],
  ['a', /all containers/i],
  ['!', /alert/i],
  '?',
  ['q, Ctrl-C', /Quit/],
  ['Ctrl-R', /Refresh Cloud Run now/],
  ['A', /Audit/],
];
const LIST_KEYS: Array<string | [string, RegExp]> = [['j, ↓', /down/i], ['k, ↑', /up/i], 'PgDn', 'PgUp', ['g, Home', /First/], ['G, End', /Last/], 'Enter', ['/', /Filter/], 'Esc'];

describe('help overlay', () => {
  it('? in the Containers panel lists the global and list keys with their descriptions; ? again closes it', async () => {
    const app = await renderApp({ rows: 50 });
    await app.press('?');
    const frame = await app.waitFor(HELP);
    expect(missingFrom(frame, [...GLOBAL_KEYS, ...LIST_KEYS, ['O', /Order/]]), frame).toEqual([]);
    expect(frame).toMatch(/║ Global /);
    expect(frame).not.toContain('[1] Containers');
    await app.press('?');
    const back = await app.waitFor('[1] Containers');
    expect(back).not.toContain('Keys — press');
  });

  it('? in the Cloud Run panel lists the rollback keys', async () => {
    const app = await renderApp({ rows: 50, state: { ui: { focus: 'cloudrun' } } });
    await app.press('?');
    const frame = await app.waitFor(HELP);
    expect(missingFrom(frame, [...GLOBAL_KEYS, ['r', /previous Ready revision/], ['b', /regular image/], ['R', /all Netra services/], ['Enter', /revisions|details/i]]), frame).toEqual([]);
  });

  it('? in the Logs panel lists the log keys', async () => {
    const app = await renderApp({ rows: 50, state: { ui: { focus: 'logs' } } });
    await app.press('?');
    const frame = await app.waitFor(HELP);
    const logKeys: Array<string | [string, RegExp]> = [
      ['Space, p', /Pause/i],
      ['n', /next line matching/i],
      ['N', /previous line matching/i],
      ['f', /only the lines matching/i],
      ['v', /severity/i],
      ['o', /Sources/i],
      ['t', /timestamps/i],
      ['w', /Wrap/i],
      ['s', /Save/i],
    ];
    expect(missingFrom(frame, [...GLOBAL_KEYS, ...logKeys]), frame).toEqual([]);
  });

  it('at 80×24 every key of the help still shows (it takes more columns)', async () => {
    const app = await renderApp({ columns: 80, rows: 24, state: { ui: { focus: 'logs' } } });
    await app.press('?');
    const frame = await app.waitFor(HELP);
    const labels = [...GLOBAL_KEYS, 'Space, p', 'n', 'N', 'f', 'v', 'o', 't', 'w', 's'].map((k) => (typeof k === 'string' ? k : k[0]));
    expect(missingFrom(frame, labels), frame).toEqual([]);
  });

  it('Esc closes the help; keys of the panels do nothing while it is open', async () => {
    const app = await renderApp({ state: { docker: dockerWith([container({ id: 'a' }), container({ id: 'b' })]) } });
    await app.press('?');
    await app.waitFor(HELP);
    await app.press('j', 'a', 'O');
    expect(app.store.getState().ui.selectedId.health).toBeNull();
    expect(app.calls('setShowAll')).toEqual([]);
    expect(app.lastFrame()).toContain(HELP);
    await app.press(KEY.esc);
    const frame = await app.waitFor('[1] Containers');
    expect(frame).toContain('by severity');
    expect(frame).toMatch(/1\/2 │/);
  });
});

function entry(overrides: Partial<AuditEntry>): AuditEntry {
  return auditEntry({
    before: [{ revision: rev('netra-auth', 6), percent: 90, tag: null, latest: false }, { revision: rev('netra-auth', 5), percent: 10, tag: 'canary', latest: false }],
    requested: [{ revision: rev('netra-auth', 4), percent: 100, tag: null, latest: false }, { revision: rev('netra-auth', 5), percent: 0, tag: 'canary', latest: false }],
    ...overrides,
  });
}

describe('audit overlay', () => {
  it('A shows this session’s attempts with time, result, service, action and traffic; A closes it', async () => {
    const audit = [
      entry({ result: 'cancelled', requested: null, time: '2026-11-22T10:14:00.000Z' }),
      entry({ result: 'confirmed', time: '2026-11-22T10:15:00.000Z' }),
      entry({ result: 'succeeded', time: '2026-11-22T10:15:30.000Z' }),
      entry({ result: 'failed', service: 'netra-backend-staging', action: 'rollback-all', before: [], requested: [], error: 'Revision limit reached.', time: '2026-11-22T10:16:00.000Z' }),
    ];
    const app = await renderApp({ state: { audit } });
    await app.press('A');
    const frame = await app.waitFor('Audit — this session (4) · /tmp/netra-test/audit-sandbox.log · A or Esc closes');
    const rows = frame.split('\n').filter((l) => /\d\d:\d\d:\d\d (cancelled|confirmed|succeeded|failed)/.test(l));
    expect(rows.map((l) => /\d\d:\d\d:\d\d (\S+)\s+(\S+)/.exec(l)!.slice(1).join(' '))).toEqual([
      'cancelled netra-auth',
      'confirmed netra-auth',
      'succeeded netra-auth',
      'failed netra-backend-staging',
    ]);
    expect(rows[0]).toContain('10:14:00');
    // The traffic before is shortened so that the target stays visible.
    expect(rows[2]).toContain(`netra-auth rollback-previous: ${rev('netra-auth', 6)} 90%, `);
    expect(rows[2]).toContain(` → ${rev('netra-auth', 4)} 100%`);
    expect(rows[0]).toMatch(/ → - +║$/);
    expect(rows[3]).toContain('Revision limit reached.');
    await app.press('A');
    await app.waitFor((f) => !f.includes('Audit — this session'), 'closed');
  });

  it('says when there were no attempts yet; Esc closes it', async () => {
    const app = await renderApp();
    await app.press('A');
    await app.waitFor('Nothing changed yet this session.');
    await app.press(KEY.esc);
    await app.waitFor((f) => !f.includes('Nothing changed yet this session.') && f.includes('[1] Containers'), 'closed');
  });
});

describe('alerts overlay', () => {
  // The Alerts view lists the alert book (test/component/alerts.test.ts); alerts the book does not track yet, as
  // here where nothing feeds it, are listed apart, most severe first, never dropped.
  it('! lists every alert, Docker and Cloud Run, most severe first; ! closes it', async () => {
    const docker = dockerWith(
      [container({ id: 'db', state: 'exited', health: 'none', exitCode: 1 }), container({ id: 'redis' })],
      { redis: stats({ memPercent: 92 }) },
    );
    const app = await renderApp({ state: { docker, cloudRun: cloudRunWith(staging()) }, columns: 220 });
    expect(app.lastFrame().split('\n')[1]).toMatch(/^▲ CRITICAL netra-backend-staging is not ready: .*\(\+\d+ more: ! lists them\)$/);
    await app.press('!');
    const frame = await app.waitFor('— ! or Esc closes');
    const list = frame.slice(frame.indexOf('Not tracked yet ('));
    const critical = list.indexOf('ACTIVE    CRITICAL cloudrun netra-backend-staging is not ready');
    const high = list.indexOf('ACTIVE    HIGH     docker   netra-redis-1 memory at 92.0%');
    const warning = list.indexOf('ACTIVE    WARNING  docker   netra-db-1 exited with code 1');
    expect(critical).toBeGreaterThan(0);
    expect(high).toBeGreaterThan(critical);
    expect(warning).toBeGreaterThan(high);
    await app.press('!');
    await app.waitFor((f) => !f.includes('— ! or Esc closes') && f.includes('[1] Containers'), 'closed');
  });

  it('says when there is no alert; Esc closes it', async () => {
    const app = await renderApp();
    expect(app.lastFrame().split('\n')[1]).toBe('  no active alerts');
    await app.press('!');
    await app.waitFor('No active alerts, and none resolved in the last hour.');
    expect(app.lastFrame()).toContain('Alerts (0)');
    await app.press(KEY.esc);
    await app.waitFor((f) => !f.includes('Alerts (0)'), 'closed');
  });
});
