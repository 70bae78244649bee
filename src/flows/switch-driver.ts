import { errorLine } from '../domain/printable';
import {
  median,
  otherVariant,
  runningVariant,
  serviceFailed,
  serviceReady,
  type ComposeModel,
  type ComposeServiceModel,
  type ServiceMeasurement,
  type StackDefinition,
  type StackVariant,
} from '../domain/stacks';
import type { ContainerInfo } from '../domain/types';
import type { StackEvent, StackPort } from './stack-port';
import type { RunningNow, ServiceProgress, SwitchFailure, SwitchOutcome, SwitchPhase } from './switch-machine';
import { planSwitch, type PreflightCheck, type SwitchPlan } from './switch-plan';

export interface SwitchHooks {
  phase(phase: SwitchPhase): void;
  progress(progress: ServiceProgress[]): void;
}

export interface SwitchOptions {
  /** Ends the wait (and the compose it waits on) as a failure: `interrupted`. */
  signal?: AbortSignal;
  /** Memory samples per service after settling (their median is kept). */
  memorySamples?: number;
  now?: () => number;
}

/** A confirmed plan that no longer matches the stack: the new plan, to confirm again. */
export interface SwitchConflict {
  conflict: SwitchPlan | { error: string; checks: PreflightCheck[] };
  notice: string;
}

const LOG_LINES_ON_FAILURE = 20;


/** Reads everything the plan needs: both variants' files, the containers, images, bases and the host. */
export async function preflight(port: StackPort, stack: StackDefinition, to: StackVariant, timeoutSeconds?: number): Promise<SwitchPlan | { error: string; checks: PreflightCheck[] }> {
  let target: ComposeModel | { error: string };
  try {
    target = await port.resolve(stack, to);
  } catch (error) {
    target = { error: errorLine(error) };
  }
  const other = await port.resolve(stack, otherVariant(to)).catch(() => null);
  if ('error' in target) return planSwitch({ stack, to, target, other, containers: [], imageSizes: {}, host: { memAvailableBytes: null, diskFreeBytes: null }, missingBases: [], volumes: [] });
  const images = target.services.map((s) => s.image);
  const [containers, imageSizes, host, volumes] = await Promise.all([port.containers(stack.project), port.imageSizes(images), port.hostResources(), port.volumes(stack.project)]);
  const missingBases = await missingBaseImages(port, target.services.filter((s) => imageSizes[s.image] == null));
  return planSwitch({ stack, to, target, other, containers, imageSizes, host, missingBases, volumes, timeoutSeconds });
}

/**
 * Base images a build of these services starts from that are not on the engine. BuildKit would fetch such an image
 * from its registry: nothing may be pulled, so a build is refused while any is missing.
 */
export async function missingBaseImages(port: StackPort, services: readonly ComposeServiceModel[]): Promise<string[]> {
  const bases = baseImages(services);
  if (bases.length === 0) return [];
  const sizes = await port.imageSizes(bases);
  return bases.filter((b) => sizes[b] == null);
}

/** Build args that name images (`*_IMAGE`, `BASE*`): what a build would start from. */
function baseImages(services: readonly ComposeServiceModel[]): string[] {
  const names = services.flatMap((s) => Object.entries(s.build?.args ?? {}).filter(([key]) => /IMAGE|BASE/.test(key)).map(([, value]) => value));
  return [...new Set(names.filter((n) => n.length > 0))];
}

function latestByService(containers: readonly ContainerInfo[]): Map<string, ContainerInfo> {
  const map = new Map<string, ContainerInfo>();
  for (const c of containers) {
    const key = c.service ?? c.name;
    const seen = map.get(key);
    if (!seen || (c.startedAt ?? '') > (seen.startedAt ?? '')) map.set(key, c);
  }
  return map;
}

