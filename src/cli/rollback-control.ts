import { nothingToDo, type PlanItem } from '../flows/rollback-machine';
import { driveRollback } from '../flows/rollback-driver';
import { auditAction } from '../flows/rollback-plan';
import { appendAudit, type AuditResult } from '../sources/audit-log';
import type { TrafficTarget } from '../domain/cloud-run';
import { closeRollback, setFlow } from '../store/rollback-actions';
import type { AppStore } from '../store/store';
import type { CloudRunRuntime } from './cloud-run-runtime';
import type { Settings } from './settings';

/** What an audit line is about: a planned change, or a service whose rollback was cancelled before it had a target. */
type AuditedItem = Pick<PlanItem, 'service' | 'choice'> & { requested: PlanItem['requested'] | null };

/** Runs and cancels the console's rollback dialog: every attempt goes to the audit log and the session's audit view. */
export function rollbackControl(store: AppStore, settings: Settings, cloud: () => CloudRunRuntime | null) {
  const { project, region } = settings.cloudRun;
  const audit = (item: AuditedItem, result: AuditResult, after: TrafficTarget[] | null = null, error: string | null = null) => {
    try {
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
