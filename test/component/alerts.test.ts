/** The Alerts view (!): lifecycle states in order, runbook, ack with a note, silences; and the status bar's count. */
import { afterEach, describe, expect, it } from 'vitest';
import { ackAlert, conditionOf, DEFAULT_ALERT_POLICY, emptyAlertBook, silence, stepAlerts } from '../../src/domain/alert-lifecycle';
import type { AlertBook } from '../../src/domain/alert-lifecycle-types';
import type { CheckResult } from '../../src/domain/checks/types';
import type { Alert } from '../../src/domain/types';
import { cleanupApps, footerLine, highlightedRows, KEY, NOW, renderApp, type RenderAppOptions } from '../support/render-app';

afterEach(cleanupApps);

const TITLE = 'Alerts (';
const S = 1_000;

const OOM: Alert = { level: 'critical', source: 'docker', kind: 'oom-killed', container: 'netra-worker-1', message: 'netra-worker-1 was OOM-killed: raise its memory limit or find the leak' };
const MEMORY: Alert = { level: 'high', source: 'docker', kind: 'memory', container: 'netra-api-1', message: 'netra-api-1 memory at 92.0% of its limit' };
const UNHEALTHY: Alert = { level: 'high', source: 'docker', kind: 'unhealthy', container: 'netra-db-1', message: 'netra-db-1 is unhealthy: connection refused' };
const CPU: Alert = { level: 'warning', source: 'docker', kind: 'cpu', container: 'netra-cache-1', message: 'netra-cache-1 CPU at 85.0%' };
const NOT_READY: Alert = { level: 'critical', source: 'cloudrun', kind: 'service-not-ready', service: 'netra-auth', message: 'netra-auth is not ready' };
const EXITED: Alert = { level: 'warning', source: 'docker', kind: 'exited', container: 'netra-migrate-1', message: 'netra-migrate-1 exited with code 1' };
const CRASH: Alert = { level: 'high', source: 'docker', kind: 'crash-loop', container: 'netra-flaky-1', message: 'netra-flaky-1 is crash-looping (4 restarts)' };

const CHECKS = new Map<Alert, string | null>([
  [OOM, 'NC103'],
  [MEMORY, 'NC104'],
  [UNHEALTHY, 'NC101'],
  [CPU, null],
  [NOT_READY, 'NC601'],
  [EXITED, 'NC105'],
  [CRASH, 'NC102'],
]);

/** The book after the sources reported these alerts at these times (seconds before `now`), as the console feeds it. */
function fed(steps: Array<[secondsAgo: number, alerts: Alert[]]>, now: number): AlertBook {
  return steps.reduce((book, [ago, alerts]) => stepAlerts(book, alerts.map((a) => conditionOf(a, CHECKS.get(a) ?? null)), now - ago * S), emptyAlertBook());
}

const key = (a: Alert) => conditionOf(a, null).key;
const LOUD = [OOM, MEMORY, CPU, NOT_READY];

/** Flaky comes and goes once a second from 100 s ago, more often than the policy's flapping threshold. */
const FLAPS: Array<[number, Alert[]]> = Array.from({ length: DEFAULT_ALERT_POLICY.flapTransitions + 2 }, (_, i) => [100 - i, i % 2 === 0 ? [...LOUD, CRASH] : LOUD]);

/**
 * migrate exited, fired and resolved 4m50s ago; OOM and auth not-ready fire at once (3m20s ago); memory and CPU
 * fire after their 30 s hold (2m30s ago); flaky came and went until it flaps, then fired 80 s ago; db is pending.
 * CPU is acked, auth silenced.
 */
function book(now = Date.now()): AlertBook {
  const steps: Array<[number, Alert[]]> = [[600, [EXITED]], [585, [EXITED]], [300, []], [290, []], [200, LOUD], [150, LOUD], ...FLAPS, [80, [...LOUD, CRASH]], [5, [...LOUD, CRASH, UNHEALTHY]]];
  const acked = ackAlert(fed(steps, now), key(CPU), { by: 'sam', note: 'known: nightly batch', at: now - 60 * S });
  return silence(acked, {
    id: 's1',
    matchers: [{ label: 'kind', value: 'service-not-ready' }],
    createdAt: now - 60 * S,
    expiresAt: now + 2 * 3_600 * S - 60 * S,
    author: 'sam',
    comment: 'auth redeploy under way',
  });
}

