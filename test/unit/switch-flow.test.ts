import { describe, expect, it } from 'vitest';
import { healthWaitSeconds, median, runningVariant, serviceFailed, serviceReady, type VariantMeasurement } from '../../src/domain/stacks';
import { executeSwitch, preflight } from '../../src/flows/switch-driver';
import { runRebuild } from '../../src/flows/rebuild-driver';
import type { BuildPort } from '../../src/flows/build-port';
import {
  canBuild,
  canConfirm,
  finished,
  isConfirmed,
  planned,
  revertTarget,
  startPreflight,
  startRunning,
  typeConfirmation,
  type SwitchOutcome,
} from '../../src/flows/switch-machine';
import { blockingChecks, planSwitch, type SwitchPlan } from '../../src/flows/switch-plan';
import { runCompareSession, runSwitchSession, type SessionHooks, type SwitchRecorder } from '../../src/flows/switch-session';
import { container, FakeStackPort, model, runningStack, serviceModel, STACK } from './switch-fixtures';

const HOST = { memAvailableBytes: 8 * 1024 ** 3, diskFreeBytes: 50 * 1024 ** 3 };
const NO_HOOKS: SessionHooks = { phase: () => {}, progress: () => {}, leg: () => {} };

function recorder() {
  const lines: string[] = [];
  const measured: VariantMeasurement[] = [];
  const rec: SwitchRecorder = {
    audit: (action, plan, result, outcome) => lines.push(`${action} ${plan.from}→${plan.to} ${result}${outcome?.error ? ` (${outcome.error})` : ''}`),
    measured: (_stack, m) => measured.push(m),
  };
  return { rec, lines, measured };
}

async function planFor(port: FakeStackPort, to: 'alpine' | 'regular', timeout?: number): Promise<SwitchPlan> {
  const plan = await preflight(port, STACK, to, timeout);
  if ('error' in plan) throw new Error(plan.error);
  return plan;
}

describe('stack domain', () => {
  it('reads the running variant from live containers only', () => {
    expect(runningVariant(runningStack('alpine'))).toBe('alpine');
    expect(runningVariant([...runningStack('alpine'), container('auth', 'regular')])).toBe('mixed');
    expect(runningVariant([container('x', 'alpine', { state: 'exited' })])).toBeNull();
    expect(runningVariant([container('x', 'alpine', { variant: '?' })])).toBe('mixed');
  });

  it('a one-shot is ready when it exited 0 and failed when it exited otherwise', () => {
    const migration = serviceModel('migration', 'alpine', { oneShot: true, health: null });
    expect(serviceReady(migration, container('migration', 'alpine', { state: 'exited', exitCode: 0 }))).toBe(true);
    expect(serviceReady(migration, container('migration', 'alpine', { state: 'running' }))).toBe(false);
    expect(serviceFailed(migration, container('migration', 'alpine', { state: 'exited', exitCode: 3 }))).toBe('migration exited with code 3');
  });

  it('a service with a health check is ready only when healthy; unhealthy or exited is a failure', () => {
    const backend = serviceModel('backend', 'alpine');
    expect(serviceReady(backend, container('backend', 'alpine', { health: 'starting' }))).toBe(false);
    expect(serviceReady(backend, container('backend', 'alpine'))).toBe(true);
    expect(serviceFailed(backend, container('backend', 'alpine', { health: 'unhealthy' }))).toBe('backend is unhealthy');
    expect(serviceFailed(backend, container('backend', 'alpine', { state: 'exited', exitCode: 1 }))).toBe('backend exited with code 1');
    expect(serviceFailed(backend, undefined)).toBeNull();
  });

  it('a health check of the image\'s own counts even when the compose file has none', () => {
    const plain = serviceModel('frontend', 'alpine', { health: null });
    expect(serviceReady(plain, container('frontend', 'alpine', { health: 'starting' }))).toBe(false);
    expect(serviceReady(plain, container('frontend', 'alpine', { health: 'none' }))).toBe(true);
    expect(serviceReady(plain, container('frontend', 'alpine', { health: 'healthy' }))).toBe(true);
  });

  it('bounds the wait along the longest depends_on chain, start_period included', () => {
    // postgres: 30 + (1+1)*4 = 38; migration: 10 + 38; backend: 38 + 48; + 60 grace.
    expect(healthWaitSeconds(model('regular'))).toBe(38 + 10 + 38 + 60);
    expect(healthWaitSeconds(model('alpine'))).toBeLessThan(healthWaitSeconds(model('regular')));
  });

  it('takes the median of samples', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNull();
  });
});

