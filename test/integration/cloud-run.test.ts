// The console's Cloud Run source (createCloudRunApi, readCloudRun, CloudRunPoller) through the official
// @google-cloud/run clients over real gRPC, against the in-process sandbox. Faults are switched on in the sandbox,
// so the errors are the ones the clients build from real gRPC statuses.
import { grpc } from 'google-gax';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cloudRunAlerts, type CloudRunService, type CloudRunUpdate } from '../../src/domain/cloud-run';
import type { CloudErrorKind } from '../../src/domain/cloud-run-errors';
import { startSandbox, type Sandbox } from '../../src/sandbox/index';
import { createCloudRunApi, type CloudRunApi, type CloudRunTarget } from '../../src/sources/cloud-run/client';
import { CloudRunPoller } from '../../src/sources/cloud-run/poller';
import { readCloudRun } from '../../src/sources/cloud-run/read';
import { rpcFailure, sandboxClients } from '../support/sandbox-clients';
import { sleep, waitFor } from '../support/wait';

const LOCATION = 'projects/netra-staging/locations/us-central1';
const BACKEND = `${LOCATION}/services/netra-backend-staging`;
/** The default `cloudRun.services` of the config, in its order. */
const CONFIGURED = ['netra-backend-staging', 'netra-auth', 'netra-frontend-staging'];

const targetOf = (sb: Sandbox, project: string = sb.project): CloudRunTarget => ({
  project,
  region: sb.region,
  endpoint: { host: sb.host, port: sb.port },
});

let sandbox: Sandbox;
let api: CloudRunApi;

beforeAll(async () => {
  sandbox = await startSandbox({ logRatePerSecond: 0 });
  api = await createCloudRunApi(targetOf(sandbox));
});

afterAll(async () => {
  await api?.close();
  await sandbox?.stop();
});

afterEach(() => {
  sandbox.faults.clear();
});

/** The revision numbers of a service's revisions, in the order given: `netra-auth-00006-rle` → 6. */
const numbers = (s: CloudRunService) => s.revisions.map((r) => Number(/-(\d{5})-[a-z0-9]+$/.exec(r.name)?.[1]));
const byName = (services: CloudRunService[], name: string) => {
  const found = services.find((s) => s.name === name);
  if (!found) throw new Error(`no service ${name} in ${services.map((s) => s.name).join(', ')}`);
  return found;
};

