/** The Cloud Run panel ([3]) and its revisions view: services, traffic, problems, refresh, errors, key → screen. */
import { afterEach, describe, expect, it } from 'vitest';
import { cleanupApps, cloudRunWith, highlightedRows, KEY, NOW, panelLines, renderApp, rowsOf, sgrAt, titleLine } from '../support/render-app';
import { auth, frontend, longBackend, num, rev, staging } from './fixtures';

afterEach(cleanupApps);

const CLOUD_RUN = '[3] Cloud Run';
const CONTAINERS = '[1] Containers';
const BACKEND = 'netra-backend-staging';
const revisionsTitle = (service: string) => `[3] Cloud Run › ${service} revisions (Esc back)`;
const position = (frame: string, title = CLOUD_RUN) => / (\d+\/\d+)\s*│?$/.exec(titleLine(frame, title))?.[1];
const serviceRow = (frame: string, name: string) => rowsOf(frame, CLOUD_RUN).find((r) => r.split(/\s+/)[0] === name) ?? '';
/** The names in the service rows (not the footer line under them). */
const services = (frame: string) => rowsOf(frame, CLOUD_RUN).map((r) => r.split(/\s+/)[0]!).filter((n) => /^netra-[a-z-]+$/.test(n));
/** The rows of a revisions view (a revision name, then a space: not the footer's `name:`). */
const revisionRows = (frame: string, title: string) => rowsOf(frame, title).filter((r) => /^\S+-\d{5}-[a-z0-9]+ /.test(r));
/** The last line inside a panel (its footer). */
const bottom = (frame: string, title: string) => panelLines(frame, title).filter((l) => l.trim() !== '').at(-1) ?? '';
const withServices = (extra: object = {}) => ({ cloudRun: { ...cloudRunWith(staging()), ...extra } });

