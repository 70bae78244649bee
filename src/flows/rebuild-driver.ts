import type { SwitchAuditEntry, SwitchAuditResult } from '../domain/audit';
import type { BuildRecord, PrunePlan, ServiceBuild } from '../domain/build';
import { budgetLevel, cacheStats, compareWithPrevious, failingStep, failureHints, imageBudget, largestLayers, slowestSteps, toRecord, type ImagesConfig } from '../domain/build-analysis';
import { BuildProgress } from '../domain/buildkit-progress';
import { errorLine } from '../domain/printable';
import type { ComposeModel, StackDefinition } from '../domain/stacks';
import type { BuildPort } from './build-port';
import type { RebuildOptions, RebuildPhase, RebuildReport, ServiceBuildReport } from './rebuild-machine';
import type { StackPort } from './stack-port';
import type { ServiceProgress } from './switch-machine';
import { blockingChecks } from './switch-plan';
import { missingBaseImages, preflight } from './switch-driver';
import { runSwitchSession, type SwitchRecorder } from './switch-session';

export interface RebuildHooks {
  phase(phase: RebuildPhase): void;
  builds(builds: ServiceBuild[]): void;
  restart(progress: ServiceProgress[]): void;
}

/** Where a rebuild puts what it did: audit lines, the builds kept for the next comparison, and the switch's own. */
export interface RebuildRecorder {
  /** Throws (one line) when the line cannot be written; a `confirmed` line that fails stops the rebuild unchanged. */
  audit(action: Extract<SwitchAuditEntry['action'], 'build' | 'prune'>, result: SwitchAuditResult, details?: { elapsedSeconds: number; error: string | null }): void;
  previous(service: string): BuildRecord | undefined;
  saveBuilds(records: BuildRecord[]): void;
  switching: SwitchRecorder;
}

const LARGEST_LAYERS = 5;
const SLOWEST = 5;
/** Progress reaches the view at most this often: BuildKit can print thousands of lines a second. */
const PROGRESS_EVERY_MS = 100;

/**
 * A confirmed rebuild: the scoped prune when asked (the plan the person confirmed), `compose build` with BuildKit
 * (each line parsed into the live step table), then per service the new image's size against its budget, its
 * cache hits against the last build, its largest layers; the restart when asked (the switch flow's down, up and
 * health wait). Never throws after the `confirmed` line: a failure is in the report. `signal` ends the build (and
 * the compose behind it) as a failure: interrupted.
 */
export async function runRebuild(
  stack: StackDefinition,
  options: RebuildOptions,
  ports: { stack: StackPort; build: BuildPort },
  hooks: RebuildHooks,
  recorder: RebuildRecorder,
  images: ImagesConfig,
  extra: { prunePlan?: PrunePlan | null; model?: ComposeModel; signal?: AbortSignal; now?: () => number } = {},
): Promise<RebuildReport> {
  const now = extra.now ?? Date.now;
  const started = now();
  const report: RebuildReport = { stack: stack.name, variant: options.variant, noCache: options.noCache, result: 'failed', elapsedSeconds: 0, services: [], slowestSteps: [], pruned: null, restart: null, error: null };
  // BuildKit fetches a FROM image it does not find: a base missing here is a refusal, before anything is done.
  const model = extra.model ?? (await ports.stack.resolve(stack, options.variant));
  const missing = await missingBaseImages(ports.stack, model.services.filter((s) => options.services.includes(s.name)));
  if (missing.length) return { ...report, error: `not on the engine, and nothing is pulled: base image ${missing.join(', ')}; nothing was built` };
  recorder.audit('build', 'confirmed');
  if (options.prune) {
    hooks.phase('pruning');
    report.pruned = await prune(stack, options, ports.build, recorder, extra.prunePlan ?? null, now);
  }
  hooks.phase('building');
  const built = await build(stack, options, ports.stack, hooks, now, extra.signal);
  report.slowestSteps = slowestSteps(built.builds, SLOWEST).map(({ service, step }) => ({ service, name: step.name, seconds: step.seconds ?? 0 }));
  hooks.phase('measuring');
  try {
    report.services = await measure(options, built, ports, recorder, images, model);
  } catch (error) {
    report.error = `the images were built but could not be measured: ${errorLine(error)}`;
  }
  const failed = built.error !== null || report.services.some((s) => s.failure !== null);
  report.result = failed ? 'failed' : 'built';
  report.error = built.error ?? report.services.find((s) => s.failure)?.failure?.step ?? report.error;
  quietly(() => recorder.saveBuilds(built.records), report);
  report.elapsedSeconds = (now() - started) / 1000;
  quietly(() => recorder.audit('build', failed ? 'failed' : 'built', { elapsedSeconds: report.elapsedSeconds, error: report.error }), report);
  if (options.restart && !failed && !extra.signal?.aborted) {
    hooks.phase('restarting');
    report.restart = await restart(stack, options, ports.stack, hooks, recorder.switching, extra.signal);
  }
  return report;
}

