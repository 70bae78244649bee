/**
 * Rows and status lines are drawn as one pre-styled string (src/ui/styled.ts) instead of a `<Text>` per part: one Ink
 * node a row, not one a cell. What reaches the terminal must be byte for byte what Ink's own `<Text>` draws: each
 * style, and ListPanel's rows (colours, the selection's inverse, the totals' bold, the cut at the panel's edge). With a
 * screen reader, for which Ink styles nothing, they carry no escape codes either.
 */
import chalk from 'chalk';
import { EventEmitter } from 'node:events';
import { Box, render as renderInk, Text } from 'ink';
import { render } from 'ink-testing-library';
import { createElement as h, type ReactElement } from 'react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Column } from '../../src/ui/columns';
import { ListPanel } from '../../src/ui/components/ListPanel';
import { fit } from '../../src/ui/format';
import { styled, type Style } from '../../src/ui/styled';
import type { Colour } from '../../src/ui/theme';

/** What Ink draws for `element`, with its escape codes. */
function drawn(element: ReactElement): string {
  const { lastFrame, unmount } = render(element);
  const frame = lastFrame()!;
  unmount();
  return frame;
}

const STYLES: Style[] = [
  {},
  { color: 'red' },
  { color: 'redBright', bold: true },
  { dim: true },
  { color: 'black', background: 'yellow' },
  { color: 'cyan', bold: true, inverse: true },
  { dim: true, color: 'gray', inverse: true },
  { background: 'magenta', bold: true },
];

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
  return drawn(h(Box, { width: WIDTH - 4 }, h(Text, { inverse: opts.inverse, bold: opts.bold, wrap: 'truncate' }, ...fitted.map((cell, i) => h(Text, { key: i, color: cell.color }, cell.text))))).trimEnd();
}

let level = chalk.level;
beforeEach(() => {
  level = chalk.level;
  chalk.level = 1;
});
afterEach(() => {
  chalk.level = level;
});

describe('styled', () => {
  it.each(STYLES.map((style) => [JSON.stringify(style), style] as const))('%s is what Ink draws for the same <Text> props', (_, style) => {
    const text = 'db timeout ⏎ 漢字';
    expect(styled(text, style)).toBe(drawn(h(Text, { color: style.color, backgroundColor: style.background, dimColor: style.dim, bold: style.bold, inverse: style.inverse }, text)));
  });

  it('gives Ink styled text that it draws as it would the props (not as plain text)', () => {
    expect(styled('x', { color: 'red' })).not.toBe('x');
  });
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
    const frame = drawn(panel);
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

describe('with a screen reader', () => {
  it('a list row is read as its text, without escape codes', () => {
    const written: string[] = [];
    const stdout = Object.assign(new EventEmitter(), { columns: 60, rows: 20, isTTY: false, write: (s: string) => written.push(s) });
    const instance = renderInk(
      h(ListPanel<{ name: string }>, {
        number: 1,
        title: 'Things',
        focused: true,
        width: 60,
        height: 8,
        rows: [{ name: 'api' }, { name: 'db' }],
        rowKey: (r) => r.name,
        columns: [{ title: 'NAME', width: 10, priority: 0, cell: (r) => r.name, color: () => 'red' as const }],
        selectedKey: 'db',
        filter: '',
        filterEditing: false,
        emptyText: 'none',
      }),
      { stdout: stdout as unknown as NodeJS.WriteStream, isScreenReaderEnabled: true, patchConsole: false },
    );
    instance.unmount();
    const output = written.join('');
    expect(output).toContain('api');
    expect(output).toContain('db');
    expect(output).not.toContain('\x1b[31m');
  });
});