describe('readCloudRun through the official clients', () => {
  it('returns the three Netra services in the configured order, revisions newest first', async () => {
    const services = (await readCloudRun(api, CONFIGURED)).services;
    expect(services.map((s) => s.name)).toEqual(CONFIGURED);
    expect(services.map((s) => s.revisions.length)).toEqual([25, 6, 5]);
    for (const s of services) {
      expect(s.fullName).toBe(`${LOCATION}/services/${s.name}`);
      expect(numbers(s)).toEqual([...numbers(s)].sort((a, b) => b - a));
      const times = s.revisions.map((r) => Date.parse(r.createTime ?? ''));
      expect(times.every((t) => Number.isFinite(t))).toBe(true);
      expect(times).toEqual([...times].sort((a, b) => b - a));
      for (const r of s.revisions) expect(r.name.startsWith(`${s.name}-`)).toBe(true);
    }
    const reordered = (await readCloudRun(api, ['netra-frontend-staging', 'netra-auth'])).services;
    expect(reordered.map((s) => s.name)).toEqual(['netra-frontend-staging', 'netra-auth']);
  });

  it('fetches the 25 backend revisions across several pages', async () => {
    const before = sandbox.calls('ListRevisions');
    const [backend] = (await readCloudRun(api, ['netra-backend-staging'])).services;
    expect(sandbox.calls('ListRevisions') - before).toBeGreaterThan(1);
    expect(backend!.revisions).toHaveLength(25);
    expect(new Set(backend!.revisions.map((r) => r.name)).size).toBe(25);
    expect(numbers(backend!)).toEqual(Array.from({ length: 25 }, (_, i) => 25 - i));
  });

  it('returns every service of the region for services: []', async () => {
    const services = (await readCloudRun(api, [])).services;
    expect(services.map((s) => s.name).sort()).toEqual([...CONFIGURED].sort());
  });

  it('leaves out configured services the region does not have, and names them with what the region has', async () => {
    const read = await readCloudRun(api, ['netra-auth', 'netra-payments']);
    expect(read.services.map((s) => s.name)).toEqual(['netra-auth']);
    expect(read.missing).toEqual(['netra-payments']);
    expect([...read.available].sort()).toEqual([...CONFIGURED].sort());
  });

  it('maps the not-ready backend and its failed newest revision, and the traffic of each service', async () => {
    const services = (await readCloudRun(api, CONFIGURED)).services;
    const backend = byName(services, 'netra-backend-staging');
    const [newest, previous] = backend.revisions;
    expect(backend.ready).toBe(false);
    expect(backend.readyMessage).toContain(`Revision '${newest!.name}' is not ready and cannot serve traffic.`);
    expect(backend.latestCreatedRevision).toBe(newest!.name);
    expect(backend.latestReadyRevision).toBe(previous!.name);
    expect(newest).toMatchObject({ ready: false, state: 'failed' });
    expect(newest!.message).toContain('failed to start and listen on the port');
    expect(previous).toMatchObject({ ready: true, state: 'ready', message: null });
    const stable = backend.revisions.find((r) => r.name.includes('-00017-'))!;
    expect(backend.traffic).toEqual([
      { revision: previous!.name, percent: 100, tag: null, latest: false },
      { revision: stable.name, percent: 0, tag: 'stable', latest: false },
    ]);
    expect(backend.trafficStatuses).toEqual(backend.traffic);
    // Regular tags, Alpine tags, and digest-only images told by the revision's `variant` label.
    expect([stable.variant, stable.image]).toEqual(['regular', expect.stringMatching(/\/backend:v1\.17$/)]);
    expect(backend.revisions.find((r) => r.name.includes('-00023-'))).toMatchObject({ variant: 'alpine', image: expect.stringMatching(/-alpine$/) });
    expect(newest).toMatchObject({ variant: 'alpine', image: expect.stringMatching(/@sha256:[0-9a-f]{64}$/) });
    expect(stable).toMatchObject({ memory: '2Gi', cpu: '1000m', minInstances: 1, maxInstances: 10 });
    expect(previous).toMatchObject({ memory: '512Mi', cpu: '400m' });

    const auth = byName(services, 'netra-auth');
    expect(auth).toMatchObject({ ready: true, reconciling: false, readyMessage: null });
    expect(auth.traffic).toEqual([
      { revision: auth.revisions[0]!.name, percent: 90, tag: null, latest: false },
      { revision: auth.revisions[1]!.name, percent: 10, tag: 'canary', latest: false },
    ]);

    const frontend = byName(services, 'netra-frontend-staging');
    expect(frontend.traffic).toEqual([{ revision: null, percent: 100, tag: null, latest: true }]);
    expect(frontend.latestReadyRevision).toBe(frontend.revisions[0]!.name);

    // What the sandbox itself holds, seen through the mapping.
    const wire = sandbox.service('netra-auth')!;
    expect(auth).toMatchObject({ uri: wire.uri, etag: wire.etag, latestReadyRevision: wire.latestReadyRevision?.split('/').at(-1) });

    expect(cloudRunAlerts(services).map((a) => `${a.level} ${a.kind} ${a.service}`)).toEqual([
      'critical service-not-ready netra-backend-staging',
      'warning revision-failed netra-backend-staging',
    ]);
  });
});

