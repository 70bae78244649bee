import { nothingToDo, type PlanItem } from '../flows/rollback-machine';
import { driveRollback } from '../flows/rollback-driver';
import { auditAction } from '../flows/rollback-plan';
import type { RollbackPort } from '../flows/rollback-port';
import { BACKGROUND_TIMEOUTS, DEFAULT_TIMEOUTS, followOperation, type RollbackOutcome, type RollbackTimeouts } from '../flows/rollback-runner';
import type { AuditResult } from '../domain/audit';
import { appendAudit } from '../sources/audit-log';
import type { TrafficTarget } from '../domain/cloud-run';
import { closeRollback, setFlow } from '../store/rollback-actions';
import type { AppStore } from '../store/store';
import type { CloudRunRuntime } from './cloud-run-runtime';
import type { Settings } from './settings';
import { setNotice } from '../store/ui-actions';

/** What an audit line is about: a planned change, or a service whose rollback was cancelled before it had a target. */
type AuditedItem = Pick<PlanItem, 'service' | 'choice'> & { requested: PlanItem['requested'] | null };

/** How long the dialog waits for Cloud Run, and how long a timed-out operation is watched in the background. */
export interface ControlTimeouts {
  dialog: RollbackTimeouts;
  background: RollbackTimeouts;
}

/** Runs and cancels the console's rollback dialog: every attempt goes to the audit log and the session's audit view. */
export function rollbackControl(
  store: AppStore,
  settings: Settings,
  cloud: () => CloudRunRuntime | null,
  timeouts: ControlTimeouts = { dialog: DEFAULT_TIMEOUTS, background: BACKGROUND_TIMEOUTS },
) {
  const { project, region } = settings.cloudRun;
  const notify = (notice: string) => setNotice(store, notice);
  /** Writes the line and shows it in the audit view; throws (one line) when it cannot be written. */
  const record = (item: AuditedItem, result: AuditResult, after: TrafficTarget[] | null = null, error: string | null = null) => {
    const entry = appendAudit(settings.auditPath, {
      ...settings.auditSource,
      project,
      region,
      service: item.service.name,
      action: auditAction(item.choice),
      before: item.service.trafficStatuses,
      requested: item.requested,
      after,
      result,
      error,
    });
    store.setState((s) => ({ audit: [...s.audit, entry] }));
  };
  /** As record, but a failure is shown (the dialog and the status line say it) instead of thrown. */
  const audit = (item: AuditedItem, result: AuditResult, after: TrafficTarget[] | null = null, error: string | null = null) => {
    try {
      record(item, result, after, error);
    } catch (e) {
      notify(`${(e as Error).message}; this ${result} result is not on record`);
    }
  };
  /** A timed-out change may still apply: watch its operation and audit how it ends. */
  const watch = (port: RollbackPort, item: PlanItem, operation: string, refresh: () => void) => {
    const request = { service: item.service, target: item.target.name, requested: item.requested };
    void followOperation(request, operation, port, timeouts.background)
      .then((final) => {
        if (final.result === 'succeeded') notify(`${item.service.name}: the timed-out rollback to ${item.target.name} has been applied and verified`);
        else notify(`${item.service.name}: the timed-out rollback ended ${final.result}: ${final.error ?? ''}`);
        // After the notice, so that a failure to record it is what stays on screen.
        audit(item, final.result, final.after, final.error);
        refresh();
      })
      .catch((error: unknown) => notify(`${item.service.name}: could not follow operation ${operation}: ${(error as Error).message}`));
  };
  return {
    run(): void {
      const runtime = cloud();
      if (!runtime) return;
      const port = runtime.rollbackPort();
      // Show the new traffic in the panel without waiting for the next refresh.
      const refresh = () => runtime.poller.refreshNow();
      const handle = { get: () => store.getState().rollback, set: (flow: ReturnType<typeof store.getState>['rollback']) => setFlow(store, flow) };
      const sink = (item: PlanItem, result: AuditResult, outcome?: RollbackOutcome) => {
        // The confirmed line must be on record before anything is sent: its failure stops the rollback.
        if (result === 'confirmed') return record(item, result);
        audit(item, result, outcome?.after ?? null, outcome?.error ?? null);
        if (result === 'timed-out' && outcome?.operation) watch(port, item, outcome.operation, refresh);
      };
      void driveRollback(handle, port, sink, timeouts.dialog).finally(refresh);
    },
    cancel(): void {
      const flow = store.getState().rollback;
      // While choosing, every service of the dialog was an attempt, also one whose picked target is refused
      // (it has no plan item yet): that one is recorded with nothing requested. A dialog that only said
      // "nothing to do" was not cancelled: its services stay as they were, by choice.
      if (flow?.step === 'choose' && nothingToDo(flow)) {
        for (const item of flow.plan) audit(item, 'unchanged', item.service.trafficStatuses);
      } else if (flow?.step === 'choose') {
        for (const service of flow.services) {
          audit(flow.plan.find((i) => i.service.name === service.name) ?? { service, requested: null, choice: flow.choice }, 'cancelled');
        }
      }
      if (flow?.step === 'confirm') for (const item of flow.plan) audit(item, 'cancelled');
      closeRollback(store);
    },
  };
}
