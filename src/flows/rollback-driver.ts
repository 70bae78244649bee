import type { RollbackOutcome } from './rollback-runner';
import { executeRollback, type RollbackTimeouts } from './rollback-runner';
import { isNoOp, nextItem, phase, recordOutcome, type PlanItem, type RollbackFlow } from './rollback-machine';
import type { RollbackPort } from './rollback-port';

export interface FlowHandle {
  get(): RollbackFlow | null;
  set(flow: RollbackFlow | null): void;
}

/** Called for every attempt: once when confirmed, once with its result; one with nothing to do only with its result. */
export type AuditSink = (item: PlanItem, result: 'confirmed' | RollbackOutcome['result'], outcome?: RollbackOutcome) => void;

/** Runs a confirmed flow to its end: one service at a time, each verified before the next. */
export async function driveRollback(flow: FlowHandle, port: RollbackPort, audit: AuditSink, timeouts?: RollbackTimeouts): Promise<void> {
  for (let current = flow.get(); current?.step === 'running'; current = flow.get()) {
    const item = nextItem(current);
    if (!item) return;
    // A service that already serves its target is not changed, so there is no change to confirm (as in the CLI).
    if (!isNoOp(item)) audit(item, 'confirmed');
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