async function openAlerts(options: RenderAppOptions = {}) {
  const app = await renderApp({ columns: 140, rows: 40, ...options, state: { alertBook: book(), ...options.state } });
  await app.press('!');
  await app.waitFor(TITLE);
  return app;
}

/** The alert rows of the view, in order: they start with a lifecycle state. */
/** `firing for 3m20s` → 200: the age a row shows, in seconds. */
function shownAge(row: string): number {
  const m = /(?:for|resolved) (?:(\d+)m)?(?:(\d+)s)?/.exec(row);
  return m ? Number(m[1] ?? 0) * 60 + Number(m[2] ?? 0) : NaN;
}

/** The view's clock ticks once a second: an age is right within a couple of seconds of when the book was made. */
function expectAge(row: string | undefined, seconds: number): void {
  expect(shownAge(row ?? ''), row).toBeGreaterThanOrEqual(seconds - 2);
  expect(shownAge(row ?? ''), row).toBeLessThanOrEqual(seconds + 2);
}

function alertRows(frame: string): string[] {
  return frame
    .split('\n')
    .map((l) => l.replace(/^║ ?/, '').replace(/ ?║\s*$/, '').trimEnd())
    .filter((l) => /^(FIRING|PENDING|ACKED|SILENCED|INHIBITED|RESOLVED|ACTIVE) /.test(l));
}

describe('Alerts view: states and order', () => {
  it('lists firing, pending, acked, silenced, resolved, each with level, since/for and a flapping marker', async () => {
    const app = await openAlerts();
    const rows = alertRows(app.lastFrame());
    expect(rows.map((r) => r.split(/\s+/).slice(0, 2).join(' '))).toEqual([
      'FIRING CRITICAL',
      'FIRING HIGH',
      'FIRING HIGH',
      'PENDING HIGH',
      'ACKED WARNING',
      'SILENCED CRITICAL',
      'RESOLVED WARNING',
    ]);
    expect(rows[0]).toMatch(/firing for \S+\s+netra-worker-1 was OOM-killed/);
    expect(rows[1]).toMatch(/firing for \S+\s+netra-api-1 memory at 92.0%/);
    expect(rows[2]).toMatch(/firing for \S+\s+⇅ FLAPPING netra-flaky-1 is crash-looping/);
    expect(rows[3]).toMatch(/pending for \S+\s+netra-db-1 is unhealthy/);
    expect(rows[4]).toMatch(/firing for \S+\s+netra-cache-1 CPU at 85.0% · acked by sam: known: nightly batch$/);
    expect(rows[5]).toMatch(/firing for \S+\s+netra-auth is not ready/);
    expect(rows[6]).toMatch(/resolved \S+ ago\s+netra-migrate-1 exited with code 1/);
    [200, 150, 80, 5, 150, 200, 290].forEach((seconds, i) => expectAge(rows[i], seconds));
    expect(rows.filter((r) => r.includes('FLAPPING'))).toHaveLength(1);
    expect(highlightedRows(app.colorFrame())[0]).toContain('netra-worker-1 was OOM-killed');
  });

  it('j/k move the selection', async () => {
    const app = await openAlerts();
    await app.press('j', 'j', 'j');
    await app.waitFor(() => highlightedRows(app.colorFrame())[0]?.startsWith('PENDING') === true, 'the pending row selected');
    await app.press('k');
    await app.waitFor(() => highlightedRows(app.colorFrame())[0]?.includes('netra-flaky-1') === true, 'flaky selected');
  });

  it('alerts the book does not track yet are listed too (a state without a book): never dropped', async () => {
    const docker = { alerts: [MEMORY as never] };
    const app = await renderApp({ state: { docker } });
    await app.press('!');
    const frame = await app.waitFor('Not tracked yet (1)');
    expect(alertRows(frame)).toEqual([expect.stringMatching(/^ACTIVE\s+HIGH\s+docker\s+netra-api-1 memory at 92.0% of its limit$/)]);
  });
});