describe('planSwitch', () => {
  const facts = { stack: STACK, to: 'regular' as const, target: model('regular'), other: model('alpine'), containers: runningStack('alpine'), imageSizes: {}, host: HOST, missingBases: [], volumes: ['postgres-data-regular'] };

  it('plans what stops, what starts and the limits before → after', () => {
    const sizes = Object.fromEntries(model('regular').services.map((s) => [s.image, 1]));
    const plan = planSwitch({ ...facts, imageSizes: sizes }) as SwitchPlan;
    expect(plan.from).toBe('alpine');
    expect(plan.stops).toEqual(['postgres', 'backend']);
    expect(plan.limits.find((l) => l.service === 'backend')).toEqual({
      service: 'backend',
      before: { memLimitBytes: 256 * 1024 ** 2, cpus: 0.4 },
      after: { memLimitBytes: 1024 * 1024 ** 2, cpus: 1 },
    });
    expect(blockingChecks(plan)).toEqual([]);
    expect(plan.checks.find((c) => c.name === 'volumes')!.detail).toBe('regular uses its own volumes (postgres-data-regular kept from its last run)');
    expect(plan.buildable).toBe(false);
  });

  it('a compose error refuses with its line', () => {
    const result = planSwitch({ ...facts, target: { error: 'compose file /x/y.yml does not exist' } });
    expect(result).toMatchObject({ error: 'compose file /x/y.yml does not exist', checks: [{ name: 'compose files', status: 'fail' }] });
  });

  it('missing images fail the images check and say whether they can be built offline', () => {
    const plan = planSwitch(facts) as SwitchPlan;
    expect(plan.missingImages).toHaveLength(3);
    expect(plan.checks.find((c) => c.name === 'images')).toMatchObject({ status: 'fail', detail: expect.stringContaining('build them first') });
    expect(plan.buildable).toBe(true);
    const unbuildable = planSwitch({ ...facts, missingBases: ['python:3.11-slim'] }) as SwitchPlan;
    expect(unbuildable.checks.find((c) => c.name === 'images')!.detail).toContain('base image python:3.11-slim is not on the engine and nothing is pulled');
    expect(unbuildable.buildable).toBe(false);
    const pulledOnly = { services: model('regular').services.map((s) => (s.name === 'postgres' ? { ...s, build: null } : s)) };
    const noBuild = planSwitch({ ...facts, target: pulledOnly }) as SwitchPlan;
    expect(noBuild.buildable).toBe(false);
    expect(noBuild.checks.find((c) => c.name === 'images')!.detail).toContain('netra-test-postgres:latest has no build section and the console never fetches images');
  });

  it('a volume shared by both variants is refused: data made under musl must not be opened under glibc', () => {
    const shared = { services: model('regular').services.map((s) => (s.name === 'postgres' ? { ...s, volumes: ['postgres-data-alpine'] } : s)) };
    const plan = planSwitch({ ...facts, target: shared }) as SwitchPlan;
    expect(plan.checks.find((c) => c.name === 'volumes')).toMatchObject({ status: 'fail', detail: expect.stringContaining('postgres-data-alpine is shared with alpine') });
  });

  it('memory limits over what the host has free are a warning', () => {
    const plan = planSwitch({ ...facts, host: { memAvailableBytes: 1024 ** 3, diskFreeBytes: null } }) as SwitchPlan;
    expect(plan.checks.find((c) => c.name === 'memory')).toMatchObject({ status: 'warn', detail: 'limits total 3.00 GiB, 1.00 GiB available' });
    expect(plan.checks.find((c) => c.name === 'disk')!.status).toBe('warn');
  });
});

