import { Box, Text } from 'ink';
import { useAppState } from '../context';
import { formatBytes, formatDuration, formatPercent, formatPids } from '../format';
import { HEALTH_COLOR, stateColor } from '../theme';
import { closingKeys } from '../keys/overlay-keys';
import type { OverlaySpec } from '../keys/view-spec';
import { useNow } from '../use-now';

function Field({ name, value, color }: { name: string; value: string; color?: string | undefined }) {
  return (
    <Text wrap="truncate">
      <Text dimColor>{name.padEnd(16)}</Text>
      <Text color={color}>{value}</Text>
    </Text>
  );
}

function DetailsOverlay({ width, height }: { width: number; height: number }) {
  const now = useNow();
  const { container, stats } = useAppState((s) => {
    const id = s.ui.selectedId[s.ui.focus];
    return { container: id ? s.docker.containers[id] : undefined, stats: id ? s.docker.stats[id]?.latest : undefined };
  });
  return (
    <Box flexDirection="column" width={width} height={height} borderStyle="double" borderColor="cyan" paddingX={1}>
      {!container ? (
        <Text color="yellow">That container is gone. Press Esc to go back.</Text>
      ) : (
        <>
          <Text bold color="cyan">{`${container.name} — press Esc to close`}</Text>
          <Field name="id" value={container.id.slice(0, 12)} />
          <Field name="project/service" value={`${container.project ?? '-'} / ${container.service ?? '-'}`} />
          <Field name="image" value={`${container.image} (${formatBytes(container.imageSizeBytes)}, ${container.variant})`} />
          <Field name="state" value={container.state} color={stateColor(container.state)} />
          <Field name="health" value={container.health} color={HEALTH_COLOR[container.health]} />
          <Field name="restarts" value={String(container.restarts)} />
          <Field name="exit code" value={container.exitCode === null ? '-' : String(container.exitCode)} />
          <Field name="OOM-killed" value={container.oomKilled ? 'yes' : 'no'} color={container.oomKilled ? 'red' : undefined} />
          <Field name="started" value={container.startedAt ? `${container.startedAt} (${formatDuration(now - Date.parse(container.startedAt))} ago)` : '-'} />
          <Field name="finished" value={container.finishedAt ?? '-'} />
          {stats ? (
            <Field
              name="stats"
              value={`CPU ${formatPercent(stats.cpuPercent)}  MEM ${formatBytes(stats.memUsageBytes)} / ${formatBytes(stats.memLimitBytes)} (${formatPercent(stats.memPercent)})  PIDS ${formatPids(stats.pids)}`}
            />
          ) : null}
          <Box marginTop={1} flexDirection="column">
            <Text bold>Last failing health check</Text>
            <Text color={container.lastHealthFailure ? 'red' : 'gray'} wrap="wrap">
              {container.lastHealthFailure ?? 'none recorded'}
            </Text>
          </Box>
        </>
      )}
    </Box>
  );
}

export const DETAILS_OVERLAY: OverlaySpec = {
  id: 'details',
  component: DetailsOverlay,
  keys: closingKeys('Container details', null, [{ keys: [{ key: 'return' }], label: 'Enter', description: 'Close' }]),
};
