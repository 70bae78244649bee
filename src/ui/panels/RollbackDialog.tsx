import { Box, Text } from 'ink';
import { describeTraffic } from '../../flows/rollback-plan';
import type { CloudRunRevision } from '../../domain/cloud-run';
import { isNoOp, nothingToDo, type PlanItem, type RollbackFlow } from '../../flows/rollback-machine';
import type { RollbackOutcome } from '../../flows/rollback-runner';
import { closeRollback, editConfirmation, moveTarget, proceedToConfirm, submitConfirmation } from '../../store/rollback-actions';
import { setNotice } from '../../store/ui-actions';
import { useAppState } from '../context';
import { hintLine, shownBindings, type Binding, type BindingSet } from '../keys/bindings';
import { closeDoneKey, eraseKey, typedText } from '../keys/dialog-keys';
import type { OverlaySpec, ViewProps } from '../keys/view-spec';
import { shortImage } from '../format';
import { OPEN_AUDIT } from './AuditOverlay';

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
      <Text dimColor>{`Revisions (${revisions.length}; ${PICK_KEYS.map((b) => b.label.split(', ')[0]).join('/')} to pick another target):`}</Text>
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
  if (outcome.result === 'timed-out') {
    return (
      <Box flexDirection="column">
        <Text color="yellow" wrap="wrap">{`⧗ ${item.service.name}: ${outcome.error ?? 'timed out'}`}</Text>
        <Text wrap="truncate">{`  traffic now: ${after}`}</Text>
        <Text wrap="wrap" dimColor>{`  still watching it in the background; its result goes to the audit log and the audit view (${OPEN_AUDIT.label})`}</Text>
      </Box>
    );
  }
  return (
    <Box flexDirection="column">
      {/* Wrapped, not cut: the reason (e.g. why the audit log cannot be written) is what to act on. */}
      <Text color="red" wrap="wrap">{`✘ ${item.service.name}: ${outcome.error ?? outcome.result}`}</Text>
      <Text wrap="truncate">{`  traffic now: ${after}`}</Text>
    </Box>
  );
}

function Choose({ flow, height, hints }: { flow: Extract<RollbackFlow, { step: 'choose' }>; height: number; hints: string }) {
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
        <Text>{hints}</Text>
      </Box>
    </Box>
  );
}

export function RollbackDialog({ width, height }: ViewProps) {
  const { flow, notice, readOnly } = useAppState((s) => ({ flow: s.rollback, notice: s.ui.notice, readOnly: s.readOnly }));
  if (!flow) return null;
  const hints = hintLine(shownBindings(keysFor(flow), readOnly));
  return (
    <Box flexDirection="column" width={width} height={height} borderStyle="double" borderColor="yellow" paddingX={1}>
      {flow.step === 'choose' ? <Choose flow={flow} height={height} hints={hints} /> : null}
      {flow.step === 'confirm' ? (
        <Box flexDirection="column">
          {flow.notice ? <Text color="yellow" wrap="wrap">{flow.notice}</Text> : null}
          <Text bold color="yellow">Confirm the change</Text>
          {flow.plan.map((item) => (
            <Change key={item.service.name} item={item} />
          ))}
          <Box marginTop={1}>
            <Text>{`Type ${flow.expected} and press ${CONFIRM.label} to apply; ${CANCEL.label} cancels (nothing is sent): `}</Text>
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
          {notice ? <Text color="red" wrap="wrap">{notice}</Text> : null}
          <Text dimColor>{`${CLOSE_DONE.label.replace(', ', ' or ')} closes`}</Text>
        </Box>
      ) : null}
    </Box>
  );
}

const QUIT: Binding = { keys: [{ input: 'c', ctrl: true }], label: 'Ctrl-C', description: 'Quit the console (nothing is sent)', run: ({ exit }) => exit() };
const CANCEL: Binding = {
  keys: [{ key: 'escape' }],
  label: 'Esc',
  description: 'Cancel: nothing is sent',
  hint: 'cancel (nothing is sent)',
  run: ({ actions }) => actions.cancelRollback(),
};
const PICK_KEYS: readonly Binding[] = [
  { keys: [{ input: 'j' }, { key: 'downArrow' }], label: 'j, ↓', description: 'Pick the next older revision', run: ({ store }) => moveTarget(store, 1) },
  { keys: [{ input: 'k' }, { key: 'upArrow' }], label: 'k, ↑', description: 'Pick the next newer revision', run: ({ store }) => moveTarget(store, -1) },
];
const CONTINUE: Binding = { keys: [{ key: 'return' }], label: 'Enter', description: 'Go on to the confirmation', hint: 'continue', run: ({ store }) => proceedToConfirm(store) };
const CONFIRM: Binding = {
  keys: [{ key: 'return' }],
  label: 'Enter',
  description: 'Apply the change once the typed name matches',
  hint: 'apply',
  mutating: 'rollback',
  run: ({ store, actions }) => {
    const flow = store.getState().rollback;
    if (submitConfirmation(store)) actions.runRollback();
    else if (flow?.step === 'confirm') setNotice(store, `type ${flow.expected} exactly to confirm, or ${CANCEL.label} to cancel`);
  },
};
const ERASE = eraseKey(editConfirmation);
const NOTHING_TO_SEND: Binding = { ...CANCEL, description: 'Close: there is nothing to send', hint: 'close (nothing to send)' };
const CLOSE_DONE = closeDoneKey(({ store }) => closeRollback(store));

/** The dialog's keys at each step; while the change is being sent, none (not even Ctrl-C). */
function keysFor(flow: RollbackFlow | null): BindingSet {
  const set = (bindings: Binding[]): BindingSet => ({ title: 'Rollback', modal: true, bindings });
  if (!flow || flow.step === 'running') return set([]);
  if (flow.step === 'done') return set([CLOSE_DONE, QUIT]);
  if (flow.step === 'confirm') return { ...set([CONFIRM, ERASE, CANCEL, QUIT]), text: typedText(editConfirmation) };
  const pick = flow.services.length === 1 ? PICK_KEYS : [];
  if (flow.error) return set([...pick, CANCEL, QUIT]);
  return set(nothingToDo(flow) ? [...pick, NOTHING_TO_SEND, QUIT] : [...pick, CONTINUE, CANCEL, QUIT]);
}

export const ROLLBACK_DIALOG: OverlaySpec = { id: 'rollback', component: RollbackDialog, dialog: true, keys: (state) => keysFor(state.rollback) };
