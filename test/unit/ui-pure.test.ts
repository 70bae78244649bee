import { describe, expect, it } from 'vitest';
import type { ContainerInfo } from '../../src/domain/types';
import { healthCounts, listRowIds, selectedRowId, visibleContainers } from '../../src/store/selectors';
import type { AppStore } from '../../src/store/store';
import {
  cycleFocus,
  editFilter,
  endFilter,
  focusPanel,
  moveSelection,
  PANEL_ORDER,
  startFilter,
} from '../../src/store/ui-actions';
import { fitColumns, type Column } from '../../src/ui/columns';
import { windowStart } from '../../src/ui/components/ListPanel';
import { fit, formatBytes, formatDuration, formatPids, groupDigits, sparkline } from '../../src/ui/format';
import { isNewline, splitKeyBurst } from '../../src/ui/key-burst';
import { totalsRow } from '../../src/ui/panels/StatsPanel';
import type { StatsRow } from '../../src/store/selectors';
import { appStore, container, stats } from './support';

const KiB = 1024;
const MiB = 1024 * KiB;
const GiB = 1024 * MiB;

describe('formatBytes', () => {
  it.each([
    [0, '0B'],
    [512, '512B'],
    [1023, '1023B'],
    [KiB, '1.0KiB'],
    [1536, '1.5KiB'],
    [100 * KiB, '100KiB'],
    [806_912, '788KiB'], // `docker stats` printed 788KiB for these bytes (test/fixtures/engine-stats)
    [8_962_048, '8.5MiB'], // docker: 8.547MiB
    [64 * MiB, '64.0MiB'],
    [512 * MiB, '512MiB'],
    [GiB, '1.0GiB'],
    [2.5 * 1024 * GiB, '2.5TiB'],
    [2048 * 1024 * GiB, '2048TiB'],
  ])('%d bytes is %s', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });

  it.each([null, Number.NaN, Number.POSITIVE_INFINITY])('shows %s as a dash', (value) => {
    expect(formatBytes(value)).toBe('-');
  });
});

