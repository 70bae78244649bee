// The rollback flow (runner, driver, plan) against the sandbox over real gRPC, through the official client as the
// console uses it (cloud-run-runtime's rollbackPort over createCloudRunApi). A fresh sandbox per test.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rollbackControl } from '../../src/cli/rollback-control';
import type { CloudRunRuntime } from '../../src/cli/cloud-run-runtime';
import type { Settings } from '../../src/cli/settings';
import { setFlow } from '../../src/store/rollback-actions';
import { makeStore } from '../support/render-app';
import { waitFor } from '../support/wait';
import { rollbackPort } from '../../src/cli/cloud-run-runtime';
import type { CloudRunService, TrafficTarget } from '../../src/domain/cloud-run';
import { driveRollback, type AuditSink } from '../../src/flows/rollback-driver';
import { proceed, startRollback, startRunning, typeConfirmation, type RollbackFlow } from '../../src/flows/rollback-machine';
import { chooseTarget, describeTraffic, rollbackTraffic } from '../../src/flows/rollback-plan';
import type { RollbackPort } from '../../src/flows/rollback-port';
import { executeRollback, type RollbackStep, type RollbackTimeouts } from '../../src/flows/rollback-runner';
import { startSandbox, type Sandbox } from '../../src/sandbox/index';
import { createCloudRunApi, type CloudRunApi } from '../../src/sources/cloud-run/client';
import { sandboxClients, type SandboxClients } from '../support/sandbox-clients';

const LOCATION = 'projects/netra-staging/locations/us-central1';
const AUTH = `${LOCATION}/services/netra-auth`;
const BACKEND = `${LOCATION}/services/netra-backend-staging`;
const FRONTEND = `${LOCATION}/services/netra-frontend-staging`;

/** Short enough for a quick test, long enough that the sandbox's operations (a few polls) finish well within. */
const TIMEOUTS: RollbackTimeouts = { operationMs: 15_000, verifyMs: 15_000, pollMs: 50 };

let sandbox: Sandbox;
let api: CloudRunApi;
let port: RollbackPort;
/** The official clients, used by the tests themselves to look and to change things behind the flow's back. */
let clients: SandboxClients;

beforeEach(async () => {
  sandbox = await startSandbox({ logRatePerSecond: 0 });
  api = await createCloudRunApi({ project: 'netra-staging', region: 'us-central1', endpoint: { host: sandbox.host, port: sandbox.port } });
  port = rollbackPort(async () => api);
  clients = sandboxClients(sandbox);
});

afterEach(async () => {
  await Promise.all([api?.close(), clients?.close()]);
  await sandbox?.stop();
});

/** Traffic as a comparable, order-free list: `revision percent tag`. */
function key(targets: readonly TrafficTarget[]): string[] {
  return targets.map((t) => `${t.latest ? 'LATEST' : t.revision} ${t.percent} ${t.tag ?? ''}`).sort();
}

/** The service as Cloud Run reports it now, read with the official client (not through the flow's port). */
async function served(fullName: string) {
  const [service] = await clients.services.getService({ name: fullName });
  const traffic = (targets: typeof service.trafficStatuses) =>
    (targets ?? []).map((t) => ({
      revision: t.revision ? (t.revision.split('/').at(-1) ?? null) : null,
      percent: t.percent ?? 0,
      tag: t.tag || null,
      latest: String(t.type) === 'TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST',
      uri: t.uri ?? '',
    }));
  return { etag: service.etag ?? '', reconciling: Boolean(service.reconciling), traffic: traffic(service.traffic), statuses: traffic(service.trafficStatuses) };
}

async function plan(fullName: string, choice: Parameters<typeof chooseTarget>[1] = { kind: 'previous' }) {
  const service = await port.readService(fullName);
  const chosen = chooseTarget(service, choice);
  if (!chosen.ok) throw new Error(chosen.reason);
  return { service, target: chosen.revision.name, requested: rollbackTraffic(service, chosen.revision.name) };
}

