import { Box, Text } from 'ink';
import { memo, useMemo, type ReactNode } from 'react';
import { fit } from '../format';
import { fitColumns, type Column } from '../columns';

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

interface RowLineProps<Row> {
  row: Row;
  columns: Column<Row>[];
  inverse?: boolean;
  bold?: boolean;
}

/** A row renders again only when it, the columns or its highlight changed: a j/k press redraws two rows, not all. */
const RowLine = memo(function RowLine<Row>({ row, columns, inverse, bold }: RowLineProps<Row>) {
  return (
    <Text inverse={inverse} bold={bold} wrap="truncate">
      {columns.map((c, i) => (
        <Text key={c.title} color={inverse ? undefined : c.color?.(row)}>
          {(i > 0 ? ' ' : '') + fit(c.cell(row), c.width, c.align)}
        </Text>
      ))}
    </Text>
  );
}) as <Row>(props: RowLineProps<Row>) => ReactNode;

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
        <Text bold color={focused ? 'cyan' : undefined}>{`[${props.number}] ${props.title}`}</Text>
        <Text color="yellow">{filterLabel}</Text>
        <Box flexGrow={1} />
        <Text dimColor>{position}</Text>
      </Box>
      {props.message ? (
        <Text color={props.message.color} wrap="wrap">{props.message.text}</Text>
      ) : (
        <>
          <Text dimColor wrap="truncate">{columns.map((c, i) => (i > 0 ? ' ' : '') + fit(c.title, c.width, c.align)).join('')}</Text>
          {shown.length === 0 ? <Text dimColor>{props.filter ? `No rows match "${props.filter}"` : props.emptyText}</Text> : null}
          {shown.map((row) => (
            <RowLine key={props.rowKey(row)} row={row} columns={columns} inverse={focused && props.rowKey(row) === selectedKey} />
          ))}
          <Box flexGrow={1} />
          {props.summaryRow ? <RowLine row={props.summaryRow} columns={columns} bold /> : null}
          {props.footer ?? null}
        </>
      )}
    </Box>
  );
}
