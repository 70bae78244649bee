import { Box, Text } from 'ink';
import { GUIDE_EXPECTATIONS, otherVariant, type ServiceMeasurement, type StackMeasurements, type StackVariant } from '../../domain/stacks';
import {
  canBuild,
  canConfirm,
  confirmationWord,
  isConfirmed,
  lastHealthyOf,
  phaseText,
  revertTarget,
  runningText,
  stackOf,
  type SwitchFlow,
  type SwitchOutcome,
  type SwitchPhase,
} from '../../flows/switch-machine';
import { blockingChecks, type LimitChange, type PreflightCheck, type SwitchPlan } from '../../flows/switch-plan';
import { summarizeMeasurement } from '../../store/selectors';
import { editSwitchConfirmation } from '../../store/stack-actions';
import { setNotice } from '../../store/ui-actions';
import { DialogFrame, rowsOf } from '../components/DialogFrame';
import { ServiceProgressRows } from '../components/ServiceProgressRows';
import { useAppState } from '../context';
import { fit, formatBytes, shortImage } from '../format';
import { hintLine, shownBindings, type Binding, type BindingSet } from '../keys/bindings';
import { cancelKey, CLOSE_EMPTY, closeDoneKey, eraseKey, QUIT_NOTHING_CHANGES as QUIT, typedText } from '../keys/dialog-keys';
import type { OverlaySpec, ViewProps } from '../keys/view-spec';
import { useNow } from '../use-now';
import { imageSizeText, secondsText } from './StacksPanel';

type Kind = SwitchFlow['kind'];
type Step<S extends SwitchFlow['step']> = Extract<SwitchFlow, { step: S }>;

const MIB = 1024 ** 2;
/** Health-check outputs and log lines shown after a failure, at most (the newest). */
const HEALTH_OUTPUTS_SHOWN = 3;
const LOG_LINES_SHOWN = 10;

const CHECK_ICON: Record<PreflightCheck['status'], { icon: string; color: string }> = {
  ok: { icon: '✔', color: 'green' },
  warn: { icon: '!', color: 'yellow' },
  fail: { icon: '✘', color: 'red' },
};

const targetOf = (flow: SwitchFlow) => (flow.step === 'preflight' || flow.step === 'refused' ? flow.to : flow.plan.to);
const verb = (kind: Kind) => (kind === 'compare' ? 'compare' : 'switch');
const variantText = runningText;

function mib(bytes: number | null): string {
  return bytes === null ? 'no limit' : `${Math.round(bytes / MIB)} MiB`;
}

function cpus(value: number | null): string {
  return value === null ? 'no limit' : String(value);
}

/** `mem 512 MiB → 384 MiB · CPUs 1 → 0.5`; `—` before when the other variant has no such service. */
function limitText(change: LimitChange | undefined): string {
  if (!change) return '';
  const before = change.before;
  return `mem ${before ? mib(before.memLimitBytes) : '—'} → ${mib(change.after.memLimitBytes)} · CPUs ${before ? cpus(before.cpus) : '—'} → ${cpus(change.after.cpus)}`;
}

function Checks({ checks }: { checks: readonly PreflightCheck[] }) {
  return (
    <Box flexDirection="column">
      {checks.map((check) => (
        // Wrapped, never cut: the detail says what to do.
        <Text key={check.name} wrap="wrap">
          <Text color={CHECK_ICON[check.status].color}>{`  ${CHECK_ICON[check.status].icon} ${check.name}: `}</Text>
          {check.detail}
        </Text>
      ))}
    </Box>
  );
}

function Refused({ flow }: { flow: Step<'refused'> }) {
  const failed = flow.checks.filter((c) => c.status === 'fail');
  const errorShown = failed.some((c) => c.detail === flow.error);
  return (
    <Box flexDirection="column">
      <Checks checks={failed} />
      {errorShown ? null : (
        <Text color="red" wrap="wrap">
          {`  ✘ ${flow.error}`}
        </Text>
      )}
      <Text>Nothing was changed.</Text>
    </Box>
  );
}

