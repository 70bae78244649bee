/**
 * Rows and status lines are drawn as one pre-styled string (src/ui/styled.ts) instead of a `<Text>` per part. Each
 * style must come out byte for byte as Ink's own `<Text>` draws it; and with a screen reader, for which Ink styles
 * nothing, they carry no escape codes either.
 */
import chalk from 'chalk';
import { EventEmitter } from 'node:events';
import { render as renderInk, Text } from 'ink';
import { render } from 'ink-testing-library';
import { createElement as h } from 'react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ListPanel } from '../../src/ui/components/ListPanel';
import { styled, type Style } from '../../src/ui/styled';

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

function drawnByInk(text: string, style: Style): string {
  const { lastFrame, unmount } = render(
    h(Text, { color: style.color, backgroundColor: style.background, dimColor: style.dim, bold: style.bold, inverse: style.inverse }, text),
  );
  const frame = lastFrame()!;
  unmount();
  return frame;
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
    expect(styled(text, style)).toBe(drawnByInk(text, style));
  });

  it('gives Ink styled text that it draws as it would the props (not as plain text)', () => {
    expect(styled('x', { color: 'red' })).not.toBe('x');
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
