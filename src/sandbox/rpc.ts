import type { grpc } from 'google-gax';
import type { FaultState, MethodRef } from './faults';
import { PROJECT } from './names';
import { toStatus } from './rpc-error';

/** What every handler shares: the faults in force and the per-method call counters tests read. */
export interface CallEnv {
  faults: FaultState;
  count(method: string): void;
  /** A unary call of `method` is being answered until the returned function is called. */
  begin(method: string): () => void;
}

/**
 * A unary handler: counts the call, waits out a `slowCalls` delay, applies the per-call faults, then answers with
 * `handle`'s result or, when it throws, with the matching status.
 */
export function unary<Req extends object, Res>(
  ref: MethodRef,
  env: CallEnv,
  handle: (request: Req) => Res,
): grpc.handleUnaryCall<Req, Res> {
  return (call, callback) => {
    env.count(ref.method);
    const end = env.begin(ref.method);
    const answer = () => {
      try {
        checkFaults(ref, env, call.request);
        callback(null, handle(call.request));
      } catch (error) {
        callback(toStatus(error));
      } finally {
        end();
      }
    };
    const delay = env.faults.callDelayMs(ref);
    if (delay > 0) setTimeout(answer, delay);
    else answer();
  };
}

/** Counts a call and throws the fault it must fail with, if any. */
export function admit(ref: MethodRef, env: CallEnv, request: object): void {
  env.count(ref.method);
  checkFaults(ref, env, request);
}

function checkFaults(ref: MethodRef, env: CallEnv, request: object): void {
  const fault = env.faults.check(ref, resourceOf(request));
  if (fault) throw fault;
}

/** The resource a request is about, for PERMISSION_DENIED messages. */
function resourceOf(request: object): string {
  const r = request as { parent?: string; name?: string; service?: { name?: string }; resourceNames?: string[] };
  return r.parent || r.name || r.service?.name || r.resourceNames?.[0] || `projects/${PROJECT}`;
}
