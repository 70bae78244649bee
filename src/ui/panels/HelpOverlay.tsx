import { Box, Text } from 'ink';
import { useAppState } from '../context';
import { activeBindings, type Binding } from '../keymap';

const GROUPS: Binding['group'][] = ['Global', 'Lists', 'Cloud Run', 'Logs'];
const LABEL_WIDTH = 11;

type HelpRow = { kind: 'group'; text: string } | { kind: 'key'; label: string; text: string };

/** Group headings and bindings in reading order; a heading never ends a column. */
function helpRows(bindings: readonly Binding[]): HelpRow[] {
  return GROUPS.flatMap((group) => {
    const inGroup = bindings.filter((b) => b.group === group);
    return inGroup.length === 0 ? [] : [{ kind: 'group' as const, text: group }, ...inGroup.map((b) => ({ kind: 'key' as const, label: b.label, text: b.description }))];
  });
}

/** Splits rows into as many columns as the height needs. */
function columns(rows: HelpRow[], perColumn: number): HelpRow[][] {
  const out: HelpRow[][] = [];
  let current: HelpRow[] = [];
  for (const row of rows) {
    const full = current.length >= perColumn || (row.kind === 'group' && current.length >= perColumn - 1);
    if (full) {
      out.push(current);
      current = [];
    }
    current.push(row);
  }
  if (current.length) out.push(current);
  return out;
}

/** Generated from the keymap table, in as many columns as the window needs so every binding shows. */
export function HelpOverlay({ width, height }: { width: number; height: number }) {
  const readOnly = useAppState((s) => s.readOnly);
  const perColumn = Math.max(4, height - (readOnly ? 6 : 5));
  const cols = columns(helpRows(activeBindings(readOnly)), perColumn);
  const columnWidth = Math.floor((width - 4) / cols.length);
  return (
    <Box flexDirection="column" width={width} height={height} borderStyle="double" borderColor="cyan" paddingX={1}>
      <Text bold color="cyan" wrap="truncate">
        Keys — press ? or Esc to close
      </Text>
      {readOnly ? <Text color="yellow">Read-only console: rollback keys are off.</Text> : null}
      <Box flexDirection="row">
        {cols.map((column, i) => (
          <Box key={i} flexDirection="column" width={columnWidth}>
            {column.map((row, j) =>
              row.kind === 'group' ? (
                <Text key={j} bold wrap="truncate">
                  {row.text}
                </Text>
              ) : (
                <Text key={j} wrap="truncate">
                  <Text color="yellow">{row.label.padEnd(LABEL_WIDTH)}</Text>
                  {row.text}
                </Text>
              ),
            )}
          </Box>
        ))}
      </Box>
      <Text dimColor wrap="truncate">
        While typing a filter: letters edit it, Backspace deletes, Enter keeps it, Esc clears it.
      </Text>
    </Box>
  );
}
