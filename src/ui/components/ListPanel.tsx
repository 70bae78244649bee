import { Box, Text } from 'ink';
import { memo, useMemo, type ReactNode } from 'react';
import { fit } from '../format';
import { fitColumns, type Column } from '../columns';
import { usePaint, type Paint } from '../styled';
import type { Colour } from '../theme';
import { Spacer, StillText } from './still';

export interface ListPanelProps<Row> {
  number: number;
  title: string;
  focused: boolean;
  width: number;
  height: number;
  rows: readonly Row[];
  rowKey(row: Row): string;
  columns: readonly Column<Row>[];
  selectedKey: string | null;
  filter: string;
  filterEditing: boolean;
  /** Shown instead of rows, e.g. when the engine is unreachable. */
  message?: { text: string; color?: string } | null;
  emptyText: string;
  /** Extra rows under the list (totals) and a line under that (details of the selection). */
  summaryRow?: Row | null;
  footer?: ReactNode;
}

/** Index of the first visible row so that the selection stays on screen. */
export function windowStart(selected: number, visible: number, total: number): number {
  if (selected < visible) return 0;
  return Math.min(selected - visible + 1, Math.max(0, total - visible));
}

/** One cell of a row as drawn: its text fitted to the column, and its colour. */
interface Cell {
  text: string;
  color: Colour | undefined;
}

interface RowLineProps {
  cells: readonly Cell[];
  inverse?: boolean;
  bold?: boolean;
}

function cellsOf<Row>(row: Row, columns: readonly Column<Row>[], inverse: boolean): Cell[] {
  return columns.map((c, i) => ({ text: (i > 0 ? ' ' : '') + fit(c.cell(row), c.width, c.align), color: inverse ? undefined : c.color?.(row) }));
}

function sameCells(a: RowLineProps, b: RowLineProps): boolean {
  if (a.inverse !== b.inverse || a.bold !== b.bold || a.cells.length !== b.cells.length) return false;
  return a.cells.every((cell, i) => cell.text === b.cells[i]!.text && cell.color === b.cells[i]!.color);
}

/** The cells as one string, each coloured as a `<Text color>` of its own would be. */
function rowText(cells: readonly Cell[], paint: Paint): string {
  return cells.map((cell) => paint(cell.text, { color: cell.color })).join('');
}

/**
 * A row renders again only when what it shows changed: a j/k press redraws two rows, and a second of new stats
 * redraws only the rows whose figures moved, not every row that got a new object. It is one Text of one pre-coloured
 * string, not a Text per cell: a row that changes costs Ink one node to update instead of one per column.
 */
const RowLine = memo(function RowLine({ cells, inverse, bold }: RowLineProps) {
  const paint = usePaint();
  return (
    <Text inverse={inverse} bold={bold} wrap="truncate">
      {rowText(cells, paint)}
    </Text>
  );
}, sameCells);

export function ListPanel<Row>(props: ListPanelProps<Row>) {
  const { rows, focused, width, height, selectedKey } = props;
  const innerWidth = width - 4;
  const columns = useMemo(() => fitColumns(props.columns, innerWidth), [props.columns, innerWidth]);
  const reserved = 4 + (props.summaryRow ? 1 : 0) + (props.footer ? 1 : 0);
  const visible = Math.max(1, height - reserved);
  const selected = Math.max(0, rows.findIndex((r) => props.rowKey(r) === selectedKey));
  const start = windowStart(selected, visible, rows.length);
  const shown = rows.slice(start, start + visible);
  const filterLabel = props.filterEditing ? ` /${props.filter}█` : props.filter ? ` /${props.filter}` : '';
  const position = rows.length > 0 ? ` ${selected + 1}/${rows.length}` : '';

  return (
    <Box flexDirection="column" width={width} height={height} borderStyle="round" borderColor={focused ? 'cyan' : 'gray'} paddingX={1}>
      <Box width={innerWidth}>
        <StillText bold color={focused ? 'cyan' : undefined}>{`[${props.number}] ${props.title}`}</StillText>
        <StillText color="yellow">{filterLabel}</StillText>
        <Spacer />
        <StillText dimColor>{position}</StillText>
      </Box>
      {props.message ? (
        <StillText color={props.message.color} wrap="wrap">{props.message.text}</StillText>
      ) : (
        <>
          <StillText dimColor wrap="truncate">{columns.map((c, i) => (i > 0 ? ' ' : '') + fit(c.title, c.width, c.align)).join('')}</StillText>
          {shown.length === 0 ? <StillText dimColor>{props.filter ? `No rows match "${props.filter}"` : props.emptyText}</StillText> : null}
          {shown.map((row) => {
            const inverse = focused && props.rowKey(row) === selectedKey;
            return <RowLine key={props.rowKey(row)} cells={cellsOf(row, columns, inverse)} inverse={inverse} />;
          })}
          <Spacer />
          {props.summaryRow ? <RowLine cells={cellsOf(props.summaryRow, columns, false)} bold /> : null}
          {props.footer ?? null}
        </>
      )}
    </Box>
  );
}
