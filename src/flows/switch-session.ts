import type { SwitchAuditEntry, SwitchAuditResult } from '../domain/audit';
import { otherVariant, type StackDefinition, type StackVariant, type VariantMeasurement } from '../domain/stacks';
import type { StackPort } from './stack-port';
import { errorLine } from '../domain/printable';
import { executeSwitch, preflight, readRunning, type SwitchConflict, type SwitchHooks, type SwitchOptions } from './switch-driver';
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
      return { ...result, notice: `${result.notice} (${errorLine(error)}; not on record)` };
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
    const note = `${errorLine(error)}; this result is not on record`;
    return { ...outcome, error: outcome.error ? `${outcome.error}; ${note}` : note };
  }
}

/** A plan that can go ahead, or why not (a preflight that threw is a reason too, never an exception). */
async function readyPlan(port: StackPort, stack: StackDefinition, variant: StackVariant): Promise<SwitchPlan | string> {
  const planned = await preflight(port, stack, variant).catch((error: unknown) => ({ error: errorLine(error), checks: [] }));
  if ('error' in planned) return planned.error;
  const blocking = blockingChecks(planned);
  return blocking.length ? blocking.map((c) => c.detail).join('; ') : planned;
}

/** A failed leg goes back to `variant` (audited as a revert); the outcome says whether that came up. */
async function revertTo(variant: StackVariant, failed: SwitchOutcome, stack: StackDefinition, port: StackPort, hooks: SessionHooks, recorder: SwitchRecorder, options: SwitchOptions): Promise<SwitchOutcome> {
  const planned = await readyPlan(port, stack, variant);
  if (typeof planned === 'string') return { ...failed, error: `${failed.error}; the revert to ${variant} could not start: ${planned}` };
  hooks.leg(planned, `back to ${variant} (revert)`);
  const back = await leg('revert', planned, port, hooks, recorder, options);
  if ('conflict' in back) return { ...failed, error: `${failed.error}; the revert stopped: ${back.notice}`, runningNow: await readRunning(port, stack.project) };
  if (back.result !== 'switched') return { ...failed, error: `${failed.error}; the revert to ${variant} failed too: ${back.error}`, runningNow: back.runningNow };
  return { ...failed, result: 'reverted', runningNow: variant };
}

/**
 * Runs a confirmed switch; on failure, goes back to `revert` (what ran before, or the variant that last came up
 * healthy; the console asks first, headless reverts unless --no-revert). Throws only when the `confirmed` line
 * cannot be written, before anything changed.
 */
export async function runSwitchSession(plan: SwitchPlan, port: StackPort, hooks: SessionHooks, recorder: SwitchRecorder, revert: StackVariant | null, options: SwitchOptions = {}): Promise<SessionResult> {
  const outcome = await leg('switch', plan, port, hooks, recorder, options);
  if ('conflict' in outcome) return outcome;
  if (outcome.result !== 'failed' || revert === null || revert === plan.to || options.signal?.aborted) return { outcome, compared: [] };
  return { outcome: await revertTo(revert, outcome, plan.stack, port, hooks, recorder, options), compared: [] };
}

/** After a failed switch in the console: the revert the user asked for, as its own audited leg. */
export async function runRevert(variant: StackVariant, failed: SwitchOutcome, stack: StackDefinition, port: StackPort, hooks: SessionHooks, recorder: SwitchRecorder, options: SwitchOptions = {}): Promise<SwitchOutcome> {
  return revertTo(variant, failed, stack, port, hooks, recorder, options);
}

/**
 * `compare_performance.sh` done right: the other variant up and measured, then the original back up and
 * measured (so both numbers are from this run), leaving the stack as it was; nothing running → both measured,
 * then down again. The way back is checked before anything changes: a compare that could not come back is refused.
 */
export async function runCompareSession(plan: SwitchPlan, port: StackPort, hooks: SessionHooks, recorder: SwitchRecorder, options: SwitchOptions = {}): Promise<SessionResult> {
  const original = plan.from === 'alpine' || plan.from === 'regular' ? plan.from : null;
  const back = original ?? otherVariant(plan.to);
  const wayBack = await readyPlan(port, plan.stack, back);
  if (typeof wayBack === 'string') {
    const error = `the way back to ${back} could not start: ${wayBack}; nothing changed`;
    return { outcome: { result: 'failed', from: plan.from, to: plan.to, elapsedSeconds: 0, services: [], previous: null, error, failure: null, runningNow: plan.from }, compared: [] };
  }
  const first = await leg('compare', plan, port, hooks, recorder, options);
  if ('conflict' in first) return first;
  if (first.result !== 'switched') {
    // The first variant did not come up: go back to what ran (measured anew), as a revert.
    const outcome = original ? await revertTo(original, first, plan.stack, port, hooks, recorder, options) : first;
    return { outcome, compared: [first] };
  }
  const planned = await readyPlan(port, plan.stack, back);
  if (typeof planned === 'string') return { outcome: { ...first, result: 'failed', error: `the way back to ${back} could not start: ${planned}` }, compared: [first] };
  hooks.leg(planned, `back to ${back}`);
  const second = await leg('compare', planned, port, hooks, recorder, options);
  if ('conflict' in second) return { outcome: { ...first, result: 'failed', error: second.notice, runningNow: await readRunning(port, plan.stack.project) }, compared: [first] };
  const ended = original === null && second.result === 'switched' ? await stopAgain(planned, port, hooks, recorder) : second;
  const ok = first.result === 'switched' && ended.result === 'switched';
  const outcome: SwitchOutcome = {
    ...ended,
    result: ok ? 'switched' : 'failed',
    from: plan.from,
    to: plan.to,
    elapsedSeconds: first.elapsedSeconds + second.elapsedSeconds,
    error: first.error ?? ended.error,
    failure: first.failure ?? ended.failure,
  };
  return { outcome, compared: [first, second] };
}

/** Nothing ran before the compare: the variant measured last goes down again (audited), leaving nothing running. */
async function stopAgain(plan: SwitchPlan, port: StackPort, hooks: SwitchHooks, recorder: SwitchRecorder): Promise<SwitchOutcome> {
  const after = { stack: plan.stack, from: plan.to, to: plan.to };
  const measured = { from: plan.to, to: plan.to, elapsedSeconds: 0, services: [], previous: null, failure: null };
  try {
    recorder.audit('compare', after, 'confirmed');
  } catch (error) {
    return { ...measured, result: 'failed', error: `${errorLine(error)}; ${plan.to} left running`, runningNow: plan.to };
  }
  hooks.phase('down');
  try {
    await port.down(plan.stack, plan.to);
  } catch (error) {
    const outcome: SwitchOutcome = { ...measured, result: 'failed', error: `stopping ${plan.to} again failed: ${errorLine(error)}`, runningNow: await readRunning(port, plan.stack.project) };
    return auditAfter(() => recorder.audit('compare', after, 'failed', outcome), outcome);
  }
  const outcome: SwitchOutcome = { ...measured, result: 'switched', error: null, runningNow: null };
  return auditAfter(() => recorder.audit('compare', after, 'stopped', outcome), outcome);
}
