import type { PlanItem } from '../flows/rollback-machine';
import { driveRollback } from '../flows/rollback-driver';
import { appendAudit, type AuditResult } from '../sources/audit-log';
import type { TrafficTarget } from '../domain/cloud-run';
import { closeRollback, setFlow } from '../store/rollback-actions';
import type { AppStore } from '../store/store';
import type { CloudRunRuntime } from './cloud-run-runtime';
import type { Settings } from './settings';

/** Runs and cancels the console's rollback dialog: every attempt goes to the audit log and the session's audit view. */
export function rollbackControl(store: AppStore, settings: Settings, cloud: () => CloudRunRuntime | null) {
  const { project, region } = settings.cloudRun;
  const audit = (item: PlanItem, result: AuditResult, after: TrafficTarget[] | null = null, error: string | null = null) => {
    const action = store.getState().rollback?.plan.length === 1 ? 'rollback' : 'rollback-all';
    try {
      const entry = appendAudit(settings.auditPath, {
        project,
        region,
        service: item.service.name,
        action,
        before: item.service.trafficStatuses,
        requested: item.requested,
        after,
        result,
        error,
      });
      store.setState((s) => ({ audit: [...s.audit, entry] }));
    } catch (e) {
      store.setState((s) => ({ ui: { ...s.ui, notice: `could not write the audit log ${settings.auditPath}: ${(e as Error).message}` } }));
    }
  };
  return {
    run(): void {
      const runtime = cloud();
      if (!runtime) return;
      const handle = { get: () => store.getState().rollback, set: (flow: ReturnType<typeof store.getState>['rollback']) => setFlow(store, flow) };
      void driveRollback(handle, runtime.rollbackPort(), (item, result, outcome) => audit(item, result, outcome?.after ?? null, outcome?.error ?? null)).finally(
        // Show the new traffic in the panel without waiting for the next refresh.
        () => runtime.poller.refreshNow(),
      );
    },
    cancel(): void {
      const flow = store.getState().rollback;
      if (flow && (flow.step === 'choose' || flow.step === 'confirm')) for (const item of flow.plan) audit(item, 'cancelled');
      closeRollback(store);
    },
  };
}
