import { Box, Text } from 'ink';
import { useAppState } from '../context';
import { activeBindings, type Binding } from '../keymap';

const GROUPS: Binding['group'][] = ['Global', 'Lists', 'Cloud Run', 'Logs'];

export function HelpOverlay({ width, height }: { width: number; height: number }) {
  const readOnly = useAppState((s) => s.readOnly);
  const bindings = activeBindings(readOnly);
  return (
    <Box flexDirection="column" width={width} height={height} borderStyle="double" borderColor="cyan" paddingX={1}>
      <Text bold color="cyan">Keys — press ? or Esc to close</Text>
      {GROUPS.map((group) => (
        <Box key={group} flexDirection="column" marginTop={1}>
          <Text bold>{group}</Text>
          {bindings.filter((b) => b.group === group).map((b) => (
            <Text key={b.action} wrap="truncate">
              <Text color="yellow">{b.label.padEnd(12)}</Text>
              {b.description}
            </Text>
          ))}
        </Box>
      ))}
      {readOnly ? (
        <Box marginTop={1}>
          <Text color="yellow">Read-only console: rollback keys are off.</Text>
        </Box>
      ) : null}
      <Box marginTop={1}>
        <Text dimColor>While typing a filter: letters edit it, Backspace deletes, Enter keeps it, Esc clears it.</Text>
      </Box>
    </Box>
  );
}
