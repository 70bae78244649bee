import { Box, Text } from 'ink';
import { useAppState } from '../context';
import { shownBindings, type BindingSet } from '../keys/bindings';
import { closingKeys } from '../keys/overlay-keys';
import type { OverlaySpec, ViewProps } from '../keys/view-spec';

const LABEL_WIDTH = 11;

type HelpRow = { kind: 'group'; text: string } | { kind: 'key'; label: string; text: string };

/** Group headings and bindings in reading order; a heading never ends a column. */
function helpRows(sets: readonly BindingSet[], readOnly: boolean): HelpRow[] {
  return sets.flatMap((set) => {
    const shown = shownBindings(set, readOnly);
    return shown.length === 0 ? [] : [{ kind: 'group' as const, text: set.title }, ...shown.map((b) => ({ kind: 'key' as const, label: b.label, text: b.description }))];
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

/** The keys that work under the help (the view it was opened over, the focused panel's, then the global ones), in columns. */
function HelpOverlay({ width, height, beneath }: ViewProps & { beneath: readonly BindingSet[] }) {
  const readOnly = useAppState((s) => s.readOnly);
  const perColumn = Math.max(4, height - (readOnly ? 5 : 4));
  const cols = columns(helpRows(beneath, readOnly), perColumn);
  const columnWidth = Math.floor((width - 4) / cols.length);
  return (
    <Box flexDirection="column" width={width} height={height} borderStyle="double" borderColor="cyan" paddingX={1}>
      <Text bold color="cyan" wrap="truncate">
        {`Keys — press ${OPEN_HELP.label} or Esc to close`}
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
    </Box>
  );
}

const OPEN_HELP = { keys: [{ input: '?' }], label: '?', description: 'Show the keys that work here', hint: 'help' };

export const HELP_OVERLAY: OverlaySpec = { id: 'help', component: HelpOverlay, opener: OPEN_HELP, opensOver: true, keys: closingKeys('Help', OPEN_HELP) };
