/** gRPC status codes the console explains (google.rpc.Code). */
const Code = {
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  PERMISSION_DENIED: 7,
  UNAVAILABLE: 14,
  UNAUTHENTICATED: 16,
} as const;

export type CloudErrorKind = 'unauthenticated' | 'permission-denied' | 'api-disabled' | 'not-found' | 'unreachable' | 'other';

export interface CloudError {
  kind: CloudErrorKind;
  /** One line saying what is wrong and what to do about it. */
  message: string;
}

export interface CloudErrorContext {
  project: string;
  region: string;
  endpoint: string;
}

function firstLine(text: string): string {
  return text.split('\n')[0]?.trim() ?? '';
}

/**
 * Credentials that are missing (the lookup fails before anything is sent), expired or revoked (the token refresh
 * fails inside the call, which gax reports under another code).
 */
function isCredentialsProblem(name: string | undefined, text: string): boolean {
  return name === 'MissingCredentialsError' || /default credentials|invalid_grant|invalid_rapt|reauth/i.test(text);
}

/** Turns an error from the Google clients into an instruction a tired engineer can follow. */
export function describeCloudError(error: unknown, ctx: CloudErrorContext): CloudError {
  const e = error as { code?: number | string; details?: string; message?: string; reason?: string; name?: string };
  const text = firstLine(e.details || e.message || String(error));
  const code = typeof e.code === 'number' ? e.code : undefined;
  if (code === Code.UNAUTHENTICATED || isCredentialsProblem(e.name, text)) {
    return {
      kind: 'unauthenticated',
      message: `not signed in to Google Cloud: run "gcloud auth application-default login" (or set GOOGLE_APPLICATION_CREDENTIALS)`,
    };
  }
  if (code === Code.PERMISSION_DENIED && (e.reason === 'SERVICE_DISABLED' || /has not been used|is disabled/i.test(text))) {
    return {
      kind: 'api-disabled',
      message: `the Cloud Run Admin API is not enabled in project ${ctx.project}: run "gcloud services enable run.googleapis.com --project ${ctx.project}"`,
    };
  }
  if (code === Code.PERMISSION_DENIED) {
    const permission = /Permission '([^']+)'/i.exec(text)?.[1] ?? /permission ([a-z]+\.[a-zA-Z.]+)/i.exec(text)?.[1];
    return {
      kind: 'permission-denied',
      message: permission
        ? `missing permission ${permission} on project ${ctx.project}: ask for roles/run.viewer (or a role that grants it)`
        : `permission denied on project ${ctx.project}: ${text}`,
    };
  }
  if (code === Code.NOT_FOUND) {
    return {
      kind: 'not-found',
      message: `project ${ctx.project} or region ${ctx.region} not found: check --project / GOOGLE_CLOUD_PROJECT and --region (${text})`,
    };
  }
  if (code === Code.UNAVAILABLE || code === Code.DEADLINE_EXCEEDED || code === undefined) {
    return { kind: 'unreachable', message: `Cloud Run endpoint ${ctx.endpoint} unreachable (${text})` };
  }
  return { kind: 'other', message: text };
}
