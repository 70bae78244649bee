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

export interface RollbackOutcome {
  /** `unchanged`: the service already served the requested traffic, so nothing was sent. */
  result: 'succeeded' | 'unchanged' | 'failed' | 'conflicted';
  /** Served traffic before the change. */
  before: TrafficTarget[];
  requested: TrafficTarget[];
  /** Served traffic at the end, as last read; null when it could not be read. */
  after: TrafficTarget[] | null;
  /** The service as last read, e.g. to show a conflict's new state. */
  latest: CloudRunService | null;
  error: string | null;
  elapsedMs: number;
}

const ABORTED = 10;

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
  const operationDeadline = Date.now() + timeouts.operationMs;
  for (;;) {
    try {
      if (await port.operationDone(operation)) break;
    } catch (error) {
      if ((error as { code?: number }).code !== 14) {
        const now = await port.readService(name).catch(() => null);
        return outcome('failed', now, `the update failed: ${message(error)}`);
      }
    }
    if (Date.now() >= operationDeadline) {
      const now = await port.readService(name).catch(() => null);
      return outcome('failed', now, `the update did not finish within ${Math.round(timeouts.operationMs / 1000)}s`);
    }
    await sleep(timeouts.pollMs);
  }

  onStep('verifying');
  const verifyDeadline = Date.now() + timeouts.verifyMs;
  let lastError: string | null = null;
  let last: CloudRunService | null = null;
  for (;;) {
    try {
      last = await port.readService(name);
      lastError = null;
      if (isRolledBack(last, request.requested, request.target)) return outcome('succeeded', last, null);
    } catch (error) {
      lastError = message(error); // e.g. UNAVAILABLE: keep verifying until the deadline
    }
    if (Date.now() >= verifyDeadline) {
      const why = lastError ? `could not verify: ${lastError}` : `traffic is not as requested after ${Math.round(timeouts.verifyMs / 1000)}s`;
      return outcome('failed', last, why);
    }
    await sleep(timeouts.pollMs);
  }
}