describe('no retries inside the Google clients', () => {
  it('the clients on their own retry UNAVAILABLE for ListServices (what the console turns off)', async () => {
    const clients = sandboxClients(sandbox);
    try {
      sandbox.faults.unavailable(1, 'ListServices');
      const before = sandbox.calls('ListServices');
      const [services] = await clients.services.listServices({ parent: LOCATION });
      expect(services).toHaveLength(3);
      expect(sandbox.calls('ListServices') - before).toBe(2);
    } finally {
      await clients.close();
    }
  });

  it.each([
    ['ListServices', () => api.listServices()],
    ['GetService', () => api.getService(BACKEND)],
    ['ListRevisions', () => api.listRevisions(BACKEND)],
  ])('%s fails at once with UNAVAILABLE, one call, so the poller decides when to retry', async (method, call) => {
    sandbox.faults.unavailable(1, method);
    const before = sandbox.calls(method);
    const error = await rpcFailure(call());
    expect(error.code).toBe(grpc.status.UNAVAILABLE);
    expect(sandbox.calls(method) - before).toBe(1);
  });
});

interface Received {
  update: CloudRunUpdate;
  receivedAt: number;
}

const pollers: CloudRunPoller[] = [];
afterEach(async () => {
  await Promise.all(pollers.splice(0).map((p) => p.stop()));
});

/** A poller as the console runs one (real clients), recording every update with the time it arrived. */
function pollerOn(sb: Sandbox, options: { project?: string; services?: string[]; intervalMs?: number; maxBackoffMs?: number } = {}) {
  const received: Received[] = [];
  const apis: CloudRunApi[] = [];
  let closed = 0;
  const poller = new CloudRunPoller({
    target: targetOf(sb, options.project),
    services: options.services ?? CONFIGURED,
    // Long enough that only refreshNow() and error backoff start refreshes during a test.
    intervalMs: options.intervalMs ?? 600_000,
    maxBackoffMs: options.maxBackoffMs,
    createApi: async (target) => {
      const created = await createCloudRunApi(target);
      apis.push(created);
      // The real client, counting the close() calls on it.
      return {
        ...created,
        close: async () => {
          closed++;
          await created.close();
        },
      };
    },
    onUpdate: (update) => received.push({ update, receivedAt: Date.now() }),
  });
  pollers.push(poller);
  const kinds = () => received.map((r) => r.update.kind);
  const errors = () =>
    received.flatMap((r) => {
      if (r.update.kind !== 'error') return [];
      // The poller always tries again, and says when.
      expect(r.update.retryAt).not.toBeNull();
      return [{ ...r.update, retryAt: r.update.retryAt!, receivedAt: r.receivedAt }];
    });
  const data = () => received.flatMap((r) => (r.update.kind === 'data' ? [r.update] : []));
  return { poller, received, apis, kinds, errors, data, closed: () => closed };
}

/** Every 'refreshing' is answered (data or error) before the next one: never two refreshes at once. */
function expectOneAtATime(kinds: string[]): void {
  kinds.forEach((kind, i) => expect(kind, `update ${i} of ${kinds.join(', ')}`).toEqual(i % 2 === 0 ? 'refreshing' : expect.stringMatching(/^(data|error)$/)));
}

