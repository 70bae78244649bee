// describeCloudError: errors as the Google clients reject with them (gax: `code` is the gRPC status, `details` the
// server's message, `message` is "<code> <NAME>: <details>", `reason` comes from a google.rpc.ErrorInfo), turned
// into one line that says what to do.
import { describe, expect, it } from 'vitest';
import { describeCloudError, type CloudError } from '../../src/domain/cloud-run-errors';

const CTX = { project: 'netra-prod', region: 'europe-west1', endpoint: 'run.googleapis.com:443' };
const NAMES: Record<number, string> = {
  3: 'INVALID_ARGUMENT',
  4: 'DEADLINE_EXCEEDED',
  5: 'NOT_FOUND',
  7: 'PERMISSION_DENIED',
  13: 'INTERNAL',
  14: 'UNAVAILABLE',
  16: 'UNAUTHENTICATED',
};

function grpcError(code: number, details: string, reason?: string): Error {
  return Object.assign(new Error(`${code} ${NAMES[code]}: ${details}`), { code, details, ...(reason ? { reason } : {}) });
}

function described(error: unknown): CloudError {
  const result = describeCloudError(error, CTX);
  expect(result.message, 'messages are one line').not.toContain('\n');
  return result;
}

const PERMISSION =
  "Permission 'run.services.list' denied on resource 'projects/netra-prod/locations/europe-west1' (or it may not exist).";
const DISABLED =
  'Cloud Run Admin API has not been used in project 284019573661 before or it is disabled. Enable it by visiting https://console.developers.google.com/apis/api/run.googleapis.com/overview?project=284019573661 then retry. If you enabled this API recently, wait a few minutes for the action to propagate to our systems and retry.';

describe('describeCloudError', () => {
  it('no credentials found (the lookup fails before any call) and an expired refresh token: sign in', () => {
    const missing = Object.assign(new Error('no Google credentials (Could not load the default credentials)'), { name: 'MissingCredentialsError' });
    // gax reports a failed token refresh inside a call under UNAVAILABLE, not UNAUTHENTICATED.
    const expired = grpcError(14, 'Getting metadata from plugin failed with error: invalid_grant');
    for (const error of [missing, expired]) {
      const result = described(error);
      expect(result.kind).toBe('unauthenticated');
      expect(result.message).toContain('gcloud auth application-default login');
    }
  });

  it('UNAUTHENTICATED: sign in with application-default credentials', () => {
    const result = described(
      grpcError(16, 'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.', 'ACCESS_TOKEN_EXPIRED'),
    );
    expect(result.kind).toBe('unauthenticated');
    expect(result.message).toContain('gcloud auth application-default login');
  });

  it('PERMISSION_DENIED naming a permission: says which permission is missing, on which project', () => {
    const result = described(grpcError(7, PERMISSION, 'IAM_PERMISSION_DENIED'));
    expect(result.kind).toBe('permission-denied');
    expect(result.message).toContain('run.services.list');
    expect(result.message).toContain('netra-prod');
    expect(result.message).toMatch(/roles\/run\.viewer/);
  });

  it('PERMISSION_DENIED naming the permission in other words', () => {
    const result = described(grpcError(7, 'The caller does not have permission run.revisions.list on the service.'));
    expect(result).toMatchObject({ kind: 'permission-denied' });
    expect(result.message).toContain('run.revisions.list');
  });

  it('PERMISSION_DENIED without a permission: passes on what the server said', () => {
    const result = described(grpcError(7, 'The caller does not have permission'));
    expect(result).toEqual({ kind: 'permission-denied', message: 'permission denied on project netra-prod: The caller does not have permission' });
  });

  it('PERMISSION_DENIED with reason SERVICE_DISABLED: the command that enables the API', () => {
    const result = described(grpcError(7, 'Cloud Run Admin API is not available for this consumer.', 'SERVICE_DISABLED'));
    expect(result.kind).toBe('api-disabled');
    expect(result.message).toContain('gcloud services enable run.googleapis.com --project netra-prod');
  });

  it('PERMISSION_DENIED saying "has not been used … or it is disabled", without ErrorInfo: the same', () => {
    const result = described(grpcError(7, DISABLED));
    expect(result.kind).toBe('api-disabled');
    expect(result.message).toContain('gcloud services enable run.googleapis.com --project netra-prod');
  });

  it('NOT_FOUND: the project or region is wrong, and where to set them', () => {
    const result = described(grpcError(5, "Project 'netra-prod' not found or permission denied."));
    expect(result.kind).toBe('not-found');
    expect(result.message).toContain('project netra-prod');
    expect(result.message).toContain('region europe-west1');
    expect(result.message).toContain('--project');
    expect(result.message).toContain('--region');
  });

  it.each([
    ['UNAVAILABLE', grpcError(14, 'No connection established. Last error: connect ECONNREFUSED 127.0.0.1:1')],
    ['DEADLINE_EXCEEDED', grpcError(4, 'Deadline exceeded after 10.002s')],
    ['no gRPC code (a network error)', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' })],
    ['not even an Error', 'socket hang up'],
  ])('%s: the endpoint is unreachable, named', (_, error) => {
    const result = described(error);
    expect(result.kind).toBe('unreachable');
    expect(result.message).toMatch(/^Cloud Run endpoint run\.googleapis\.com:443 unreachable \(.+\)$/);
  });

  it('names the endpoint it was given, e.g. a sandbox', () => {
    const result = describeCloudError(grpcError(14, 'unavailable'), { ...CTX, endpoint: '127.0.0.1:40123' });
    expect(result.message).toContain('127.0.0.1:40123 unreachable');
  });

  it('passes any other status on as its first line', () => {
    expect(described(grpcError(3, 'page_size must not be negative, got -1\nmore detail'))).toEqual({
      kind: 'other',
      message: 'page_size must not be negative, got -1',
    });
  });

  it('keeps only the first line of multi-line server messages', () => {
    const multi = `${PERMISSION}\nHelp: https://cloud.google.com/run/docs/securing/managing-access`;
    expect(described(grpcError(7, multi)).message).toContain('run.services.list');
    const unreachable = described(grpcError(14, 'The service is currently unavailable.\nretry later'));
    expect(unreachable.message).toBe('Cloud Run endpoint run.googleapis.com:443 unreachable (The service is currently unavailable.)');
  });

  it('falls back to the message when details are empty', () => {
    const error = Object.assign(new Error('14 UNAVAILABLE: upstream connect error'), { code: 14, details: '' });
    expect(described(error).message).toContain('14 UNAVAILABLE: upstream connect error');
  });
});
