import type { RollbackOutcome } from './rollback-runner';
import { executeRollback, type RollbackTimeouts } from './rollback-runner';
import { isNoOp, nextItem, phase, recordOutcome, type PlanItem, type RollbackFlow } from './rollback-machine';
import type { RollbackPort } from './rollback-port';

export interface FlowHandle {
  get(): RollbackFlow | null;
  set(flow: RollbackFlow | null): void;
}

/**
 * Called for every attempt: once when confirmed, once with its result; one with nothing to do only with its result.
 * It must throw when the `confirmed` line cannot be written: then nothing is sent. Failing to write a result is
 * the sink's to report; the outcome is shown either way.
 */
export type AuditSink = (item: PlanItem, result: 'confirmed' | RollbackOutcome['result'], outcome?: RollbackOutcome) => void;

/** Runs a confirmed flow to its end: one service at a time, each verified before the next. */
export async function driveRollback(flow: FlowHandle, port: RollbackPort, audit: AuditSink, timeouts?: RollbackTimeouts): Promise<void> {
  for (let current = flow.get(); current?.step === 'running'; current = flow.get()) {
    const item = nextItem(current);
    if (!item) return;
    // A service that already serves its target is not changed, so there is no change to confirm (as in the CLI).
    const refusal = isNoOp(item) ? null : auditConfirmed(audit, item);
    if (refusal) {
      flow.set(recordOutcome(flow.get()!, refusal));
      continue;
    }
    const outcome = await executeRollback(
      { service: item.service, target: item.target.name, requested: item.requested },
      port,
      (step) => flow.set(phase(flow.get()!, step)),
      timeouts,
    );
    audit(item, outcome.result, outcome);
    flow.set(recordOutcome(flow.get()!, outcome));
  }
}

/** The attempt is on record before anything is sent; when it cannot be, a failed outcome that sent nothing. */
function auditConfirmed(audit: AuditSink, item: PlanItem): RollbackOutcome | null {
  try {
    audit(item, 'confirmed');
    return null;
  } catch (error) {
    const served = item.service.trafficStatuses;
    const why = `${(error as Error).message}; nothing was sent`;
    return { result: 'failed', before: served, requested: item.requested, after: served, latest: null, error: why, elapsedMs: 0 };
  }
}