describe('CloudRunPoller', () => {
  it('delivers the services through onUpdate', async () => {
    const p = pollerOn(sandbox);
    p.poller.start();
    const [data] = await waitFor(() => (p.data().length > 0 ? p.data() : null), { what: 'the first data update', observe: p.kinds });
    expect(p.kinds().slice(0, 2)).toEqual(['refreshing', 'data']);
    expect(data!.services.map((s) => s.name)).toEqual(CONFIGURED);
    expect(data!.services.map((s) => s.revisions.length)).toEqual([25, 6, 5]);
    expect(data!.at).toBeGreaterThanOrEqual(p.received[0]!.receivedAt);
  });

  it.each<[string, (sb: Sandbox) => void, { project?: string }, CloudErrorKind, (sb: Sandbox) => string[]]>([
    ['expired credentials', (sb) => sb.faults.unauthenticated(true), {}, 'unauthenticated', () => ['gcloud auth application-default login']],
    [
      'a missing permission',
      (sb) => sb.faults.permissionDenied('run.services.list'),
      {},
      'permission-denied',
      () => ['missing permission run.services.list on project netra-staging'],
    ],
    [
      'a missing permission on the revisions',
      (sb) => sb.faults.permissionDenied('run.revisions.list', 'ListRevisions'),
      {},
      'permission-denied',
      () => ['run.revisions.list'],
    ],
    [
      'the Cloud Run API disabled',
      (sb) => sb.faults.apiDisabled(true, 'run'),
      {},
      'api-disabled',
      () => ['gcloud services enable run.googleapis.com --project netra-staging'],
    ],
    ['an unknown project', () => {}, { project: 'nope' }, 'not-found', () => ['project nope', 'region us-central1']],
    ['an unavailable endpoint', (sb) => sb.faults.unavailable(1), {}, 'unreachable', (sb) => [`Cloud Run endpoint ${sb.endpoint} unreachable`]],
  ])('explains %s', async (_, fault, options, kind, phrases) => {
    fault(sandbox);
    const p = pollerOn(sandbox, options);
    p.poller.start();
    const [error] = await waitFor(() => (p.errors().length > 0 ? p.errors() : null), { what: 'an error update', observe: p.kinds });
    expect(error!.error.kind).toBe(kind);
    for (const phrase of phrases(sandbox)) expect(error!.error.message).toContain(phrase);
    expect(error!.error.message).not.toContain('\n');
    expect(error!.retryAt).toBeGreaterThan(error!.receivedAt);
    expect(p.data()).toEqual([]);
  });

  it('backs off 1 s, 2 s, 4 s while the endpoint is unavailable, then delivers data; success resets the backoff', async () => {
    const before = sandbox.calls('ListServices');
    sandbox.faults.unavailable(3, 'ListServices');
    const p = pollerOn(sandbox);
    p.poller.start();
    await waitFor(() => p.data().length === 1, { what: 'data after three failures', observe: p.kinds, timeoutMs: 30_000 });
    expect(p.kinds()).toEqual(['refreshing', 'error', 'refreshing', 'error', 'refreshing', 'error', 'refreshing', 'data']);
    const errors = p.errors();
    for (const e of errors) expect(e.error.kind).toBe('unreachable');
    expect(errors.map((e) => Math.round((e.retryAt - e.receivedAt) / 100) * 100)).toEqual([1_000, 2_000, 4_000]);
    // No attempt before the announced time.
    const attempts = p.received.filter((r) => r.update.kind === 'refreshing').slice(1);
    attempts.forEach((attempt, i) => expect(attempt.receivedAt).toBeGreaterThanOrEqual(errors[i]!.retryAt - 20));
    // One ListServices call per attempt: the clients did not retry behind the poller's back.
    expect(sandbox.calls('ListServices') - before).toBe(4);
    expect(p.data()[0]!.services.map((s) => s.name)).toEqual(CONFIGURED);

    sandbox.faults.unavailable(1, 'ListServices');
    p.poller.refreshNow();
    await waitFor(() => p.data().length === 2, { what: 'data after one more failure', observe: p.kinds });
    const again = p.errors().at(-1)!;
    expect(Math.round((again.retryAt - again.receivedAt) / 100) * 100).toBe(1_000);
  });

  it('caps the backoff at maxBackoffMs', async () => {
    sandbox.faults.unavailable(3, 'ListServices');
    const p = pollerOn(sandbox, { maxBackoffMs: 1_500 });
    p.poller.start();
    await waitFor(() => p.data().length === 1, { what: 'data after three failures', observe: p.kinds, timeoutMs: 30_000 });
    expect(p.errors().map((e) => Math.round((e.retryAt - e.receivedAt) / 100) * 100)).toEqual([1_000, 1_500, 1_500]);
  });

  it('refreshNow() during a backoff refreshes at once and cancels the scheduled retry', async () => {
    const before = sandbox.calls('ListServices');
    sandbox.faults.unavailable(1, 'ListServices');
    const p = pollerOn(sandbox);
    p.poller.start();
    const [error] = await waitFor(() => (p.errors().length > 0 ? p.errors() : null), { what: 'the first error', observe: p.kinds });
    p.poller.refreshNow();
    await waitFor(() => p.data().length === 1, { what: 'data', observe: p.kinds });
    // Past the retry the error had scheduled: it must not run as well.
    await sleep(Math.max(0, error!.retryAt - Date.now()) + 1_000);
    expect(sandbox.calls('ListServices') - before).toBe(2);
    expect(p.kinds()).toEqual(['refreshing', 'error', 'refreshing', 'data']);
  });
});