describe('formatDuration', () => {
  it.each([
    [-5_000, '0s'],
    [0, '0s'],
    [999, '0s'],
    [59_999, '59s'],
    [60_000, '1m'],
    [61_000, '1m01s'],
    [3_599_000, '59m59s'],
    [3_600_000, '1h00m'],
    [3_661_000, '1h01m'],
    [86_399_000, '23h59m'],
    [86_400_000, '1d0h'],
    [90_061_000, '1d1h'],
    [100 * 86_400_000 + 23 * 3_600_000, '100d23h'],
  ])('%d ms is %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

describe('sparkline', () => {
  it('is always exactly `width` cells, right-aligned, showing the newest values', () => {
    expect(sparkline([], 12)).toBe(' '.repeat(12));
    expect(sparkline([0, 100], 12)).toBe(`${' '.repeat(10)}▁█`);
    const long = Array.from({ length: 40 }, (_, i) => (i < 30 ? 100 : 0));
    expect(sparkline(long, 12)).toBe('██' + '▁'.repeat(10));
  });

  it('scales to 100 % so that an idle container looks idle', () => {
    expect(sparkline([0, 50, 100], 3)).toBe('▁▅█');
    expect(sparkline([2, 3, 5], 3)).toBe('▁▁▁');
  });

  it('scales to the largest visible value above 100 %', () => {
    expect(sparkline([100, 200], 2)).toBe('▅█');
    expect(sparkline([400, 100, 200], 2)).toBe('▅█'); // 400 has scrolled out
  });

  it('clamps negative values to the lowest bar', () => {
    expect(sparkline([-20, 100], 2)).toBe('▁█');
  });
});

describe('groupDigits', () => {
  it.each([
    [0, '0'],
    [999, '999'],
    [1000, '1,000'],
    [12345, '12,345'],
    [1234567, '1,234,567'],
    [100000, '100,000'],
  ])('%d → %s', (count, text) => {
    expect(groupDigits(count)).toBe(text);
  });
});

describe('fit', () => {
  it.each<[string, number, 'left' | 'right' | undefined, string]>([
    ['netra-backend-1', 8, undefined, 'netra-b…'],
    ['netra-backend-1', 15, undefined, 'netra-backend-1'],
    ['auth', 8, undefined, 'auth    '],
    ['12.5%', 7, 'right', '  12.5%'],
    ['netra-backend-1', 8, 'right', 'netra-b…'],
    ['netra', 1, undefined, '…'],
    ['netra', 0, undefined, ''],
    ['netra', -3, 'right', ''],
  ])('fit(%j, %d, %s) is %j', (text, width, align, expected) => {
    expect(fit(text, width, align)).toBe(expected);
  });
});

describe('fitColumns', () => {
  const col = (title: string, width: number, priority: number, grow = false): Column<string> => ({ title, width, priority, grow, cell: () => title });
  const COLUMNS = [col('NAME', 10, 0, true), col('PIDS', 5, 3), col('CPU', 5, 1), col('NET', 5, 2)];
  const layout = (width: number) => fitColumns(COLUMNS, width).map((c) => `${c.title}:${c.width}`);

  it.each([
    // 10 + 5 + 5 + 5 wide plus 3 separating spaces = 28
    [28, ['NAME:10', 'PIDS:5', 'CPU:5', 'NET:5']],
    [31, ['NAME:13', 'PIDS:5', 'CPU:5', 'NET:5']],
    [27, ['NAME:15', 'CPU:5', 'NET:5']],
    [22, ['NAME:10', 'CPU:5', 'NET:5']],
    [21, ['NAME:15', 'CPU:5']],
    [16, ['NAME:10', 'CPU:5']],
    [15, ['NAME:15']],
    [5, ['NAME:10']],
  ])('at %d cells: %j', (width, expected) => {
    expect(layout(width)).toEqual(expected);
  });

  it('never exceeds the width while more than one column is left, and keeps the input untouched', () => {
    for (let width = 16; width <= 40; width++) {
      const kept = fitColumns(COLUMNS, width);
      expect(kept.reduce((sum, c) => sum + c.width, kept.length - 1)).toBe(width);
    }
    expect(COLUMNS[0]!.width).toBe(10);
  });
});

describe('windowStart', () => {
  it.each([
    [0, 5, 20, 0],
    [4, 5, 20, 0],
    [5, 5, 20, 1],
    [10, 5, 20, 6],
    [19, 5, 20, 15],
    [3, 10, 4, 0],
  ])('selection %d, %d visible of %d rows: starts at %d', (selected, visible, total, start) => {
    expect(windowStart(selected, visible, total)).toBe(start);
  });

  it('keeps every selection on screen without scrolling past the last row', () => {
    for (const total of [1, 5, 6, 23]) {
      for (let selected = 0; selected < total; selected++) {
        const start = windowStart(selected, 5, total);
        expect(start).toBeGreaterThanOrEqual(0);
        expect(selected).toBeGreaterThanOrEqual(start);
        expect(selected).toBeLessThan(start + 5);
        expect(start + 5).toBeLessThanOrEqual(Math.max(total, 5));
      }
    }
  });
});

describe('totalsRow', () => {
  const row = (id: string, s: Partial<StatsRow['stats']>): StatsRow => ({ id, name: id, cpuHistory: [1, 2], stats: stats(s), receivedAt: 1 });

  it('sums every column and computes MEM % against the sum of the limits', () => {
    const total = totalsRow([
      row('a', { cpuPercent: 50, memUsageBytes: 48 * MiB, memLimitBytes: 64 * MiB, netRxBytes: 10, netTxBytes: 20, blockReadBytes: 30, blockWriteBytes: 40, pids: 2 }),
      row('b', { cpuPercent: 25.5, memUsageBytes: 16 * MiB, memLimitBytes: 192 * MiB, netRxBytes: 1, netTxBytes: 2, blockReadBytes: 3, blockWriteBytes: 4, pids: 7 }),
    ]);
    expect(total).toEqual({
      id: 'total',
      name: 'TOTAL (2)',
      cpuHistory: [],
      receivedAt: null,
      stats: {
        cpuPercent: 75.5,
        memUsageBytes: 64 * MiB,
        memLimitBytes: 256 * MiB,
        memPercent: 25,
        netRxBytes: 11,
        netTxBytes: 22,
        blockReadBytes: 33,
        blockWriteBytes: 44,
        pids: 9,
      },
    });
  });

  it('has MEM % 0 without limits, and zeros for no rows', () => {
    expect(totalsRow([row('a', { memLimitBytes: 0, memUsageBytes: MiB })]).stats.memPercent).toBe(0);
    expect(totalsRow([])).toMatchObject({ name: 'TOTAL (0)', stats: { cpuPercent: 0, memPercent: 0, pids: null } });
  });

  it('sums the pids that are counted, and has none when no row has a count', () => {
    expect(totalsRow([row('a', { pids: 3 }), row('b', { pids: null }), row('c', { pids: 0 })]).stats.pids).toBe(3);
    expect(totalsRow([row('a', { pids: null }), row('b', { pids: null })]).stats.pids).toBeNull();
    expect([formatPids(null), formatPids(0), formatPids(12)]).toEqual(['--', '0', '12']);
  });
});

describe('selectors', () => {
  const byId = (...list: ContainerInfo[]) => Object.fromEntries(list.map((c) => [c.id, c]));
  const containers = byId(
    container({ id: 'web', project: 'netra', service: 'frontend', image: 'netra-frontend:regular' }),
    container({ id: 'api', project: 'netra', service: 'backend', image: 'netra-backend:alpine', health: 'unhealthy' }),
    container({ id: 'db', name: 'postgres', project: null, service: null, image: 'postgres:16', health: 'none' }),
    container({ id: 'pay', name: 'billing-backend-1', project: 'billing', service: 'backend', image: 'billing:1.2', health: 'starting' }),
    container({ id: 'api2', name: 'netra-backend-2', project: 'netra', service: 'backend' }),
  );
  const names = (list: ContainerInfo[]) => list.map((c) => c.name);

  it('sorts by project, service and name, with unlabelled containers last', () => {
    expect(names(visibleContainers(containers, ''))).toEqual(['billing-backend-1', 'netra-api-1', 'netra-backend-2', 'netra-web-1', 'postgres']);
  });

  it.each([
    ['  ', 5],
    ['BACKEND', 3], // service
    ['billing', 1], // project
    ['postgres:16', 1], // image
    ['api', 1], // name
    ['alpine', 2],
    ['nothing-like-this', 0],
  ])('filters %j case-insensitively on name, project, service or image', (filter, count) => {
    expect(visibleContainers(containers, filter)).toHaveLength(count);
  });

  it('counts containers by health', () => {
    expect(healthCounts(containers)).toEqual({ healthy: 2, unhealthy: 1, starting: 1, none: 1, exited: 0 });
    expect(healthCounts({})).toEqual({ healthy: 0, unhealthy: 0, starting: 0, none: 0, exited: 0 });
  });

  it('counts stopped containers as exited, not by the health they last had', () => {
    const stopped = byId(
      container({ id: 'a', state: 'exited', health: 'healthy', exitCode: 0 }),
      container({ id: 'b', state: 'exited', health: 'unhealthy', exitCode: 137 }),
      container({ id: 'c', state: 'created', health: 'starting' }),
      container({ id: 'd', state: 'dead', health: 'none' }),
      container({ id: 'e', health: 'unhealthy' }),
    );
    expect(healthCounts(stopped)).toEqual({ healthy: 0, unhealthy: 1, starting: 0, none: 0, exited: 4 });
  });

  it('lists the rows of each panel in display order: stats only for containers with stats', () => {
    const store = appStore();
    store.setState((s) => ({
      docker: { ...s.docker, containers, stats: { web: { latest: stats(), cpuHistory: [1], receivedAt: 1 }, api: { latest: stats(), cpuHistory: [1], receivedAt: 1 } } },
      ui: { ...s.ui, filters: { ...s.ui.filters, health: 'netra' } },
    }));
    expect(listRowIds(store.getState(), 'health')).toEqual(['api', 'api2', 'web']);
    expect(listRowIds(store.getState(), 'stats')).toEqual(['api', 'web']);
  });
});

describe('ui actions on the store', () => {
  function storeWithRows(count: number): AppStore {
    const store = appStore();
    const list = Array.from({ length: count }, (_, i) => container({ id: `c${i}`, name: `netra-c${String(i).padStart(2, '0')}` }));
    store.setState((s) => ({ docker: { ...s.docker, containers: Object.fromEntries(list.map((c) => [c.id, c])) } }));
    return store;
  }
  const selected = (store: AppStore) => store.getState().ui.selectedId.health;

  it('moves the selection and clamps it at both ends', () => {
    const store = storeWithRows(5);
    expect(selectedRowId(store.getState(), 'health')).toBe('c0');
    moveSelection(store, 1);
    expect(selected(store)).toBe('c1');
    moveSelection(store, 10);
    expect(selected(store)).toBe('c4');
    moveSelection(store, 1);
    expect(selected(store)).toBe('c4');
    moveSelection(store, -2);
    expect(selected(store)).toBe('c2');
    moveSelection(store, -10);
    expect(selected(store)).toBe('c0');
    moveSelection(store, Infinity);
    expect(selected(store)).toBe('c4');
    moveSelection(store, -Infinity);
    expect(selected(store)).toBe('c0');
  });

  it('moves within the filtered rows of the focused panel only', () => {
    const store = storeWithRows(12);
    store.setState((s) => ({ ui: { ...s.ui, filters: { ...s.ui.filters, health: 'c1' } } })); // c1, c10, c11
    moveSelection(store, Infinity);
    expect(selected(store)).toBe('c11');
    expect(store.getState().ui.selectedId.stats).toBeNull();
  });

  it('does nothing without rows', () => {
    const store = storeWithRows(0);
    const before = store.getState();
    moveSelection(store, 1);
    expect(store.getState()).toBe(before);
    expect(selectedRowId(store.getState(), 'health')).toBeNull();
  });

  it('falls back to the first row when the selected container is gone', () => {
    const store = storeWithRows(3);
    moveSelection(store, 2);
    store.setState((s) => ({ docker: { ...s.docker, containers: { c0: s.docker.containers.c0!, c1: s.docker.containers.c1! } } }));
    expect(selectedRowId(store.getState(), 'health')).toBe('c0');
  });

  it('cycles the focus through the panels in both directions, wrapping around', () => {
    const store = storeWithRows(1);
    expect(store.getState().ui.focus).toBe(PANEL_ORDER[0]);
    const seen = [];
    for (let i = 0; i < PANEL_ORDER.length; i++) {
      cycleFocus(store, 1);
      seen.push(store.getState().ui.focus);
    }
    expect(seen).toEqual([...PANEL_ORDER.slice(1), PANEL_ORDER[0]]);
    cycleFocus(store, -1);
    expect(store.getState().ui.focus).toBe(PANEL_ORDER.at(-1));
    expect(PANEL_ORDER).toEqual(expect.arrayContaining(['health', 'stats']));
  });

  it('edits the filter of the focused panel: Enter keeps it, Esc clears it', () => {
    const store = storeWithRows(3);
    focusPanel(store, 'stats');
    startFilter(store);
    expect(store.getState().ui.filterEditing).toBe(true);
    for (const ch of 'apix') editFilter(store, (text) => text + ch);
    editFilter(store, (text) => text.slice(0, -1));
    expect(store.getState().ui.filters).toEqual({ health: '', stats: 'api', cloudrun: '', logs: '', stacks: '' });
    endFilter(store, true);
    expect(store.getState().ui).toMatchObject({ filterEditing: false, filters: { health: '', stats: 'api' } });

    focusPanel(store, 'health');
    startFilter(store);
    editFilter(store, () => 'netra');
    endFilter(store, false);
    expect(store.getState().ui).toMatchObject({ filterEditing: false, filters: { health: '', stats: 'api' } });
  });

  it('stops filter editing when the focus moves', () => {
    const store = storeWithRows(1);
    startFilter(store);
    cycleFocus(store, 1);
    expect(store.getState().ui.filterEditing).toBe(false);
  });
});

describe('splitKeyBurst', () => {
  it('splits a burst at each newline and keeps the newlines as parts of their own', () => {
    expect(splitKeyBurst('/error\rN')).toEqual(['/error', '\r', 'N']);
    expect(splitKeyBurst('a\r\nb\nc\r')).toEqual(['a', '\r\n', 'b', '\n', 'c', '\r']);
    expect(splitKeyBurst('\r\r')).toEqual(['\r', '\r']);
  });

  it('leaves text without a newline whole', () => {
    expect(splitKeyBurst('netra-auth')).toEqual(['netra-auth']);
  });

  it('tells newlines from text', () => {
    expect(['\r', '\n', '\r\n'].every(isNewline)).toBe(true);
    expect(['r', '\r ', ' ', 'n'].some(isNewline)).toBe(false);
  });
});
