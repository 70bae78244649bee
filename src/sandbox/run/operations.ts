import { randomUUID } from 'node:crypto';
import { grpc } from 'google-gax';
import { checkProject, LOCATION } from '../names';
import { packAny } from '../protos';
import { invalidArgument, notFound } from '../rpc-error';
import type { Operation, Service } from '../wire';

export type OperationOutcome = { response: Service } | { error: { code: grpc.status; message: string } };

export interface OperationPlan {
  /** The service as the operation starts (Operation.metadata until it is done). */
  metadata: Service;
  /** It may not complete before this many ms have passed. */
  minDurationMs: number;
  /** Applies the change and says how it ended; called exactly once. */
  complete(): OperationOutcome;
}

interface Running {
  plan: OperationPlan;
  startedAt: number;
  polls: number;
  outcome: OperationOutcome | null;
  timer: NodeJS.Timeout | null;
}

// An operation nobody polls still finishes, this long after it could have.
const UNPOLLED_COMPLETION_MS = 10_000;

/**
 * Cloud Run's long-running operations. One completes on the GetOperation that follows `pollsBeforeDone`
 * not-done answers (and its minimum duration), so clients see it running first, as they do on Cloud Run.
 */
export class Operations {
  private readonly all = new Map<string, Running>();

  constructor(private readonly pollsBeforeDone: number) {}

  start(plan: OperationPlan): Operation {
    const name = `${LOCATION}/operations/${randomUUID()}`;
    const op: Running = { plan, startedAt: Date.now(), polls: 0, outcome: null, timer: null };
    op.timer = setTimeout(() => this.finish(op), plan.minDurationMs + UNPOLLED_COMPLETION_MS);
    op.timer.unref();
    this.all.set(name, op);
    return this.wire(name, op);
  }

  /** An operation that is over as soon as it starts (validate_only). */
  done(metadata: Service, response: Service): Operation {
    const name = `${LOCATION}/operations/${randomUUID()}`;
    const plan: OperationPlan = { metadata, minDurationMs: 0, complete: () => ({ response }) };
    const op: Running = { plan, startedAt: Date.now(), polls: 0, outcome: { response }, timer: null };
    this.all.set(name, op);
    return this.wire(name, op);
  }

  get(name: string): Operation {
    const match = /^projects\/([^/]+)\/locations\/([^/]+)\/operations\/([^/]+)$/.exec(name);
    if (!match) {
      throw invalidArgument(
        `Invalid operation name '${name}': expected projects/{project}/locations/{location}/operations/{operation}`,
      );
    }
    checkProject(match[1] ?? '');
    const op = this.all.get(name);
    if (!op) throw notFound(`Operation '${name}' not found.`);
    op.polls++;
    if (op.polls > this.pollsBeforeDone && Date.now() - op.startedAt >= op.plan.minDurationMs) this.finish(op);
    return this.wire(name, op);
  }

  stop(): void {
    for (const op of this.all.values()) if (op.timer) clearTimeout(op.timer);
  }

  private finish(op: Running): void {
    if (op.outcome) return;
    if (op.timer) clearTimeout(op.timer);
    op.timer = null;
    op.outcome = op.plan.complete();
  }

  private wire(name: string, op: Running): Operation {
    const type = 'google.cloud.run.v2.Service';
    const { outcome } = op;
    if (!outcome) return { name, metadata: packAny(type, op.plan.metadata), done: false };
    if ('error' in outcome) {
      return { name, metadata: packAny(type, op.plan.metadata), done: true, error: { ...outcome.error, details: [] } };
    }
    return { name, metadata: packAny(type, outcome.response), done: true, response: packAny(type, outcome.response) };
  }
}
