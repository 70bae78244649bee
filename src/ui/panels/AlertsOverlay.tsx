import { Box, Text } from 'ink';
import { useMemo } from 'react';
import { sortAlerts } from '../../domain/alerts';
import { useAppState } from '../context';
import { closingKeys } from '../keys/overlay-keys';
import type { OverlaySpec } from '../keys/view-spec';
import { LEVEL_COLOR } from '../theme';

/** Every active alert, most severe first: the status bar has room for one; this lists them all (Esc closes). */
function AlertsOverlay({ width, height }: { width: number; height: number }) {
  const { dockerAlerts, cloudAlerts } = useAppState((s) => ({ dockerAlerts: s.docker.alerts, cloudAlerts: s.cloudRun.alerts }));
  const alerts = useMemo(() => sortAlerts([...dockerAlerts, ...cloudAlerts]), [dockerAlerts, cloudAlerts]);
  const room = Math.max(1, height - 4);
  const shown = alerts.length > room ? alerts.slice(0, room - 1) : alerts;
  return (
    <Box flexDirection="column" width={width} height={height} borderStyle="double" borderColor="cyan" paddingX={1}>
      <Text bold color="cyan">{`Alerts (${alerts.length}), most severe first — press ${OPEN_ALERTS.label} or Esc to close`}</Text>
      {alerts.length === 0 ? <Text color="green">No active alerts.</Text> : null}
      {shown.map((alert, i) => (
        <Text key={i} wrap="truncate" color={LEVEL_COLOR[alert.level]} dimColor={'stale' in alert && alert.stale === true}>
          {`${alert.level.toUpperCase().padEnd(8)} ${alert.source.padEnd(8)} ${alert.message}`}
        </Text>
      ))}
      {shown.length < alerts.length ? <Text dimColor>{`… ${alerts.length - shown.length} more (zoom the window to see them)`}</Text> : null}
    </Box>
  );
}

export const OPEN_ALERTS = { keys: [{ input: '!' }], label: '!', description: 'List every active alert, most severe first' };

export const ALERTS_OVERLAY: OverlaySpec = { id: 'alerts', component: AlertsOverlay, opener: OPEN_ALERTS, keys: closingKeys('Alerts', OPEN_ALERTS) };