describe('Alerts view: Enter opens the runbook check', () => {
  it('runs the check for the alert’s subject and opens the Runbooks view on that result', async () => {
    const found: CheckResult = { code: 'NC103', title: 'Container was OOM-killed', severity: 'error', scope: 'container', target: 'netra-worker-1', status: 'fail', evidence: [], fix: 'raise the limit', command: 'docker inspect netra-worker-1', location: null, safeFix: null, subject: { container: 'netra-worker-1' } };
    const other: CheckResult = { ...found, code: 'NC100', title: 'Another check', target: 'netra-aaa-1', status: 'fail', subject: { container: 'netra-aaa-1' } };
    const app = await openAlerts({
      actions: ({ store }) => ({ runDoctor: () => store.setState((s) => ({ doctor: { ...s.doctor, results: [other, found], scope: 'container netra-worker-1, check NC103', running: false, finishedAt: NOW } })) }),
    });
    await app.press(KEY.enter);
    await app.waitFor('Runbooks — container netra-worker-1, check NC103');
    expect(app.calls('runDoctor')).toEqual([[{ code: 'NC103', container: 'netra-worker-1' }]]);
    await app.waitFor(() => highlightedRows(app.colorFrame())[0]?.includes('NC103') === true, 'the alert’s check selected');
  });

  it('an alert without a check says so', async () => {
    const app = await openAlerts();
    await app.press('j', 'j', 'j', 'j', KEY.enter);
    await app.waitFor((f) => footerLine(f).includes('no runbook check behind this cpu alert'), 'the notice');
    expect(app.calls('runDoctor')).toEqual([]);
  });
});

describe('Alerts view: ack', () => {
  it('a takes a typed note (Backspace edits it); Enter acks with it', async () => {
    const app = await openAlerts();
    await app.press('j', 'a');
    await app.waitFor('Acknowledge: netra-api-1 memory at 92.0% of its limit');
    await app.type('on it, q?');
    await app.press(KEY.backspace);
    await app.waitFor('Note (optional): on it, q█');
    expect(app.exited()).toBe(false);
    await app.press(KEY.enter);
    await app.waitFor((f) => !f.includes('Note (optional)'), 'the prompt closed');
    expect(app.calls('ackAlert')).toEqual([[key(MEMORY), 'on it, q']]);
    expect(app.store.getState().ui.overlay).toBe('alerts');
  });

  it('the note is optional; Esc cancels and acks nothing', async () => {
    const app = await openAlerts();
    await app.press('a');
    await app.waitFor('Note (optional): █');
    await app.type('x');
    await app.press(KEY.esc);
    await app.waitFor((f) => !f.includes('Note (optional)'), 'cancelled');
    expect(app.calls('ackAlert')).toEqual([]);
    await app.press('a', KEY.enter);
    await app.waitFor((f) => !f.includes('Note (optional)'), 'acked');
    expect(app.calls('ackAlert')).toEqual([[key(OOM), '']]);
  });
});

