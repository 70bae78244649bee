import { Box, Text } from 'ink';
import { describeTraffic } from '../../flows/rollback-plan';
import type { PlanItem, RollbackFlow } from '../../flows/rollback-machine';
import type { RollbackOutcome } from '../../flows/rollback-runner';
import { useAppState } from '../context';
import { shortImage } from '../format';

const PHASE_TEXT = {
  checking: 'checking the service has not changed…',
  sending: 'sending the traffic change…',
  operation: 'waiting for Cloud Run to apply it…',
  verifying: 'verifying the served traffic…',
} as const;

function Change({ item }: { item: PlanItem }) {
  const { service, target, requested } = item;
  return (
    <Box flexDirection="column">
      <Text bold>{service.name}</Text>
      <Text wrap="truncate">{`  now:    ${describeTraffic(service.trafficStatuses, service)}`}</Text>
      <Text wrap="truncate" color="cyan">{`  after:  ${describeTraffic(requested, service)}`}</Text>
      <Text wrap="truncate" dimColor>{`  target: ${target.name} · ${shortImage(target.image)} (${target.variant}) · Ready`}</Text>
    </Box>
  );
}

function Outcome({ item, outcome }: { item: PlanItem; outcome: RollbackOutcome }) {
  const after = outcome.after ? describeTraffic(outcome.after, outcome.latest ?? item.service) : 'unknown';
  if (outcome.result === 'succeeded') {
    return <Text color="green" wrap="truncate">{`✔ ${item.service.name} rolled back to ${item.target.name}, verified in ${(outcome.elapsedMs / 1000).toFixed(1)}s`}</Text>;
  }
  return (
    <Box flexDirection="column">
      <Text color="red" wrap="truncate">{`✘ ${item.service.name}: ${outcome.error ?? outcome.result}`}</Text>
      <Text wrap="truncate">{`  traffic now: ${after}`}</Text>
    </Box>
  );
}

function Choose({ flow }: { flow: Extract<RollbackFlow, { step: 'choose' }> }) {
  const single = flow.services.length === 1 ? flow.services[0] : undefined;
  const target = flow.plan[0]?.target.name;
  const chosen = flow.choice.kind === 'revision' ? flow.choice.name : target;
  return (
    <Box flexDirection="column">
      <Text bold color="yellow">{single ? `Roll back ${single.name}` : `Roll back ${flow.services.length} services, one at a time: ${flow.services.map((s) => s.name).join(' → ')}`}</Text>
      {flow.plan.map((item) => (
        <Change key={item.service.name} item={item} />
      ))}
      {flow.error ? <Text color="red" wrap="wrap">{`✘ ${flow.error}`}</Text> : null}
      {single ? (
        <Box flexDirection="column" marginTop={1}>
          <Text dimColor>Revisions (j/k to pick another target):</Text>
          {single.revisions.slice(0, 8).map((r) => (
            <Text key={r.name} wrap="truncate" inverse={r.name === chosen} color={r.ready ? undefined : 'red'}>
              {`${r.name === chosen ? '›' : ' '} ${r.name}  ${r.state.padEnd(7)} ${shortImage(r.image)} (${r.variant})`}
            </Text>
          ))}
        </Box>
      ) : null}
      <Box marginTop={1}>
        <Text>{flow.error ? 'Esc cancel' : 'Enter continue · Esc cancel (nothing is sent)'}</Text>
      </Box>
    </Box>
  );
}

export function RollbackDialog({ width, height }: { width: number; height: number }) {
  const { flow, notice } = useAppState((s) => ({ flow: s.rollback, notice: s.ui.notice }));
  if (!flow) return null;
  return (
    <Box flexDirection="column" width={width} height={height} borderStyle="double" borderColor="yellow" paddingX={1}>
      {flow.step === 'choose' ? <Choose flow={flow} /> : null}
      {flow.step === 'confirm' ? (
        <Box flexDirection="column">
          {flow.notice ? <Text color="yellow" wrap="wrap">{flow.notice}</Text> : null}
          <Text bold color="yellow">Confirm the change</Text>
          {flow.plan.map((item) => (
            <Change key={item.service.name} item={item} />
          ))}
          <Box marginTop={1}>
            <Text>{`Type ${flow.expected} and press Enter to apply; Esc cancels (nothing is sent): `}</Text>
            <Text color="cyan">{`${flow.typed}█`}</Text>
          </Box>
          {notice ? <Text color="red">{notice}</Text> : null}
        </Box>
      ) : null}
      {flow.step === 'running' ? (
        <Box flexDirection="column">
          <Text bold color="yellow">Rolling back — do not close the console</Text>
          {flow.outcomes.map((outcome, i) => (
            <Outcome key={flow.plan[i]!.service.name} item={flow.plan[i]!} outcome={outcome} />
          ))}
          <Text color="cyan">{`◌ ${flow.plan[flow.outcomes.length]?.service.name ?? ''}: ${PHASE_TEXT[flow.phase]}`}</Text>
        </Box>
      ) : null}
      {flow.step === 'done' ? (
        <Box flexDirection="column">
          <Text bold>{flow.outcomes.every((o) => o.result === 'succeeded') && flow.outcomes.length === flow.plan.length ? 'Done' : 'Stopped'}</Text>
          {flow.outcomes.map((outcome, i) => (
            <Outcome key={flow.plan[i]!.service.name} item={flow.plan[i]!} outcome={outcome} />
          ))}
          {flow.plan.slice(flow.outcomes.length).map((item) => (
            <Text key={item.service.name} dimColor>{`- ${item.service.name}: not attempted, unchanged`}</Text>
          ))}
          <Text dimColor>Enter or Esc closes</Text>
        </Box>
      ) : null}
    </Box>
  );
}
