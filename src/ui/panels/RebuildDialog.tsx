import { Box, Text } from 'ink';
import type { BuildStep, DiskUsage, PrunePlan, ServiceBuild } from '../../domain/build';
import { slowestSteps } from '../../domain/build-analysis';
import { otherVariant } from '../../domain/stacks';
import {
  isConfirmed,
  moveCursor,
  proceed,
  stepSummary,
  toggle,
  toggleService,
  typeConfirmation,
  type RebuildFlow,
  type RebuildOptions,
  type RebuildPhase,
  type ServiceBuildReport,
} from '../../flows/rebuild-machine';
import { runningText, type SwitchOutcome } from '../../flows/switch-machine';
import { changeRebuild } from '../../store/stack-actions';
import { setNotice } from '../../store/ui-actions';
import { DialogFrame, rowsOf } from '../components/DialogFrame';
import { ServiceProgressRows } from '../components/ServiceProgressRows';
import { useAppState } from '../context';
import { fit, shortImage } from '../format';
import { hintLine, shownBindings, type Binding, type BindingSet } from '../keys/bindings';
import { cancelKey, CLOSE_EMPTY, closeDoneKey, eraseKey, QUIT_NOTHING_CHANGES as QUIT, typedText, type EditTyped } from '../keys/dialog-keys';
import type { OverlaySpec, ViewProps } from '../keys/view-spec';
import { useNow } from '../use-now';
import { imageSizeText, secondsText } from './StacksPanel';

type Step<S extends RebuildFlow['step']> = Extract<RebuildFlow, { step: S }>;

/** Bounds of what the report shows: the slowest steps, the largest layers per image, a failure's last lines. */
const SLOWEST_SHOWN = 5;
const SLOWEST_LIVE = 3;
const LAYERS_SHOWN = 3;
const FAILURE_LINES_SHOWN = 8;
const INDENT = '    ';

// ---------------------------------------------------------------------------------------------------------------
// Text

/** Sizes in decimal units, as `docker system df` writes them: `412 MB`, `1.25 GB`, `950 kB`. */
export function diskText(bytes: number | null): string {
  if (bytes === null) return '-';
  if (bytes < 1e3) return `${Math.round(bytes)} B`;
  if (bytes < 1e6) return `${Math.round(bytes / 1e3)} kB`;
  return imageSizeText(bytes);
}

/** `4/6 (67 %)`: the steps a cache could hit and those it did. */
export function cacheRatioText(cached: number, cacheable: number): string {
  return cacheable === 0 ? '0/0 (-)' : `${cached}/${cacheable} (${Math.round((100 * cached) / cacheable)} %)`;
}

const signed = (value: number, text: string) => `${value > 0 ? '+' : value < 0 ? '-' : '±'}${text}`;

/** `+3.2 s · +12 MB · cache -33 pp` against the previous build of the same service and variant. */
export function deltaText(previous: NonNullable<ServiceBuildReport['previous']>): string {
  const parts = [
    previous.secondsDelta === null ? null : signed(previous.secondsDelta, `${Math.abs(previous.secondsDelta).toFixed(1)} s`),
    previous.sizeDeltaBytes === null ? null : signed(previous.sizeDeltaBytes, diskText(Math.abs(previous.sizeDeltaBytes))),
    previous.ratioDelta === null ? null : `cache ${signed(previous.ratioDelta, `${Math.round(Math.abs(previous.ratioDelta) * 100)} pp`)}`,
  ].filter((p): p is string => p !== null);
  return parts.length ? parts.join(' · ') : 'nothing to compare';
}

function buildText(options: RebuildOptions): string {
  return options.noCache ? 'clean (--no-cache: every step runs again)' : 'cached (unchanged layers are reused)';
}

function restartText(options: RebuildOptions): string {
  return options.restart ? 'yes: up on the new images, then wait for health (as a switch does)' : 'no (the new images are used at the next switch or up)';
}

