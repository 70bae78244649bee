import type { ServiceMeasurement, StackDefinition, StackMeasurements, StackVariant } from '../domain/stacks';
import { blockingChecks, type PreflightCheck, type SwitchPlan } from './switch-plan';

export type SwitchPhase = 'checking' | 'down' | 'up' | 'wait' | 'measure';

/** One service while the target comes up: shown live with its elapsed seconds. */
export interface ServiceProgress {
  service: string;
  state: 'waiting' | 'starting' | 'ready' | 'failed';
  /** When its container started (ms since the epoch), from engine events. */
  startedMs: number | null;
  readySeconds: number | null;
  detail: string | null;
}

export interface SwitchFailure {
  service: string;
  healthOutputs: string[];
  logLines: string[];
}

/** What runs, as last read: a variant, both (`mixed`), nothing (null), or `unknown` when the engine could not say. */
export type RunningNow = StackVariant | 'mixed' | 'unknown' | null;

export interface SwitchOutcome {
  result: 'switched' | 'reverted' | 'failed' | 'unchanged';
  from: StackVariant | 'mixed' | null;
  to: StackVariant;
  elapsedSeconds: number;
  services: ServiceMeasurement[];
  /** The variant switched away from, measured before it stopped; null when nothing ran. */
  previous: ServiceMeasurement[] | null;
  error: string | null;
  failure: SwitchFailure | null;
  runningNow: RunningNow;
}

/** A switch (`compare`: there and back, measuring both) as a pure state machine; the driver does the work. */
export type SwitchFlow =
  | { step: 'preflight'; kind: 'switch' | 'compare'; stack: StackDefinition; to: StackVariant }
  | { step: 'refused'; kind: 'switch' | 'compare'; stack: StackDefinition; to: StackVariant; checks: PreflightCheck[]; error: string }
  | { step: 'confirm'; kind: 'switch' | 'compare'; plan: SwitchPlan; typed: string; notice: string | null }
  | { step: 'building'; kind: 'switch' | 'compare'; plan: SwitchPlan; lines: string[] }
  | { step: 'running'; kind: 'switch' | 'compare'; plan: SwitchPlan; phase: SwitchPhase; progress: ServiceProgress[]; startedMs: number; leg: string }
  | { step: 'done'; kind: 'switch' | 'compare'; plan: SwitchPlan; outcome: SwitchOutcome; compared: SwitchOutcome[] };

const BUILD_LINES_KEPT = 8;

export function startPreflight(stack: StackDefinition, to: StackVariant, kind: 'switch' | 'compare' = 'switch'): SwitchFlow {
  return { step: 'preflight', kind, stack, to };
}

export function planned(flow: SwitchFlow, plan: SwitchPlan | { error: string; checks: PreflightCheck[] }): SwitchFlow {
  if (flow.step !== 'preflight' && flow.step !== 'building') return flow;
  const { kind } = flow;
  if ('error' in plan) {
    const stack = flow.step === 'preflight' ? flow.stack : flow.plan.stack;
    const to = flow.step === 'preflight' ? flow.to : flow.plan.to;
    return { step: 'refused', kind, stack, to, checks: plan.checks, error: plan.error };
  }
  return { step: 'confirm', kind, plan, typed: '', notice: null };
}

/** The word to type: the stack's name. */
export function confirmationWord(plan: SwitchPlan): string {
  return plan.stack.name;
}

/** Confirming is possible: no check fails (a missing image is offered a build instead). */
export function canConfirm(flow: SwitchFlow): boolean {
  return flow.step === 'confirm' && blockingChecks(flow.plan).length === 0;
}

/** Missing images that a build would make: the build is offered. */
export function canBuild(flow: SwitchFlow): boolean {
  return flow.step === 'confirm' && flow.plan.buildable && blockingChecks(flow.plan).every((c) => c.name === 'images');
}

export function typeConfirmation(flow: SwitchFlow, edit: (typed: string) => string): SwitchFlow {
  return flow.step === 'confirm' ? { ...flow, typed: edit(flow.typed) } : flow;
}

export function isConfirmed(flow: SwitchFlow): boolean {
  return canConfirm(flow) && flow.step === 'confirm' && flow.typed.trim() === confirmationWord(flow.plan);
}