function Plan({ plan }: { plan: SwitchPlan }) {
  const nameWidth = Math.min(16, Math.max(7, ...plan.model.services.map((s) => s.name.length)));
  return (
    <Box flexDirection="column">
      <Text wrap="wrap">{plan.stops.length ? `Stops (${variantText(plan.from)}): ${plan.stops.join(', ')}` : 'Stops: nothing (nothing runs now)'}</Text>
      <Text>{`Starts (${plan.to}):`}</Text>
      {plan.model.services.map((s) => {
        const size = plan.imageSizes[s.image];
        return (
          <Text key={s.name} wrap="truncate">
            {`  ${fit(s.name, nameWidth)} `}
            <Text color={size == null ? 'red' : undefined}>{`${shortImage(s.image)} (${size == null ? 'missing' : imageSizeText(size)})`}</Text>
            <Text dimColor>{`  ${limitText(plan.limits.find((l) => l.service === s.name))}`}</Text>
          </Text>
        );
      })}
      <Text>{`Waits at most ${plan.timeoutSeconds} s for every service to be ready.`}</Text>
    </Box>
  );
}

function Confirm({ flow }: { flow: Step<'confirm'> }) {
  const { plan } = flow;
  const blocking = blockingChecks(plan);
  return (
    <Box flexDirection="column">
      {flow.notice ? (
        <Text color="yellow" wrap="wrap">
          {flow.notice}
        </Text>
      ) : null}
      <Text bold>Checks</Text>
      <Checks checks={plan.checks} />
      <Plan plan={plan} />
      {canBuild(flow) ? (
        <Text color="yellow" wrap="wrap">{`Missing images: ${plan.missingImages.join(', ')}. ${BUILD.label} builds them here (nothing is pulled), then checks again.`}</Text>
      ) : null}
      {canConfirm(flow) || canBuild(flow) ? null : (
        <Text color="red" wrap="wrap">{`Cannot ${verb(flow.kind)}: ${blocking.map((c) => c.name).join(', ')} failed. Nothing was changed.`}</Text>
      )}
    </Box>
  );
}

/** Under the plan, never scrolled away: what to type, and what was typed. */
function promptText(flow: Step<'confirm'>): string {
  return `Type ${confirmationWord(flow.plan)} and press ${CONFIRM.label} to ${verb(flow.kind)}; ${CANCEL.label} cancels (nothing changes): `;
}

function Building({ flow }: { flow: Step<'building'> }) {
  return (
    <Box flexDirection="column">
      <Text color="cyan" wrap="wrap">{`building ${flow.plan.missingImages.join(', ')}…`}</Text>
      {flow.lines.map((line, i) => (
        <Text key={i} dimColor wrap="truncate">{`  ${line}`}</Text>
      ))}
    </Box>
  );
}

function Running({ flow }: { flow: Step<'running'> }) {
  const now = useNow();
  return (
    <Box flexDirection="column">
      <Text color="cyan" wrap="truncate">{`${phaseText(flow.phase, flow.plan)}  (${Math.max(0, Math.floor((now - flow.startedMs) / 1000))} s so far)`}</Text>
      <ServiceProgressRows progress={flow.progress} now={now} />
      <Text dimColor wrap="wrap">No keys work while it runs (not even Ctrl-C): the stack is between variants.</Text>
    </Box>
  );
}

// ---------------------------------------------------------------------------------------------------------------
// The result: this run next to the other variant and the guides

interface Side {
  title: string;
  variant: StackVariant;
  services: readonly ServiceMeasurement[] | null;
}

interface Columns {
  name: number;
  start: number;
  mem: number;
  image: number;
}