function prunePlanText(plan: PrunePlan): string[] {
  const images = plan.danglingImages.reduce((sum, i) => sum + i.sizeBytes, 0);
  const names = plan.stoppedContainers.map((c) => c.name).join(', ');
  return [
    // An image's size counts layers it shares with others; those stay, so the space freed can be far less.
    `${plan.danglingImages.length} dangling image${plan.danglingImages.length === 1 ? '' : 's'} of ${plan.project} (up to ${diskText(images)}: layers other images share stay)`,
    `${plan.stoppedContainers.length} stopped container${plan.stoppedContainers.length === 1 ? '' : 's'}${names ? `: ${names}` : ''}`,
    `builder cache older than ${plan.cacheOlderThanHours} h (of every project: the cache is shared)`,
  ];
}

function pruneSummary(options: RebuildOptions, plan: PrunePlan | null, stack: string): string {
  if (!options.prune) return 'no prune';
  if (!plan) return `prune first: ${stack}'s dangling images and stopped containers, builder cache older than ${options.pruneHours} h`;
  const images = plan.danglingImages.reduce((sum, i) => sum + i.sizeBytes, 0);
  const [dangling, stopped] = [plan.danglingImages.length, plan.stoppedContainers.length];
  return `prune first: ${dangling} dangling image${dangling === 1 ? '' : 's'} (up to ${diskText(images)}), ${stopped} stopped container${stopped === 1 ? '' : 's'}, builder cache older than ${plan.cacheOlderThanHours} h`;
}

// ---------------------------------------------------------------------------------------------------------------
// Options

const USAGE_ROWS: Array<[string, keyof DiskUsage]> = [
  ['images', 'images'],
  ['containers', 'containers'],
  ['build cache', 'buildCache'],
  ['volumes', 'volumes'],
];

function Usage({ usage }: { usage: DiskUsage }) {
  return (
    <Box flexDirection="column" marginTop={1}>
      <Text bold wrap="truncate">{`${fit('docker system df', 18)} ${fit('total', 10, 'right')} ${fit('reclaimable', 12, 'right')}`}</Text>
      {USAGE_ROWS.map(([label, key]) => (
        <Text key={key} wrap="truncate">{`  ${fit(label, 16)} ${fit(diskText(usage[key].totalBytes), 10, 'right')} ${fit(diskText(usage[key].reclaimableBytes), 12, 'right')}`}</Text>
      ))}
    </Box>
  );
}

function PruneWhat({ plan }: { plan: PrunePlan }) {
  return (
    <Box flexDirection="column" marginTop={1}>
      <Text>{`The prune removes (images and containers of ${plan.project} only; the cache is the engine's):`}</Text>
      {prunePlanText(plan).map((line) => (
        <Text key={line} color="yellow" wrap="truncate">{`  ${line}`}</Text>
      ))}
      <Text color="green" wrap="wrap">
        Images of other projects and every volume survive.
      </Text>
    </Box>
  );
}

