/** The Logs panel ([4]) and the entry view: lines from a LogRing, pause/follow, search, filters, save, key → screen. */
import { afterEach, describe, expect, it } from 'vitest';
import type { NewLogLine } from '../../src/domain/log-line';
import { cleanupApps, footerLine, highlightedRows, KEY, logLine, panelLines, renderApp, sgrAt, titleLine } from '../support/render-app';

afterEach(cleanupApps);

const LOGS = '[4] Logs';
const TIME = /^\d\d:\d\d:\d\d\.\d{3} /;
/** Log rows inside the panel (not the header). */
const logRows = (frame: string) => panelLines(frame, LOGS).filter((l) => l.trim() !== '');
const header = (frame: string) => titleLine(frame, LOGS);

/** tick 1 … tick n from a container, every 4th a beacon, every 5th a warning; and two Cloud Run lines. */
function mixed(n = 12): NewLogLine[] {
  const lines: NewLogLine[] = [];
  for (let i = 1; i <= n; i++) {
    lines.push(logLine({ message: `tick ${i}${i % 4 === 0 ? ' beacon' : ''}`, severity: i % 5 === 0 ? 'WARNING' : 'DEFAULT' }));
    if (i === 3) lines.push(logLine({ origin: 'cloud', insertId: 'abc123', source: 'netra-auth/00006', severity: 'INFO', message: 'GET /health 200 3ms' }));
    if (i === 7) lines.push(logLine({ origin: 'cloud', insertId: 'def456', source: 'netra-backend-staging/00024', severity: 'ERROR', message: 'db timeout' }));
  }
  return lines;
}

/** The Logs panel focused and zoomed, so that every line of a test shows. */
const focusedLogs = { ui: { focus: 'logs' as const, zoom: true } };