describe('switch machine', () => {
  it('goes preflight → confirm (typed name) → running → done, and offers a revert after a failure', async () => {
    const port = new FakeStackPort(runningStack('alpine'));
    const flow = planned(startPreflight(STACK, 'regular'), await planFor(port, 'regular'));
    expect(flow.step).toBe('confirm');
    expect(canConfirm(flow)).toBe(true);
    expect(isConfirmed(typeConfirmation(flow, () => 'tes'))).toBe(false);
    const typed = typeConfirmation(flow, () => ' test ');
    expect(isConfirmed(typed)).toBe(true);
    const running = startRunning(typed, 0);
    expect(running.step).toBe('running');
    const failed: SwitchOutcome = { result: 'failed', from: 'alpine', to: 'regular', elapsedSeconds: 1, services: [], previous: null, error: 'x', failure: null, runningNow: 'regular' };
    expect(revertTarget(finished(running, failed))).toBe('alpine');
    expect(revertTarget(finished(running, { ...failed, result: 'switched' }))).toBeNull();
    expect(revertTarget(finished(running, { ...failed, from: null }))).toBeNull();
  });

  it('offers a build for missing images only, and never lets a plan with a failing check be confirmed', async () => {
    const port = new FakeStackPort(runningStack('alpine'), { missingImages: ['netra-test-backend:latest'] });
    const flow = planned(startPreflight(STACK, 'regular'), await planFor(port, 'regular'));
    expect(canBuild(flow)).toBe(true);
    expect(canConfirm(flow)).toBe(false);
    expect(startRunning(typeConfirmation(flow, () => 'test'), 0)).toEqual(typeConfirmation(flow, () => 'test'));
  });

  it('a preflight error is a refusal', () => {
    const flow = planned(startPreflight(STACK, 'regular'), { error: 'no compose CLI found', checks: [] });
    expect(flow).toMatchObject({ step: 'refused', error: 'no compose CLI found' });
  });
});

