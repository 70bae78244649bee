/**
 * The Logs panel rendered by Ink (ink-testing-library) with a real store and ring, at the narrowest window the
 * console supports (80 columns): the header must stay one row whatever it has to say, and the highlighted line
 * must be the one Enter opens.
 */
import { render } from 'ink-testing-library';
import { createElement } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import type { NewLogLine } from '../../src/domain/log-line';
import { openLogEntry } from '../../src/store/log-actions';
import { LogRing } from '../../src/store/log-ring';
import type { LogsState } from '../../src/store/logs-state';
import type { AppStore } from '../../src/store/store';
import { AppProvider, type AppActions } from '../../src/ui/context';
import { LogsPanel } from '../../src/ui/panels/LogsPanel';
import { appStore } from './support';

const WIDTH = 80;
const HEIGHT = 10;
const ROW = /^│ \d\d:\d\d:\d\d\.\d{3} /;

const noActions: AppActions = {
  setShowAll: () => undefined,
  refreshCloudRun: () => undefined,
  runRollback: () => undefined,
  cancelRollback: () => undefined,
  startSwitch: () => undefined,
  runSwitch: () => undefined,
  buildMissing: () => undefined,
  revertSwitch: () => undefined,
  closeSwitch: () => undefined,
  startRebuild: () => undefined,
  runRebuild: () => undefined,
  closeRebuild: () => undefined,
  saveLogs: async () => '',
  loadLogEntry: () => undefined,
  runDoctor: () => undefined,
  restartContainer: () => undefined,
  ackAlert: () => undefined,
  silenceAlerts: async () => '',
  expireSilence: () => undefined,
};

function line(i: number, overrides: Partial<NewLogLine> = {}): NewLogLine {
  return {
    origin: 'container',
    insertId: null,
    timestamp: `2026-01-05T10:00:${String(i % 60).padStart(2, '0')}.000Z`,
    source: 'netra-backend-1',
    severity: 'WARNING',
    message: `line ${i}${i % 5 === 0 ? ' timeout' : ''}`,
    detail: null,
    ...overrides,
  };
}

let unmount: (() => void) | null = null;
afterEach(() => {
  unmount?.();
  unmount = null;
});

/** The panel's rows as plain text, after the store says `logs` and the search is `search`. */
function renderPanel(store: AppStore, ring: LogRing, logs: Partial<LogsState>, search = ''): string[] {
  store.setState((s) => ({ logs: { ...s.logs, lastSeq: ring.lastSeq, ...logs }, ui: { ...s.ui, focus: 'logs', filters: { ...s.ui.filters, logs: search } } }));
  const panel = createElement(LogsPanel, { width: WIDTH, height: HEIGHT });
  const app = render(createElement(AppProvider, { store, actions: noActions, logRing: ring, children: panel }));
  unmount = app.unmount;
  return (app.lastFrame() ?? '').replace(/\x1b\[[\d;]*m/g, '').split('\n');
}

function filledRing(count: number): LogRing {
  const ring = new LogRing(1000);
  for (let i = 1; i <= count; i++) ring.push(line(i));
  return ring;
}

describe('the Logs panel at 80 columns', () => {
  it('keeps the header on one row when everything is on: paused, reconnecting, every filter and a search', () => {
    const store = appStore();
    const ring = filledRing(12_345);
    const rows = renderPanel(
      store,
      ring,
      {
        paused: true,
        anchorSeq: 12_000,
        pausedAtSeq: 12_000,
        cursorSeq: 12_000,
        containers: 12,
        cloud: { state: 'reconnecting', reason: 'The service is currently unavailable.', retryAt: Date.now() + 4_500 },
        filter: { minSeverity: 'WARNING', origin: 'container', onlyMatches: true },
      },
      'timeout',
    );
    expect(rows).toHaveLength(HEIGHT);
    for (const row of rows) expect(row.length, row).toBeLessThanOrEqual(WIDTH);
    const header = rows[1]!;
    // What must never be lost: which panel, the tail's state, every filter that hides lines, and the pause.
    expect(header).toMatch(/^│ \[4\] Logs ✘ cloud /);
    expect(header).toContain('≥WARNING');
    expect(header).toMatch(/ctr only|containers only/);
    expect(header).toContain('/timeout');
    expect(header).toContain('PAUSED +345');
    expect(header.endsWith('│')).toBe(true);
    // The row under the header is a log line, not the rest of a wrapped header.
    expect(rows.slice(2, HEIGHT - 1).every((row) => ROW.test(row)), rows.join('\n')).toBe(true);
  });

  it('shows the whole header when it fits, and drops the counts before the state when it does not', () => {
    const store = appStore();
    const ring = filledRing(40);
    const quiet = renderPanel(store, ring, { containers: 3, cloud: { state: 'live' } });
    expect(quiet[1]).toMatch(/^│ \[4\] Logs ● cloud live · 3 containers · 40 lines +following │$/);
    unmount?.();

    const busy = renderPanel(store, ring, { containers: 3, cloud: { state: 'live' }, filter: { minSeverity: 'WARNING', origin: 'cloud', onlyMatches: true } }, 'timeout|deadline');
    expect(busy[1]!.length).toBe(WIDTH);
    expect(busy[1]).toContain('/timeout|deadline');
    expect(busy[1]).not.toContain('following');
    // The header did not wrap: the next row says what the filters leave (no Cloud lines here).
    expect(busy[2]).toMatch(/^│ No lines pass the filters +│$/);
  });

  it('highlights, with wrapping on, the line Enter opens, even when it is the oldest line on screen', () => {
    const store = appStore();
    const ring = new LogRing(100);
    for (let i = 1; i <= 30; i++) ring.push(line(i, { message: `line ${i} ${'x'.repeat(120)}` }));
    // Paused with the cursor on the first of the seven lines the view ends with; wrapped, they do not all fit.
    const rows = renderPanel(store, ring, { paused: true, anchorSeq: 30, pausedAtSeq: 30, cursorSeq: 24, wrap: true });
    expect(store.getState().logs.viewRows).toBe(HEIGHT - 3);
    openLogEntry(store, ring);
    expect(store.getState().logs.entry?.seq).toBe(24);
    expect(rows.some((row) => ROW.test(row) && row.includes('line 24 ')), rows.join('\n')).toBe(true);
  });
});