describe('Alerts view: silences', () => {
  it('s opens a form prefilled for the selected alert; Enter silences and shows what the silence answered', async () => {
    const app = await openAlerts({ actions: { silenceAlerts: async (m, d) => `silenced ${m} for ${d}: hides 1 alert` } });
    await app.press('j', 's');
    const form = await app.waitFor('Silence what the matchers match');
    expect(form).toMatch(/ {2}matchers {2}kind=memory subject=netra-api-1\s/);
    expect(form).toMatch(/ {2}duration {2}2h\s/);
    expect(form).toMatch(/▸ comment {3}█/);
    await app.type('load test');
    await app.press(KEY.enter);
    await app.waitFor((f) => footerLine(f) === 'silenced kind=memory subject=netra-api-1 for 2h: hides 1 alert', 'the answer');
    expect(app.calls('silenceAlerts')).toEqual([['kind=memory subject=netra-api-1', '2h', 'load test']]);
  });

  it('a duration or matcher it cannot read keeps the form open with the reason', async () => {
    const app = await openAlerts();
    await app.press('s', KEY.shiftTab, KEY.backspace, KEY.backspace);
    await app.type('soon');
    await app.waitFor('▸ duration  soon█');
    await app.press(KEY.enter);
    await app.waitFor('duration "soon" is not a number with a unit');
    expect(app.calls('silenceAlerts')).toEqual([]);
    await app.press(KEY.up);
    await app.type(' kind=bogus');
    await app.press(KEY.tab, KEY.backspace, KEY.backspace, KEY.backspace, KEY.backspace);
    await app.type('30m');
    await app.press(KEY.enter);
    await app.waitFor('silence matcher "kind=bogus": kind is one of');
    await app.press(KEY.esc);
    await app.waitFor((f) => !f.includes('Silence what the matchers match'), 'cancelled');
    expect(app.calls('silenceAlerts')).toEqual([]);
  });

  it('lists the silences with matchers, expiry, author, comment and what each hides; S then x expires one', async () => {
    const app = await openAlerts();
    const frame = app.lastFrame();
    expect(frame).toContain('Silences (1) — S selects them');
    expect(frame).toMatch(/kind=service-not-ready · expires in 1h5[89]m · by sam · hides 1 alert · "auth redeploy under way"/);
    await app.press('x');
    await app.waitFor((f) => footerLine(f).includes('x expires a silence: S selects the silences first'), 'the notice');
    await app.press('S');
    await app.waitFor('Silences (1) — x expires the selected one');
    expect(highlightedRows(app.colorFrame())).toEqual([expect.stringContaining('kind=service-not-ready')]);
    await app.press('x');
    expect(app.calls('expireSilence')).toEqual([['s1']]);
  });
});

describe('Alerts view: read-only', () => {
  it('ack, silence and expire are refused with a notice', async () => {
    const app = await openAlerts({ state: { readOnly: true } });
    for (const [k, word] of [['a', 'ack'], ['s', 'silence'], ['x', 'expire silence']] as const) {
      await app.press(k);
      await app.waitFor((f) => footerLine(f).includes(`read-only console: ${word} refused`), `${k} refused`);
    }
    expect(app.store.getState().ui.overlay).toBe('alerts');
    expect([...app.calls('ackAlert'), ...app.calls('silenceAlerts'), ...app.calls('expireSilence')]).toEqual([]);
  });
});

describe('status bar', () => {
  it('counts what needs attention: firing and pending, not acked, silenced or resolved', async () => {
    const app = await renderApp({ columns: 140, state: { alertBook: book() } });
    const [counts, bannerLine] = app.lastFrame().split('\n');
    expect(counts).toContain(' alerts: 4 ');
    expect(bannerLine).toMatch(/^▲ CRITICAL netra-worker-1 was OOM-killed.*\(\+3 more: ! lists them\)$/);
  });

  it('says when every active alert is acked or silenced, rather than that there are none', async () => {
    const quiet = silence(book(), { id: 's2', matchers: [{ label: 'subject', value: 'netra-*' }], createdAt: Date.now() - 60 * S, expiresAt: Date.now() + 3_600 * S, author: 'sam', comment: '' });
    const app = await renderApp({ columns: 140, state: { alertBook: quiet } });
    const [counts, bannerLine] = app.lastFrame().split('\n');
    expect(counts).toContain(' alerts: 0 ');
    expect(bannerLine).toBe('  no alert needs attention · 6 acked, silenced or inhibited (! lists them)');
  });
});

describe('help', () => {
  it('lists ! for the Alerts view', async () => {
    const app = await renderApp({ rows: 50 });
    await app.press('?');
    expect(await app.waitFor('Keys — press ? or Esc to close')).toMatch(/! {10}Alerts view: firing, pending/);
  });
});
