import { grpc } from 'google-gax';
import { PROJECT, PROJECT_NUMBER } from './names';
import type { SandboxServiceName } from './protos';
import { RpcError } from './rpc-error';

export type TailEndCode = 'OUT_OF_RANGE' | 'UNAVAILABLE' | 'DEADLINE_EXCEEDED';

/** Failures a test (or a demo) switches on to see how the console copes. `method` is e.g. 'ListServices'. */
export interface SandboxFaults {
  /** The next `calls` calls (of `method`, else of any method) fail UNAVAILABLE. */
  unavailable(calls: number, method?: string): void;
  /** Calls (of `method`, else all) fail PERMISSION_DENIED naming `permission`, until cleared with null. */
  permissionDenied(permission: string | null, method?: string): void;
  /** Every call fails UNAUTHENTICATED, as with an expired or revoked token. */
  unauthenticated(on: boolean): void;
  /** Calls fail PERMISSION_DENIED with Google's "API has not been used … or it is disabled" (both APIs unless `api`). */
  apiDisabled(on: boolean, api?: SandboxApi): void;
  /** The next UpdateService fails ABORTED, as if someone else changed the service first (its etag moves on). */
  abortNextUpdate(): void;
  /** Operations complete only once `ms` have passed since they started (0 restores the default). */
  slowOperations(ms: number): void;
  /** Unary calls (of `method`, else all) are answered `ms` after they arrive (0 restores the default). */
  slowCalls(ms: number, method?: string): void;
  /** The next operation completes with a FAILED_PRECONDITION error carrying `message`. */
  failNextOperation(message: string): void;
  /** Tail sessions end with `code` (default OUT_OF_RANGE) `seconds` after they start or after this call; null: never. */
  endTailsAfter(seconds: number | null, code?: TailEndCode): void;
  /** Tail sessions pass at most this many entries a second (default 200; null: no limit) and report the rest as RATE_LIMIT suppressions. */
  rateLimitTails(entriesPerSecond: number | null): void;
  /** Everything back to normal. */
  clear(): void;
}

export type SandboxApi = 'run' | 'logging';

export interface MethodRef {
  service: SandboxServiceName;
  method: string;
}

const DEFAULT_TAIL_RATE_LIMIT = 200;

const API = {
  run: { host: 'run.googleapis.com', title: 'Cloud Run Admin API' },
  logging: { host: 'logging.googleapis.com', title: 'Cloud Logging API' },
} as const;

/** The faults in force; handlers consult it (rpc.ts for the per-call ones, the components for the rest). */
export class FaultState implements SandboxFaults {
  private unavailableRules: { left: number; method?: string }[] = [];
  private denied: { permission: string; method?: string } | null = null;
  private unauthenticatedOn = false;
  private disabledApis = new Set<SandboxApi>();
  private abortUpdate = false;
  private operationFailure: string | null = null;
  operationDelayMs = 0;
  private callDelay: { ms: number; method?: string } | null = null;
  tailEnd: { seconds: number; code: TailEndCode; since: number } | null = null;
  tailRateLimit: number | null = DEFAULT_TAIL_RATE_LIMIT;

  unavailable(calls: number, method?: string): void {
    if (calls > 0) this.unavailableRules.push({ left: calls, method });
  }

  permissionDenied(permission: string | null, method?: string): void {
    this.denied = permission === null ? null : { permission, method };
  }

  unauthenticated(on: boolean): void {
    this.unauthenticatedOn = on;
  }

  apiDisabled(on: boolean, api?: SandboxApi): void {
    for (const which of api ? [api] : (['run', 'logging'] as const)) {
      if (on) this.disabledApis.add(which);
      else this.disabledApis.delete(which);
    }
  }

  abortNextUpdate(): void {
    this.abortUpdate = true;
  }

  slowOperations(ms: number): void {
    this.operationDelayMs = Math.max(0, ms);
  }

  slowCalls(ms: number, method?: string): void {
    this.callDelay = ms > 0 ? { ms, method } : null;
  }

  /** How long a unary call of `ref` waits before it is answered. */
  callDelayMs(ref: MethodRef): number {
    return this.callDelay && matches(this.callDelay.method, ref) ? this.callDelay.ms : 0;
  }

  failNextOperation(message: string): void {
    this.operationFailure = message;
  }

  endTailsAfter(seconds: number | null, code: TailEndCode = 'OUT_OF_RANGE'): void {
    this.tailEnd = seconds === null ? null : { seconds, code, since: Date.now() };
  }

  rateLimitTails(entriesPerSecond: number | null): void {
    this.tailRateLimit = entriesPerSecond === null ? null : Math.max(0, entriesPerSecond);
  }

  clear(): void {
    this.unavailableRules = [];
    this.denied = null;
    this.unauthenticatedOn = false;
    this.disabledApis.clear();
    this.abortUpdate = false;
    this.operationFailure = null;
    this.operationDelayMs = 0;
    this.callDelay = null;
    this.tailEnd = null;
    this.tailRateLimit = DEFAULT_TAIL_RATE_LIMIT;
  }

  takeAbortNextUpdate(): boolean {
    const abort = this.abortUpdate;
    this.abortUpdate = false;
    return abort;
  }

  takeOperationFailure(): string | null {
    const failure = this.operationFailure;
    this.operationFailure = null;
    return failure;
  }

  /** The error `ref` must fail with before doing anything, or null. `resource` is what the call names. */
  check(ref: MethodRef, resource: string): RpcError | null {
    const api: SandboxApi = ref.service.startsWith('google.logging.') ? 'logging' : 'run';
    const rule = this.unavailableRules.find((r) => matches(r.method, ref));
    if (rule) {
      rule.left--;
      if (rule.left <= 0) this.unavailableRules.splice(this.unavailableRules.indexOf(rule), 1);
      return new RpcError(grpc.status.UNAVAILABLE, 'The service is currently unavailable.');
    }
    if (this.unauthenticatedOn) {
      return new RpcError(
        grpc.status.UNAUTHENTICATED,
        'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.',
        {
          reason: 'ACCESS_TOKEN_EXPIRED',
          domain: 'googleapis.com',
          metadata: { service: API[api].host, method: `${ref.service}.${ref.method}` },
        },
      );
    }
    if (this.disabledApis.has(api)) {
      const { host, title } = API[api];
      const activationUrl = `https://console.developers.google.com/apis/api/${host}/overview?project=${PROJECT}`;
      return new RpcError(
        grpc.status.PERMISSION_DENIED,
        `${title} has not been used in project ${PROJECT} before or it is disabled. Enable it by visiting ${activationUrl} then retry. If you enabled this API recently, wait a few minutes for the action to propagate to our systems and retry.`,
        {
          reason: 'SERVICE_DISABLED',
          domain: 'googleapis.com',
          metadata: { service: host, serviceTitle: title, consumer: `projects/${PROJECT_NUMBER}`, activationUrl },
        },
      );
    }
    if (this.denied && matches(this.denied.method, ref)) {
      const { permission } = this.denied;
      return new RpcError(
        grpc.status.PERMISSION_DENIED,
        `Permission '${permission}' denied on resource '${resource}' (or it may not exist).`,
        { reason: 'IAM_PERMISSION_DENIED', domain: 'iam.googleapis.com', metadata: { permission, resource } },
      );
    }
    return null;
  }
}

function matches(method: string | undefined, ref: MethodRef): boolean {
  return method === undefined || method === ref.method || method === `${ref.service}/${ref.method}`;
}