function Options({ flow }: { flow: Step<'options'> }) {
  const { options } = flow;
  return (
    <Box flexDirection="column">
      <Text>{`Variant: ${options.variant}`}</Text>
      <Text>{`Services (${options.services.length} of ${flow.allServices.length} built):`}</Text>
      {flow.allServices.map((service, i) => {
        const chosen = options.services.includes(service);
        const here = i === flow.cursor;
        return (
          <Text key={service} bold={here} color={here ? 'cyan' : undefined} dimColor={!chosen && !here} wrap="truncate">
            {`  ${here ? '▸' : ' '} [${chosen ? 'x' : ' '}] ${service}`}
          </Text>
        );
      })}
      {flow.notice ? (
        <Text color="yellow" wrap="wrap">
          {flow.notice}
        </Text>
      ) : null}
      <Text wrap="wrap">{`Build: ${buildText(options)}`}</Text>
      <Text wrap="wrap">{`Restart afterwards: ${restartText(options)}`}</Text>
      <Text wrap="wrap">{`Prune first: ${options.prune ? `yes, scoped to ${flow.stack.name}` : 'no'}`}</Text>
      {flow.usage ? <Usage usage={flow.usage} /> : <Text dimColor>docker system df: not known</Text>}
      {options.prune && flow.prunePlan ? <PruneWhat plan={flow.prunePlan} /> : null}
      {options.prune && !flow.prunePlan ? <Text dimColor wrap="wrap">{`What the prune would remove is not known; it only touches ${flow.stack.name}: images of other projects and every volume survive.`}</Text> : null}
    </Box>
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Confirm

function Confirm({ flow }: { flow: Step<'confirm'> }) {
  const { options } = flow;
  return (
    <Box flexDirection="column">
      {flow.notice ? (
        <Text color="yellow" wrap="wrap">
          {flow.notice}
        </Text>
      ) : null}
      <Text wrap="wrap">{`Variant: ${options.variant}`}</Text>
      <Text wrap="wrap">{`Services: ${options.services.join(', ')}`}</Text>
      <Text wrap="wrap">{`Build: ${buildText(options)}`}</Text>
      <Text wrap="wrap">{`Restart afterwards: ${restartText(options)}`}</Text>
      <Text wrap="wrap">{pruneSummary(options, flow.prunePlan, flow.stack.name)}</Text>
      {options.prune ? <Text wrap="wrap">Images of other projects and every volume survive.</Text> : null}
    </Box>
  );
}

function promptText(flow: Step<'confirm'>): string {
  return `Type ${flow.stack.name} and press ${CONFIRM.label} to rebuild; ${CANCEL.label} cancels (nothing changes): `;
}

// ---------------------------------------------------------------------------------------------------------------
// Running

const PHASE_TEXT: Record<RebuildPhase, (flow: Step<'running'>) => string> = {
  pruning: (f) => `pruning ${f.stack.name}'s dangling images and stopped containers, builder cache older than ${f.options.pruneHours} h…`,
  building: (f) => `building ${f.options.services.join(', ')} (${f.options.variant}, ${f.options.noCache ? 'clean' : 'cached'})…`,
  measuring: () => 'measuring the new images (sizes, layers)…',
  restarting: (f) => `restarting ${f.stack.name} on the new images (up, then wait for health)…`,
};

const STATE_COLOR: Record<BuildStep['state'], string> = { running: 'yellow', cached: 'cyan', done: 'green', error: 'red' };

const STAGE_W = 10;
const INDEX_W = 5;
const STATE_W = 8;

function indexText(step: BuildStep): string {
  return step.index !== null && step.total !== null ? `${step.index}/${step.total}` : '';
}

function StepRow({ step, width }: { step: BuildStep; width: number }) {
  const instruction = step.instruction ?? step.name;
  const instructionWidth = Math.max(8, width - 4 - STAGE_W - 1 - INDEX_W - 1 - 1 - STATE_W);
  const dim = step.kind !== 'step';
  return (
    <Text wrap="truncate" dimColor={dim}>
      {`    ${fit(step.stage ?? (step.kind === 'step' ? '' : step.kind), STAGE_W)} ${fit(indexText(step), INDEX_W)} ${fit(instruction, instructionWidth)} `}
      <Text color={STATE_COLOR[step.state]}>{fit(stepSummary(step), STATE_W, 'right')}</Text>
    </Text>
  );
}

/** Each service's steps, the newest that fit in `rows` rows. */
function StepTable({ builds, rows, width }: { builds: readonly ServiceBuild[]; rows: number; width: number }) {
  if (builds.length === 0) return <Text dimColor>no build steps yet…</Text>;
  const perService = Math.max(2, Math.floor((rows - 1) / builds.length) - 1);
  return (
    <Box flexDirection="column">
      <Text dimColor wrap="truncate">{`    ${fit('STAGE', STAGE_W)} ${fit('STEP', INDEX_W)} ${fit('INSTRUCTION', Math.max(8, width - 4 - STAGE_W - 1 - INDEX_W - 1 - 1 - STATE_W))} ${fit('STATE', STATE_W, 'right')}`}</Text>
      {builds.map((build) => {
        const hidden = Math.max(0, build.steps.length - perService);
        const shown = hidden > 0 ? build.steps.slice(-(perService - 1)) : build.steps;
        return (
          <Box key={build.service} flexDirection="column">
            <Text bold color={build.error ? 'red' : undefined} wrap="truncate">{`  ${build.service}${build.error ? `: ${build.error}` : ''}`}</Text>
            {hidden > 0 ? <Text dimColor>{`    … ${build.steps.length - shown.length} earlier steps`}</Text> : null}
            {shown.map((step) => (
              <StepRow key={step.vertex} step={step} width={width} />
            ))}
          </Box>
        );
      })}
    </Box>
  );
}

interface Slow {
  service: string;
  name: string;
  seconds: number;
}


function SlowestSteps({ steps, title, width }: { steps: Slow[]; title: string; width: number }) {
  if (steps.length === 0) return null;
  const nameWidth = Math.min(16, Math.max(7, ...steps.map((s) => s.service.length)));
  return (
    <Box flexDirection="column" marginTop={1}>
      <Text bold>{title}</Text>
      {steps.map((s, i) => (
        <Text key={i} wrap="truncate">{`  ${fit(secondsText(s.seconds), 8, 'right')}  ${fit(s.service, nameWidth)} ${fit(s.name, Math.max(8, width - 14 - nameWidth))}`}</Text>
      ))}
    </Box>
  );
}

const RUNNING_NOTE = 'No keys work while it runs (not even Ctrl-C).';

function Running({ flow, rows, width }: { flow: Step<'running'>; rows: number; width: number }) {
  const now = useNow();
  const steps = flow.builds.flatMap((b) => b.steps.filter((s) => s.kind === 'step'));
  const done = steps.filter((s) => s.state === 'done' || s.state === 'cached').length;
  const cached = steps.filter((s) => s.state === 'cached').length;
  const slow = slowestSteps(flow.builds, SLOWEST_LIVE).map(({ service, step }) => ({ service, name: step.instruction ?? step.name, seconds: step.seconds ?? 0 }));
  const restarting = flow.phase === 'restarting' || flow.restart.length > 0;
  const phase = `${PHASE_TEXT[flow.phase](flow)}  (${Math.max(0, Math.floor((now - flow.startedMs) / 1000))} s so far)`;
  const fixed = rowsOf(phase, width) + 1 + (slow.length ? 2 + slow.length : 0) + (restarting ? 1 + flow.restart.length : 0) + rowsOf(RUNNING_NOTE, width);
  return (
    <Box flexDirection="column">
      <Text color="cyan" wrap="wrap">
        {phase}
      </Text>
      <Text wrap="truncate">{`${done} build step${done === 1 ? '' : 's'} done so far · ${cached} cache hit${cached === 1 ? '' : 's'}`}</Text>
      <StepTable builds={flow.builds} rows={rows - fixed} width={width} />
      <SlowestSteps steps={slow} title="Slowest steps so far" width={width} />
      {restarting ? (
        <Box flexDirection="column" marginTop={1}>
          <ServiceProgressRows progress={flow.restart} now={now} />
        </Box>
      ) : null}
      <Text dimColor wrap="wrap">
        {RUNNING_NOTE}
      </Text>
    </Box>
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Done

const LEVEL: Record<ServiceBuildReport['level'], { mark: string; color?: string }> = {
  ok: { mark: '' },
  warning: { mark: '! ', color: 'yellow' },
  over: { mark: '✘ ', color: 'red' },
};

const COL = { service: 12, size: 19, time: 8, cache: 13 };

function ServiceRow({ report, width }: { report: ServiceBuildReport; width: number }) {
  const imageWidth = Math.max(10, width - COL.service - COL.size - COL.time - COL.cache - 4);
  if (report.notBuilt) {
    return <Text color="yellow" wrap="truncate">{`${fit(report.service, COL.service)}not built: compose stopped before it (its image is unchanged)`}</Text>;
  }
  const level = LEVEL[report.level];
  const size = `${level.mark}${imageSizeText(report.imageSizeBytes)} / ${imageSizeText(report.budgetBytes)}`;
  return (
    <Box flexDirection="column">
      <Text wrap="truncate">
        {`${fit(report.service, COL.service)}${fit(shortImage(report.image), imageWidth)} `}
        <Text color={level.color}>{fit(size, COL.size)}</Text>
        {` ${fit(secondsText(report.seconds), COL.time, 'right')} ${fit(cacheRatioText(report.cachedSteps, report.cacheableSteps), COL.cache, 'right')}`}
      </Text>
      {report.previous ? <Text dimColor wrap="truncate">{`${INDENT}vs previous: ${deltaText(report.previous)}`}</Text> : <Text dimColor>{`${INDENT}no previous build to compare with`}</Text>}
      {report.previous?.firstBroken ? (
        <Box paddingLeft={INDENT.length}>
          <Text color="yellow" wrap="wrap">{`cache first broke at ${report.previous.firstBroken.name}: ${report.previous.firstBroken.reason}`}</Text>
        </Box>
      ) : null}
    </Box>
  );
}

function ServiceTable({ services, width }: { services: readonly ServiceBuildReport[]; width: number }) {
  const imageWidth = Math.max(10, width - COL.service - COL.size - COL.time - COL.cache - 4);
  return (
    <Box flexDirection="column" marginTop={1}>
      <Text dimColor wrap="truncate">{`${fit('SERVICE', COL.service)}${fit('IMAGE', imageWidth)} ${fit('SIZE / BUDGET', COL.size)} ${fit('TIME', COL.time, 'right')} ${fit('CACHED', COL.cache, 'right')}`}</Text>
      {services.map((s) => (
        <ServiceRow key={s.service} report={s} width={width} />
      ))}
    </Box>
  );
}

function Failures({ services }: { services: readonly ServiceBuildReport[] }) {
  const failed = services.filter((s) => s.failure);
  if (failed.length === 0) return null;
  return (
    <Box flexDirection="column" marginTop={1}>
      {failed.map(({ service, failure }) => {
        const lines = failure!.lines.slice(-FAILURE_LINES_SHOWN);
        return (
          <Box key={service} flexDirection="column">
            <Text color="red" bold wrap="wrap">{`✘ ${service} failed at ${failure!.step}`}</Text>
            {lines.length ? <Text>{`  last lines (${lines.length} of ${failure!.lines.length}):`}</Text> : null}
            {lines.map((line, i) => (
              <Text key={`l${i}`} dimColor wrap="truncate">{`${INDENT}${line}`}</Text>
            ))}
            {failure!.hints.map((hint, i) => (
              <Text key={`h${i}`} color="yellow" wrap="wrap">{`  hint: ${hint}`}</Text>
            ))}
          </Box>
        );
      })}
    </Box>
  );
}

function Layers({ services, width }: { services: readonly ServiceBuildReport[]; width: number }) {
  const withLayers = services.filter((s) => s.largestLayers.length > 0);
  if (withLayers.length === 0) return null;
  return (
    <Box flexDirection="column" marginTop={1}>
      <Text bold>Largest layers</Text>
      {withLayers.map((s) => (
        <Box key={s.service} flexDirection="column">
          <Text wrap="truncate">{`  ${s.service} (${shortImage(s.image)})`}</Text>
          {[...s.largestLayers]
            .sort((a, b) => b.sizeBytes - a.sizeBytes)
            .slice(0, LAYERS_SHOWN)
            .map((layer, i) => (
              <Text key={i} wrap="truncate">{`${INDENT}${fit(diskText(layer.sizeBytes), 8, 'right')}  ${fit(layer.createdBy.replace(/\s+/g, ' ').trim(), Math.max(8, width - 14))}`}</Text>
            ))}
        </Box>
      ))}
    </Box>
  );
}

function restartLine(outcome: SwitchOutcome): { text: string; color?: string } {
  const now = runningText(outcome.runningNow);
  switch (outcome.result) {
    case 'switched':
      return { text: `✔ restarted on the new images: ${outcome.to} healthy in ${outcome.elapsedSeconds.toFixed(1)} s`, color: 'green' };
    case 'unchanged':
      return { text: `= restart: nothing changed; ${now} runs now` };
    case 'reverted':
      return { text: `✘ restart failed (${outcome.error ?? 'unknown error'}); reverted, ${now} runs now`, color: 'red' };
    case 'failed':
      return { text: `✘ restart failed: ${outcome.error ?? 'unknown error'}; runs now: ${now}`, color: 'red' };
  }
}

function Done({ flow, width }: { flow: Step<'done'>; width: number }) {
  const { report, options } = flow;
  const built = report.result === 'built';
  const slow = report.slowestSteps.slice(0, SLOWEST_SHOWN);
  const restart = report.restart ? restartLine(report.restart) : options.restart ? { text: built ? 'not restarted' : 'not restarted: the build failed; what ran before still runs' } : null;
  return (
    <Box flexDirection="column">
      <Text color={built ? 'green' : 'red'} wrap="wrap">
        {built
          ? `✔ built ${report.services.map((s) => s.service).join(', ')} (${report.variant}, ${report.noCache ? 'clean' : 'cached'}) in ${report.elapsedSeconds.toFixed(1)} s`
          : `✘ rebuilding ${report.stack} failed after ${report.elapsedSeconds.toFixed(1)} s${report.error ? `: ${report.error}` : ''}`}
      </Text>
      {report.services.length ? <ServiceTable services={report.services} width={width} /> : null}
      <Failures services={report.services} />
      {restart ? (
        <Text color={restart.color} wrap="wrap">
          {restart.text}
        </Text>
      ) : null}
      {report.pruned ? <Text wrap="wrap">{`pruned first: ${diskText(report.pruned.reclaimedBytes)} reclaimed`}</Text> : null}
      {report.pruned?.errors.map((e) => (
        <Text key={e} color="yellow" wrap="wrap">{`  not pruned: ${e}`}</Text>
      ))}
      <SlowestSteps steps={slow} title="Slowest steps" width={width} />
      <Layers services={report.services} width={width} />
    </Box>
  );
}

// ---------------------------------------------------------------------------------------------------------------
// The dialog

function title(flow: RebuildFlow): string {
  const stack = flow.stack.name;
  switch (flow.step) {
    case 'options':
      return `Rebuild ${stack}`;
    case 'confirm':
      return `Rebuild ${stack} (${flow.options.variant}): confirm`;
    case 'running':
      return `Rebuilding ${stack} (${flow.options.variant}) — do not close the console`;
    case 'done':
      return `Rebuild ${stack} (${flow.options.variant})`;
  }
}

export function RebuildDialog({ width, height }: ViewProps) {
  const { flow, notice, readOnly } = useAppState((s) => ({ flow: s.stacks.rebuild, notice: s.ui.notice, readOnly: s.readOnly }));
  if (!flow) return null;
  const hints = hintLine(shownBindings(keysFor(flow), readOnly));
  const failed = flow.step === 'done' && (flow.report.result === 'failed' || (flow.report.restart !== null && flow.report.restart.result !== 'switched' && flow.report.restart.result !== 'unchanged'));
  const prompt = flow.step === 'confirm' ? { text: promptText(flow), typed: flow.typed } : null;
  return (
    <DialogFrame width={width} height={height} heading={title(flow)} failed={failed} prompt={prompt} notice={notice} hints={hints}>
      {({ rows, width: inner }) => (
        <>
          {flow.step === 'options' ? <Options flow={flow} /> : null}
          {flow.step === 'confirm' ? <Confirm flow={flow} /> : null}
          {flow.step === 'running' ? <Running flow={flow} rows={rows} width={inner} /> : null}
          {flow.step === 'done' ? <Done flow={flow} width={inner} /> : null}
        </>
      )}
    </DialogFrame>
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Keys

const close: Binding['run'] = ({ actions }) => actions.closeRebuild();
const CANCEL = cancelKey(close);
const CLOSE_DONE = closeDoneKey(close);

const CONTINUE: Binding = { keys: [{ key: 'return' }], label: 'Enter', description: 'Go on to the confirmation (nothing runs yet)', hint: 'continue', run: ({ store }) => changeRebuild(store, proceed) };
const DOWN: Binding = { keys: [{ input: 'j' }, { key: 'downArrow' }], label: 'j, ↓', description: 'Next service', hint: 'move', run: ({ store }) => changeRebuild(store, (f) => moveCursor(f, 1)) };
const UP: Binding = { keys: [{ input: 'k' }, { key: 'upArrow' }], label: 'k, ↑', description: 'Previous service', run: ({ store }) => changeRebuild(store, (f) => moveCursor(f, -1)) };
const SERVICE: Binding = { keys: [{ input: ' ' }], label: 'Space', description: 'Build the service under the cursor, or leave it out (one at least stays)', hint: 'in/out', run: ({ store }) => changeRebuild(store, toggleService) };

function variantKey(flow: Step<'options'>): Binding {
  const other = otherVariant(flow.options.variant);
  return {
    keys: [{ input: 'v' }],
    label: 'v',
    description: `Rebuild the other variant instead (${other}): its services are read again`,
    hint: `variant ${other}`,
    run: ({ store, actions }) => {
      const now = store.getState().stacks.rebuild;
      if (now?.step === 'options') actions.startRebuild(now.stack.name, undefined, otherVariant(now.options.variant));
    },
  };
}

function toggleKey(input: string, what: 'noCache' | 'restart' | 'prune', on: boolean, hints: [string, string], description: string): Binding {
  return { keys: [{ input }], label: input, description, hint: on ? hints[1] : hints[0], run: ({ store }) => changeRebuild(store, (f) => toggle(f, what)) };
}

const CONFIRM: Binding = {
  keys: [{ key: 'return' }],
  label: 'Enter',
  description: 'Rebuild once the typed stack name matches',
  hint: 'rebuild',
  mutating: 'rebuild',
  run: ({ store, actions }) => {
    const flow = store.getState().stacks.rebuild;
    if (flow && isConfirmed(flow)) actions.runRebuild();
    else if (flow?.step === 'confirm') setNotice(store, `type ${flow.stack.name} exactly to rebuild, or ${CANCEL.label} to cancel (nothing changes)`);
  },
};
const editTyped: EditTyped = (store, edit) => changeRebuild(store, (f) => typeConfirmation(f, edit));
const ERASE = eraseKey(editTyped);

/** The dialog's keys at each step; while it runs, none (not even Ctrl-C). */
export function keysFor(flow: RebuildFlow | null): BindingSet {
  const set = (bindings: Binding[]): BindingSet => ({ title: 'Stack rebuild', modal: true, bindings });
  if (!flow) return set([CLOSE_EMPTY]);
  switch (flow.step) {
    case 'running':
      return set([]);
    case 'done':
      return set([CLOSE_DONE, QUIT]);
    case 'options': {
      const { options } = flow;
      return set([
        CONTINUE,
        CANCEL,
        DOWN,
        UP,
        SERVICE,
        variantKey(flow),
        toggleKey('c', 'noCache', options.noCache, ['clean', 'cached'], 'Clean build (--no-cache) or cached'),
        toggleKey('r', 'restart', options.restart, ['restart', 'no restart'], 'Restart the stack on the new images afterwards (up and health wait), or not'),
        toggleKey('p', 'prune', options.prune, ['prune', 'no prune'], "Prune first (this stack's dangling images and stopped containers, old builder cache), or not"),
        QUIT,
      ]);
    }
    case 'confirm':
      return {
        ...set([CONFIRM, ERASE, CANCEL, QUIT]),
        text: typedText(editTyped),
      };
  }
}

export const REBUILD_DIALOG: OverlaySpec = { id: 'rebuild', component: RebuildDialog, dialog: true, keys: (state) => keysFor(state.stacks.rebuild) };
