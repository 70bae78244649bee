import { Box, Text } from 'ink';
import type { TrafficTarget } from '../../domain/cloud-run';
import { useAppState } from '../context';

const RESULT_COLOR = { succeeded: 'green', failed: 'red', conflicted: 'red', cancelled: 'yellow', confirmed: undefined } as const;

function traffic(targets: TrafficTarget[] | null): string {
  return targets ? targets.map((t) => `${t.revision ?? 'LATEST'} ${t.percent}%${t.tag ? `(${t.tag})` : ''}`).join(', ') : '-';
}

/** What this session did, newest last, as written to the audit log. */
export function AuditOverlay({ width, height }: { width: number; height: number }) {
  const { entries, path } = useAppState((s) => ({ entries: s.audit, path: s.auditPath }));
  const shown = entries.slice(-(height - 4));
  return (
    <Box flexDirection="column" width={width} height={height} borderStyle="double" borderColor="cyan" paddingX={1}>
      <Text bold color="cyan">{`Audit — this session (${entries.length}) · ${path} · A or Esc closes`}</Text>
      {shown.length === 0 ? <Text dimColor>No rollback attempts yet.</Text> : null}
      {shown.map((e, i) => (
        <Text key={`${e.time}-${i}`} wrap="truncate">
          <Text dimColor>{`${e.time.slice(11, 19)} `}</Text>
          <Text color={RESULT_COLOR[e.result]}>{e.result.padEnd(10)}</Text>
          {` ${e.service} ${e.action}: ${traffic(e.before)} → ${traffic(e.requested)}${e.error ? ` — ${e.error}` : ''}`}
        </Text>
      ))}
    </Box>
  );
}
