// The Cloud Run + Logging sandbox, driven only through the official Google clients over real gRPC.
import type { protos } from '@google-cloud/logging';
import { OAuth2Client } from 'google-auth-library';
import { grpc } from 'google-gax';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index';
import { rpcFailure, sandboxClients, type SandboxClients } from '../support/sandbox-clients';
import { waitFor } from '../support/wait';

const LOCATION = 'projects/netra-staging/locations/us-central1';
const BACKEND = `${LOCATION}/services/netra-backend-staging`;
const AUTH = `${LOCATION}/services/netra-auth`;
const FRONTEND = `${LOCATION}/services/netra-frontend-staging`;
const short = (name: string | null | undefined) => (name ?? '').split('/').at(-1) ?? '';

type Entry = protos.google.logging.v2.ILogEntry;
type TailResponse = { entries: Entry[]; suppressionInfo: { reason: string; suppressedCount: number }[] };
const seqOf = (entry: Entry) => Number(entry.labels?.seq);
const timeOf = (entry: Entry) =>
  BigInt(String(entry.timestamp?.seconds)) * 1_000_000_000n + BigInt(entry.timestamp?.nanos ?? 0);

/** Opens a tail session and collects what it streams until it ends (or `stop()` cancels it). */
function tail(
  clients: SandboxClients,
  request: { filter?: string; bufferWindow?: { seconds?: number; nanos?: number } },
) {
  const stream = clients.logging.tailLogEntries();
  const responses: TailResponse[] = [];
  const ended = new Promise<{ code: number; message: string } | null>((resolve) => {
    stream.on('data', (response: TailResponse) => responses.push(response));
    stream.on('error', (error: Error & { code: number }) => resolve({ code: error.code, message: error.message }));
    stream.on('end', () => resolve(null));
  });
  stream.write({ resourceNames: ['projects/netra-staging'], bufferWindow: { seconds: 0 }, ...request });
  const entries = () => responses.flatMap((r) => r.entries);
  return { responses, entries, ended, stop: () => stream.cancel() };
}

/** Every entry matching `filter`, in one page of up to 1000 (and it must be the only page). */
async function listAll(c: SandboxClients, filter = '') {
  const [entries, , response] = await c.logging.listLogEntries(
    { resourceNames: ['projects/netra-staging'], filter, pageSize: 1_000 },
    { autoPaginate: false },
  );
  expect(response?.nextPageToken).toBe('');
  return entries;
}

let sandbox: Sandbox;
let clients: SandboxClients;
/** No generated logs: what the logging tests see depends only on what they emit. */
let quiet: Sandbox;
let quietClients: SandboxClients;

beforeAll(async () => {
  [sandbox, quiet] = await Promise.all([startSandbox({ logRatePerSecond: 40 }), startSandbox({ logRatePerSecond: 0 })]);
  clients = sandboxClients(sandbox);
  quietClients = sandboxClients(quiet);
});

afterAll(async () => {
  await Promise.all([clients?.close(), quietClients?.close()]);
  await Promise.all([sandbox?.stop(), quiet?.stop()]);
});

afterEach(() => {
  sandbox.faults.clear();
  quiet.faults.clear();
});

