import { Box, Text } from 'ink';
import { useMemo } from 'react';
import { sortAlerts } from '../../domain/alerts';
import { healthCounts } from '../../store/selectors';
import { useAppState } from '../context';
import { LEVEL_COLOR } from '../theme';

const CONNECTION_LABEL = { connected: ['● connected', 'green'], connecting: ['◌ connecting', 'yellow'], unreachable: ['✘ unreachable', 'red'] } as const;

export function StatusBar({ width }: { width: number }) {
  const { host, connection, containers, dockerAlerts, cloudAlerts, showAll, sandbox } = useAppState((s) => ({
    host: s.docker.host,
    connection: s.docker.connection.state,
    containers: s.docker.containers,
    dockerAlerts: s.docker.alerts,
    cloudAlerts: s.cloudRun.alerts,
    showAll: s.ui.showAll,
    sandbox: s.cloudRun.mode === 'sandbox',
  }));
  const alerts = useMemo(() => sortAlerts([...dockerAlerts, ...cloudAlerts]), [dockerAlerts, cloudAlerts]);
  const counts = healthCounts(containers);
  const [label, color] = CONNECTION_LABEL[connection];
  const total = Object.keys(containers).length;
  const top = alerts[0];
  return (
    <Box flexDirection="column" width={width}>
      <Text wrap="truncate">
        <Text bold inverse> netra-console </Text>
        {sandbox ? <Text bold inverse color="yellow">{' SANDBOX '}</Text> : null}
        <Text color={alerts.length ? 'red' : 'green'} bold={alerts.length > 0}>{` alerts: ${alerts.length} `}</Text>
        <Text>{'│ docker '}</Text>
        <Text color={color}>{label}</Text>
        <Text>{` │ ${total} ${showAll ? 'containers (all)' : 'containers'}: `}</Text>
        <Text color="green">{`${counts.healthy} healthy`}</Text>
        <Text>{' '}</Text>
        <Text color={counts.unhealthy ? 'red' : undefined}>{`${counts.unhealthy} unhealthy`}</Text>
        <Text>{' '}</Text>
        <Text color={counts.starting ? 'yellow' : undefined}>{`${counts.starting} starting`}</Text>
        <Text>{` ${counts.none} no check │ ${host}`}</Text>
      </Text>
      <Text wrap="truncate" color={top ? LEVEL_COLOR[top.level] : 'gray'}>
        {top ? `▲ ${top.level.toUpperCase()} ${top.message}${alerts.length > 1 ? ` (+${alerts.length - 1} more)` : ''}` : '  no active alerts'}
      </Text>
    </Box>
  );
}