/** Wide enough for the guides' `15–20 s` and a side's title; the narrow set fits an 80-column window. */
const WIDE: Columns = { name: 14, start: 8, mem: 16, image: 8 };
const NARROW: Columns = { name: 10, start: 7, mem: 14, image: 7 };
const SEP = ' │ ';
const sideWidth = (c: Columns) => c.start + 1 + c.mem + 1 + c.image;
const tableWidth = (c: Columns) => c.name + 2 * (SEP.length + sideWidth(c));

function memText(m: ServiceMeasurement): string {
  if (m.memUsageBytes === null) return '-';
  return m.memLimitBytes === null ? formatBytes(m.memUsageBytes) : `${formatBytes(m.memUsageBytes)}/${formatBytes(m.memLimitBytes)}`;
}

function cells(c: Columns, start: string, mem: string, image: string): string {
  return [fit(start, c.start), fit(mem, c.mem), fit(image, c.image)].join(' ');
}

function sideCells(c: Columns, m: ServiceMeasurement | undefined): string {
  return m ? cells(c, secondsText(m.healthySeconds), memText(m), imageSizeText(m.imageSizeBytes)) : fit('', sideWidth(c));
}

function totalCells(c: Columns, services: readonly ServiceMeasurement[] | null): string {
  if (!services) return fit('', sideWidth(c));
  const total = summarizeMeasurement(services);
  return cells(c, secondsText(total.maxStartSeconds), formatBytes(total.memoryBytes), imageSizeText(total.imageBytes));
}

function guideCells(c: Columns, variant: StackVariant): string {
  const guide = GUIDE_EXPECTATIONS[variant];
  const [low, high] = guide.startupSeconds;
  return cells(c, `${low}–${high} s`, `~${formatBytes(guide.totalMemoryBytes)}`, `~${imageSizeText(guide.backendImageBytes)}`);
}

/** Per service: start → healthy, memory median (of its limit), image size, for two variants side by side. */
const TABLE_NOTE = "total: the slowest start-up (services start side by side), memory and image sizes summed · guide: the platform guides' start-up, total memory and backend image";

function SideBySide({ sides, width, note }: { sides: [Side, Side]; width: number; note: boolean }) {
  const c = width >= tableWidth(WIDE) ? WIDE : NARROW;
  const names = [...new Set(sides.flatMap((s) => (s.services ?? []).map((m) => m.service)))];
  const row = (name: string, parts: [string, string]) => `${fit(name, c.name)}${SEP}${parts[0]}${SEP}${parts[1]}`;
  const header = cells(c, 'START', 'MEM/LIMIT', 'IMAGE');
  const find = (side: Side, name: string) => side.services?.find((m) => m.service === name);
  return (
    <Box flexDirection="column" marginTop={1}>
      <Text bold wrap="truncate">{row('', [fit(sides[0].title, sideWidth(c)), fit(sides[1].title, sideWidth(c))])}</Text>
      <Text dimColor wrap="truncate">{row('SERVICE', [header, header])}</Text>
      {names.map((name) => (
        <Text key={name} wrap="truncate">
          {row(name, [sideCells(c, find(sides[0], name)), sideCells(c, find(sides[1], name))])}
        </Text>
      ))}
      <Text bold wrap="truncate">{row('total', [totalCells(c, sides[0].services), totalCells(c, sides[1].services)])}</Text>
      <Text color="cyan" wrap="truncate">{row('guide', [guideCells(c, sides[0].variant), guideCells(c, sides[1].variant)])}</Text>
      {note ? (
        <Text dimColor wrap="wrap">
          {TABLE_NOTE}
        </Text>
      ) : null}
    </Box>
  );
}

function lastMeasured(measurements: StackMeasurements, stack: string, variant: StackVariant): Side {
  const m = measurements[stack]?.[variant];
  return m ? { title: `${variant} · last ${m.measuredAt.slice(0, 16).replace('T', ' ')}`, variant, services: m.services } : { title: `${variant} · not measured`, variant, services: null };
}