describe('Logs panel', () => {
  it('shows the lines with time, source, severity and message; the header counts them', async () => {
    const app = await renderApp({ logLines: mixed(), state: { logs: { containers: 1, cloud: { state: 'live' } } }, rows: 50 });
    const frame = app.lastFrame();
    expect(header(frame)).toMatch(/\[4\] Logs ● cloud live · 1 containers · 14 lines .*following/);
    const rows = logRows(frame);
    expect(rows.every((r) => TIME.test(r))).toBe(true);
    expect(rows.at(-1)).toMatch(/^\d\d:\d\d:\d\d\.\d{3} netra-api-1 +DEFAULT tick 12 beacon$/);
    expect(rows.find((r) => r.includes('db timeout'))).toMatch(/netra-backend-staging\/00024 +ERROR +db timeout$/);
    expect(sgrAt(app.colorFrame(), 'db timeout')).toContain('31');
    expect(sgrAt(app.colorFrame(), 'tick 10')).toContain('33');
  });

  it('while the Cloud tail is tried again after a failure, the header keeps saying why, in red', async () => {
    const reason = 'no answer from 127.0.0.1:47123 within 20 s';
    const app = await renderApp({ logLines: mixed(), state: { logs: { containers: 1, cloud: { state: 'connecting', lastError: reason } } }, rows: 50 });
    expect(header(app.lastFrame())).toContain(`✘ cloud retrying now (${reason})`);
    expect(sgrAt(app.colorFrame(), '✘ cloud retrying now')).toContain('31');
    const first = await renderApp({ logLines: mixed(), state: { logs: { containers: 1, cloud: { state: 'connecting' } } }, rows: 50 });
    expect(header(first.lastFrame())).toContain('◌ cloud connecting ·');
  });

  it('says when no line has come yet, and when the filters hide every line', async () => {
    const app = await renderApp({ state: focusedLogs });
    expect(app.lastFrame()).toContain('Waiting for log lines…');
    app.addLogLines([logLine({ message: 'only default' })]);
    await app.waitFor('only default');
    await app.press('v');
    await app.waitFor('No lines pass the filters');
  });

  it('4 focuses the Logs panel (its title in the focus colour); new lines appear while following', async () => {
    const app = await renderApp({ logLines: mixed(3), rows: 50 });
    await app.press('4');
    await app.waitFor(() => sgrAt(app.colorFrame(), '[4] Logs').includes('36'), 'the Logs title in cyan');
    expect(sgrAt(app.colorFrame(), '[1] Containers')).not.toContain('36');
    app.addLogLines([logLine({ message: 'fresh line' })]);
    const frame = await app.waitFor('fresh line');
    expect(logRows(frame).at(-1)).toContain('fresh line');
  });

  it('Space pauses: the view stays while the header counts new lines; End follows again', async () => {
    const app = await renderApp({ logLines: mixed(), state: focusedLogs, rows: 50 });
    await app.press(KEY.space);
    let frame = await app.waitFor((f) => header(f).includes('PAUSED +0 new'), 'PAUSED');
    const frozen = logRows(frame);
    app.addLogLines([logLine({ message: 'later 1' }), logLine({ message: 'later 2' })]);
    frame = await app.waitFor((f) => header(f).includes('PAUSED +2 new · End follows'), '+2 new');
    expect(logRows(frame)).toEqual(frozen);
    expect(frame).not.toContain('later 1');
    await app.press(KEY.end);
    frame = await app.waitFor((f) => header(f).includes('following') && f.includes('later 2'), 'following');
    expect(header(frame)).not.toContain('PAUSED');
  });

  it('p pauses too, and p again resumes following', async () => {
    const app = await renderApp({ logLines: mixed(), state: focusedLogs });
    await app.press('p');
    await app.waitFor((f) => header(f).includes('PAUSED'), 'PAUSED');
    await app.press('p');
    await app.waitFor((f) => header(f).includes('following'), 'following');
  });

  it('k scrolls back and pauses, with the selected line in reverse; j moves down again', async () => {
    const app = await renderApp({ logLines: mixed(), state: focusedLogs, rows: 50 });
    expect(highlightedRows(app.colorFrame())).toEqual([]);
    await app.press('k');
    await app.waitFor((f) => header(f).includes('PAUSED'), 'PAUSED');
    expect(highlightedRows(app.colorFrame())).toEqual([expect.stringMatching(/ tick 11$/)]);
    await app.press('k', 'k', KEY.up);
    await app.waitFor(() => /tick 8 beacon$/.test(highlightedRows(app.colorFrame())[0] ?? ''), 'tick 8 selected (the Cloud line counts as one)');
    await app.press('j');
    await app.waitFor(() => /tick 9$/.test(highlightedRows(app.colorFrame())[0] ?? ''), 'tick 9 selected');
    await app.press('g');
    await app.waitFor(() => /tick 1$/.test(highlightedRows(app.colorFrame())[0] ?? ''), 'the oldest line selected');
    await app.press('G');
    await app.waitFor((f) => header(f).includes('following') && highlightedRows(app.colorFrame()).length === 0, 'G follows');
  });

  it('/ searches: the header shows the search and only the matches are highlighted (yellow background)', async () => {
    const app = await renderApp({ logLines: mixed(), state: focusedLogs, rows: 50 });
    await app.press('/');
    await app.type('beacon');
    await app.waitFor((f) => header(f).includes('/beacon█'), '/beacon█');
    await app.press(KEY.enter);
    await app.waitFor((f) => header(f).includes('/beacon') && !header(f).includes('█'), 'the kept search');
    const colored = app.colorFrame();
    expect(sgrAt(colored, 'beacon', 'tick 12 beacon')).toContain('43');
    expect(sgrAt(colored, 'tick 12')).not.toContain('43');
    // Every line still shows; the search only marks.
    expect(logRows(app.lastFrame()).some((r) => r.endsWith('tick 11'))).toBe(true);
  });

  it('f shows only the matching lines, and f again all of them', async () => {
    const app = await renderApp({ logLines: mixed(), state: { ui: { ...focusedLogs.ui, filters: { logs: 'beacon' } } } });
    await app.press('f');
    let frame = await app.waitFor((f) => header(f).includes('/beacon (only matches)'), 'only matches');
    expect(logRows(frame).map((r) => r.replace(TIME, '').replace(/\s+/g, ' '))).toEqual(['netra-api-1 DEFAULT tick 4 beacon', 'netra-api-1 DEFAULT tick 8 beacon', 'netra-api-1 DEFAULT tick 12 beacon']);
    await app.press('f');
    frame = await app.waitFor((f) => !header(f).includes('only'), 'all lines');
    expect(logRows(frame).some((r) => r.endsWith('tick 11'))).toBe(true);
  });

  it('n and N jump between the matching lines, pausing there', async () => {
    const app = await renderApp({ logLines: mixed(), state: { ui: { ...focusedLogs.ui, filters: { logs: 'beacon' } } } });
    await app.press('n');
    await app.waitFor(() => /tick 4 beacon$/.test(highlightedRows(app.colorFrame())[0] ?? ''), 'the first match');
    expect(header(app.lastFrame())).toContain('PAUSED');
    await app.press('n');
    await app.waitFor(() => /tick 8 beacon$/.test(highlightedRows(app.colorFrame())[0] ?? ''), 'the next match');
    await app.press('N');
    await app.waitFor(() => /tick 4 beacon$/.test(highlightedRows(app.colorFrame())[0] ?? ''), 'back to the first');
    await app.press('N');
    await app.waitFor((f) => footerLine(f) === 'no earlier line matches /beacon', 'no earlier match');
  });

  it('n without a search says to type one first', async () => {
    const app = await renderApp({ logLines: mixed(), state: focusedLogs });
    await app.press('n');
    await app.waitFor((f) => footerLine(f) === 'type a search with / first', 'the notice');
  });

  it('v raises the minimum severity: ≥INFO, ≥WARNING, ≥ERROR, then any again', async () => {
    const app = await renderApp({ logLines: mixed(), state: focusedLogs, rows: 50 });
    const severities = (f: string) => logRows(f).map((r) => r.replace(TIME, '').split(/\s+/)[1]);
    await app.press('v');
    let frame = await app.waitFor((f) => header(f).includes('≥INFO'), '≥INFO');
    expect(new Set(severities(frame))).toEqual(new Set(['INFO', 'WARNING', 'ERROR']));
    await app.press('v');
    frame = await app.waitFor((f) => header(f).includes('≥WARNING'), '≥WARNING');
    expect(new Set(severities(frame))).toEqual(new Set(['WARNING', 'ERROR']));
    await app.press('v');
    frame = await app.waitFor((f) => header(f).includes('≥ERROR'), '≥ERROR');
    expect(severities(frame)).toEqual(['ERROR']);
    await app.press('v');
    frame = await app.waitFor((f) => !header(f).includes('≥'), 'any severity');
    expect(severities(frame)).toContain('DEFAULT');
  });

  it('o picks the sources: Cloud Run only, containers only, all', async () => {
    const app = await renderApp({ logLines: mixed(), state: focusedLogs, rows: 50 });
    const sources = (f: string) => new Set(logRows(f).map((r) => r.replace(TIME, '').split(/\s+/)[0]));
    await app.press('o');
    let frame = await app.waitFor((f) => header(f).includes('Cloud Run only'), 'Cloud Run only');
    expect(sources(frame)).toEqual(new Set(['netra-auth/00006', 'netra-backend-staging/00024']));
    await app.press('o');
    frame = await app.waitFor((f) => header(f).includes('containers only'), 'containers only');
    expect(sources(frame)).toEqual(new Set(['netra-api-1']));
    await app.press('o');
    frame = await app.waitFor((f) => !/only/.test(header(f)), 'all sources');
    expect(sources(frame).size).toBe(3);
  });

  it('t hides the timestamps and shows them again', async () => {
    const app = await renderApp({ logLines: mixed(), state: focusedLogs });
    await app.press('t');
    await app.waitFor((f) => logRows(f).length > 0 && logRows(f).every((r) => !TIME.test(r)), 'no timestamps');
    await app.press('t');
    await app.waitFor((f) => logRows(f).every((r) => TIME.test(r)), 'timestamps');
  });

  it('w wraps long lines instead of cutting them', async () => {
    const long = `long ${'0'.repeat(150)} tail-end`;
    const app = await renderApp({ logLines: [logLine({ message: long })], state: focusedLogs });
    expect(app.lastFrame()).not.toContain('tail-end');
    await app.press('w');
    const frame = await app.waitFor('tail-end');
    expect(panelLines(frame, LOGS).filter((l) => l.includes('0000')).length).toBeGreaterThan(1);
  });

  it('s saves the filtered lines and shows where', async () => {
    const app = await renderApp({ logLines: mixed(), state: focusedLogs, actions: { saveLogs: async () => 'saved 14 lines to /tmp/netra-logs-1.log' } });
    await app.press('s');
    await app.waitFor((f) => footerLine(f) === 'saved 14 lines to /tmp/netra-logs-1.log', 'the saved notice');
    expect(app.calls('saveLogs')).toHaveLength(1);
    // The next key clears the notice.
    await app.press('t');
    await app.waitFor((f) => footerLine(f).includes('q quit'), 'the footer back');
  });

  it('Enter on a container line shows its whole entry (no fetch); Esc closes it', async () => {
    const lines = [logLine({ source: 'netra-api-1 (stderr)', message: 'boom', detail: '{"level":"error","message":"boom","user":42}', severity: 'ERROR' })];
    const app = await renderApp({ logLines: lines, state: focusedLogs });
    await app.press(KEY.enter);
    const frame = await app.waitFor('— Esc closes');
    expect(frame).toContain('netra-api-1 (stderr) ERROR — Esc closes');
    expect(frame).toContain('"container": "netra-api-1"');
    expect(frame).toContain('"stream": "stderr"');
    expect(frame).toContain('"text": "{\\"level\\":\\"error\\",\\"message\\":\\"boom\\",\\"user\\":42}"');
    expect(frame).not.toContain(LOGS);
    expect(app.calls('loadLogEntry')).toEqual([]);
    await app.press(KEY.esc);
    await app.waitFor((f) => f.includes(LOGS) && !f.includes('— Esc closes'), 'the panel again');
  });

  it('Enter on a Cloud Run line fetches the whole entry by its insertId and shows it when it arrives', async () => {
    const app = await renderApp({
      logLines: mixed(3),
      state: focusedLogs,
      actions: ({ store }) => ({
        loadLogEntry: (line) =>
          void Promise.resolve().then(() =>
            store.setState((s) => ({ logs: { ...s.logs, entry: { seq: line.seq, state: 'loaded', json: JSON.stringify({ insertId: line.insertId, resource: { type: 'cloud_run_revision' } }) } } })),
          ),
      }),
    });
    // The Cloud line is the newest: Enter while following opens it.
    await app.press(KEY.enter);
    const frame = await app.waitFor('"insertId": "abc123"');
    expect(frame).toContain('netra-auth/00006 INFO — Esc closes');
    expect(frame).toContain('"resource": {');
    expect(app.calls('loadLogEntry')).toHaveLength(1);
    expect(app.calls('loadLogEntry')[0]![0]).toMatchObject({ insertId: 'abc123', message: 'GET /health 200 3ms' });
  });

  it('the entry view says when it is fetching and when the fetch failed', async () => {
    const app = await renderApp({ logLines: [logLine({ origin: 'cloud', insertId: 'x1', source: 'netra-auth/00006', message: 'hi' })], state: focusedLogs });
    await app.press(KEY.enter);
    await app.waitFor('Fetching the whole entry from Cloud Logging…');
    app.store.setState((s) => ({ logs: { ...s.logs, entry: { seq: s.logs.entry!.seq, state: 'failed', reason: 'permission denied' } } }));
    await app.waitFor('permission denied. Esc, then Enter tries again.');
  });

  it('Enter while following opens the newest line shown, not a newer one the filter hides', async () => {
    const app = await renderApp({ logLines: mixed(), state: { ui: { ...focusedLogs.ui, filters: { logs: 'beacon' } }, logs: { filter: { onlyMatches: true } } } });
    app.addLogLines([logLine({ message: 'tick 13' })]);
    await app.waitFor((f) => header(f).includes('14 lines') || header(f).includes('15 lines'), 'the new line counted');
    await app.press(KEY.enter);
    await app.waitFor('"text": "tick 12 beacon"');
  });

  it('console notices show as marked lines', async () => {
    const app = await renderApp({ logLines: [logLine({ origin: 'notice', source: 'cloud logging', message: '12 entries suppressed: rate limit' })] });
    expect(app.lastFrame()).toContain('⚑ 12 entries suppressed: rate limit');
  });

  it('z zooms the Logs panel to the whole window, and back', async () => {
    const app = await renderApp({ logLines: mixed(40), state: { ui: { focus: 'logs' } }, rows: 40 });
    const before = logRows(app.lastFrame()).length;
    await app.press('z');
    const zoomed = await app.waitFor((f) => !f.includes('[1] Containers') && logRows(f).length === 40 - 3 - 3, 'the zoomed panel');
    expect(zoomed).not.toContain('[3] Cloud Run');
    expect(before).toBeLessThan(20);
    await app.press('z');
    await app.waitFor((f) => f.includes('[1] Containers') && logRows(f).length === before, 'the stack back');
  });

  it('in a window under 36 rows the Logs panel is not stacked; 4 shows it zoomed, 1 goes back', async () => {
    const app = await renderApp({ logLines: mixed(40), columns: 80, rows: 24 });
    expect(app.lastFrame()).not.toContain(LOGS);
    await app.press('4');
    const frame = await app.waitFor((f) => f.includes(LOGS) && !f.includes('[1] Containers'), 'Logs alone');
    expect(logRows(frame).length).toBe(24 - 3 - 3);
    await app.press('1');
    await app.waitFor((f) => f.includes('[1] Containers') && !f.includes(LOGS), 'the stack back');
  });
});