/** What was running when planned, compared by container and state: anything else means someone changed the stack. */
function fingerprint(containers: readonly ContainerInfo[]): string {
  return containers
    .filter((c) => c.state === 'running' || c.state === 'restarting')
    .map((c) => `${c.id}:${c.image}`)
    .sort()
    .join(',');
}

/** What runs now, as read again; `unknown` when the engine cannot say (never a guess). */
export async function readRunning(port: StackPort, project: string): Promise<RunningNow> {
  return port.containers(project).then(runningVariant, () => 'unknown' as const);
}

/**
 * Runs a confirmed plan: checks nobody changed the stack, measures what runs, `down` (volumes kept), `up -d`,
 * waits for every service within the plan's bound, measures the target. Never reverts (the caller decides) and
 * never throws: whatever fails is a `failed` outcome saying what runs now. `elapsedSeconds` runs from `down` to
 * every service ready, the part a person doing it by hand would time.
 */
export async function executeSwitch(plan: SwitchPlan, port: StackPort, hooks: SwitchHooks, options: SwitchOptions = {}): Promise<SwitchOutcome | SwitchConflict> {
  const now = options.now ?? Date.now;
  const from = plan.from;
  let started = now();
  let previous: ServiceMeasurement[] | null = null;
  const failed = async (error: string, failure: SwitchFailure | null = null, services: ServiceMeasurement[] = []): Promise<SwitchOutcome> => ({
    from,
    to: plan.to,
    previous,
    result: 'failed',
    elapsedSeconds: (now() - started) / 1000,
    services,
    error,
    failure,
    runningNow: await readRunning(port, plan.stack.project),
  });
  try {
    hooks.phase('checking');
    const containers = await port.containers(plan.stack.project);
    if (fingerprint(containers) !== fingerprint(plan.current)) {
      const fresh = await preflight(port, plan.stack, plan.to, plan.timeoutSeconds);
      const what = runningVariant(containers);
      return { conflict: fresh, notice: `${plan.stack.name} changed meanwhile; now ${what === null ? 'nothing runs' : `${what} runs`}. Check and confirm again.` };
    }
    // The variant about to stop has been running for a while: one reading of it now is enough.
    // Compose v1's `up` pulls an image it does not find: every target image must still be here (nothing is pulled).
    const sizes = await port.imageSizes(plan.model.services.map((s) => s.image));
    const gone = plan.model.services.map((s) => s.image).filter((image) => sizes[image] == null);
    if (gone.length) {
      return { from, to: plan.to, previous: null, result: 'failed', elapsedSeconds: 0, services: [], error: `${gone.join(', ')} is no longer on the engine; nothing was pulled or changed`, failure: null, runningNow: from };
    }
    previous = from === null ? null : await measureRunning(port, plan, containers, 1);
    if (options.signal?.aborted) return { from, to: plan.to, previous, result: 'failed', elapsedSeconds: 0, services: [], error: 'interrupted before anything changed', failure: null, runningNow: from };
    started = now();
    hooks.phase('down');
    await port.down(plan.stack, from === 'alpine' || from === 'regular' ? from : plan.to);
    hooks.phase('up');
    const waited = await upAndWait(plan, port, hooks, now, options.signal);
    if (waited.failure) return await failed(waited.error ?? 'failed', waited.failure, waited.measured);
    const elapsedSeconds = (now() - started) / 1000;
    hooks.phase('measure');
    const services = await measureTarget(plan, port, waited.events, options.memorySamples ?? 3);
    return { from, to: plan.to, previous, result: 'switched', elapsedSeconds, services, error: null, failure: null, runningNow: plan.to };
  } catch (error) {
    return failed(errorLine(error));
  }
}

interface Waited {
  events: StackEvent[];
  failure: SwitchFailure | null;
  error: string | null;
  measured: ServiceMeasurement[];
}

/**
 * `up`, while following engine events (not polling) until every service is ready, one fails, or time runs out.
 * Compose v1's `up -d` itself waits for the `depends_on` conditions, so progress is shown while it runs, and
 * when it gives up (a dependency failed) the containers say which service and why.
 */