function outcomeSide(outcome: SwitchOutcome): Side {
  return { title: `${outcome.to} · ${outcome.result} in ${outcome.elapsedSeconds.toFixed(1)} s`, variant: outcome.to, services: outcome.services };
}

function resultLine(flow: Step<'done'>): { text: string; color?: string } {
  const { outcome, plan, kind } = flow;
  const name = plan.stack.name;
  const seconds = `${outcome.elapsedSeconds.toFixed(1)} s`;
  if (kind === 'compare' && outcome.result !== 'failed') return { text: `✔ compared ${name}: ${flow.compared.map((o) => o.to).join(' then ')}; ${variantText(outcome.runningNow)} runs now`, color: 'green' };
  switch (outcome.result) {
    case 'switched':
      return { text: `✔ ${name} switched to ${outcome.to} in ${seconds}`, color: 'green' };
    case 'reverted':
      return { text: `✘ ${name}: ${outcome.to} did not come up (${outcome.error ?? 'unknown error'}); reverted, ${variantText(outcome.runningNow)} runs now`, color: 'red' };
    case 'unchanged':
      return { text: `= ${name}: ${outcome.to} already runs; nothing changed` };
    case 'failed':
      return { text: `✘ ${verb(kind) === 'compare' ? 'comparing' : 'switching'} ${name} to ${outcome.to} failed after ${seconds}: ${outcome.error ?? 'unknown error'}`, color: 'red' };
  }
}

/** The newest of `lines` that fit in `rows` wrapped rows: at least one, at most `max`. */
function newestThatFit(lines: readonly string[], rows: number, width: number, max: number): string[] {
  const shown: string[] = [];
  let used = 0;
  for (const line of [...lines].reverse()) {
    if (shown.length >= max) break;
    used += rowsOf(line, width);
    if (shown.length > 0 && used > rows) break;
    shown.unshift(line);
  }
  return shown;
}

const OUTPUT_INDENT = '    ';

/** The failing service: what runs now, its last health-check outputs and log lines, in `rows` rows as far as they go. */
function Failure({ outcome, rows, width }: { outcome: SwitchOutcome; rows: number; width: number }) {
  const failure = outcome.failure;
  const outputs = (failure?.healthOutputs.slice(-HEALTH_OUTPUTS_SHOWN) ?? []).map((o) => `${OUTPUT_INDENT}${o.trim()}`);
  const outputRows = outputs.length ? 1 + outputs.reduce((n, o) => n + rowsOf(o, width), 0) : 0;
  const fixed = 1 + (failure ? 1 : 0) + 1 + outputRows + (failure?.logLines.length ? 1 : 0);
  const logs = failure ? newestThatFit(failure.logLines.map((l) => `${OUTPUT_INDENT}${l}`), rows - fixed, width, LOG_LINES_SHOWN) : [];
  return (
    <Box flexDirection="column" marginTop={1}>
      {failure ? <Text color="red" bold wrap="truncate">{`${failure.service} did not come up`}</Text> : null}
      <Text wrap="wrap">{`Runs now: ${variantText(outcome.runningNow)}`}</Text>
      {outputs.length ? <Text>{`  last health checks (${outputs.length} of ${failure!.healthOutputs.length}):`}</Text> : null}
      {outputs.map((output, i) => (
        <Text key={`h${i}`} color="red" wrap="wrap">
          {output}
        </Text>
      ))}
      {logs.length ? <Text>{`  last log lines (${logs.length} of ${failure!.logLines.length}):`}</Text> : null}
      {logs.map((line, i) => (
        <Text key={`l${i}`} dimColor wrap="wrap">
          {line}
        </Text>
      ))}
    </Box>
  );
}