function rev(service: CloudRunService, n: number): string {
  const name = service.revisions.find((r) => r.name.startsWith(`${service.name}-${String(n).padStart(5, '0')}-`))?.name;
  if (!name) throw new Error(`${service.name} has no revision ${n}`);
  return name;
}

describe('executeRollback against the sandbox', () => {
  it('rolls netra-auth back from its 90/10 split: verified, served = requested, canary tag kept at 0 %', async () => {
    const request = await plan(AUTH);
    const { service } = request;
    expect(key(service.trafficStatuses)).toEqual(key([
      { revision: rev(service, 6), percent: 90, tag: null, latest: false },
      { revision: rev(service, 5), percent: 10, tag: 'canary', latest: false },
    ]));
    expect(request.target).toBe(rev(service, 4));

    const steps: RollbackStep[] = [];
    const outcome = await executeRollback(request, port, (s) => steps.push(s), TIMEOUTS);
    expect(outcome.error).toBeNull();
    expect(outcome.result).toBe('succeeded');
    expect(steps).toEqual(['checking', 'sending', 'operation', 'verifying']);
    expect(outcome.before).toEqual(service.trafficStatuses);
    expect(outcome.requested).toEqual(request.requested);
    expect(key(outcome.after!)).toEqual(key(request.requested));
    expect(outcome.latest?.reconciling).toBe(false);

    const now = await served(AUTH);
    expect(now.reconciling).toBe(false);
    expect(key(now.statuses)).toEqual([`${rev(service, 4)} 100 `, `${rev(service, 5)} 0 canary`].sort());
    expect(key(now.traffic)).toEqual(key(request.requested));
    // The tag URL survives.
    expect(now.statuses.find((t) => t.tag === 'canary')?.uri).toMatch(/^https:\/\/canary---netra-auth-/);
    expect(sandbox.calls('UpdateService')).toBe(1);
  });

  it('reports a conflict when the service changes between the read and the update (ABORTED): nothing changed', async () => {
    const request = await plan(AUTH);
    const before = await served(AUTH);
    sandbox.faults.abortNextUpdate();
    const outcome = await executeRollback(request, port, undefined, TIMEOUTS);
    expect(outcome.result).toBe('conflicted');
    expect(outcome.error).toMatch(/^netra-auth was changed by someone else: .*Conflict for resource 'netra-auth'/);
    // Nothing changed but the etag, which the other change moved on.
    const now = await served(AUTH);
    expect(key(now.statuses)).toEqual(key(before.statuses));
    expect(key(now.traffic)).toEqual(key(before.traffic));
    expect(now.etag).not.toBe(before.etag);
    expect(outcome.latest?.etag).toBe(now.etag);
    expect(key(outcome.after!)).toEqual(key(request.service.trafficStatuses));

    // In the dialog: the conflict re-plans from the new state and asks again; confirmed again, it goes through.
    const fresh = await port.readService(AUTH);
    let flow: RollbackFlow | null = startRunning(typeConfirmation(proceed(startRollback([fresh], { kind: 'previous' })), () => 'netra-auth'));
    expect(flow.step).toBe('running');
    const handle = { get: () => flow, set: (f: RollbackFlow | null) => (flow = f) };
    sandbox.faults.abortNextUpdate();
    await driveRollback(handle, port, () => {}, TIMEOUTS);
    expect(flow!.step).toBe('confirm');
    if (flow!.step !== 'confirm') return;
    expect(flow.notice).toBe(`netra-auth changed meanwhile; it now serves ${describeTraffic(fresh.trafficStatuses, fresh)}. Check and confirm again.`);
    expect(flow.typed).toBe('');
    const replanned = flow.plan[0]!.service;
    expect(replanned.etag).not.toBe(fresh.etag);
    expect(replanned.etag).toBe((await served(AUTH)).etag);
    flow = startRunning(typeConfirmation(flow, () => 'netra-auth'));
    await driveRollback(handle, port, () => {}, TIMEOUTS);
    expect(flow!.step).toBe('done');
    if (flow!.step !== 'done') return;
    expect(flow.outcomes.map((o) => o.result)).toEqual(['succeeded']);
    expect(key((await served(AUTH)).statuses)).toEqual(key(request.requested));
  });

  it('reports a conflict, sending nothing, when someone updated the service after the user read it', async () => {
    const request = await plan(AUTH);
    const { service } = request;
    // Someone else moves traffic with the official client and waits for it to apply.
    const [operation] = await clients.services.updateService({
      service: {
        name: AUTH,
        traffic: [
          { type: 'TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION', revision: rev(service, 6), percent: 50 },
          { type: 'TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION', revision: rev(service, 5), percent: 50, tag: 'canary' },
        ],
      },
      updateMask: { paths: ['traffic'] },
    });
    await operation.promise();
    const changed = await served(AUTH);
    expect(sandbox.calls('UpdateService')).toBe(1);

    const outcome = await executeRollback(request, port, undefined, TIMEOUTS);
    expect(outcome.result).toBe('conflicted');
    expect(outcome.error).toMatch(/^netra-auth changed since it was shown \(etag .* → .*\); nothing was sent$/);
    // Nothing sent by the rollback, nothing changed.
    expect(sandbox.calls('UpdateService')).toBe(1);
    const now = await served(AUTH);
    expect(now.etag).toBe(changed.etag);
    expect(key(now.statuses)).toEqual([`${rev(service, 5)} 50 canary`, `${rev(service, 6)} 50 `].sort());
    // The outcome shows the new state.
    expect(outcome.latest?.etag).toBe(changed.etag);
    expect(key(outcome.after!)).toEqual(key(now.statuses));
    expect(describeTraffic(outcome.latest!.trafficStatuses, outcome.latest!)).toBe(`${rev(service, 6)} 50%, ${rev(service, 5)} 50% (canary)`);
  });

  it('waits out a slow operation when the bound allows it', async () => {
    sandbox.faults.slowOperations(1_500);
    const request = await plan(AUTH);
    const outcome = await executeRollback(request, port, undefined, TIMEOUTS);
    expect(outcome.error).toBeNull();
    expect(outcome.result).toBe('succeeded');
    expect(key((await served(AUTH)).statuses)).toEqual(key(request.requested));
    // It polled the operation until it was done.
    expect(sandbox.calls('GetOperation')).toBeGreaterThan(3);
  });

  it('stops waiting for a slow operation after the bound: timed-out (not failed), naming the operation, with the traffic as it is now', async () => {
    sandbox.faults.slowOperations(30_000);
    const request = await plan(AUTH);
    const outcome = await executeRollback(request, port, undefined, { ...TIMEOUTS, operationMs: 1_000 });
    expect(outcome.result).toBe('timed-out');
    expect(outcome.operation).toMatch(/^projects\/netra-staging\/locations\/us-central1\/operations\//);
    expect(outcome.error).toBe(`timed out after 1s waiting for operation ${outcome.operation}; the change may still be applied`);
    // Still the old traffic: the operation has not applied it.
    const now = await served(AUTH);
    expect(now.reconciling).toBe(true);
    expect(key(outcome.after!)).toEqual(key(now.statuses));
    expect(key(outcome.after!)).toEqual(key(request.service.trafficStatuses));
    expect(outcome.latest?.reconciling).toBe(true);
  });

  it('reports a failed operation with its message', async () => {
    sandbox.faults.failNextOperation('Quota exceeded for revisions of netra-auth.');
    const request = await plan(AUTH);
    const outcome = await executeRollback(request, port, undefined, TIMEOUTS);
    expect(outcome.result).toBe('failed');
    expect(outcome.error).toBe('the update failed: Quota exceeded for revisions of netra-auth.');
    const now = await served(AUTH);
    expect(key(now.statuses)).toEqual(key(request.service.trafficStatuses));
    expect(key(outcome.after!)).toEqual(key(now.statuses));
  });

  it('keeps verifying through UNAVAILABLE answers once the operation is done', async () => {
    const request = await plan(AUTH);
    let atVerification = -1;
    const outcome = await executeRollback(
      request,
      port,
      (step) => {
        if (step !== 'verifying') return;
        atVerification = sandbox.calls('GetService');
        sandbox.faults.unavailable(3, 'GetService');
      },
      TIMEOUTS,
    );
    expect(outcome.error).toBeNull();
    expect(outcome.result).toBe('succeeded');
    expect(atVerification).toBeGreaterThanOrEqual(0);
    // Three failed reads, then the one that verified.
    expect(sandbox.calls('GetService') - atVerification).toBeGreaterThanOrEqual(4);
    expect(key((await served(AUTH)).statuses)).toEqual(key(request.requested));
  });

  it('refuses a target that is not Ready (backend’s failed newest revision) before sending anything', async () => {
    const backend = await port.readService(BACKEND);
    const failed = backend.revisions[0]!;
    expect(failed.name).toBe(backend.latestCreatedRevision);
    expect(failed.state).toBe('failed');
    const before = await served(BACKEND);

    const flow = startRollback([backend], { kind: 'revision', name: failed.name });
    expect(flow.step).toBe('choose');
    if (flow.step !== 'choose') return;
    expect(flow.error).toBe(
      `revision ${failed.name} is not Ready (failed): The user-provided container failed to start and listen on the port defined provided by the PORT=8080 environment variable within the allocated timeout. This can happen when the container port is misconfigured or if the timeout is too short. The health check timeout can be extended. Logs for this revision might contain more information.`,
    );
    expect(proceed(flow)).toBe(flow);
    let current: RollbackFlow | null = startRunning(proceed(flow));
    await driveRollback({ get: () => current, set: (f) => (current = f) }, port, () => {}, TIMEOUTS);
    expect(current).toBe(flow);

    expect(sandbox.calls('UpdateService')).toBe(0);
    const now = await served(BACKEND);
    expect(now.etag).toBe(before.etag);
  });
});

describe('rollbacks with nothing to do', () => {
  it('executeRollback to the revision already serving 100 % sends nothing and says unchanged', async () => {
    const backend = await port.readService(BACKEND);
    const request = await plan(BACKEND, { kind: 'revision', name: rev(backend, 24) });
    const steps: RollbackStep[] = [];
    const outcome = await executeRollback(request, port, (s) => steps.push(s), TIMEOUTS);
    expect(outcome).toMatchObject({ result: 'unchanged', error: null });
    expect(steps).toEqual(['checking']);
    expect(key(outcome.after!)).toEqual(key(backend.trafficStatuses));
    expect(sandbox.calls('UpdateService')).toBe(0);
    expect((await served(BACKEND)).etag).toBe(backend.etag);
  });

  it('driveRollback goes past a service with nothing to do, auditing only its result, and rolls back the others', async () => {
    // auth goes to its regular revision first: in the middle of frontend → auth → backend, it has nothing to do.
    expect((await executeRollback(await plan(AUTH, { kind: 'regular' }), port, undefined, TIMEOUTS)).result).toBe('succeeded');
    const services = await Promise.all([FRONTEND, AUTH, BACKEND].map((name) => port.readService(name)));
    let flow: RollbackFlow | null = startRunning(typeConfirmation(proceed(startRollback(services, { kind: 'regular' })), () => 'all'));
    expect(flow.step).toBe('running');
    const audit: string[] = [];
    await driveRollback({ get: () => flow, set: (f) => (flow = f) }, port, (item, result) => audit.push(`${item.service.name} ${result}`), TIMEOUTS);

    expect(flow!.step).toBe('done');
    if (flow!.step !== 'done') return;
    expect(flow.outcomes.map((o) => o.result)).toEqual(['succeeded', 'unchanged', 'succeeded']);
    expect(audit).toEqual([
      'netra-frontend-staging confirmed',
      'netra-frontend-staging succeeded',
      'netra-auth unchanged',
      'netra-backend-staging confirmed',
      'netra-backend-staging succeeded',
    ]);
    // One update for auth before, one each for frontend and backend; none for auth in the run.
    expect(sandbox.calls('UpdateService')).toBe(3);
    const [frontend, auth, backend] = services as [CloudRunService, CloudRunService, CloudRunService];
    expect(key((await served(FRONTEND)).statuses)).toEqual([`${rev(frontend, 3)} 100 `]);
    expect((await served(AUTH)).etag).toBe(auth.etag);
    expect(key((await served(BACKEND)).statuses)).toEqual([`${rev(backend, 17)} 100 `, `${rev(backend, 17)} 0 stable`].sort());
  });
});

describe('driveRollback over several services', () => {
  it('runs one at a time and stops at a failure: first succeeded, second failed, third not attempted and unchanged', async () => {
    const services = await Promise.all([FRONTEND, AUTH, BACKEND].map((name) => port.readService(name)));
    const backendBefore = await served(BACKEND);
    let flow: RollbackFlow | null = startRunning(typeConfirmation(proceed(startRollback(services, { kind: 'previous' })), () => 'all'));
    expect(flow.step).toBe('running');
    const phases: string[] = [];
    const handle = {
      get: () => flow,
      set: (f: RollbackFlow | null) => {
        if (f?.step === 'running') phases.push(`${f.plan[f.outcomes.length]?.service.name}:${f.phase}`);
        flow = f;
      },
    };
    const audit: string[] = [];
    const sink: AuditSink = (item, result, outcome) => {
      audit.push(`${item.service.name} ${result}${outcome?.error ? `: ${outcome.error}` : ''}`);
      // The second service's operation fails.
      if (item.service.name === 'netra-auth' && result === 'confirmed') sandbox.faults.failNextOperation('Revision limit reached.');
    };

    await driveRollback(handle, port, sink, TIMEOUTS);

    expect(flow!.step).toBe('done');
    if (flow!.step !== 'done') return;
    expect(flow.outcomes.map((o) => o.result)).toEqual(['succeeded', 'failed']);
    expect(flow.plan.slice(flow.outcomes.length).map((i) => i.service.name)).toEqual(['netra-backend-staging']);
    expect(audit).toEqual([
      'netra-frontend-staging confirmed',
      'netra-frontend-staging succeeded',
      'netra-auth confirmed',
      'netra-auth failed: the update failed: Revision limit reached.',
    ]);
    expect(phases).toContain('netra-frontend-staging:verifying');
    expect(phases).toContain('netra-auth:operation');
    expect(phases.some((p) => p.startsWith('netra-backend-staging'))).toBe(false);

    // Frontend serves its previous revision; auth still serves its split; backend was not touched at all.
    const frontend = services[0]!;
    expect(key((await served(FRONTEND)).statuses)).toEqual([`${rev(frontend, 4)} 100 `]);
    expect(key((await served(AUTH)).statuses)).toEqual(key(services[1]!.trafficStatuses));
    const backendNow = await served(BACKEND);
    expect(backendNow.etag).toBe(backendBefore.etag);
    expect(key(backendNow.statuses)).toEqual(key(backendBefore.statuses));
    expect(sandbox.calls('UpdateService')).toBe(2);
  });
});

describe('the console’s rollback control: audit before sending, timeouts watched in the background', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  /** rollbackControl over a real store and the sandbox's port, its dialog confirmed and running on netra-auth. */
  async function runningControl(auditPath: string, dialog: RollbackTimeouts = TIMEOUTS) {
    const store = makeStore();
    const settings = { cloudRun: { project: 'netra-staging', region: 'us-central1' }, auditPath, auditSource: { mode: 'endpoint', endpoint: sandbox.endpoint } } as Settings;
    // Only what run() uses of a runtime: the real port to the sandbox, and a refresh with nothing to refresh.
    const runtime = { rollbackPort: () => port, poller: { refreshNow: () => {} } } as unknown as CloudRunRuntime;
    const control = rollbackControl(store, settings, () => runtime, { dialog, background: TIMEOUTS });
    const service = await port.readService(AUTH);
    setFlow(store, startRunning(typeConfirmation(proceed(startRollback([service], { kind: 'previous' })), () => 'netra-auth')));
    control.run();
    const done = () => waitFor(() => (store.getState().rollback?.step === 'done' ? store.getState().rollback : null), { what: 'the dialog’s result', timeoutMs: 20_000 });
    return { store, service, done };
  }

  function tempAuditPath(): string {
    const dir = mkdtempSync(join(tmpdir(), 'rollback-control-'));
    dirs.push(dir);
    return join(dir, 'state', 'netra-console', 'audit-sandbox.log');
  }

  it('sends nothing when the audit log cannot be written, and the dialog says why', async () => {
    const before = await served(AUTH);
    const { done } = await runningControl('/dev/null/netra-console/audit-sandbox.log');
    const flow = await done();
    if (flow?.step !== 'done') throw new Error('not done');
    expect(flow.outcomes).toHaveLength(1);
    expect(flow.outcomes[0]).toMatchObject({ result: 'failed' });
    expect(flow.outcomes[0]!.error).toMatch(/^cannot write the audit log \/dev\/null\/netra-console\/audit-sandbox\.log: ENOTDIR.*; nothing was sent$/);
    expect(sandbox.calls('UpdateService')).toBe(0);
    expect((await served(AUTH)).etag).toBe(before.etag);
  });

  it('a timed-out rollback says so in the dialog; the operation is watched and its final result audited', async () => {
    sandbox.faults.slowOperations(2_500);
    const auditPath = tempAuditPath();
    const { store, done } = await runningControl(auditPath, { ...TIMEOUTS, operationMs: 500 });
    const flow = await done();
    if (flow?.step !== 'done') throw new Error('not done');
    expect(flow.outcomes[0]).toMatchObject({ result: 'timed-out' });
    expect(flow.outcomes[0]!.error).toMatch(/^timed out after 1s waiting for operation \S+; the change may still be applied$/);
    const results = () => store.getState().audit.map((e) => e.result).join(' ');
    await waitFor(() => results() === 'confirmed timed-out succeeded', { what: 'the background result in the audit view', timeoutMs: 20_000 });
    const lines = readFileSync(auditPath, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as { result: string; after: TrafficTarget[] });
    expect(lines.map((l) => l.result)).toEqual(['confirmed', 'timed-out', 'succeeded']);
    expect(key(lines[2]!.after)).toEqual(key((await served(AUTH)).statuses));
    expect(store.getState().ui.notice).toContain('the timed-out rollback to');
  });

  it('the audit directory disappears mid-operation: the result still shows, and the dialog says it is not on record', async () => {
    sandbox.faults.slowOperations(1_500);
    const auditPath = tempAuditPath();
    const { store, done } = await runningControl(auditPath);
    await waitFor(() => sandbox.calls('UpdateService') >= 1, { what: 'the update', intervalMs: 5, timeoutMs: 20_000 });
    const dir = dirname(auditPath);
    rmSync(dir, { recursive: true, force: true });
    writeFileSync(dir, '');
    const flow = await done();
    if (flow?.step !== 'done') throw new Error('not done');
    expect(flow.outcomes.map((o) => o.result)).toEqual(['succeeded']);
    expect(store.getState().ui.notice).toMatch(/^cannot write the audit log .*; this succeeded result is not on record$/);
  });
});
