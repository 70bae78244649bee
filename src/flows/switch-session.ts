import type { SwitchAuditEntry, SwitchAuditResult } from '../domain/audit';
import { otherVariant, type StackDefinition, type StackVariant, type VariantMeasurement } from '../domain/stacks';
import type { StackPort } from './stack-port';
import { executeSwitch, preflight, type SwitchConflict, type SwitchHooks, type SwitchOptions } from './switch-driver';
import type { SwitchOutcome } from './switch-machine';
import { blockingChecks, type SwitchPlan } from './switch-plan';

/** Where a session puts what it did: the audit log and the measurements kept between runs. */
export interface SwitchRecorder {
  /** Throws (one line) when the line cannot be written; a `confirmed` line that fails stops the attempt unchanged. */
  audit(action: SwitchAuditEntry['action'], plan: Pick<SwitchPlan, 'stack' | 'from' | 'to'>, result: SwitchAuditResult, outcome?: Pick<SwitchOutcome, 'elapsedSeconds' | 'error'>): void;
  /** A variant that came up healthy, as measured. */
  measured(stack: StackDefinition, measurement: VariantMeasurement): void;
}

export interface SessionHooks extends SwitchHooks {
  /** A new leg begins: the revert after a failure, or the way back of a compare (its plan). */
  leg(plan: SwitchPlan, label: string): void;
}

export type SessionResult = { outcome: SwitchOutcome; compared: SwitchOutcome[] } | SwitchConflict;

function measurementOf(outcome: SwitchOutcome): VariantMeasurement {
  return { variant: outcome.to, measuredAt: new Date().toISOString(), elapsedSeconds: outcome.elapsedSeconds, services: outcome.services };
}

/** One audited leg: `confirmed` before anything changes, then its result; a healthy target is measured. */
async function leg(action: SwitchAuditEntry['action'], plan: SwitchPlan, port: StackPort, hooks: SwitchHooks, recorder: SwitchRecorder, options: SwitchOptions): Promise<SwitchOutcome | SwitchConflict> {
  recorder.audit(action, plan, 'confirmed');
  const result = await executeSwitch(plan, port, hooks, options);
  if ('conflict' in result) {
    try {
      recorder.audit(action, plan, 'conflicted', { elapsedSeconds: 0, error: result.notice });
    } catch (error) {
      return { ...result, notice: `${result.notice} (${(error as Error).message.split('\n')[0]}; not on record)` };
    }
    return result;
  }
  if (result.result === 'switched') recorder.measured(plan.stack, measurementOf(result));
  return auditAfter(() => recorder.audit(action, plan, result.result, result), result);
}

/** Writes a result line; when the log is gone by then, the outcome still stands and says so. */
function auditAfter(write: () => void, outcome: SwitchOutcome): SwitchOutcome {
  try {
    write();
    return outcome;
  } catch (error) {
    const note = `${(error as Error).message.split('\n')[0]}; this result is not on record`;
    return { ...outcome, error: outcome.error ? `${outcome.error}; ${note}` : note };
  }
}

/** A failed leg goes back to `variant` (audited as a revert); the outcome says whether that came up. */
async function revertTo(variant: StackVariant, failed: SwitchOutcome, stack: StackDefinition, port: StackPort, hooks: SessionHooks, recorder: SwitchRecorder, options: SwitchOptions): Promise<SwitchOutcome> {
  const planned = await preflight(port, stack, variant);
  if ('error' in planned || blockingChecks(planned).length > 0) {
    const why = 'error' in planned ? planned.error : blockingChecks(planned).map((c) => c.detail).join('; ');
    return { ...failed, error: `${failed.error}; the revert to ${variant} could not start: ${why}` };
  }
  hooks.leg(planned, `back to ${variant} (revert)`);
  const back = await leg('revert', planned, port, hooks, recorder, options);
  if ('conflict' in back) return { ...failed, error: `${failed.error}; the revert stopped: ${back.notice}` };
  if (back.result !== 'switched') return { ...failed, error: `${failed.error}; the revert to ${variant} failed too: ${back.error}`, runningNow: back.runningNow };
  return { ...failed, result: 'reverted', runningNow: variant };
}

/**
 * Runs a confirmed switch; on failure, reverts to the variant that ran before when `revert` (the console asks
 * first; headless reverts unless --no-revert). Throws only when the `confirmed` line cannot be written.
 */
export async function runSwitchSession(plan: SwitchPlan, port: StackPort, hooks: SessionHooks, recorder: SwitchRecorder, revert: boolean, options: SwitchOptions = {}): Promise<SessionResult> {
  const outcome = await leg('switch', plan, port, hooks, recorder, options);
  if ('conflict' in outcome) return outcome;
  const from = outcome.from;
  if (outcome.result !== 'failed' || !revert || (from !== 'alpine' && from !== 'regular') || from === plan.to) return { outcome, compared: [] };
  const reverted = await revertTo(from, outcome, plan.stack, port, hooks, recorder, options);
  return { outcome: reverted, compared: [] };
}

/** After a failed switch in the console: the revert the user asked for, as its own audited leg. */
export async function runRevert(variant: StackVariant, failed: SwitchOutcome, stack: StackDefinition, port: StackPort, hooks: SessionHooks, recorder: SwitchRecorder, options: SwitchOptions = {}): Promise<SwitchOutcome> {
  return revertTo(variant, failed, stack, port, hooks, recorder, options);
}

/**
 * `compare_performance.sh` done right: the other variant up and measured, then the original back up and
 * measured (so both numbers are from this run), leaving the stack as it was; nothing running → both measured,
 * then down again.
 */
export async function runCompareSession(plan: SwitchPlan, port: StackPort, hooks: SessionHooks, recorder: SwitchRecorder, options: SwitchOptions = {}): Promise<SessionResult> {
  const first = await leg('compare', plan, port, hooks, recorder, options);
  if ('conflict' in first) return first;
  const original = plan.from === 'alpine' || plan.from === 'regular' ? plan.from : null;
  const back = original ?? otherVariant(plan.to);
  const planned = await preflight(port, plan.stack, back);
  if ('error' in planned || blockingChecks(planned).length > 0) {
    const why = 'error' in planned ? planned.error : blockingChecks(planned).map((c) => c.detail).join('; ');
    return { outcome: { ...first, result: 'failed', error: `${first.error ?? ''}${first.error ? '; ' : ''}the way back to ${back} could not start: ${why}` }, compared: [first] };
  }
  hooks.leg(planned, `back to ${back}`);
  const second = await leg('compare', planned, port, hooks, recorder, options);
  if ('conflict' in second) return { outcome: { ...first, result: 'failed', error: second.notice }, compared: [first] };
  if (original === null && second.result === 'switched') {
    hooks.phase('down');
    await port.down(plan.stack, back);
    second.runningNow = null;
  }
  const ok = first.result === 'switched' && second.result === 'switched';
  const outcome: SwitchOutcome = {
    ...second,
    result: ok ? 'switched' : 'failed',
    from: plan.from,
    to: plan.to,
    elapsedSeconds: first.elapsedSeconds + second.elapsedSeconds,
    error: first.error ?? second.error,
    failure: first.failure ?? second.failure,
  };
  return { outcome, compared: [first, second] };
}