describe('executeSwitch and sessions (in-memory port)', () => {
  it('switches: down the running variant, up the target, waits for every service and measures it', async () => {
    const port = new FakeStackPort(runningStack('alpine'));
    const phases: string[] = [];
    const outcome = await executeSwitch(await planFor(port, 'regular'), port, { phase: (p) => phases.push(p), progress: () => {} });
    expect(port.calls).toEqual(['down alpine', 'up regular']);
    expect(phases).toEqual(['checking', 'down', 'up', 'wait', 'measure']);
    expect(outcome).toMatchObject({ result: 'switched', from: 'alpine', to: 'regular', runningNow: 'regular', error: null });
    const services = (outcome as SwitchOutcome).services;
    expect(services.map((s) => s.service)).toEqual(['postgres', 'migration', 'backend']);
    expect(services.find((s) => s.service === 'backend')).toMatchObject({ healthySeconds: expect.any(Number), memUsageBytes: 43 * 1024 ** 2, memLimitBytes: 1024 ** 3 });
    expect(services.find((s) => s.service === 'migration')!.memUsageBytes).toBeNull();
    const previous = (outcome as SwitchOutcome).previous!;
    expect(previous.map((s) => `${s.service} ${s.variant} ${s.state}`).sort()).toEqual(['backend alpine running', 'migration alpine exited', 'postgres alpine running']);
    expect(previous.find((s) => s.service === 'backend')).toMatchObject({ memUsageBytes: 40 * 1024 ** 2, memLimitBytes: 256 * 1024 ** 2 });
  });

  it('someone changing the stack after the plan: nothing is done, a fresh plan comes back', async () => {
    const port = new FakeStackPort(runningStack('alpine'));
    const plan = await planFor(port, 'regular');
    port.containersNow = runningStack('regular');
    const result = await executeSwitch(plan, port, NO_HOOKS);
    expect(port.calls).toEqual([]);
    expect(result).toMatchObject({ notice: 'test changed meanwhile; now regular runs. Check and confirm again.' });
  });

  it('an image removed after the plan: nothing is stopped, started or pulled', async () => {
    const port = new FakeStackPort(runningStack('alpine'));
    const plan = await planFor(port, 'regular');
    const sizes = port.imageSizes.bind(port);
    port.imageSizes = async (images) => ({ ...(await sizes(images)), 'netra-test-backend:latest': null });
    const outcome = await executeSwitch(plan, port, NO_HOOKS);
    expect(outcome).toMatchObject({ result: 'failed', error: 'netra-test-backend:latest is no longer on the engine; nothing was pulled or changed', runningNow: 'alpine' });
    expect(port.calls).toEqual([]);
  });

  it('a rebuild whose base image is not on the engine builds nothing and audits nothing (BuildKit would fetch it)', async () => {
    const port = new FakeStackPort([], { missingImages: ['python:3.11-slim'] });
    const lines: string[] = [];
    const rebuildRecorder = { audit: (_a: string, r: string) => lines.push(r), previous: () => undefined, saveBuilds: () => {}, switching: recorder().rec };
    const noBuildPort = {} as BuildPort;
    const options = { variant: 'regular' as const, services: ['backend'], noCache: false, restart: false, prune: false, pruneHours: 24 };
    const report = await runRebuild(STACK, options, { stack: port, build: noBuildPort }, { phase: () => {}, builds: () => {}, restart: () => {} }, rebuildRecorder, { warningMB: 250, criticalMB: 500, budgetsMB: {} });
    expect(report).toMatchObject({ result: 'failed', error: 'not on the engine, and nothing is pulled: base image python:3.11-slim; nothing was built' });
    expect(port.calls).toEqual([]);
    expect(lines).toEqual([]);
  });

  it('a service that turns unhealthy fails with its health outputs and log lines', async () => {
    const port = new FakeStackPort(runningStack('alpine'), { unhealthy: { regular: ['backend'] } });
    const outcome = (await executeSwitch(await planFor(port, 'regular'), port, NO_HOOKS)) as SwitchOutcome;
    expect(outcome).toMatchObject({ result: 'failed', error: 'backend is unhealthy', runningNow: 'regular' });
    expect(outcome.failure).toEqual({
      service: 'backend',
      healthOutputs: ['backend-regular-1: connection refused'],
      logLines: ['backend-regular-1: Error loading shared library libc.so.6: No such file or directory'],
    });
  });

  it('a service that never gets healthy times out within the bound', async () => {
    const port = new FakeStackPort(runningStack('alpine'), { hang: ['backend'] });
    const outcome = (await executeSwitch(await planFor(port, 'regular', 1), port, NO_HOOKS)) as SwitchOutcome;
    expect(outcome).toMatchObject({ result: 'failed', error: 'timed out after 1 s waiting for backend' });
  });

  it('a failed switch reverts (audited as a revert) unless told not to', async () => {
    const port = new FakeStackPort(runningStack('alpine'), { unhealthy: { regular: ['backend'] } });
    const { rec, lines, measured } = recorder();
    const result = await runSwitchSession(await planFor(port, 'regular'), port, NO_HOOKS, rec, 'alpine');
    expect(result).toMatchObject({ outcome: { result: 'reverted', runningNow: 'alpine', error: 'backend is unhealthy' } });
    expect(port.calls).toEqual(['down alpine', 'up regular', 'down regular', 'up alpine']);
    expect(lines).toEqual(['switch alpine→regular confirmed', 'switch alpine→regular failed (backend is unhealthy)', 'revert regular→alpine confirmed', 'revert regular→alpine switched']);
    expect(measured.map((m) => m.variant)).toEqual(['alpine']);

    const stay = new FakeStackPort(runningStack('alpine'), { unhealthy: { regular: ['backend'] } });
    const kept = await runSwitchSession(await planFor(stay, 'regular'), stay, NO_HOOKS, recorder().rec, null);
    expect(kept).toMatchObject({ outcome: { result: 'failed', runningNow: 'regular' } });
    expect(stay.calls).toEqual(['down alpine', 'up regular']);
  });

  it('an audit log that cannot take the confirmed line stops the switch before anything changes', async () => {
    const port = new FakeStackPort(runningStack('alpine'));
    const rec: SwitchRecorder = { audit: () => { throw new Error('cannot write the audit log /x: EACCES'); }, measured: () => {} };
    await expect(runSwitchSession(await planFor(port, 'regular'), port, NO_HOOKS, rec, 'alpine')).rejects.toThrow('EACCES');
    expect(port.calls).toEqual([]);
  });

  it('compare brings the other variant up, measures, and comes back measured too', async () => {
    const port = new FakeStackPort(runningStack('alpine'));
    const { rec, measured } = recorder();
    const result = await runCompareSession(await planFor(port, 'regular'), port, NO_HOOKS, rec);
    expect(port.calls).toEqual(['down alpine', 'up regular', 'down regular', 'up alpine']);
    expect(result).toMatchObject({ outcome: { result: 'switched', runningNow: 'alpine' } });
    expect('compared' in result && result.compared.map((o) => o.to)).toEqual(['regular', 'alpine']);
    expect(measured.map((m) => m.variant)).toEqual(['regular', 'alpine']);
  });

  it('compare from nothing running measures both and leaves nothing running (the last down audited too)', async () => {
    const port = new FakeStackPort([]);
    const { rec, lines } = recorder();
    const result = await runCompareSession(await planFor(port, 'alpine'), port, NO_HOOKS, rec);
    expect(port.calls).toEqual(['down alpine', 'up alpine', 'down alpine', 'up regular', 'down regular']);
    expect(result).toMatchObject({ outcome: { result: 'switched', runningNow: null } });
    expect(lines.slice(-2)).toEqual(['compare regular→regular confirmed', 'compare regular→regular stopped']);
  });

  it('compare whose way back could not start is refused before anything changes', async () => {
    const port = new FakeStackPort(runningStack('alpine'), { missingImages: ['netra-alpine-test-backend:latest'] });
    const { rec, lines } = recorder();
    const result = await runCompareSession(await planFor(port, 'regular'), port, NO_HOOKS, rec);
    expect(result).toMatchObject({ outcome: { result: 'failed', runningNow: 'alpine', error: expect.stringMatching(/^the way back to alpine could not start: missing netra-alpine-test-backend:latest.*; nothing changed$/) } });
    expect(port.calls).toEqual([]);
    expect(lines).toEqual([]);
  });

  it('compare whose first variant fails goes back to what ran', async () => {
    const port = new FakeStackPort(runningStack('alpine'), { unhealthy: { regular: ['backend'] } });
    const result = await runCompareSession(await planFor(port, 'regular'), port, NO_HOOKS, recorder().rec);
    expect(result).toMatchObject({ outcome: { result: 'reverted', runningNow: 'alpine' } });
    expect(port.calls).toEqual(['down alpine', 'up regular', 'down regular', 'up alpine']);
  });

  it('an engine that fails mid-switch is a failed outcome saying what runs now is unknown, never a throw', async () => {
    const port = new FakeStackPort(runningStack('alpine'));
    const plan = await planFor(port, 'regular');
    port.down = async () => {
      port.containers = async () => { throw new Error('connect ECONNREFUSED /var/run/docker.sock'); };
      throw new Error('docker-compose down failed: Cannot connect to the Docker daemon');
    };
    const outcome = await executeSwitch(plan, port, NO_HOOKS);
    expect(outcome).toMatchObject({ result: 'failed', error: 'docker-compose down failed: Cannot connect to the Docker daemon', runningNow: 'unknown' });
  });

  it('an interrupted wait ends as a failure saying so, and is not reverted', async () => {
    const port = new FakeStackPort(runningStack('alpine'), { hang: ['backend'] });
    const controller = new AbortController();
    const pending = runSwitchSession(await planFor(port, 'regular'), port, { ...NO_HOOKS, progress: () => controller.abort() }, recorder().rec, 'alpine', { signal: controller.signal });
    const result = await pending;
    expect(result).toMatchObject({ outcome: { result: 'failed', error: 'interrupted while waiting' } });
    expect(port.calls).toEqual(['down alpine', 'up regular']);
  });
});

describe('revertTarget', () => {
  const failed = (from: SwitchOutcome['from'], to: 'alpine' | 'regular' = 'regular'): SwitchOutcome => ({ result: 'failed', from, to, elapsedSeconds: 1, services: [], previous: null, error: 'x', failure: null, runningNow: to });
  it('goes back to what ran, else to the variant that last came up healthy, never to the failed target', async () => {
    const port = new FakeStackPort(runningStack('alpine'));
    const running = startRunning(typeConfirmation(planned(startPreflight(STACK, 'regular'), await planFor(port, 'regular')), () => 'test'), 0);
    expect(revertTarget(finished(running, failed('alpine')), 'regular')).toBe('alpine');
    expect(revertTarget(finished(running, failed('mixed')), 'alpine')).toBe('alpine');
    expect(revertTarget(finished(running, failed(null)), undefined)).toBeNull();
    expect(revertTarget(finished(running, failed(null)), 'regular')).toBeNull();
  });
});
