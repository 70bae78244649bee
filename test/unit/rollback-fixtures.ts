/** Cloud Run services and revisions as the console holds them, for the pure rollback tests. */
import type { AuditEntry } from '../../src/domain/audit';
import type { CloudRunRevision, CloudRunService, TrafficTarget } from '../../src/domain/cloud-run';
import type { RollbackOutcome } from '../../src/flows/rollback-runner';

const T0 = Date.UTC(2026, 10, 1);

/** `netra-auth-00004-r04`: revision n of a service, created n hours after T0. */
export function revisionName(service: string, n: number): string {
  return `${service}-${String(n).padStart(5, '0')}-r${String(n).padStart(2, '0')}`;
}

export function revision(service: string, n: number, overrides: Partial<CloudRunRevision> = {}): CloudRunRevision {
  return {
    name: revisionName(service, n),
    ready: true,
    state: 'ready',
    message: null,
    createTime: new Date(T0 + n * 3_600_000).toISOString(),
    image: `us-central1-docker.pkg.dev/netra-staging/netra/app:v1.${n}`,
    variant: 'regular',
    memory: '2Gi',
    cpu: '1000m',
    minInstances: 1,
    maxInstances: 5,
    ...overrides,
  };
}

/** A revision that failed to start, with Cloud Run's multi-line condition message. */
export function failedRevision(service: string, n: number): CloudRunRevision {
  return revision(service, n, {
    ready: false,
    state: 'failed',
    message: 'The user-provided container failed to start and listen on the port defined by PORT=8080.\n\nLogs URL: https://console.cloud.google.com/logs/viewer?x=1',
  });
}

export function pinned(revisionName: string, percent: number, tag: string | null = null): TrafficTarget {
  return { revision: revisionName, percent, tag, latest: false };
}

export function latest(percent: number, tag: string | null = null): TrafficTarget {
  return { revision: null, percent, tag, latest: true };
}

/**
 * A service with `revisions` (any order; the console keeps them newest first). `trafficStatuses` default to the
 * requested `traffic`; the latest ready revision is the newest Ready one unless given.
 */
export function service(
  name: string,
  revisions: CloudRunRevision[],
  traffic: TrafficTarget[],
  overrides: Partial<CloudRunService> = {},
): CloudRunService {
  const newestFirst = [...revisions].sort((a, b) => (b.createTime ?? '').localeCompare(a.createTime ?? ''));
  return {
    name,
    fullName: `projects/netra-staging/locations/us-central1/services/${name}`,
    uri: `https://${name}-abc123-uc.a.run.app`,
    ready: true,
    readyMessage: null,
    latestReadyRevision: newestFirst.find((r) => r.ready)?.name ?? null,
    latestCreatedRevision: newestFirst[0]?.name ?? null,
    reconciling: false,
    etag: `"${name}-1"`,
    traffic,
    trafficStatuses: traffic,
    revisions: newestFirst,
    ...overrides,
  };
}

/** netra-auth as seeded: six regular/alpine revisions, 90 % on the newest, 10 % on the one before as `canary`. */
export function auth(): CloudRunService {
  const revisions = [1, 2, 3, 4, 5].map((n) => revision('netra-auth', n)).concat(
    revision('netra-auth', 6, { variant: 'alpine', image: 'us-central1-docker.pkg.dev/netra-staging/netra/auth:v2.0-alpine' }),
  );
  return service('netra-auth', revisions, [pinned(revisionName('netra-auth', 6), 90), pinned(revisionName('netra-auth', 5), 10, 'canary')]);
}

/** netra-frontend-staging: five revisions, all traffic to LATEST. */
export function frontend(): CloudRunService {
  return service(
    'netra-frontend-staging',
    [1, 2, 3, 4, 5].map((n) => revision('netra-frontend-staging', n)),
    [latest(100)],
  );
}

/** netra-backend-staging: the newest revision failed; traffic pinned to the one before, `stable` tag at 0 %. */
export function backend(): CloudRunService {
  const name = 'netra-backend-staging';
  const revisions = [1, 2, 3, 4].map((n) => revision(name, n)).concat(failedRevision(name, 5));
  return service(name, revisions, [pinned(revisionName(name, 4), 100), pinned(revisionName(name, 2), 0, 'stable')]);
}

export function outcome(result: RollbackOutcome['result'], overrides: Partial<RollbackOutcome> = {}): RollbackOutcome {
  return { result, before: [], requested: [], after: [], latest: null, error: result === 'succeeded' ? null : `${result}!`, elapsedMs: 1200, ...overrides };
}

/** One audit line of a sandbox session; override what a test is about. */
export function auditEntry(overrides: Partial<AuditEntry> = {}): AuditEntry {
  return {
    time: '2026-11-22T10:15:30.000Z',
    user: 'oncall',
    host: 'laptop',
    mode: 'sandbox',
    endpoint: 'in-process sandbox',
    project: 'netra-staging',
    region: 'us-central1',
    service: 'netra-auth',
    action: 'rollback-previous',
    before: null,
    requested: null,
    after: null,
    result: 'confirmed',
    error: null,
    ...overrides,
  };
}
