import type { CloudRunService, TrafficTarget } from '../domain/cloud-run';
import { changesNothing, isRolledBack } from './rollback-plan';
import type { RollbackPort } from './rollback-port';


export interface RollbackRequest {
  /** The service as the user saw it when confirming; its etag guards against changes made meanwhile. */
  service: CloudRunService;
  target: string;
  requested: TrafficTarget[];
}

export type RollbackStep = 'checking' | 'sending' | 'operation' | 'verifying';

export interface RollbackTimeouts {
  /** Bounded total time for the long-running operation. */
  operationMs: number;
  /** Bounded total time for the service to serve the requested traffic. */
  verifyMs: number;
  pollMs: number;
}

export const DEFAULT_TIMEOUTS: RollbackTimeouts = { operationMs: 120_000, verifyMs: 60_000, pollMs: 500 };
/** How long the console keeps watching an operation that timed out in the dialog. */
export const BACKGROUND_TIMEOUTS: RollbackTimeouts = { operationMs: 30 * 60_000, verifyMs: 60_000, pollMs: 2_000 };

export interface RollbackOutcome {
  /**
   * `unchanged`: the service already served the requested traffic, so nothing was sent. `timed-out`: sent, but
   * the operation did not finish within the bound; it may still apply (see `operation`).
   */
  result: 'succeeded' | 'unchanged' | 'failed' | 'conflicted' | 'timed-out';
  /** Served traffic before the change. */
  before: TrafficTarget[];
  requested: TrafficTarget[];
  /** Served traffic at the end, as last read; null when it could not be read. */
  after: TrafficTarget[] | null;
  /** The service as last read, e.g. to show a conflict's new state. */
  latest: CloudRunService | null;
  error: string | null;
  elapsedMs: number;
  /** Cloud Run's long-running operation, once the change was sent: what to keep watching after a timeout. */
  operation?: string;
}

const ABORTED = 10;
const UNAVAILABLE = 14;

function message(error: unknown): string {
  const e = error as { details?: string; message?: string };
  return (e.details || e.message || String(error)).split('\n')[0]!;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Sends the rollback and verifies it: traffic only, guarded by the etag the user confirmed against. A conflict
 * (someone changed the service meanwhile) sends nothing more and reports the service as it is now.
 */
export async function executeRollback(
  request: RollbackRequest,
  port: RollbackPort,
  onStep: (step: RollbackStep) => void = () => {},
  timeouts: RollbackTimeouts = DEFAULT_TIMEOUTS,
): Promise<RollbackOutcome> {
  const started = Date.now();
  const before = request.service.trafficStatuses;
  const outcome = (result: RollbackOutcome['result'], latest: CloudRunService | null, error: string | null): RollbackOutcome => ({
    result,
    before,
    requested: request.requested,
    after: latest?.trafficStatuses ?? null,
    latest,
    error,
    elapsedMs: Date.now() - started,
  });
  const name = request.service.fullName;

  onStep('checking');
  let latest: CloudRunService;
  try {
    latest = await port.readService(name);
  } catch (error) {
    return outcome('failed', null, `could not read ${request.service.name} before changing it: ${message(error)}`);
  }
  if (latest.etag !== request.service.etag) {
    return outcome('conflicted', latest, `${request.service.name} changed since it was shown (etag ${request.service.etag} → ${latest.etag}); nothing was sent`);
  }
  if (changesNothing(latest, request.requested)) return outcome('unchanged', latest, null);

  onStep('sending');
  let operation: string;
  try {
    operation = await port.updateTraffic(name, request.requested, request.service.etag);
  } catch (error) {
    const conflict = (error as { code?: number }).code === ABORTED;
    const now = await port.readService(name).catch(() => null);
    return outcome(conflict ? 'conflicted' : 'failed', now, conflict ? `${request.service.name} was changed by someone else: ${message(error)}` : message(error));
  }

  onStep('operation');
  const done = await awaitOperation(port, operation, timeouts.operationMs, timeouts.pollMs);
  if (done !== 'done') {
    const stopped = await unfinished(request, port, operation, done, timeouts);
    return { ...outcome(stopped.result, stopped.latest, stopped.error), operation };
  }
  onStep('verifying');
  const verified = await verify(request, port, timeouts);
  return { ...outcome(verified.result, verified.latest, verified.error), operation };
}

/** A timeout is not a failure: the change was sent and Cloud Run may still apply it. */
export function timedOutMessage(operation: string, operationMs: number): string {
  return `timed out after ${Math.round(operationMs / 1000)}s waiting for operation ${operation}; the change may still be applied`;
}

/** Polls the operation until it is done, fails, or `boundMs` pass; UNAVAILABLE answers are polled through. */
async function awaitOperation(port: RollbackPort, operation: string, boundMs: number, pollMs: number): Promise<'done' | 'timed-out' | { error: string }> {
  const deadline = Date.now() + boundMs;
  for (;;) {
    try {
      if (await port.operationDone(operation)) return 'done';
    } catch (error) {
      if ((error as { code?: number }).code !== UNAVAILABLE) return { error: message(error) };
    }
    if (Date.now() >= deadline) return 'timed-out';
    await sleep(pollMs);
  }
}

/** Reads the service until it serves the requested traffic, or the verification bound passes. */
async function verify(
  request: RollbackRequest,
  port: RollbackPort,
  timeouts: RollbackTimeouts,
): Promise<{ result: 'succeeded' | 'failed'; latest: CloudRunService | null; error: string | null }> {
  const verifyDeadline = Date.now() + timeouts.verifyMs;
  let lastError: string | null = null;
  let last: CloudRunService | null = null;
  for (;;) {
    try {
      last = await port.readService(request.service.fullName);
      lastError = null;
      if (isRolledBack(last, request.requested, request.target)) return { result: 'succeeded', latest: last, error: null };
    } catch (error) {
      lastError = message(error); // e.g. UNAVAILABLE: keep verifying until the deadline
    }
    if (Date.now() >= verifyDeadline) {
      const why = lastError ? `could not verify: ${lastError}` : `traffic is not as requested after ${Math.round(timeouts.verifyMs / 1000)}s`;
      return { result: 'failed', latest: last, error: why };
    }
    await sleep(timeouts.pollMs);
  }
}

/**
 * After a timeout: keeps watching the operation (up to `timeouts.operationMs` more) and verifies its result, so the
 * final outcome can be audited. Still not done then: `timed-out` again.
 */
export async function followOperation(
  request: RollbackRequest,
  operation: string,
  port: RollbackPort,
  timeouts: RollbackTimeouts = BACKGROUND_TIMEOUTS,
): Promise<RollbackOutcome> {
  const started = Date.now();
  const done = await awaitOperation(port, operation, timeouts.operationMs, timeouts.pollMs);
  const final = done === 'done' ? await verify(request, port, timeouts) : await unfinished(request, port, operation, done, timeouts);
  const before = request.service.trafficStatuses;
  return { ...final, before, requested: request.requested, after: final.latest?.trafficStatuses ?? null, elapsedMs: Date.now() - started, operation };
}

/** An operation that failed or is still running, with the service as it is now. */
async function unfinished(request: RollbackRequest, port: RollbackPort, operation: string, done: 'timed-out' | { error: string }, timeouts: RollbackTimeouts) {
  const latest = await port.readService(request.service.fullName).catch(() => null);
  return done === 'timed-out'
    ? { result: 'timed-out' as const, latest, error: timedOutMessage(operation, timeouts.operationMs) }
    : { result: 'failed' as const, latest, error: `the update failed: ${done.error}` };
}