function Done({ flow, measurements, width, rows }: { flow: Step<'done'>; measurements: StackMeasurements; width: number; rows: number }) {
  const { outcome, plan } = flow;
  const line = resultLine(flow);
  const stack = plan.stack.name;
  let sides: [Side, Side];
  if (flow.kind === 'compare' && flow.compared.length > 0) {
    const first = outcomeSide(flow.compared[0]!);
    const second = flow.compared[1] ? outcomeSide(flow.compared[1]) : lastMeasured(measurements, stack, otherVariant(first.variant));
    sides = [first, second];
  } else {
    sides = [{ title: `${outcome.to} · this run`, variant: outcome.to, services: outcome.services }, lastMeasured(measurements, stack, otherVariant(outcome.to))];
  }
  const table = outcome.services.length > 0 || flow.compared.length > 0;
  const tableRows = table ? 1 + 2 + new Set(sides.flatMap((side) => (side.services ?? []).map((m) => m.service))).size + 2 : 0;
  // The note goes first when the failure needs the room.
  const note = table && (outcome.failure === null || rows - tableRows >= 16);
  const used = rowsOf(line.text, width) + tableRows + (note ? rowsOf(TABLE_NOTE, width) : 0);
  return (
    <Box flexDirection="column">
      <Text color={line.color} wrap="wrap">
        {line.text}
      </Text>
      {table ? <SideBySide sides={sides} width={width} note={note} /> : null}
      {outcome.result === 'failed' || outcome.result === 'reverted' ? <Failure outcome={outcome} rows={rows - used} width={width} /> : null}
    </Box>
  );
}

function title(flow: SwitchFlow): string {
  const stack = stackOf(flow).name;
  const to = targetOf(flow);
  const compare = flow.kind === 'compare';
  switch (flow.step) {
    case 'preflight':
      return compare ? `Checking ${stack} before comparing its variants (${to} first)…` : `Checking ${stack} before switching to ${to}…`;
    case 'refused':
      return compare ? `Cannot compare ${stack}` : `Cannot switch ${stack} to ${to}`;
    case 'confirm':
      return compare
        ? `Compare ${stack}: brings each variant up in turn (${to}, then ${otherVariant(to)}), measures both, and leaves the stack as it was (${variantText(flow.plan.from)})`
        : `Switch ${stack}: ${variantText(flow.plan.from)} → ${to}`;
    case 'building':
      return `Building the missing images of ${stack} (${to})`;
    case 'running':
      return `${compare ? 'Comparing' : 'Switching'} ${stack} ${flow.leg} — do not close the console`;
    case 'done':
      return compare ? `Compare ${stack}` : `Switch ${stack} → ${to}`;
  }
}