describe('Cloud Run panel', () => {
  it('shows each service: ready, latest ready and created, the traffic served, and its state', async () => {
    const app = await renderApp({ state: withServices(), columns: 150 });
    const frame = app.lastFrame();
    expect(titleLine(frame, CLOUD_RUN)).toMatch(/\[3\] Cloud Run netra-staging us-central1 SANDBOX +1\/3 │$/);
    expect(panelLines(frame, CLOUD_RUN)[0]).toMatch(/^SERVICE +READY +LATEST READY +LATEST CREATED +SERVING \(TRAFFIC\) +STATE/);
    expect(services(frame)).toEqual([BACKEND, 'netra-auth', 'netra-frontend-staging']);
    expect(serviceRow(frame, BACKEND)).toMatch(new RegExp(`^${BACKEND} +no +${rev(BACKEND, 4)} +${rev(BACKEND, 5)} +00004 100%, 00002 0% \\(stable\\) +steady`));
    expect(serviceRow(frame, 'netra-auth')).toMatch(/ yes .* 00006 90%, 00005 10% \(canary\) +steady/);
    expect(serviceRow(frame, 'netra-frontend-staging')).toContain('LATEST(00005) 100%');
  });

  it('flags the selected service’s problem at the bottom in red: the first line of its condition only', async () => {
    const app = await renderApp({ state: withServices(), columns: 150 });
    const frame = app.lastFrame();
    expect(bottom(frame, CLOUD_RUN)).toMatch(new RegExp(`^${BACKEND}: Revision '${rev(BACKEND, 5)}' is not ready and cannot serve traffic\\.`));
    expect(frame).not.toContain('Logs URL');
    expect(sgrAt(app.colorFrame(), `${BACKEND}: Revision`)).toContain('31');
    // The not-ready service raises the top alert in the status bar.
    expect(frame.split('\n')[1]).toMatch(new RegExp(`^▲ CRITICAL ${BACKEND} is not ready`));
  });

  it('3 focuses the panel; j moves; a service without problems shows the age and the keys', async () => {
    const app = await renderApp({ state: withServices({ updatedAt: NOW - 5_000 }) });
    await app.press('3');
    await app.waitFor((f) => titleLine(f, CLOUD_RUN) !== '' && app.store.getState().ui.focus === 'cloudrun', 'focus');
    await app.press('j');
    const frame = await app.waitFor((f) => position(f) === '2/3', '2/3');
    expect(bottom(frame, CLOUD_RUN)).toMatch(/^updated \d+s ago · Enter revisions · Ctrl-R refresh/);
    expect(highlightedRows(app.colorFrame())).toEqual([expect.stringMatching(/^netra-auth /)]);
  });

  it('Enter lists the revisions of the selected service, newest first, with traffic and tags; Esc goes back', async () => {
    const app = await renderApp({ state: { ...withServices(), ui: { focus: 'cloudrun' } }, columns: 150 });
    await app.press('j', KEY.enter);
    let frame = await app.waitFor(revisionsTitle('netra-auth'));
    expect(frame).not.toContain(CONTAINERS);
    expect(position(frame, revisionsTitle('netra-auth'))).toBe('1/6');
    const lines = panelLines(frame, revisionsTitle('netra-auth'));
    expect(lines[0]).toMatch(/^REVISION +AGE +STATE +IMAGE +VARIANT +MEM +CPU +MIN\/MAX +TRAFFIC +TAGS/);
    const rows = revisionRows(frame, revisionsTitle('netra-auth'));
    expect(rows.map((r) => num(r.split(/\s+/)[0]!))).toEqual(['00006', '00005', '00004', '00003', '00002', '00001']);
    expect(rows[0]).toMatch(/ready +auth:v2\.0-alpine +alpine +2Gi +1000m +1\/5 +90%/);
    expect(rows[1]).toMatch(/ready +app:v1\.5 +regular .* 10% canary$/);
    expect(rows[2]).toMatch(/ 0%$/);
    expect(bottom(frame, revisionsTitle('netra-auth'))).toBe(`${rev('netra-auth', 6)}: ready`);
    await app.press(KEY.esc);
    frame = await app.waitFor((f) => f.includes(CONTAINERS) && f.includes(CLOUD_RUN), 'the panels');
    expect(frame).not.toContain('revisions (Esc back)');
    expect(position(frame)).toBe('2/3');
  });

  it('the revisions view moves with j and G, scrolls, and shows the selected revision’s condition', async () => {
    const app = await renderApp({ state: { cloudRun: cloudRunWith([longBackend()]), ui: { focus: 'cloudrun' } }, rows: 28 });
    await app.press(KEY.enter);
    const title = revisionsTitle(BACKEND);
    let frame = await app.waitFor((f) => position(f, title) === '1/25', '1/25');
    const visible = revisionRows(frame, title).length;
    expect(visible).toBeGreaterThan(10);
    expect(visible).toBeLessThan(25);
    expect(bottom(frame, title)).toMatch(new RegExp(`^${rev(BACKEND, 25)}: The user-provided container failed to start`));
    expect(sgrAt(app.colorFrame(), `${rev(BACKEND, 25)}: The user`)).toContain('31');
    await app.press(...Array<string>(visible).fill('j'));
    frame = await app.waitFor((f) => position(f, title) === `${visible + 1}/25`, 'scrolled by one');
    const rows = revisionRows(frame, title);
    expect(rows).toHaveLength(visible);
    expect(rows[0]!.startsWith(rev(BACKEND, 24))).toBe(true);
    expect(highlightedRows(app.colorFrame())).toEqual([expect.stringContaining(rev(BACKEND, 25 - visible))]);
    await app.press('G');
    frame = await app.waitFor((f) => position(f, title) === '25/25', '25/25');
    expect(bottom(frame, title)).toBe(`${rev(BACKEND, 1)}: ready`);
    expect(rowsOf(frame, title).find((r) => r.startsWith(rev(BACKEND, 17)))).toMatch(/backend:v1\.17 +regular .* 0% stable$/);
  });

  it('Ctrl-R asks for a refresh now, from the panel and from the revisions view', async () => {
    const app = await renderApp({ state: { ...withServices(), ui: { focus: 'cloudrun' } } });
    await app.press(KEY.ctrlR);
    expect(app.calls('refreshCloudRun')).toHaveLength(1);
    await app.press(KEY.enter);
    await app.waitFor('revisions (Esc back)');
    await app.press(KEY.ctrlR);
    expect(app.calls('refreshCloudRun')).toHaveLength(2);
    // Ctrl-R works whichever panel has the focus.
    await app.press(KEY.esc, '1', KEY.ctrlR);
    expect(app.calls('refreshCloudRun')).toHaveLength(3);
  });

  it('shows refreshing… while a read is under way', async () => {
    const app = await renderApp({ state: withServices({ refreshing: true }), columns: 150 });
    await app.press('3', 'j');
    await app.waitFor((f) => /refreshing… updated \S+ ago/.test(bottom(f, CLOUD_RUN)), 'refreshing…');
  });

  it('says it is loading before the first answer', async () => {
    const app = await renderApp();
    expect(panelLines(app.lastFrame(), CLOUD_RUN)[0]).toBe('Loading Cloud Run services of netra-staging (us-central1) from in-process sandbox…');
  });

  it('an error before any data says what to do and when it retries, in red', async () => {
    const error = { kind: 'permission', message: 'missing permission run.services.list on project netra-staging: ask for roles/run.viewer' };
    const app = await renderApp({ state: { cloudRun: { loaded: true, error, retryAt: Date.now() + 4_000 } } as never, columns: 150 });
    const message = panelLines(app.lastFrame(), CLOUD_RUN)[0]!;
    expect(message).toMatch(/^missing permission run\.services\.list on project netra-staging: ask for roles\/run\.viewer — retrying in \d+s$/);
    expect(sgrAt(app.colorFrame(), 'missing permission')).toContain('31');
  });

  it('a Cloud Run that could not start says it is not tried again, not "retrying in 0s" for ever', async () => {
    const error = { kind: 'other', message: "Cloud Run could not start: Cannot find package 'google-gax'" };
    const app = await renderApp({ state: { cloudRun: { loaded: true, error, retryAt: null } } as never, columns: 150 });
    const message = panelLines(app.lastFrame(), CLOUD_RUN).slice(0, 2).join(' ');
    expect(message).toContain("Cloud Run could not start: Cannot find package 'google-gax' — not tried again: restart the console once it is fixed");
    expect(message).not.toContain('retrying');
  });

  it('an error with data on screen keeps the data and says it is stale', async () => {
    const error = { kind: 'unreachable', message: 'Cloud Run endpoint 127.0.0.1:1 unreachable (ECONNREFUSED)' };
    const app = await renderApp({ state: withServices({ error, retryAt: Date.now() + 4_000 }), columns: 150 });
    const frame = app.lastFrame();
    expect(bottom(frame, CLOUD_RUN)).toBe('stale: Cloud Run endpoint 127.0.0.1:1 unreachable (ECONNREFUSED)');
    expect(services(frame)).toEqual([BACKEND, 'netra-auth', 'netra-frontend-staging']);
  });

  it('an endpoint is named in the title and the badge, never SANDBOX', async () => {
    const app = await renderApp({ state: { cloudRun: { mode: 'endpoint', endpoint: '127.0.0.1:8085' } } });
    const frame = app.lastFrame();
    expect(titleLine(frame, CLOUD_RUN)).toMatch(/\[3\] Cloud Run netra-staging us-central1 via 127\.0\.0\.1:8085 +│$/);
    expect(frame.split('\n')[0]).toContain(' ENDPOINT 127.0.0.1:8085 ');
    expect(frame).not.toContain('SANDBOX');
  });

  it('a reconciling service shows … and reconciling; served traffic that differs is flagged', async () => {
    const a = auth();
    const reconciling = { ...a, ready: false, reconciling: true, traffic: [{ revision: rev('netra-auth', 6), percent: 50, tag: null, latest: false }, { revision: rev('netra-auth', 5), percent: 50, tag: 'canary', latest: false }] };
    const differs = { ...frontend(), trafficStatuses: [{ revision: rev('netra-frontend-staging', 4), percent: 100, tag: null, latest: false }] };
    const app = await renderApp({ state: { cloudRun: cloudRunWith([reconciling, differs]), ui: { focus: 'cloudrun' } }, columns: 150 });
    let frame = app.lastFrame();
    expect(rowsOf(frame, CLOUD_RUN)[0]).toMatch(/^netra-auth +… .* 00006 90%, 00005 10% \(canary\) +reconciling/);
    await app.press('j');
    frame = await app.waitFor((f) => position(f) === '2/2', '2/2');
    expect(bottom(frame, CLOUD_RUN)).toBe('netra-frontend-staging: traffic differs from what is served');
  });

  it('/ filters the services; Enter keeps the filter and opens the one left; Esc clears it', async () => {
    const app = await renderApp({ state: { ...withServices(), ui: { focus: 'cloudrun' } } });
    await app.press('/');
    await app.type('auth');
    let frame = await app.waitFor((f) => titleLine(f, CLOUD_RUN).includes('/auth█') && position(f) === '1/1', '/auth█');
    expect(services(frame)).toEqual(['netra-auth']);
    await app.press(KEY.enter);
    await app.waitFor((f) => /\/auth(?!█)/.test(titleLine(f, CLOUD_RUN)), 'the kept filter');
    await app.press(KEY.enter);
    await app.waitFor(revisionsTitle('netra-auth'));
    await app.press(KEY.esc);
    await app.waitFor((f) => titleLine(f, CLOUD_RUN).includes('/auth'), 'the filtered panel');
    await app.press(KEY.esc);
    frame = await app.waitFor((f) => position(f) === '2/3' || position(f) === '1/3', 'three services');
    expect(titleLine(frame, CLOUD_RUN)).not.toContain('/auth');
    await app.press('/');
    await app.type('zzz');
    frame = await app.waitFor('No rows match "zzz"');
    expect(services(frame)).toEqual([]);
  });

  it('an empty region says there are no services', async () => {
    const app = await renderApp({ state: { cloudRun: cloudRunWith([]) } });
    expect(app.lastFrame()).toContain('No Cloud Run services found in this project and region');
  });
});
