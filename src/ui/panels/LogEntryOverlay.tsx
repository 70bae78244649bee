import { Box, Text } from 'ink';
import { useAppState, useLogRing } from '../context';

/** The whole entry of the selected log line (Enter in the logs panel). */
export function LogEntryOverlay({ width, height }: { width: number; height: number }) {
  const ring = useLogRing();
  const seq = useAppState((s) => s.logs.cursorSeq ?? s.logs.lastSeq);
  const index = ring.indexOfSeq(seq);
  const line = index >= 0 ? ring.at(index) : null;
  const body = line ? JSON.stringify(line.raw, null, 2).split('\n') : [];
  return (
    <Box flexDirection="column" width={width} height={height} borderStyle="double" borderColor="cyan" paddingX={1}>
      <Text bold color="cyan">{line ? `${line.timestamp} ${line.source} ${line.severity} — Esc closes` : 'That line has left the buffer. Esc closes.'}</Text>
      {line ? <Text wrap="wrap">{line.message}</Text> : null}
      {body.slice(0, Math.max(0, height - 6)).map((row, i) => (
        <Text key={i} dimColor wrap="truncate">
          {row}
        </Text>
      ))}
      {body.length > height - 6 ? <Text dimColor>{`… ${body.length - (height - 6)} more lines`}</Text> : null}
    </Box>
  );
}
