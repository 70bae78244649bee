import type { TargetChoice } from '../flows/rollback-plan';
import { pickRevision, proceed, startRollback, startRunning, typeConfirmation, type RollbackFlow } from '../flows/rollback-machine';
import { selectedService } from './selectors';
import type { AppStore } from './store';

export type RollbackKind = 'previous' | 'regular' | 'all';

export function setFlow(store: AppStore, flow: RollbackFlow | null): void {
  store.setState({ rollback: flow });
}

/** Opens the rollback dialog for the selected service, or for every Netra service in the configured order. */
export function openRollback(store: AppStore, kind: RollbackKind): string | null {
  const state = store.getState();
  if (state.readOnly) return 'read-only console: rollback refused';
  const choice: TargetChoice = kind === 'regular' ? { kind: 'regular' } : { kind: 'previous' };
  const services =
    kind === 'all'
      ? state.settings.rollbackOrder.flatMap((name) => state.cloudRun.services.filter((s) => s.name === name))
      : [selectedService(state)].filter((s) => s !== undefined);
  if (services.length === 0) return 'no Cloud Run service to roll back yet';
  store.setState((s) => ({ rollback: startRollback(services, choice), ui: { ...s.ui, overlay: 'rollback' } }));
  return null;
}

/** Moves the chosen target in the single-service dialog by `delta` revisions. */
export function moveTarget(store: AppStore, delta: number): void {
  const flow = store.getState().rollback;
  if (flow?.step !== 'choose' || flow.services.length !== 1) return;
  const revisions = flow.services[0]!.revisions;
  const current = flow.choice.kind === 'revision' ? flow.choice.name : flow.plan[0]?.target.name;
  const index = Math.max(0, revisions.findIndex((r) => r.name === current));
  const next = revisions[Math.min(revisions.length - 1, Math.max(0, index + delta))];
  if (next) setFlow(store, pickRevision(flow, next.name));
}

export function proceedToConfirm(store: AppStore): void {
  const flow = store.getState().rollback;
  if (flow) setFlow(store, proceed(flow));
}

export function editConfirmation(store: AppStore, edit: (typed: string) => string): void {
  const flow = store.getState().rollback;
  if (flow) setFlow(store, typeConfirmation(flow, edit));
}

/** Starts running when the typed word matches; returns false (and leaves the dialog as it is) when it does not. */
export function submitConfirmation(store: AppStore): boolean {
  const flow = store.getState().rollback;
  if (!flow) return false;
  const next = startRunning(flow);
  if (next === flow) return false;
  // A notice from typing is stale now; what the run reports (e.g. the audit log) shows in its place.
  store.setState((s) => ({ rollback: next, ui: { ...s.ui, notice: null } }));
  return true;
}

export function closeRollback(store: AppStore): void {
  store.setState((s) => ({ rollback: null, ui: { ...s.ui, overlay: null } }));
}