/** A line that cannot be written (or saved) does not undo what happened: the report says it is not on record. */
function quietly(write: () => void, report: RebuildReport): void {
  try {
    write();
  } catch (error) {
    report.error = `${report.error ? `${report.error}; ` : ''}${errorLine(error)}; not on record`;
  }
}

/** The prune the person confirmed (its plan re-checked item by item by the port), audited with what it left. */
async function prune(stack: StackDefinition, options: RebuildOptions, port: BuildPort, recorder: RebuildRecorder, confirmed: PrunePlan | null, now: () => number) {
  const started = now();
  try {
    const plan = confirmed ?? (await port.planPrune(stack.project, options.pruneHours));
    recorder.audit('prune', 'confirmed');
    const result = await port.prune(plan);
    const error = result.errors.length ? result.errors.join('; ') : null;
    recorder.audit('prune', error ? 'failed' : 'pruned', { elapsedSeconds: (now() - started) / 1000, error });
    return { reclaimedBytes: result.reclaimedBytes, errors: result.errors };
  } catch (error) {
    const why = errorLine(error);
    try {
      recorder.audit('prune', 'failed', { elapsedSeconds: (now() - started) / 1000, error: why });
    } catch {
      // the prune's failure is in the report either way
    }
    return { reclaimedBytes: 0, errors: [why] };
  }
}

interface Built {
  builds: ServiceBuild[];
  /** Wall seconds per service, from its first output line to its last (compose v1 builds one at a time). */
  seconds: Map<string, number>;
  error: string | null;
  records: BuildRecord[];
}

async function build(stack: StackDefinition, options: RebuildOptions, port: StackPort, hooks: RebuildHooks, now: () => number, signal?: AbortSignal): Promise<Built> {
  const progress = new BuildProgress(options.services);
  const firstSeen = new Map<string, number>();
  const lastSeen = new Map<string, number>();
  let shownAt = 0;
  const onLine = (line: string) => {
    progress.push(line);
    const at = now();
    const current = progress.currentService();
    if (current !== null) {
      if (!firstSeen.has(current)) firstSeen.set(current, at);
      lastSeen.set(current, at);
    }
    if (at - shownAt >= PROGRESS_EVERY_MS) {
      shownAt = at;
      hooks.builds(progress.builds());
    }
  };
  let error: string | null = null;
  try {
    await port.build(stack, options.variant, options.services, onLine, { noCache: options.noCache, signal });
  } catch (e) {
    error = signal?.aborted ? 'interrupted: the build was stopped' : errorLine(e);
  }
  const builds = progress.builds();
  hooks.builds(builds);
  const seconds = new Map([...firstSeen].map(([service, first]) => [service, ((lastSeen.get(service) ?? first) - first) / 1000]));
  return { builds, seconds, error, records: [] };
}

/** A service built this time: compose got to it and BuildKit reported its steps. */
function wasBuilt(build: ServiceBuild | undefined): boolean {
  return build !== undefined && build.steps.some((s) => s.kind === 'step' || s.kind === 'export');
}