async function upAndWait(plan: SwitchPlan, port: StackPort, hooks: SwitchHooks, now: () => number, signal?: AbortSignal): Promise<Waited> {
  const events: StackEvent[] = [];
  let wake: () => void = () => {};
  let streamError: Error | null = null;
  let upError: string | null = null;
  let upDone = false;
  const stop = port.events(
    plan.stack.project,
    now() - 1000,
    (event) => {
      events.push(event);
      wake();
    },
    (error) => {
      streamError = error;
      wake();
    },
  );
  const abort = new AbortController();
  const interrupt = () => wake();
  signal?.addEventListener('abort', interrupt);
  const up = port.up(plan.stack, plan.to, abort.signal).then(
    () => {
      upDone = true;
      hooks.phase('wait');
      wake();
    },
    (error: unknown) => {
      upDone = true;
      upError = errorLine(error);
      wake();
    },
  );
  try {
    const deadline = now() + plan.timeoutSeconds * 1000;
    for (;;) {
      const containers = latestByService(await port.containers(plan.stack.project));
      const progress = progressOf(plan.model, containers, events, now());
      hooks.progress(progress);
      const failed = plan.model.services.map((s) => serviceFailed(s, containers.get(s.name))).find((f) => f !== null);
      if (failed) return failure(plan, port, containers, failed.split(' ')[0]!, failed, events);
      if (plan.model.services.every((s) => serviceReady(s, containers.get(s.name)))) return { events, failure: null, error: null, measured: [] };
      if (signal?.aborted) return failure(plan, port, containers, firstWaiting(progress), 'interrupted while waiting', events);
      if (upError !== null) return failure(plan, port, containers, firstWaiting(progress), upError, events);
      if (streamError) return failure(plan, port, containers, firstWaiting(progress), `engine events stopped: ${errorLine(streamError)}`, events);
      const left = deadline - now();
      if (left <= 0) {
        const waiting = firstWaiting(progress);
        return failure(plan, port, containers, waiting, `timed out after ${plan.timeoutSeconds} s waiting for ${waiting}`, events);
      }
      // An event wakes us at once; the periodic look is a safety net for an event the stream missed.
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, upDone ? 5000 : 2000));
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  } finally {
    stop();
    signal?.removeEventListener('abort', interrupt);
    // A compose still waiting on a dependency must not go on starting things behind the revert.
    abort.abort();
    await up;
  }
}

function firstWaiting(progress: ServiceProgress[]): string {
  return progress.find((p) => p.state !== 'ready')?.service ?? progress[0]?.service ?? '?';
}

async function failure(plan: SwitchPlan, port: StackPort, containers: Map<string, ContainerInfo>, service: string, error: string, events: StackEvent[]): Promise<Waited> {
  const container = containers.get(service);
  const [healthOutputs, logLines] = container
    ? await Promise.all([port.healthOutputs(container.id).catch(() => []), port.logTail(container.id, LOG_LINES_ON_FAILURE).catch(() => [])])
    : [[], []];
  const measured = plan.model.services.map((s) => measurementOf(s, plan.to, containers.get(s.name), plan.imageSizes[s.image] ?? null, readySeconds(events, containers.get(s.name), s), null));
  return { events, failure: { service, healthOutputs, logLines }, error, measured };
}

function eventTime(events: StackEvent[], containerId: string, match: (action: string) => boolean): number | null {
  return events.find((e) => e.containerId === containerId && match(e.action))?.timeMs ?? null;
}

/** Start → healthy (one-shots: start → exit), from engine events. */
function readySeconds(events: StackEvent[], container: ContainerInfo | undefined, service: ComposeServiceModel): number | null {
  if (!container) return null;
  const start = eventTime(events, container.id, (a) => a === 'start');
  const ready = service.oneShot
    ? eventTime(events, container.id, (a) => a === 'die')
    : service.health
      ? eventTime(events, container.id, (a) => a === 'health_status: healthy')
      : start;
  return start !== null && ready !== null ? Math.max(0, (ready - start) / 1000) : null;
}

