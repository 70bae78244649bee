import { Box, Text } from 'ink';
import { describeTraffic } from '../../flows/rollback-plan';
import type { CloudRunRevision } from '../../domain/cloud-run';
import { isNoOp, nothingToDo, type PlanItem, type RollbackFlow } from '../../flows/rollback-machine';
import type { RollbackOutcome } from '../../flows/rollback-runner';
import { useAppState } from '../context';
import { shortImage } from '../format';

const PHASE_TEXT = {
  checking: 'checking the service has not changed…',
  sending: 'sending the traffic change…',
  operation: 'waiting for Cloud Run to apply it…',
  verifying: 'verifying the served traffic…',
} as const;

/** Dialog rows that are not the revision list: border, title, the change, hints, and room for a refusal. */
const CHOOSE_CHROME_ROWS = 13;
const MIN_PICKER_ROWS = 3;

/**
 * The slice of `count` revisions to show in `rows` lines so that `selected` is always among them, with the
 * selection kept mid-window; when not all fit, two of the lines are kept for the "↑/↓ N more" indicators.
 */
export function pickerWindow(count: number, selected: number, rows: number): { start: number; end: number } {
  if (count <= rows) return { start: 0, end: count };
  const shown = Math.max(1, rows - 2);
  const start = Math.min(Math.max(0, selected - Math.floor(shown / 2)), count - shown);
  return { start, end: start + shown };
}

function nothingToDoText(item: PlanItem): string {
  return `already serving ${item.target.name}; nothing to do`;
}

function Change({ item }: { item: PlanItem }) {
  const { service, target, requested } = item;
  const now = <Text wrap="truncate">{`  now:    ${describeTraffic(service.trafficStatuses, service)}`}</Text>;
  if (isNoOp(item)) {
    return (
      <Box flexDirection="column">
        <Text bold>{service.name}</Text>
        {now}
        <Text wrap="truncate" color="green">{`  ${nothingToDoText(item)}`}</Text>
      </Box>
    );
  }
  return (
    <Box flexDirection="column">
      <Text bold>{service.name}</Text>
      {now}
      <Text wrap="truncate" color="cyan">{`  after:  ${describeTraffic(requested, service)}`}</Text>
      <Text wrap="truncate" dimColor>{`  target: ${target.name} · ${shortImage(target.image)} (${target.variant}) · Ready`}</Text>
    </Box>
  );
}

/** The revisions to pick from, scrolled so that the chosen one is always on screen. */
function Picker({ revisions, chosen, rows }: { revisions: CloudRunRevision[]; chosen: string | undefined; rows: number }) {
  const { start, end } = pickerWindow(revisions.length, revisions.findIndex((r) => r.name === chosen), rows);
  return (
    <Box flexDirection="column" marginTop={1}>
      <Text dimColor>{`Revisions (${revisions.length}; j/k to pick another target):`}</Text>
      {start > 0 ? <Text dimColor>{`  ↑ ${start} more`}</Text> : null}
      {revisions.slice(start, end).map((r) => (
        <Text key={r.name} wrap="truncate" inverse={r.name === chosen} color={r.ready ? undefined : 'red'}>
          {`${r.name === chosen ? '›' : ' '} ${r.name}  ${r.state.padEnd(7)} ${shortImage(r.image)} (${r.variant})`}
        </Text>
      ))}
      {end < revisions.length ? <Text dimColor>{`  ↓ ${revisions.length - end} more`}</Text> : null}
    </Box>
  );
}

function Outcome({ item, outcome }: { item: PlanItem; outcome: RollbackOutcome }) {
  const after = outcome.after ? describeTraffic(outcome.after, outcome.latest ?? item.service) : 'unknown';
  if (outcome.result === 'succeeded') {
    return <Text color="green" wrap="truncate">{`✔ ${item.service.name} rolled back to ${item.target.name}, verified in ${(outcome.elapsedMs / 1000).toFixed(1)}s`}</Text>;
  }
  if (outcome.result === 'unchanged') return <Text wrap="wrap">{`= ${item.service.name}: ${nothingToDoText(item)}`}</Text>;
  return (
    <Box flexDirection="column">
      <Text color="red" wrap="truncate">{`✘ ${item.service.name}: ${outcome.error ?? outcome.result}`}</Text>
      <Text wrap="truncate">{`  traffic now: ${after}`}</Text>
    </Box>
  );
}

function chooseHint(flow: Extract<RollbackFlow, { step: 'choose' }>): string {
  if (flow.error) return 'Esc cancel';
  return nothingToDo(flow) ? 'Nothing to send · Esc closes' : 'Enter continue · Esc cancel (nothing is sent)';
}

function Choose({ flow, height }: { flow: Extract<RollbackFlow, { step: 'choose' }>; height: number }) {
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
      {single ? <Picker revisions={single.revisions} chosen={chosen} rows={Math.max(MIN_PICKER_ROWS, height - CHOOSE_CHROME_ROWS)} /> : null}
      <Box marginTop={1}>
        <Text>{chooseHint(flow)}</Text>
      </Box>
    </Box>
  );
}

export function RollbackDialog({ width, height }: { width: number; height: number }) {
  const { flow, notice } = useAppState((s) => ({ flow: s.rollback, notice: s.ui.notice }));
  if (!flow) return null;
  return (
    <Box flexDirection="column" width={width} height={height} borderStyle="double" borderColor="yellow" paddingX={1}>
      {flow.step === 'choose' ? <Choose flow={flow} height={height} /> : null}
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
          <Text bold>{flow.outcomes.every((o) => o.result === 'succeeded' || o.result === 'unchanged') && flow.outcomes.length === flow.plan.length ? 'Done' : 'Stopped'}</Text>
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