export function startBuilding(flow: SwitchFlow): SwitchFlow {
  return canBuild(flow) && flow.step === 'confirm' ? { step: 'building', kind: flow.kind, plan: flow.plan, lines: [] } : flow;
}

export function buildLine(flow: SwitchFlow, line: string): SwitchFlow {
  return flow.step === 'building' ? { ...flow, lines: [...flow.lines.slice(-(BUILD_LINES_KEPT - 1)), line] } : flow;
}

/** The build is over: back to preflight, which reads the engine again. */
export function built(flow: SwitchFlow): SwitchFlow {
  return flow.step === 'building' ? { step: 'preflight', kind: flow.kind, stack: flow.plan.stack, to: flow.plan.to } : flow;
}

export function startRunning(flow: SwitchFlow, nowMs: number): SwitchFlow {
  if (!isConfirmed(flow) || flow.step !== 'confirm') return flow;
  return { step: 'running', kind: flow.kind, plan: flow.plan, phase: 'checking', progress: initialProgress(flow.plan), startedMs: nowMs, leg: `to ${flow.plan.to}` };
}

export function initialProgress(plan: SwitchPlan): ServiceProgress[] {
  return plan.model.services.map((s) => ({ service: s.name, state: 'waiting', startedMs: null, readySeconds: null, detail: null }));
}

export function phase(flow: SwitchFlow, next: SwitchPhase, leg?: string): SwitchFlow {
  return flow.step === 'running' ? { ...flow, phase: next, leg: leg ?? flow.leg } : flow;
}

export function progressed(flow: SwitchFlow, progress: ServiceProgress[]): SwitchFlow {
  return flow.step === 'running' ? { ...flow, progress } : flow;
}

/** The confirmed plan no longer matches the stack (someone changed it): back to confirm with the new plan. */
export function replanned(flow: SwitchFlow, plan: SwitchPlan, notice: string): SwitchFlow {
  if (flow.step !== 'running') return flow;
  return { step: 'confirm', kind: flow.kind, plan, typed: '', notice };
}

export function finished(flow: SwitchFlow, outcome: SwitchOutcome, compared: SwitchOutcome[] = []): SwitchFlow {
  if (flow.step !== 'running') return flow;
  return { step: 'done', kind: flow.kind, plan: flow.plan, outcome, compared };
}

/**
 * After a failure, the variant to go back to with one key: the one that ran before, else (nothing or both ran)
 * the one that last came up healthy; never the target that just failed.
 */
export function revertTarget(flow: SwitchFlow, lastHealthy?: StackVariant): StackVariant | null {
  if (flow.step !== 'done' || flow.outcome.result !== 'failed') return null;
  return revertVariant(flow.outcome.from, flow.outcome.to, lastHealthy);
}

/** Where a switch that failed goes back to: what ran before, else the variant that last came up healthy. */
export function revertVariant(from: RunningNow, to: StackVariant, lastHealthy: StackVariant | undefined): StackVariant | null {
  const back = from === 'alpine' || from === 'regular' ? from : lastHealthy;
  return back && back !== to ? back : null;
}

/** The stack's variant that last came up healthy, from the measurements kept between runs. */
export function lastHealthyOf(flow: SwitchFlow | null, measurements: StackMeasurements): StackVariant | undefined {
  return flow ? measurements[stackOf(flow).name]?.lastHealthy : undefined;
}

export function stackOf(flow: SwitchFlow): StackDefinition {
  return flow.step === 'preflight' || flow.step === 'refused' ? flow.stack : flow.plan.stack;
}

/** How a person reads what runs: a variant, `mixed`, `unknown`, or `nothing`. */
export function runningText(running: RunningNow): string {
  return running ?? 'nothing';
}

/** What a phase is doing, in words (the console's dialog and the headless progress say the same). */
export function phaseText(phase: SwitchPhase, plan: Pick<SwitchPlan, 'from' | 'to' | 'timeoutSeconds'>): string {
  return {
    checking: 'checking the stack has not changed since it was planned…',
    down: `stopping ${runningText(plan.from)} (volumes kept)…`,
    up: `starting ${plan.to}…`,
    wait: `waiting for health (at most ${plan.timeoutSeconds} s)…`,
    measure: 'measuring start-up, memory and image sizes…',
  }[phase];
}
