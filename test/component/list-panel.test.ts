/**
 * ListPanel draws each row as one pre-coloured string (one Ink node a row, not one a cell). What reaches the terminal
 * must be byte for byte what a `<Text color>` per cell would draw: the colours, the selection's inverse, the totals'
 * bold, and the truncation at the panel's edge.
 */
import chalk from 'chalk';
import { Box, Text } from 'ink';
import { render } from 'ink-testing-library';
import { createElement as h } from 'react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Column } from '../../src/ui/columns';
import { ListPanel } from '../../src/ui/components/ListPanel';
import { fit } from '../../src/ui/format';
import type { Colour } from '../../src/ui/theme';

interface Row {
  name: string;
  state: string;
  note: string;
}

const COLOUR: Record<string, Colour> = { running: 'green', exited: 'gray', dead: 'red', restarting: 'yellow' };
const columns: Column<Row>[] = [
  { title: 'NAME', width: 10, priority: 0, cell: (r) => r.name, color: (r) => (r.name === 'db' ? 'cyan' : undefined) },
  { title: 'STATE', width: 10, priority: 0, cell: (r) => r.state, color: (r) => COLOUR[r.state] },
  { title: 'NOTE', width: 30, priority: 1, grow: true, cell: (r) => r.note, color: (r) => (r.note.startsWith('!') ? 'magentaBright' : undefined) },
];
const rows: Row[] = [
  { name: 'api', state: 'running', note: 'fine' },
  { name: 'db', state: 'dead', note: '! a note far too long for its column, cut at the edge of the panel' },
  { name: 'queue', state: 'exited', note: '' },
  { name: 'cache', state: 'restarting', note: '! ü and 漢字 are wide or composed' },
];
const totals: Row = { name: 'TOTAL', state: '4', note: '! all of them' };
const WIDTH = 60;

/** The reference: the same row drawn as Ink draws a Text of one nested `<Text color>` per cell. */
function cellByCell(row: Row, opts: { inverse?: boolean; bold?: boolean }): string {
  const fitted = columns.map((c, i) => ({ text: (i > 0 ? ' ' : '') + fit(c.cell(row), c.width + (c.grow ? WIDTH - 4 - 52 : 0), c.align), color: opts.inverse ? undefined : c.color?.(row) }));
  const element = h(Box, { width: WIDTH - 4 }, h(Text, { inverse: opts.inverse, bold: opts.bold, wrap: 'truncate' }, ...fitted.map((cell, i) => h(Text, { key: i, color: cell.color }, cell.text))));
  const { lastFrame, unmount } = render(element);
  const line = lastFrame()!.trimEnd();
  unmount();
  return line;
}

let level = chalk.level;
beforeEach(() => {
  level = chalk.level;
  chalk.level = 1;
});
afterEach(() => {
  chalk.level = level;
});

describe('ListPanel rows', () => {
  it('draw exactly what a Text per cell draws: colours, the selection, the totals and the cut at the edge', () => {
    const panel = h(ListPanel<Row>, {
      number: 9,
      title: 'Things',
      focused: true,
      width: WIDTH,
      height: 12,
      rows,
      rowKey: (r) => r.name,
      columns,
      selectedKey: 'queue',
      filter: '',
      filterEditing: false,
      emptyText: 'none',
      summaryRow: totals,
    });
    const { lastFrame, unmount } = render(panel);
    const frame = lastFrame()!;
    unmount();
    const expected = [
      ...rows.map((r) => cellByCell(r, { inverse: r.name === 'queue' })),
      cellByCell(totals, { bold: true }),
    ];
    // Each reference line carries colour (so the comparison is not of plain text) and is found whole in the panel.
    expect(expected.filter((line) => line.includes('\x1b[3') || line.includes('\x1b[9')).length).toBeGreaterThanOrEqual(4);
    expect(expected.some((line) => line.includes('\x1b[7m'))).toBe(true);
    for (const line of expected) expect(frame).toContain(line);
  });
});
