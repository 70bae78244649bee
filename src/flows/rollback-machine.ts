import type { CloudRunRevision, CloudRunService, TrafficTarget } from '../domain/cloud-run';
import { changesNothing, chooseTarget, describeTraffic, rollbackTraffic, type TargetChoice } from './rollback-plan';
import type { RollbackOutcome, RollbackStep } from './rollback-runner';

/** One service's part of a rollback: where its traffic goes, and how the user chose it (for the audit log). */
export interface PlanItem {
  service: CloudRunService;
  target: CloudRunRevision;
  requested: TrafficTarget[];
  choice: TargetChoice;
}

/**
 * The interactive rollback as a pure state machine: choose the target(s), type the confirmation, run one
 * service at a time (each verified before the next), then show the result. Esc cancels until the change is sent.
 */
export type RollbackFlow =
  | { step: 'choose'; services: CloudRunService[]; choice: TargetChoice; plan: PlanItem[]; error: string | null }
  | { step: 'confirm'; plan: PlanItem[]; expected: string; typed: string; notice: string | null }
  | { step: 'running'; plan: PlanItem[]; outcomes: RollbackOutcome[]; phase: RollbackStep }
  | { step: 'done'; plan: PlanItem[]; outcomes: RollbackOutcome[] };

function plan(services: CloudRunService[], choice: TargetChoice): { plan: PlanItem[]; error: string | null } {
  const items: PlanItem[] = [];
  for (const service of services) {
    const chosen = chooseTarget(service, choice);
    if (!chosen.ok) return { plan: items, error: chosen.reason };
    items.push({ service, target: chosen.revision, requested: rollbackTraffic(service, chosen.revision.name), choice });
  }
  return { plan: items, error: null };
}

export function startRollback(services: CloudRunService[], choice: TargetChoice): RollbackFlow {
  return { step: 'choose', services, choice, ...plan(services, choice) };
}

/** Picks another target revision (single-service flows only); a non-Ready one is refused with its reason. */
export function pickRevision(flow: RollbackFlow, name: string): RollbackFlow {
  if (flow.step !== 'choose' || flow.services.length !== 1) return flow;
  return startRollback(flow.services, { kind: 'revision', name });
}

/** The words to type: the service name, or `all` for every service. */
export function confirmationWord(items: readonly PlanItem[]): string {
  return items.length === 1 ? items[0]!.service.name : 'all';
}

/** The service already serves exactly what this item would request: nothing to send. */
export function isNoOp(item: PlanItem): boolean {
  return changesNothing(item.service, item.requested);
}

/** A dialog whose every service already serves its target: there is nothing to confirm. */
export function nothingToDo(flow: RollbackFlow): boolean {
  return flow.step === 'choose' && !flow.error && flow.plan.length > 0 && flow.plan.every(isNoOp);
}

export function proceed(flow: RollbackFlow): RollbackFlow {
  if (flow.step !== 'choose' || flow.error || flow.plan.length === 0 || nothingToDo(flow)) return flow;
  return { step: 'confirm', plan: flow.plan, expected: confirmationWord(flow.plan), typed: '', notice: null };
}

export function typeConfirmation(flow: RollbackFlow, edit: (typed: string) => string): RollbackFlow {
  return flow.step === 'confirm' ? { ...flow, typed: edit(flow.typed) } : flow;
}

export function isConfirmed(flow: RollbackFlow): boolean {
  return flow.step === 'confirm' && flow.typed.trim() === flow.expected;
}

export function startRunning(flow: RollbackFlow): RollbackFlow {
  return isConfirmed(flow) && flow.step === 'confirm' ? { step: 'running', plan: flow.plan, outcomes: [], phase: 'checking' } : flow;
}

export function phase(flow: RollbackFlow, step: RollbackStep): RollbackFlow {
  return flow.step === 'running' ? { ...flow, phase: step } : flow;
}

/**
 * Records one service's outcome. Success moves on to the next service; a conflict re-plans that service from its
 * new state and asks again (nothing is retried blindly); a failure stops.
 */
export function recordOutcome(flow: RollbackFlow, outcome: RollbackOutcome): RollbackFlow {
  if (flow.step !== 'running') return flow;
  const outcomes = [...flow.outcomes, outcome];
  const index = flow.outcomes.length;
  if (outcome.result === 'conflicted' && outcome.latest) {
    const item = flow.plan[index]!;
    const replanned = plan([outcome.latest], flow.plan.length === 1 ? { kind: 'revision', name: item.target.name } : { kind: 'previous' });
    // The user's choice stays what is audited, whatever the re-plan had to pick by.
    const rest = [...replanned.plan.map((i) => ({ ...i, choice: item.choice })), ...flow.plan.slice(index + 1)];
    const notice = `${item.service.name} changed meanwhile; it now serves ${describeTraffic(outcome.latest.trafficStatuses, outcome.latest)}. Check and confirm again.`;
    // Nothing left to confirm: the conflict's outcome shows the traffic as it is now.
    if (replanned.error || rest.every(isNoOp)) return { step: 'done', plan: flow.plan, outcomes };
    return { step: 'confirm', plan: rest, expected: confirmationWord(rest), typed: '', notice };
  }
  const goesOn = outcome.result === 'succeeded' || outcome.result === 'unchanged';
  if (!goesOn || outcomes.length === flow.plan.length) return { step: 'done', plan: flow.plan, outcomes };
  return { ...flow, outcomes, phase: 'checking' };
}

/** The next plan item to run, when running. */
export function nextItem(flow: RollbackFlow): PlanItem | null {
  return flow.step === 'running' ? (flow.plan[flow.outcomes.length] ?? null) : null;
}
