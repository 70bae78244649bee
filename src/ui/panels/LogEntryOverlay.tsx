import { Box, Text } from 'ink';
import type { EntryDetail } from '../../store/logs-state';
import { useAppState, useLogRing } from '../context';
import { closingKeys } from '../keys/overlay-keys';
import type { OverlaySpec } from '../keys/view-spec';

/** The entry's rows: its JSON pretty-printed, or where it stands while it is fetched. */
function detailRows(entry: EntryDetail): { rows: string[]; status: string | null } {
  if (entry.state === 'loading') return { rows: [], status: 'Fetching the whole entry from Cloud Logging…' };
  if (entry.state === 'failed') return { rows: [], status: `${entry.reason}. Esc, then Enter tries again.` };
  return { rows: JSON.stringify(JSON.parse(entry.json), null, 2).split('\n'), status: null };
}

/** The whole entry of the line Enter was pressed on (Esc closes). */
function LogEntryOverlay({ width, height }: { width: number; height: number }) {
  const ring = useLogRing();
  const entry = useAppState((s) => s.logs.entry);
  const index = entry ? ring.indexOfSeq(entry.seq) : -1;
  const line = index >= 0 ? ring.at(index) : null;
  const { rows, status } = entry && line ? detailRows(entry) : { rows: [], status: null };
  const room = Math.max(0, height - 6);
  return (
    <Box flexDirection="column" width={width} height={height} borderStyle="double" borderColor="cyan" paddingX={1}>
      <Text bold color="cyan">{line ? `${line.timestamp} ${line.source} ${line.severity} — Esc closes` : 'That line has left the buffer. Esc closes.'}</Text>
      {line ? <Text wrap="wrap">{line.message}</Text> : null}
      {status ? <Text color={entry?.state === 'failed' ? 'red' : 'yellow'}>{status}</Text> : null}
      {rows.slice(0, room).map((row, i) => (
        <Text key={i} dimColor wrap="truncate">
          {row}
        </Text>
      ))}
      {rows.length > room ? <Text dimColor>{`… ${rows.length - room} more lines`}</Text> : null}
    </Box>
  );
}

export const LOG_ENTRY_OVERLAY: OverlaySpec = {
  id: 'logEntry',
  component: LogEntryOverlay,
  keys: closingKeys('Log entry', null, [{ keys: [{ key: 'return' }], label: 'Enter', description: 'Close' }]),
};