describe('sandbox server', () => {
  it('listens on loopback only and says where', async () => {
    expect(sandbox.endpoint).toBe(`127.0.0.1:${sandbox.port}`);
    expect(sandbox.port).toBeGreaterThan(0);
    expect([sandbox.project, sandbox.region]).toEqual(['netra-staging', 'us-central1']);
    await expect(startSandbox({ host: '0.0.0.0' })).rejects.toThrow(/not a loopback address/);
  });

  it('is reached without any credentials: the auth client is never asked for a token', async () => {
    class CountingAuth extends OAuth2Client {
      asked = 0;
      override async getRequestHeaders(url?: string | URL) {
        this.asked++;
        return super.getRequestHeaders(url);
      }
      override async getAccessToken() {
        this.asked++;
        return super.getAccessToken();
      }
    }
    const auth = new CountingAuth();
    const counted = sandboxClients(sandbox, auth);
    try {
      const [services] = await counted.services.listServices({ parent: LOCATION });
      const [entries] = await counted.logging.listLogEntries(
        { resourceNames: ['projects/netra-staging'], pageSize: 5 },
        { autoPaginate: false },
      );
      expect(services).toHaveLength(3);
      expect(entries).toHaveLength(5);
      expect(auth.asked).toBe(0);
    } finally {
      await counted.close();
    }
  });

  it('stops: open tails end UNAVAILABLE, and afterwards its port refuses calls', async () => {
    const temporary = await startSandbox({ logRatePerSecond: 0 });
    const temporaryClients = sandboxClients(temporary);
    try {
      const [revision] = await temporaryClients.revisions.getRevision({
        name: (await firstRevision(temporaryClients)).name,
      });
      expect(revision.name).toContain('netra-backend-staging-00025-');
      const session = tail(temporaryClients, {});
      await waitFor(() => temporary.calls('TailLogEntries') === 1, { what: 'the tail session to open' });
      await temporary.stop();
      expect(await session.ended).toEqual({
        code: grpc.status.UNAVAILABLE,
        message: '14 UNAVAILABLE: The sandbox is shutting down.',
      });
      const error = await rpcFailure(temporaryClients.revisions.getRevision({ name: revision.name }));
      expect(error.code).toBe(grpc.status.UNAVAILABLE);
    } finally {
      await temporaryClients.close();
    }
  });
});

async function firstRevision(c: SandboxClients) {
  const [revisions] = await c.revisions.listRevisions({ parent: BACKEND, pageSize: 1 }, { autoPaginate: false });
  const revision = revisions[0];
  if (!revision) throw new Error('no revision');
  return revision;
}