async function measure(
  options: RebuildOptions,
  built: Built,
  ports: { stack: StackPort; build: BuildPort },
  recorder: RebuildRecorder,
  images: ImagesConfig,
  model: ComposeModel,
): Promise<ServiceBuildReport[]> {
  const chosen = model.services.filter((s) => options.services.includes(s.name));
  const sizes = await ports.stack.imageSizes(chosen.map((s) => s.image));
  return Promise.all(
    chosen.map(async (service): Promise<ServiceBuildReport> => {
      const found = built.builds.find((x) => x.service === service.name);
      const budget = imageBudget(service.name, images);
      const base = { service: service.name, image: service.image, budgetBytes: budget.budgetBytes };
      if (!found || !wasBuilt(found)) {
        // Compose stopped before it (another service failed first), or never got that far: nothing about it is new.
        const none = { imageSizeBytes: null, overBudget: false, level: 'ok' as const, seconds: null, cacheableSteps: 0, cachedSteps: 0, cacheHitRatio: null, steps: [], largestLayers: [], previous: null };
        return { ...base, ...none, notBuilt: true, failure: found?.error ? { step: 'before its first step', lines: [found.error], hints: [] } : null };
      }
      const failing = failingStep(found);
      const ok = !failing && built.error === null;
      const size = ok ? (sizes[service.image] ?? null) : null;
      const stats = cacheStats(found);
      const seconds = built.seconds.get(service.name) ?? null;
      const record = toRecord(found, { variant: options.variant, image: service.image, noCache: options.noCache, builtAt: new Date().toISOString(), seconds: seconds ?? 0, imageSizeBytes: size });
      if (ok && size !== null) built.records.push(record);
      const previous = recorder.previous(service.name);
      const layers = size === null ? [] : await ports.build.history(service.image).catch(() => []);
      const level = size === null ? 'ok' : budgetLevel(size, budget);
      return {
        ...base,
        imageSizeBytes: size,
        overBudget: level === 'over',
        level,
        seconds,
        notBuilt: false,
        cacheableSteps: stats.cacheableSteps,
        cachedSteps: stats.cachedSteps,
        cacheHitRatio: stats.ratio,
        steps: found.steps.filter((st) => st.kind === 'step').map((st) => ({ name: st.name, cached: st.state === 'cached', seconds: st.seconds, error: st.error })),
        largestLayers: largestLayers(layers, LARGEST_LAYERS),
        previous: previous && ok ? compareWithPrevious(record, previous) : null,
        failure: failing ? { step: failing.name, lines: failing.lines, hints: failureHints(found) } : null,
      };
    }),
  );
}

/** The new images brought up as a switch does (down, up, health wait, measured), without a revert: audited as a switch. */
async function restart(stack: StackDefinition, options: RebuildOptions, port: StackPort, hooks: RebuildHooks, recorder: SwitchRecorder, signal?: AbortSignal) {
  const plan = await preflight(port, stack, options.variant).catch((error: unknown) => ({ error: errorLine(error), checks: [] }));
  const refusal = 'error' in plan ? plan.error : blockingChecks(plan).map((c) => c.detail).join('; ');
  if ('error' in plan || refusal) {
    return { result: 'failed' as const, from: null, to: options.variant, elapsedSeconds: 0, services: [], previous: null, error: `the restart could not start: ${refusal}`, failure: null, runningNow: 'unknown' as const };
  }
  const session = await runSwitchSession(plan, port, { phase: () => {}, progress: (list) => hooks.restart(list), leg: () => {} }, recorder, null, { signal }).catch((error: unknown) => ({
    outcome: { result: 'failed' as const, from: plan.from, to: options.variant, elapsedSeconds: 0, services: [], previous: null, error: errorLine(error), failure: null, runningNow: plan.from },
  }));
  return 'conflict' in session ? { result: 'failed' as const, from: plan.from, to: options.variant, elapsedSeconds: 0, services: [], previous: null, error: session.notice, failure: null, runningNow: 'unknown' as const } : session.outcome;
}
