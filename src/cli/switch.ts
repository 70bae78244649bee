import { UsageError } from '../config/errors';
import { runningVariant, serviceReady, type ServiceMeasurement, type StackDefinition, type StackVariant } from '../domain/stacks';
import { errorLine } from '../domain/printable';
import { loadMeasurements } from '../sources/stack-measurements';
import { terminalJson } from '../domain/printable';
import { measurementOf, preflight } from '../flows/switch-driver';
import { phaseText, revertVariant, type RunningNow, type SwitchOutcome, type SwitchPhase } from '../flows/switch-machine';
import { blockingChecks, type SwitchPlan } from '../flows/switch-plan';
import { runCompareSession, runSwitchSession, type SessionHooks, type SessionResult } from '../flows/switch-session';
import { assertAuditWritable, AuditLogError } from '../sources/audit-log';
import type { CliOptions } from './args';
import { typedConfirmation } from './typed-confirmation';
import { interruptible } from './interruptible';
import type { Settings } from './settings';
import { findStack, openStackRuntime, stackRecorder, type StackRuntime } from './stack-runtime';
import { describePlan, describeOutcome } from './switch-report';

const EXIT = { ok: 0, failed: 1, refused: 2 } as const;

export interface SwitchDocument {
  stack: string;
  project: string;
  from: StackVariant | 'mixed' | null;
  to: StackVariant;
  result: SwitchOutcome['result'];
  elapsedSeconds: number;
  services: ServiceMeasurement[];
  previous: ServiceMeasurement[] | null;
  runningNow: RunningNow;
  failure: SwitchOutcome['failure'];
  error: string | null;
}

export function switchDocument(stack: StackDefinition, outcome: SwitchOutcome): SwitchDocument {
  const { from, to, result, services, previous, runningNow, failure, error } = outcome;
  return { stack: stack.name, project: stack.project, from, to, result, elapsedSeconds: round(outcome.elapsedSeconds), services, previous, runningNow, failure, error };
}

function round(seconds: number): number {
  return Math.round(seconds * 10) / 10;
}

/** Progress on stderr, a line per phase and per service that becomes ready or fails (not in --json). */
function progressHooks(first: SwitchPlan, quiet: boolean): SessionHooks {
  const said = new Set<string>();
  const say = (line: string) => {
    if (!quiet) process.stderr.write(`${line}\n`);
  };
  let plan = first;
  return {
    leg: (next, label) => {
      plan = next;
      said.clear();
      say(label);
    },
    phase: (phase: SwitchPhase) => say(`  ${phaseText(phase, plan)}`),
    progress: (list) => {
      for (const p of list) {
        const key = `${p.service}:${p.state}`;
        if ((p.state === 'ready' || p.state === 'failed') && !said.has(key)) {
          said.add(key);
          say(p.state === 'ready' ? `    ✔ ${p.service}${p.readySeconds === null ? '' : ` ready in ${p.readySeconds.toFixed(1)} s`}` : `    ✘ ${p.service}: ${p.detail}`);
        }
      }
    },
  };
}

/** What runs now, as read: for `unchanged`, the JSON shows the services as they are (nothing measured). */
function asIs(plan: SwitchPlan): ServiceMeasurement[] {
  const byService = new Map(plan.current.map((c) => [c.service ?? c.name, c] as const));
  return plan.model.services.map((s) => measurementOf(s, plan.to, byService.get(s.name), plan.imageSizes[s.image] ?? null, null, null));
}

function runsHealthy(plan: SwitchPlan): boolean {
  const byService = new Map(plan.current.map((c) => [c.service ?? c.name, c] as const));
  return plan.from === plan.to && plan.model.services.every((s) => serviceReady(s, byService.get(s.name)));
}

/** Refuses (exit 2, nothing changed) a plan that did not resolve or has a failing check. */
function refuseBlocked(planned: SwitchPlan | { error: string }, stack: StackDefinition): SwitchPlan {
  if ('error' in planned) throw new UsageError(`${stack.name}: ${planned.error}; nothing changed`);
  const blocking = blockingChecks(planned);
  if (blocking.length) throw new UsageError(`${stack.name}: ${blocking.map((c) => `${c.name}: ${c.detail}`).join('; ')}; nothing changed`);
  return planned;
}

async function askFirst(options: CliOptions, question: string, expected: string, cancelled: () => void): Promise<void> {
  if (options.yes) return;
  if (await typedConfirmation(question, expected)) return;
  cancelled();
  throw new UsageError(`cancelled: the typed name did not match ${expected}; nothing changed`);
}

/** Preflight; an engine or compose CLI that cannot be read refuses in one line (nothing changed yet). */
async function readPlan(runtime: StackRuntime, stack: StackDefinition, to: StackVariant, timeout?: number) {
  try {
    return await preflight(runtime.port, stack, to, timeout);
  } catch (error) {
    throw new UsageError(`${stack.name}: cannot read the stack: ${errorLine(error)}; nothing changed`);
  }
}

/** --dry-run: the plan, on stderr as text or on stdout as JSON; nothing changes. */
function dryRun(plan: SwitchPlan, options: CliOptions): number {
  const { stack, from, to, checks, stops, limits, timeoutSeconds } = plan;
  if (options.json) {
    const doc = { stack: stack.name, project: stack.project, from, to, result: 'dry-run', checks, stops, starts: plan.model.services.map((s) => s.name), limits, timeoutSeconds };
    process.stdout.write(`${terminalJson(doc, 2)}\n`);
  } else {
    process.stderr.write(`${describePlan(plan)}\n`);
    process.stdout.write(`(dry run) ${stack.name} would switch ${from ?? 'nothing'} → ${to}; nothing changed\n`);
  }
  return EXIT.ok;
}