describe('CloudRunPoller: never two refreshes at once', () => {
  let own: Sandbox;

  beforeAll(async () => {
    own = await startSandbox({ logRatePerSecond: 0 });
  });

  afterAll(async () => {
    await own?.stop();
  });

  it('runs a refresh asked for during a slow one once, afterwards, and never overlaps them', async () => {
    own.faults.slowCalls(1_500, 'ListServices');
    const p = pollerOn(own);
    p.poller.start();
    await waitFor(() => own.calls('ListServices') === 1, { what: 'the first ListServices to reach the sandbox' });
    for (let i = 0; i < 25; i++) {
      p.poller.refreshNow();
      await sleep(10);
    }
    // All of them were asked for while the first refresh was still waiting for its answer.
    expect(p.data()).toHaveLength(0);
    await waitFor(() => p.data().length >= 2, { what: 'the pending refresh to complete', observe: p.kinds });
    await sleep(1_000);
    expect(own.calls('ListServices')).toBe(2);
    expect(p.kinds()).toEqual(['refreshing', 'data', 'refreshing', 'data']);

    // The same with quick answers: 25 requests at once are one refresh now and one right after it.
    own.faults.clear();
    for (let i = 0; i < 25; i++) p.poller.refreshNow();
    await waitFor(() => p.data().length >= 4, { what: 'the two refreshes asked for', observe: p.kinds });
    await sleep(1_000);
    expect(own.calls('ListServices')).toBe(4);
    expect(p.data()).toHaveLength(4);
    expectOneAtATime(p.kinds());
    expect(own.maxInFlight('ListServices')).toBe(1);
  });

  it('(the sandbox does see overlapping calls when there are some)', async () => {
    own.faults.slowCalls(300, 'GetService');
    const fresh = await createCloudRunApi(targetOf(own));
    try {
      await Promise.all([fresh.getService(BACKEND), fresh.getService(BACKEND)]);
      expect(own.maxInFlight('GetService')).toBe(2);
    } finally {
      await fresh.close();
    }
  });
});

describe('CloudRunPoller.stop', () => {
  it('waits for the refresh in flight, reports nothing after it, schedules nothing, and closes the clients', async () => {
    const own = await startSandbox({ logRatePerSecond: 0 });
    try {
      own.faults.slowCalls(600, 'ListServices');
      const p = pollerOn(own, { intervalMs: 200 });
      p.poller.start();
      await waitFor(() => own.calls('ListServices') === 1, { what: 'the first ListServices to reach the sandbox' });
      await p.poller.stop();
      expect(p.kinds()).toEqual(['refreshing']);
      p.poller.refreshNow();
      await sleep(1_000);
      expect(own.calls('ListServices')).toBe(1);
      expect(p.kinds()).toEqual(['refreshing']);
      expect(p.apis).toHaveLength(1);
      expect(p.closed()).toBe(1);
    } finally {
      await own.stop();
    }
  });

  it('stops a poller that is waiting to retry', async () => {
    sandbox.faults.unauthenticated(true);
    const before = sandbox.calls('ListServices');
    const p = pollerOn(sandbox);
    p.poller.start();
    await waitFor(() => p.errors().length === 1, { what: 'the first error', observe: p.kinds });
    await p.poller.stop();
    expect(p.closed()).toBe(1);
    sandbox.faults.clear();
    await sleep(1_500);
    expect(sandbox.calls('ListServices') - before).toBe(1);
    expect(p.kinds()).toEqual(['refreshing', 'error']);
  });
});