export function progressOf(model: ComposeModel, containers: Map<string, ContainerInfo>, events: StackEvent[], nowMs: number): ServiceProgress[] {
  return model.services.map((s) => {
    const c = containers.get(s.name);
    const startedMs = c ? eventTime(events, c.id, (a) => a === 'start') : null;
    const failed = serviceFailed(s, c);
    if (failed) return { service: s.name, state: 'failed', startedMs, readySeconds: null, detail: failed };
    if (serviceReady(s, c)) return { service: s.name, state: 'ready', startedMs, readySeconds: readySeconds(events, c, s), detail: null };
    if (!c || c.state === 'created') return { service: s.name, state: 'waiting', startedMs: null, readySeconds: null, detail: s.dependsOn.length ? `after ${s.dependsOn.join(', ')}` : null };
    const detail = c.health === 'starting' && startedMs !== null ? `health starting, ${Math.floor((nowMs - startedMs) / 1000)} s` : c.state;
    return { service: s.name, state: 'starting', startedMs, readySeconds: null, detail };
  });
}

export function measurementOf(
  service: ComposeServiceModel,
  variant: StackVariant,
  container: ContainerInfo | undefined,
  imageSizeBytes: number | null,
  healthySeconds: number | null,
  memUsageBytes: number | null,
): ServiceMeasurement {
  return {
    service: service.name,
    variant,
    image: container?.image ?? service.image,
    imageSizeBytes: container?.imageSizeBytes ?? imageSizeBytes,
    state: container?.state ?? 'missing',
    health: container?.health ?? 'none',
    healthySeconds,
    memUsageBytes,
    memLimitBytes: service.memLimitBytes,
  };
}

/** The median of `samples` memory readings about a second apart, after `settle` readings left out. */
async function memoryOf(port: StackPort, container: ContainerInfo | undefined, samples: number, settle = 0): Promise<number | null> {
  if (!container || container.state !== 'running') return null;
  const readings = await port.memorySamples(container.id, settle + samples).catch(() => []);
  return median(readings.slice(settle));
}

/** A service that just turned healthy is still warming up: its first readings are left out. */
const SETTLE_SAMPLES = 2;

async function measureTarget(plan: SwitchPlan, port: StackPort, events: StackEvent[], samples: number): Promise<ServiceMeasurement[]> {
  const containers = latestByService(await port.containers(plan.stack.project));
  return Promise.all(
    plan.model.services.map(async (s) => {
      const c = containers.get(s.name);
      return measurementOf(s, plan.to, c, plan.imageSizes[s.image] ?? null, readySeconds(events, c, s), await memoryOf(port, c, samples, SETTLE_SAMPLES));
    }),
  );
}

/**
 * The variant about to stop, as it runs: memory now, image sizes, its limits; start-up is not known here (null).
 * Containers of an image the console cannot place (neither variant) are left out rather than guessed.
 */
async function measureRunning(port: StackPort, plan: SwitchPlan, containers: ContainerInfo[], samples: number): Promise<ServiceMeasurement[]> {
  const known = [...latestByService(containers).values()].filter((c) => c.variant === 'alpine' || c.variant === 'regular');
  return Promise.all(
    known.map(async (c) => {
      const service = c.service ?? c.name;
      return {
        service,
        variant: c.variant as StackVariant,
        image: c.image,
        imageSizeBytes: c.imageSizeBytes,
        state: c.state,
        health: c.health,
        healthySeconds: null,
        memUsageBytes: await memoryOf(port, c, samples),
        memLimitBytes: plan.limits.find((l) => l.service === service)?.before?.memLimitBytes ?? null,
      };
    }),
  );
}