export function SwitchDialog({ width, height }: ViewProps) {
  const { flow, notice, readOnly, measurements } = useAppState((s) => ({ flow: s.stacks.flow, notice: s.ui.notice, readOnly: s.readOnly, measurements: s.stacks.measurements }));
  if (!flow) return null;
  const hints = hintLine(shownBindings(keysFor(flow, lastHealthyOf(flow, measurements)), readOnly));
  const failed = flow.step === 'refused' || (flow.step === 'done' && (flow.outcome.result === 'failed' || flow.outcome.result === 'reverted'));
  const prompt = flow.step === 'confirm' && canConfirm(flow) ? { text: promptText(flow), typed: flow.typed } : null;
  return (
    <DialogFrame width={width} height={height} heading={title(flow)} failed={failed} prompt={prompt} notice={notice} hints={hints}>
      {({ rows, width: inner }) => (
        <>
          {flow.step === 'refused' ? <Refused flow={flow} /> : null}
          {flow.step === 'confirm' ? <Confirm flow={flow} /> : null}
          {flow.step === 'building' ? <Building flow={flow} /> : null}
          {flow.step === 'running' ? <Running flow={flow} /> : null}
          {flow.step === 'done' ? <Done flow={flow} measurements={measurements} width={inner} rows={rows} /> : null}
        </>
      )}
    </DialogFrame>
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Keys

const close: Binding['run'] = ({ actions }) => actions.closeSwitch();
const CLOSE_PREFLIGHT: Binding = { keys: [{ key: 'escape' }], label: 'Esc', description: 'Close: nothing has changed', hint: 'close', run: close };
const CLOSE_REFUSED: Binding = { keys: [{ key: 'escape' }], label: 'Esc', description: 'Close: nothing was changed', hint: 'close (nothing was changed)', run: close };
const CANCEL = cancelKey(close);
const CLOSE_DONE = closeDoneKey(close);

const CONFIRM: Binding = {
  keys: [{ key: 'return' }],
  label: 'Enter',
  description: 'Switch (or compare) once the typed stack name matches',
  hint: 'confirm',
  mutating: 'switch',
  run: ({ store, actions }) => {
    const flow = store.getState().stacks.flow;
    if (flow && isConfirmed(flow)) actions.runSwitch();
    else if (flow?.step === 'confirm') setNotice(store, `type ${confirmationWord(flow.plan)} exactly to ${verb(flow.kind)}, or ${CANCEL.label} to cancel (nothing changes)`);
  },
};
const ERASE = eraseKey(editSwitchConfirmation);
const BUILD: Binding = {
  keys: [{ input: 'b' }],
  label: 'b',
  description: 'Build the missing images (nothing is pulled), then check again',
  hint: 'build missing images',
  mutating: 'switch',
  run: ({ actions }) => actions.buildMissing(),
};

/**
 * `t` plans the other variant instead. While a name is being typed t is a letter, so then (and when the name starts
 * with t) only Tab does it.
 */
function otherTarget(flow: Step<'confirm'>): Binding {
  const typing = canConfirm(flow) && (flow.typed !== '' || confirmationWord(flow.plan).startsWith('t'));
  const other = otherVariant(flow.plan.to);
  return {
    keys: typing ? [{ key: 'tab' }] : [{ input: 't' }, { key: 'tab' }],
    label: typing ? 'Tab' : 't, Tab',
    description: `Plan the other target variant instead (${other})`,
    hint: `target ${other}`,
    run: ({ store, actions }) => {
      const now = store.getState().stacks.flow;
      if (now?.step === 'confirm') actions.startSwitch(now.plan.stack.name, now.kind, otherVariant(now.plan.to));
    },
  };
}

function revertKey(variant: StackVariant): Binding {
  return { keys: [{ input: 'v' }], label: 'v', description: `Revert: bring ${variant} back up`, hint: `revert to ${variant}`, mutating: 'switch', run: ({ actions }) => actions.revertSwitch() };
}

/** The dialog's keys at each step; while images build or the switch runs, none (not even Ctrl-C). */
export function keysFor(flow: SwitchFlow | null, lastHealthy?: StackVariant): BindingSet {
  const set = (bindings: Binding[]): BindingSet => ({ title: 'Stack switch', modal: true, bindings });
  if (!flow) return set([CLOSE_EMPTY]);
  switch (flow.step) {
    case 'building':
    case 'running':
      return set([]);
    case 'preflight':
      return set([CLOSE_PREFLIGHT, QUIT]);
    case 'refused':
      return set([CLOSE_REFUSED, QUIT]);
    case 'done': {
      const revert = revertTarget(flow, lastHealthy);
      return set([...(revert ? [revertKey(revert)] : []), CLOSE_DONE, QUIT]);
    }
    case 'confirm': {
      const confirmable = canConfirm(flow);
      const bindings = set([...(confirmable ? [CONFIRM, ERASE] : []), ...(canBuild(flow) ? [BUILD] : []), otherTarget(flow), CANCEL, QUIT]);
      if (!confirmable) return bindings;
      return {
        ...bindings,
        text: typedText(editSwitchConfirmation),
      };
    }
  }
}

export const SWITCH_DIALOG: OverlaySpec = { id: 'switch', component: SwitchDialog, dialog: true, keys: (state) => keysFor(state.stacks.flow, lastHealthyOf(state.stacks.flow, state.stacks.measurements)) };