function beforeChanging(settings: Settings, options: CliOptions, what: string): void {
  if (settings.readOnly) throw new UsageError(`this console is read-only (--read-only or readOnly: true): ${what} refused, nothing changed`);
  if (!options.yes && !options.dryRun && !process.stdin.isTTY) {
    throw new UsageError(`refusing to ${what} without a confirmation: no terminal to ask, so add --yes${what === 'switch' ? ' (or try --dry-run first)' : ''}`);
  }
}

function warnProblem(problem: string | null): void {
  if (problem) process.stderr.write(`netra-console: ${problem}\n`);
}

/** Headless `switch`: exit 0 switched (or already there), 1 failed (reverted or not), 2 refused: nothing changed. */
export async function runSwitchCommand(settings: Settings, options: CliOptions): Promise<number> {
  beforeChanging(settings, options, 'switch');
  const stack = findStack(settings, options.stack);
  const to = options.to as StackVariant;
  const runtime = openStackRuntime(settings);
  const recorder = stackRecorder(settings, runtime, (_, problem) => warnProblem(problem));
  const plan = refuseBlocked(await readPlan(runtime, stack, to, options.timeout), stack);
  // Only a plan that can go ahead touches the state directory (a refusal leaves nothing behind).
  if (!options.dryRun) assertAuditWritable(settings.dockerAuditPath);
  if (runsHealthy(plan)) {
    const outcome: SwitchOutcome = { result: 'unchanged', from: plan.from, to, elapsedSeconds: 0, services: asIs(plan), previous: null, error: null, failure: null, runningNow: to };
    if (!options.dryRun) recorder.audit('switch', plan, 'unchanged', outcome);
    return report(stack, outcome, options, EXIT.ok);
  }
  if (options.dryRun) return dryRun(plan, options);
  if (!options.json) process.stderr.write(`${describePlan(plan)}\n`);
  await askFirst(options, `Type ${stack.name} to switch it to ${to}: `, stack.name, () => recorder.audit('switch', plan, 'cancelled'));
  const lastHealthy = loadMeasurements(runtime.measurementsPath).measurements[stack.name]?.lastHealthy;
  const revert = options.noRevert ? null : revertVariant(plan.from, to, lastHealthy);
  const result = await interruptible('wait', (signal) => guardedSession(() => runSwitchSession(plan, runtime.port, progressHooks(plan, options.json), recorder, revert, { signal })));
  if ('conflict' in result) throw new UsageError(`${result.notice.replace(' Check and confirm again.', '')}; nothing changed (run the switch again)`);
  return report(stack, result.outcome, options, result.outcome.result === 'switched' ? EXIT.ok : EXIT.failed);
}

/** Headless `compare`: each variant up in turn, measured, the stack left as it was. */
export async function runCompareCommand(settings: Settings, options: CliOptions): Promise<number> {
  beforeChanging(settings, options, 'compare');
  const stack = findStack(settings, options.stack);
  const runtime = openStackRuntime(settings);
  const recorder = stackRecorder(settings, runtime, (_, problem) => warnProblem(problem));
  const running = runningVariant(await runtime.port.containers(stack.project).catch(() => []));
  const first: StackVariant = running === 'alpine' ? 'regular' : 'alpine';
  const plan = refuseBlocked(await readPlan(runtime, stack, first), stack);
  assertAuditWritable(settings.dockerAuditPath);
  if (!options.json) process.stderr.write(`${describePlan(plan)}\n`);
  await askFirst(options, `Type ${stack.name} to bring up ${first}, measure, and come back: `, stack.name, () => recorder.audit('compare', plan, 'cancelled'));
  const result = await interruptible('wait', (signal) => guardedSession(() => runCompareSession(plan, runtime.port, progressHooks(plan, options.json), recorder, { signal })));
  if ('conflict' in result) throw new UsageError(`${result.notice.replace(' Check and confirm again.', '')}; nothing changed (run the compare again)`);
  const code = result.outcome.result === 'switched' ? EXIT.ok : EXIT.failed;
  if (options.json) {
    const doc = { stack: stack.name, project: stack.project, result: result.outcome.result, error: result.outcome.error, variants: result.compared.map((o) => switchDocument(stack, o)) };
    process.stdout.write(`${terminalJson(doc, 2)}\n`);
  } else {
    process.stdout.write(`${describeOutcome(stack, result.outcome, result.compared)}\n`);
  }
  return code;
}

/** A `confirmed` line that cannot be written stops everything before a change: exit 2. */
async function guardedSession(run: () => Promise<SessionResult>): Promise<SessionResult> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof AuditLogError) throw new UsageError(`${error.message}; nothing changed`);
    throw error;
  }
}

function report(stack: StackDefinition, outcome: SwitchOutcome, options: CliOptions, code: number): number {
  if (options.json) process.stdout.write(`${terminalJson(switchDocument(stack, outcome), 2)}\n`);
  else process.stdout.write(`${describeOutcome(stack, outcome, [])}\n`);
  return code;
}
