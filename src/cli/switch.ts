import { UsageError } from '../config/errors';
import { serviceReady, type ServiceMeasurement, type StackDefinition, type StackVariant } from '../domain/stacks';
import { terminalJson } from '../domain/printable';
import type { ContainerInfo } from '../domain/types';
import { preflight } from '../flows/switch-driver';
import { phaseText, type SwitchOutcome, type SwitchPhase } from '../flows/switch-machine';
import { blockingChecks, type SwitchPlan } from '../flows/switch-plan';
import { runCompareSession, runSwitchSession, type SessionHooks, type SessionResult } from '../flows/switch-session';
import { assertAuditWritable, AuditLogError } from '../sources/audit-log';
import type { CliOptions } from './args';
import { typedConfirmation } from './typed-confirmation';
import type { Settings } from './settings';
import { findStack, openStackRuntime, stackRecorder } from './stack-runtime';
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
  runningNow: StackVariant | 'mixed' | null;
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
function progressHooks(quiet: boolean): SessionHooks {
  const said = new Set<string>();
  const say = (line: string) => {
    if (!quiet) process.stderr.write(`${line}\n`);
  };
  let to = '';
  return {
    leg: (plan, label) => {
      to = plan.to;
      said.clear();
      say(label);
    },
    phase: (phase: SwitchPhase) => say(`  ${phaseText(phase, to)}`),
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
  return plan.model.services.map((s) => {
    const c: ContainerInfo | undefined = byService.get(s.name);
    return {
      service: s.name,
      variant: plan.to,
      image: c?.image ?? s.image,
      imageSizeBytes: c?.imageSizeBytes ?? plan.imageSizes[s.image] ?? null,
      state: c?.state ?? 'missing',
      health: c?.health ?? 'none',
      healthySeconds: null,
      memUsageBytes: null,
      memLimitBytes: s.memLimitBytes,
    };
  });
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

async function askFirst(options: CliOptions, question: string, expected: string): Promise<void> {
  if (options.yes) return;
  if (!(await typedConfirmation(question, expected))) throw new UsageError(`cancelled: the typed name did not match ${expected}; nothing changed`);
}

function beforeChanging(settings: Settings, options: CliOptions, what: string): void {
  if (settings.readOnly) throw new UsageError(`this console is read-only (--read-only or readOnly: true): ${what} refused, nothing changed`);
  if (!options.yes && !options.dryRun && !process.stdin.isTTY) {
    throw new UsageError(`refusing to ${what} without a confirmation: no terminal to ask, so add --yes${what === 'switch' ? ' (or try --dry-run first)' : ''}`);
  }
  if (!options.dryRun) assertAuditWritable(settings.dockerAuditPath);
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
  const plan = refuseBlocked(await preflight(runtime.port, stack, to, options.timeout), stack);
  if (runsHealthy(plan)) {
    const outcome: SwitchOutcome = { result: 'unchanged', from: plan.from, to, elapsedSeconds: 0, services: asIs(plan), previous: null, error: null, failure: null, runningNow: to };
    if (!options.dryRun) recorder.audit('switch', plan, 'unchanged', outcome);
    return report(stack, outcome, options, EXIT.ok);
  }
  if (!options.json) process.stderr.write(`${describePlan(plan)}\n`);
  if (options.dryRun) {
    process.stdout.write(`(dry run) ${stack.name} would switch ${plan.from ?? 'nothing'} → ${to}; nothing changed\n`);
    return EXIT.ok;
  }
  await askFirst(options, `Type ${stack.name} to switch it to ${to}: `, stack.name);
  const result = await guardedSession(() => runSwitchSession(plan, runtime.port, progressHooks(options.json), recorder, !options.noRevert));
  if ('conflict' in result) throw new UsageError(`${result.notice.replace(' Check and confirm again.', '')}; nothing changed (run the switch again)`);
  return report(stack, result.outcome, options, result.outcome.result === 'switched' ? EXIT.ok : EXIT.failed);
}

/** Headless `compare`: each variant up in turn, measured, the stack left as it was. */
export async function runCompareCommand(settings: Settings, options: CliOptions): Promise<number> {
  beforeChanging(settings, options, 'compare');
  const stack = findStack(settings, options.stack);
  const runtime = openStackRuntime(settings);
  const recorder = stackRecorder(settings, runtime, (_, problem) => warnProblem(problem));
  const containers = await runtime.port.containers(stack.project);
  const running = containers.find((c) => c.state === 'running' && (c.variant === 'alpine' || c.variant === 'regular'));
  const first: StackVariant = running?.variant === 'alpine' ? 'regular' : 'alpine';
  const plan = refuseBlocked(await preflight(runtime.port, stack, first), stack);
  if (!options.json) process.stderr.write(`${describePlan(plan)}\n`);
  await askFirst(options, `Type ${stack.name} to bring up ${first}, measure, and come back: `, stack.name);
  const result = await guardedSession(() => runCompareSession(plan, runtime.port, progressHooks(options.json), recorder));
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