describe('Cloud Run Admin API v2', () => {
  it('lists the three Netra staging services', async () => {
    const [services] = await clients.services.listServices({ parent: LOCATION });
    expect(services.map((s) => s.name)).toEqual([AUTH, BACKEND, FRONTEND]);
    for (const service of services) {
      expect(service.uri).toMatch(new RegExp(`^https://${short(service.name)}-[a-z0-9]{10}-uc\\.a\\.run\\.app$`));
      expect(service.template?.containers?.[0]?.image).toMatch(/^us-central1-docker\.pkg\.dev\/netra-staging\/netra\//);
      expect(Number(service.generation)).toBeGreaterThan(0);
      expect(service.etag).not.toBe('');
    }
    const [elsewhere] = await clients.services.listServices({
      parent: 'projects/netra-staging/locations/europe-west1',
    });
    expect(elsewhere).toEqual([]);
  });

  it('pages through the 25 backend revisions, newest first', async () => {
    const before = sandbox.calls('ListRevisions');
    const [revisions] = await clients.revisions.listRevisions({ parent: BACKEND });
    // Page size 10 by default: the client followed next_page_token twice.
    expect(sandbox.calls('ListRevisions') - before).toBe(3);
    expect(revisions).toHaveLength(25);
    const names = revisions.map((r) => short(r.name));
    expect(new Set(names).size).toBe(25);
    expect(names[0]).toMatch(/^netra-backend-staging-00025-[a-z0-9]{3}$/);
    expect(names.at(-1)).toMatch(/^netra-backend-staging-00001-[a-z0-9]{3}$/);
    const created = revisions.map((r) => Number(r.createTime?.seconds));
    expect(created).toEqual([...created].sort((a, b) => b - a));

    const limits = (r: (typeof revisions)[number]) => r.containers?.[0]?.resources?.limits;
    const alpine = revisions.filter((r) => /-alpine$|@sha256:[0-9a-f]{64}$/.test(r.containers?.[0]?.image ?? ''));
    const regular = revisions.filter((r) => /:v1\.\d+$/.test(r.containers?.[0]?.image ?? ''));
    expect(alpine.length + regular.length).toBe(25);
    expect(alpine.some((r) => r.containers?.[0]?.image?.includes('@sha256:'))).toBe(true);
    for (const r of alpine) expect(limits(r)).toEqual({ cpu: '400m', memory: '512Mi' });
    for (const r of regular) expect(limits(r)).toEqual({ cpu: '1000m', memory: '2Gi' });
    expect(revisions[0]?.scaling).toMatchObject({ minInstanceCount: 1, maxInstanceCount: 10 });
  });

  it('honours page_size and rejects a page token from another listing', async () => {
    const [first, next] = await clients.revisions.listRevisions(
      { parent: BACKEND, pageSize: 7 },
      { autoPaginate: false },
    );
    expect(first).toHaveLength(7);
    const token = next?.pageToken;
    expect(token).toBeTruthy();
    const [second] = await clients.revisions.listRevisions(
      { parent: BACKEND, pageSize: 7, pageToken: token },
      { autoPaginate: false },
    );
    expect(second).toHaveLength(7);
    expect(second.map((r) => r.name)).not.toContain(first[0]?.name);
    const error = await rpcFailure(
      clients.revisions.listRevisions({ parent: AUTH, pageToken: token }, { autoPaginate: false }),
    );
    expect(error.code).toBe(grpc.status.INVALID_ARGUMENT);
  });

  it('describes the backend: pinned traffic, a stable tag, and a latest revision that failed to start', async () => {
    const [backend] = await clients.services.getService({ name: BACKEND });
    const [revisions] = await clients.revisions.listRevisions({ parent: BACKEND });
    const newest = revisions[0];
    const lastGood = revisions[1];
    const lastRegular = revisions.find((r) => /backend:v1\.\d+$/.test(r.containers?.[0]?.image ?? ''));
    expect(backend.latestCreatedRevision).toBe(newest?.name);
    expect(backend.latestReadyRevision).toBe(lastGood?.name);
    expect(backend.traffic).toEqual([
      { type: 'TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION', revision: short(lastGood?.name), percent: 100, tag: '' },
      {
        type: 'TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION',
        revision: short(lastRegular?.name),
        percent: 0,
        tag: 'stable',
      },
    ]);
    expect(backend.trafficStatuses?.map((s) => [s.revision, s.percent, s.tag])).toEqual(
      backend.traffic?.map((t) => [t.revision, t.percent, t.tag]),
    );
    expect(backend.trafficStatuses?.[1]?.uri).toBe(backend.uri?.replace('https://', 'https://stable---'));
    expect(backend.reconciling).toBe(false);
    expect(backend.terminalCondition).toMatchObject({ type: 'Ready', state: 'CONDITION_FAILED' });
    expect(backend.terminalCondition?.message).toContain(
      `Revision '${short(newest?.name)}' is not ready and cannot serve traffic.`,
    );

    const [failed] = await clients.revisions.getRevision({ name: newest?.name });
    const ready = failed.conditions?.find((c) => c.type === 'Ready');
    expect(ready).toMatchObject({
      state: 'CONDITION_FAILED',
      revisionReason: 'HEALTH_CHECK_CONTAINER_ERROR',
      severity: 'ERROR',
    });
    expect(ready?.message).toMatch(
      /^The user-provided container failed to start and listen on the port defined provided by the PORT=8080/,
    );
    const [good] = await clients.revisions.getRevision({ name: lastGood?.name });
    expect(good.conditions?.find((c) => c.type === 'Ready')?.state).toBe('CONDITION_SUCCEEDED');
  });

  it('describes auth (90/10 with a canary tag) and frontend (all traffic to the latest revision)', async () => {
    const [auth] = await clients.services.getService({ name: AUTH });
    const [authRevisions] = await clients.revisions.listRevisions({ parent: AUTH });
    expect(authRevisions).toHaveLength(6);
    expect(auth.traffic?.map((t) => [t.revision, t.percent, t.tag])).toEqual([
      [short(authRevisions[0]?.name), 90, ''],
      [short(authRevisions[1]?.name), 10, 'canary'],
    ]);
    expect(authRevisions[0]?.containers?.[0]?.image).toMatch(/-alpine$/);
    expect(authRevisions[1]?.containers?.[0]?.image).toMatch(/auth:v1\.5$/);

    const [frontend] = await clients.services.getService({ name: FRONTEND });
    const [frontendRevisions] = await clients.revisions.listRevisions({ parent: FRONTEND });
    expect(frontendRevisions).toHaveLength(5);
    expect(frontend.traffic).toEqual([
      { type: 'TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST', revision: '', percent: 100, tag: '' },
    ]);
    expect(frontend.latestReadyRevision).toBe(frontendRevisions[0]?.name);
    expect(frontendRevisions[0]?.containers?.[0]?.resources?.limits).toEqual({ cpu: '300m', memory: '512Mi' });
    expect(frontendRevisions.at(-1)?.containers?.[0]?.resources?.limits).toEqual({ cpu: '500m', memory: '1Gi' });
    expect(frontend.terminalCondition?.state).toBe('CONDITION_SUCCEEDED');
  });

  it('moves traffic with a long-running UpdateService: reconciling first, then the new traffic', async () => {
    const [before] = await clients.services.getService({ name: AUTH });
    const alpine = before.traffic?.[0]?.revision ?? '';
    const [operation] = await clients.services.updateService({
      service: {
        name: AUTH,
        etag: before.etag,
        traffic: [{ type: 'TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION', revision: alpine, percent: 100 }],
      },
      updateMask: { paths: ['traffic'] },
    });
    expect(operation.done).toBe(false);
    expect(operation.name).toMatch(new RegExp(`^${LOCATION}/operations/[0-9a-f-]{36}$`));
    const polls = sandbox.calls('GetOperation');
    const progress = await clients.services.checkUpdateServiceProgress(operation.name ?? '');
    expect(progress.done).toBe(false);

    const [during] = await clients.services.getService({ name: AUTH });
    expect(during.reconciling).toBe(true);
    expect(during.terminalCondition?.state).toBe('CONDITION_RECONCILING');
    expect(during.traffic?.map((t) => [t.revision, t.percent])).toEqual([[alpine, 100]]);
    expect(during.trafficStatuses?.map((s) => [s.revision, s.percent])).toEqual(
      before.trafficStatuses?.map((s) => [s.revision, s.percent]),
    );

    expect((await clients.services.checkUpdateServiceProgress(operation.name ?? '')).done).toBe(false);
    // operationPolls is 2: the third poll finds it done.
    const [result] = await operation.promise();
    expect(sandbox.calls('GetOperation') - polls).toBe(3);
    expect(result.reconciling).toBe(false);
    const [after] = await clients.services.getService({ name: AUTH });
    expect(after.trafficStatuses?.map((s) => [s.revision, s.percent, s.tag])).toEqual([[alpine, 100, '']]);
    expect(after.reconciling).toBe(false);
    expect(after.terminalCondition?.state).toBe('CONDITION_SUCCEEDED');
    expect(after.etag).not.toBe(before.etag);
    expect(after.etag).toBe(result.etag);
    expect(Number(after.generation)).toBe(Number(before.generation) + 1);
    expect(after.observedGeneration).toBe(after.generation);
    // Traffic only: no new revision.
    expect(after.latestCreatedRevision).toBe(before.latestCreatedRevision);
    expect(sandbox.service('netra-auth')?.trafficStatuses?.[0]?.percent).toBe(100);
  });

  it('deploys a new revision when a full update changes the template', async () => {
    const [before] = await clients.services.getService({ name: FRONTEND });
    const image = 'us-central1-docker.pkg.dev/netra-staging/netra/frontend:v2.3-alpine';
    const template = structuredClone(before.template ?? {});
    const container = template.containers?.[0];
    if (container) container.image = image;
    const [operation] = await clients.services.updateService({ service: { ...before, template } });
    await operation.promise();
    const [after] = await clients.services.getService({ name: FRONTEND });
    expect(short(after.latestCreatedRevision)).toMatch(/^netra-frontend-staging-00006-[a-z0-9]{3}$/);
    expect(after.latestReadyRevision).toBe(after.latestCreatedRevision);
    const [revision] = await clients.revisions.getRevision({ name: after.latestReadyRevision });
    expect(revision.containers?.[0]?.image).toBe(image);
    expect(revision.conditions?.find((c) => c.type === 'Ready')?.state).toBe('CONDITION_SUCCEEDED');
  });

  it('refuses an update with a stale etag, or after someone else changed the service, with ABORTED', async () => {
    const [service] = await clients.services.getService({ name: BACKEND });
    const stale = await rpcFailure(
      clients.services.updateService({
        service: { name: BACKEND, etag: 'not-the-etag', traffic: service.traffic },
        updateMask: { paths: ['traffic'] },
      }),
    );
    expect(stale.code).toBe(grpc.status.ABORTED);
    expect(stale.message).toContain(`version 'not-the-etag' was specified but current version is '${service.etag}'`);

    sandbox.faults.abortNextUpdate();
    const raced = await rpcFailure(
      clients.services.updateService({
        service: { name: BACKEND, etag: service.etag, traffic: service.traffic },
        updateMask: { paths: ['traffic'] },
      }),
    );
    expect(raced.code).toBe(grpc.status.ABORTED);
    const [changed] = await clients.services.getService({ name: BACKEND });
    expect(changed.etag).not.toBe(service.etag);
    expect(changed.traffic).toEqual(service.traffic);
  });

  it('validates traffic: percentages must add up to 100 and revisions must exist', async () => {
    const [service] = await clients.services.getService({ name: BACKEND });
    const pinned = service.traffic?.[0]?.revision ?? '';
    const update = (traffic: object[]) =>
      rpcFailure(
        clients.services.updateService({ service: { name: BACKEND, traffic }, updateMask: { paths: ['traffic'] } }),
      );

    const short90 = await update([{ type: 'TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION', revision: pinned, percent: 90 }]);
    expect(short90.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(short90.message).toContain('must add up to 100, but service.traffic adds up to 90');

    const unknown = await update([
      { type: 'TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION', revision: 'netra-backend-staging-00099-zzz', percent: 100 },
    ]);
    expect(unknown.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(unknown.message).toContain(
      "revision 'netra-backend-staging-00099-zzz' does not exist in service 'netra-backend-staging'",
    );

    const badMask = await rpcFailure(
      clients.services.updateService({ service: { name: BACKEND }, updateMask: { paths: ['uri'] } }),
    );
    expect(badMask.code).toBe(grpc.status.INVALID_ARGUMENT);
    const [unchanged] = await clients.services.getService({ name: BACKEND });
    expect(unchanged.etag).toBe(service.etag);
  });

  it('answers validate_only at once and changes nothing', async () => {
    const [service] = await clients.services.getService({ name: BACKEND });
    const stable = service.traffic?.[1]?.revision ?? '';
    const [operation] = await clients.services.updateService({
      service: { name: BACKEND, traffic: [{ revision: stable, percent: 100 }] },
      updateMask: { paths: ['traffic'] },
      validateOnly: true,
    });
    expect(operation.done).toBe(true);
    const [preview] = await operation.promise();
    expect(preview.traffic?.[0]?.revision).toBe(stable);
    const [unchanged] = await clients.services.getService({ name: BACKEND });
    expect(unchanged.etag).toBe(service.etag);
    expect(unchanged.traffic).toEqual(service.traffic);
  });

  it('fails an operation on request, leaving the traffic that was serving', async () => {
    const [service] = await clients.services.getService({ name: BACKEND });
    sandbox.faults.failNextOperation('Revision failed to become ready: quota exceeded for instances in us-central1.');
    const [operation] = await clients.services.updateService({
      service: { name: BACKEND, traffic: [{ revision: service.traffic?.[1]?.revision, percent: 100 }] },
      updateMask: { paths: ['traffic'] },
    });
    const error = await rpcFailure(operation.promise());
    expect(error.code).toBe(grpc.status.FAILED_PRECONDITION);
    expect(error.message).toContain('quota exceeded for instances');
    const [after] = await clients.services.getService({ name: BACKEND });
    expect(after.reconciling).toBe(false);
    expect(after.trafficStatuses?.map((s) => [s.revision, s.percent])).toEqual(
      service.trafficStatuses?.map((s) => [s.revision, s.percent]),
    );
    expect(after.conditions?.find((c) => c.type === 'RoutesReady')?.message).toContain('quota exceeded');
  });

  it('routes traffic to a failed revision only to fail the operation', async () => {
    const [service] = await clients.services.getService({ name: BACKEND });
    const [operation] = await clients.services.updateService({
      service: { name: BACKEND, traffic: [{ revision: short(service.latestCreatedRevision), percent: 100 }] },
      updateMask: { paths: ['traffic'] },
    });
    const error = await rpcFailure(operation.promise());
    expect(error.code).toBe(grpc.status.FAILED_PRECONDITION);
    expect(error.message).toBe(
      `Revision '${short(service.latestCreatedRevision)}' is not ready and cannot serve traffic.`,
    );
  });

  it('keeps operations running as long as slowOperations says', async () => {
    sandbox.faults.slowOperations(1_200);
    const [service] = await clients.services.getService({ name: AUTH });
    const started = Date.now();
    const [operation] = await clients.services.updateService({
      service: { name: AUTH, labels: { ...service.labels, oncall: 'yes' } },
      updateMask: { paths: ['labels'] },
    });
    const [result] = await operation.promise();
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_200);
    expect(result.labels?.oncall).toBe('yes');
  });
});

describe('faults, as the clients see them', () => {
  it('UNAVAILABLE for the next N calls; the Services client retries it by itself', async () => {
    const [revision] = await clients.revisions.listRevisions({ parent: AUTH, pageSize: 1 }, { autoPaginate: false });
    const name = revision[0]?.name;
    sandbox.faults.unavailable(1, 'GetRevision');
    expect((await rpcFailure(clients.revisions.getRevision({ name }))).code).toBe(grpc.status.UNAVAILABLE);
    expect((await clients.revisions.getRevision({ name }))[0].name).toBe(name);

    // ListServices is configured to retry UNAVAILABLE (after about a second).
    const before = sandbox.calls('ListServices');
    sandbox.faults.unavailable(1, 'ListServices');
    const [services] = await clients.services.listServices({ parent: LOCATION });
    expect(services).toHaveLength(3);
    expect(sandbox.calls('ListServices') - before).toBe(2);
  });

  it('PERMISSION_DENIED naming the permission, for the chosen method only, until cleared', async () => {
    sandbox.faults.permissionDenied('run.services.list', 'ListServices');
    const denied = await rpcFailure(clients.services.listServices({ parent: LOCATION }));
    expect(denied.code).toBe(grpc.status.PERMISSION_DENIED);
    expect(denied.message).toContain(
      `Permission 'run.services.list' denied on resource '${LOCATION}' (or it may not exist).`,
    );
    expect(denied.reason).toBe('IAM_PERMISSION_DENIED');
    expect((await clients.services.getService({ name: AUTH }))[0].name).toBe(AUTH);
    sandbox.faults.permissionDenied(null);
    expect((await clients.services.listServices({ parent: LOCATION }))[0]).toHaveLength(3);
  });

  it('UNAUTHENTICATED on every API while switched on', async () => {
    sandbox.faults.unauthenticated(true);
    const run = await rpcFailure(clients.services.getService({ name: AUTH }));
    const logs = await rpcFailure(
      clients.logging.listLogEntries({ resourceNames: ['projects/netra-staging'] }, { autoPaginate: false }),
    );
    for (const error of [run, logs]) {
      expect(error.code).toBe(grpc.status.UNAUTHENTICATED);
      expect(error.message).toContain('Request had invalid authentication credentials.');
    }
    sandbox.faults.unauthenticated(false);
    expect((await clients.services.getService({ name: AUTH }))[0].name).toBe(AUTH);
  });

  it('PERMISSION_DENIED "API has not been used … or it is disabled" with reason SERVICE_DISABLED', async () => {
    sandbox.faults.apiDisabled(true, 'run');
    const error = await rpcFailure(clients.services.listServices({ parent: LOCATION }));
    expect(error.code).toBe(grpc.status.PERMISSION_DENIED);
    expect(error.message).toContain(
      'Cloud Run Admin API has not been used in project netra-staging before or it is disabled. Enable it by visiting https://console.developers.google.com/apis/api/run.googleapis.com/overview?project=netra-staging then retry',
    );
    expect(error.reason).toBe('SERVICE_DISABLED');
    // Only Cloud Run was switched off.
    const [entries] = await clients.logging.listLogEntries(
      { resourceNames: ['projects/netra-staging'], pageSize: 1 },
      { autoPaginate: false },
    );
    expect(entries).toHaveLength(1);
  });

  it('NOT_FOUND for another project, INVALID_ARGUMENT for a location that is no region', async () => {
    const project = await rpcFailure(
      clients.services.getService({ name: 'projects/other-project/locations/us-central1/services/netra-auth' }),
    );
    expect(project.code).toBe(grpc.status.NOT_FOUND);
    expect(project.message).toContain("Project 'other-project' not found or permission denied.");
    const logs = await rpcFailure(
      clients.logging.listLogEntries({ resourceNames: ['projects/other-project'] }, { autoPaginate: false }),
    );
    expect(logs.code).toBe(grpc.status.NOT_FOUND);
    const location = await rpcFailure(
      clients.services.listServices({ parent: 'projects/netra-staging/locations/mars' }),
    );
    expect(location.code).toBe(grpc.status.INVALID_ARGUMENT);
    const service = await rpcFailure(clients.services.getService({ name: `${LOCATION}/services/netra-nope` }));
    expect(service.code).toBe(grpc.status.NOT_FOUND);
    expect(service.message).toContain(
      "Resource 'netra-nope' of kind 'SERVICE' in region 'us-central1' in project 'netra-staging' does not exist.",
    );
  });
});

describe('Cloud Logging v2', () => {
  it('lists the seeded history filtered by service and severity, newest first', async () => {
    const all = await listAll(quietClients);
    expect(all.length).toBeGreaterThanOrEqual(500);
    const rank = ['DEBUG', 'INFO', 'NOTICE', 'WARNING', 'ERROR'];
    const expected = all
      .filter(
        (e) => e.resource?.labels?.service_name === 'netra-backend-staging' && rank.indexOf(String(e.severity)) >= 3,
      )
      .map((e) => e.insertId)
      .reverse();
    expect(expected.length).toBeGreaterThan(5);

    const before = quiet.calls('ListLogEntries');
    const [matching] = await quietClients.logging.listLogEntries({
      resourceNames: ['projects/netra-staging'],
      filter:
        'resource.type="cloud_run_revision"\nresource.labels.service_name="netra-backend-staging" AND severity>=WARNING',
      orderBy: 'timestamp desc',
    });
    expect(matching.map((e) => e.insertId)).toEqual(expected);
    expect(quiet.calls('ListLogEntries') - before).toBeGreaterThan(1); // paged, 10 a page
    const times = matching.map(timeOf);
    expect(times.every((t, i) => i === 0 || t < (times[i - 1] ?? 0n))).toBe(true);
  });

  it('filters on timestamps, log names and JSON payload fields', async () => {
    const all = await listAll(quietClients);
    const middle = all[Math.floor(all.length / 2)];
    const since = new Date(Number(timeOf(middle as Entry) / 1_000_000n)).toISOString();
    const recent = await listAll(quietClients, `timestamp>="${since}"`);
    expect(recent.length).toBeGreaterThan(0);
    expect(recent.length).toBeLessThan(all.length);
    expect(recent.every((e) => timeOf(e) >= BigInt(Date.parse(since)) * 1_000_000n)).toBe(true);

    const requests = 'projects/netra-staging/logs/run.googleapis.com%2Frequests';
    const requestLogs = await listAll(quietClients, `logName="${requests}"`);
    expect(requestLogs.length).toBe(all.filter((e) => e.logName === requests).length);
    expect(requestLogs.every((e) => (e.httpRequest?.status ?? 0) >= 100)).toBe(true);

    const slow = await listAll(quietClients, 'jsonPayload.message="Slow database query"');
    expect(slow.length).toBeGreaterThan(0);
    for (const entry of slow) {
      expect(entry.jsonPayload?.fields?.message).toMatchObject({
        kind: 'stringValue',
        stringValue: 'Slow database query',
      });
    }

    const bad = await rpcFailure(
      quietClients.logging.listLogEntries(
        { resourceNames: ['projects/netra-staging'], filter: 'severity>=WARNING OR severity=DEBUG' },
        { autoPaginate: false },
      ),
    );
    expect(bad.code).toBe(grpc.status.INVALID_ARGUMENT);
  });

  it('takes written entries and lists them back', async () => {
    await quietClients.logging.writeLogEntries({
      logName: 'projects/netra-staging/logs/netra-console-test',
      resource: { type: 'global', labels: {} },
      entries: [{ severity: 'NOTICE', jsonPayload: { fields: { message: { stringValue: 'deploy started' } } } }],
    });
    const [found] = await quietClients.logging.listLogEntries({
      resourceNames: ['projects/netra-staging'],
      filter: 'logName="projects/netra-staging/logs/netra-console-test"',
    });
    expect(found).toHaveLength(1);
    expect(found[0]?.severity).toBe('NOTICE');
    expect(found[0]?.jsonPayload?.fields?.message?.stringValue).toBe('deploy started');
    expect(found[0]?.insertId).not.toBe('');
  });

  it('tails live entries in sequence, with JSON payloads the client decodes', async () => {
    const session = tail(clients, {});
    try {
      await waitFor(() => session.entries().length >= 30, {
        what: '30 tailed entries',
        observe: () => session.entries().length,
      });
    } finally {
      session.stop();
    }
    const entries = session.entries();
    const seqs = entries.map(seqOf);
    expect(seqs.every((s, i) => i === 0 || s > (seqs[i - 1] ?? 0))).toBe(true);
    expect(entries.map(timeOf).every((t, i, times) => i === 0 || t > (times[i - 1] ?? 0n))).toBe(true);
    const json = entries.filter((e) => e.jsonPayload);
    expect(json.length).toBeGreaterThan(0);
    for (const entry of json) {
      expect(entry.jsonPayload?.fields?.seq).toMatchObject({ kind: 'numberValue', numberValue: seqOf(entry) });
      expect(entry.resource?.type).toBe('cloud_run_revision');
    }
    for (const entry of entries.filter((e) => e.textPayload))
      expect(entry.textPayload).toMatch(new RegExp(`seq=${seqOf(entry)}$`));
  });

  it('tails exactly the entries the filter matches: none lost, none repeated', async () => {
    const filter = 'resource.labels.service_name="netra-backend-staging"';
    const before = quiet.calls('TailLogEntries');
    const session = tail(quietClients, { filter });
    await waitFor(() => quiet.calls('TailLogEntries') > before, { what: 'the tail session to open' });
    const from = quiet.lastLogSeq();
    quiet.emitLogs(120);
    const listed = await listAll(quietClients, filter);
    const expected = listed.map(seqOf).filter((seq) => seq > from);
    expect(expected.length).toBeGreaterThan(20);
    try {
      await waitFor(() => session.entries().length >= expected.length, {
        what: `${expected.length} tailed entries`,
        observe: () => session.entries().length,
      });
    } finally {
      session.stop();
    }
    expect(session.entries().map(seqOf)).toEqual(expected);
    expect(session.responses.every((r) => r.suppressionInfo.length === 0)).toBe(true);
  });

  it('reports what the rate limit left out as RATE_LIMIT suppressions', async () => {
    quiet.faults.rateLimitTails(10);
    const before = quiet.calls('TailLogEntries');
    const session = tail(quietClients, {});
    await waitFor(() => quiet.calls('TailLogEntries') > before, { what: 'the tail session to open' });
    quiet.emitLogs(50);
    const suppressed = () =>
      session.responses
        .flatMap((r) => r.suppressionInfo)
        .reduce((sum, s) => sum + (s.reason === 'RATE_LIMIT' ? s.suppressedCount : 0), 0);
    try {
      await waitFor(() => session.entries().length + suppressed() >= 50, {
        what: '50 entries delivered or suppressed',
        observe: () => [session.entries().length, suppressed()],
      });
    } finally {
      session.stop();
    }
    expect(session.entries()).toHaveLength(10);
    expect(suppressed()).toBe(40);
  });

  it('ends tail sessions with OUT_OF_RANGE when endTailsAfter says so', async () => {
    sandbox.faults.endTailsAfter(1);
    const started = Date.now();
    const session = tail(clients, {});
    const status = await session.ended;
    expect(status?.code).toBe(grpc.status.OUT_OF_RANGE);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(session.entries().length).toBeGreaterThan(0);
  });

  it('refuses a tail session for another project', async () => {
    const other = clients.logging.tailLogEntries();
    const ended = new Promise<number>((resolve) => other.on('error', (e: { code: number }) => resolve(e.code)));
    other.on('data', () => undefined);
    other.write({ resourceNames: ['projects/other-project'] });
    expect(await ended).toBe(grpc.status.NOT_FOUND);
  });
});
