import type { SwitchAuditEntry, SwitchAuditResult } from '../domain/audit';
import type { BuildRecord, ServiceBuild } from '../domain/build';
import { budgetLevel, cacheStats, compareWithPrevious, failingStep, failureHints, imageBudget, largestLayers, toRecord, type ImagesConfig } from '../domain/build-analysis';
import { BuildProgress } from '../domain/buildkit-progress';
import { errorLine } from '../domain/printable';
import type { StackDefinition } from '../domain/stacks';
import type { BuildPort } from './build-port';
import type { RebuildOptions, RebuildPhase, RebuildReport, ServiceBuildReport } from './rebuild-machine';
import type { StackPort } from './stack-port';
import type { ServiceProgress } from './switch-machine';
import { blockingChecks } from './switch-plan';
import { preflight } from './switch-driver';
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
/** Progress reaches the view at most this often: BuildKit can print thousands of lines a second. */
const PROGRESS_EVERY_MS = 100;

/**
 * A confirmed rebuild: the scoped prune when asked, `compose build` with BuildKit (each line parsed into the live
 * step table), then per service the new image's size against its budget, its cache hits against the last build,
 * its largest layers; the restart when asked (the switch flow's down, up and health wait). Never throws after the
 * `confirmed` line: a failure is in the report.
 */
export async function runRebuild(
  stack: StackDefinition,
  options: RebuildOptions,
  ports: { stack: StackPort; build: BuildPort },
  hooks: RebuildHooks,
  recorder: RebuildRecorder,
  images: ImagesConfig,
  now: () => number = Date.now,
): Promise<RebuildReport> {
  const started = now();
  recorder.audit('build', 'confirmed');
  const elapsed = () => (now() - started) / 1000;
  const report: RebuildReport = { stack: stack.name, variant: options.variant, noCache: options.noCache, result: 'failed', elapsedSeconds: 0, services: [], pruned: null, restart: null, error: null };
  try {
    if (options.prune) {
      hooks.phase('pruning');
      report.pruned = await prune(stack, options, ports.build, recorder);
    }
    hooks.phase('building');
    const built = await build(stack, options, ports.stack, hooks, now);
    hooks.phase('measuring');
    report.services = await measure(stack, options, built, ports, recorder, images);
    report.error = built.error ?? report.services.find((s) => s.failure)?.failure?.step ?? null;
    report.result = built.error || report.services.some((s) => s.failure) ? 'failed' : 'built';
    recorder.saveBuilds(built.records);
  } catch (error) {
    report.error = errorLine(error);
  }
  report.elapsedSeconds = elapsed();
  quietly(() => recorder.audit('build', report.result === 'built' ? 'built' : 'failed', { elapsedSeconds: report.elapsedSeconds, error: report.error }), report);
  if (options.restart && report.result === 'built') {
    hooks.phase('restarting');
    report.restart = await restart(stack, options, ports.stack, hooks, recorder.switching);
  }
  return report;
}

/** A result line that cannot be written does not undo what happened: the report says it is not on record. */
function quietly(write: () => void, report: RebuildReport): void {
  try {
    write();
  } catch (error) {
    report.error = `${report.error ? `${report.error}; ` : ''}${errorLine(error)}; this result is not on record`;
  }
}

async function prune(stack: StackDefinition, options: RebuildOptions, port: BuildPort, recorder: RebuildRecorder): Promise<{ reclaimedBytes: number }> {
  const plan = await port.planPrune(stack.project, options.pruneHours);
  recorder.audit('prune', 'confirmed');
  const result = await port.prune(plan);
  const error = result.errors.length ? result.errors.join('; ') : null;
  recorder.audit('prune', error ? 'failed' : 'pruned', { elapsedSeconds: 0, error });
  return { reclaimedBytes: result.reclaimedBytes };
}

interface Built {
  builds: ServiceBuild[];
  /** Wall seconds per service, from its first output line to the next service's (compose v1 builds one at a time). */
  seconds: Map<string, number>;
  error: string | null;
  records: BuildRecord[];
}

async function build(stack: StackDefinition, options: RebuildOptions, port: StackPort, hooks: RebuildHooks, now: () => number): Promise<Built> {
  const progress = new BuildProgress(options.services);
  // Wall time per service: from its first line to its last (compose v1 builds one service after another).
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
    await port.build(stack, options.variant, options.services, onLine, { noCache: options.noCache });
  } catch (e) {
    error = errorLine(e);
  }
  const builds = progress.builds();
  hooks.builds(builds);
  const seconds = new Map([...firstSeen].map(([service, first]) => [service, ((lastSeen.get(service) ?? first) - first) / 1000]));
  return { builds, seconds, error, records: [] };
}

async function measure(
  stack: StackDefinition,
  options: RebuildOptions,
  built: Built,
  ports: { stack: StackPort; build: BuildPort },
  recorder: RebuildRecorder,
  images: ImagesConfig,
): Promise<ServiceBuildReport[]> {
  const model = await ports.stack.resolve(stack, options.variant);
  const chosen = model.services.filter((s) => options.services.includes(s.name));
  const sizes = await ports.stack.imageSizes(chosen.map((s) => s.image));
  return Promise.all(
    chosen.map(async (service) => {
      const b = built.builds.find((x) => x.service === service.name) ?? { service: service.name, steps: [], error: null };
      const failing = failingStep(b);
      const size = failing ? null : (sizes[service.image] ?? null);
      const stats = cacheStats(b);
      const seconds = built.seconds.get(service.name) ?? null;
      const budget = imageBudget(service.name, images);
      const record = toRecord(b, { variant: options.variant, image: service.image, noCache: options.noCache, builtAt: new Date().toISOString(), seconds: seconds ?? 0, imageSizeBytes: size });
      if (!failing && size !== null) built.records.push(record);
      const previous = recorder.previous(service.name);
      const layers = size === null ? [] : await ports.build.history(service.image).catch(() => []);
      const level = size === null ? 'ok' : budgetLevel(size, budget);
      return {
        service: service.name,
        image: service.image,
        imageSizeBytes: size,
        budgetBytes: budget.budgetBytes,
        overBudget: level === 'over',
        level,
        seconds,
        cacheableSteps: stats.cacheableSteps,
        cachedSteps: stats.cachedSteps,
        cacheHitRatio: stats.ratio,
        steps: b.steps.filter((s) => s.kind === 'step').map((s) => ({ name: s.name, cached: s.state === 'cached', seconds: s.seconds, error: s.error })),
        largestLayers: largestLayers(layers, LARGEST_LAYERS),
        previous: previous && !failing ? compareWithPrevious(record, previous) : null,
        failure: failing ? { step: failing.name, lines: failing.lines, hints: failureHints(b) } : null,
      } satisfies ServiceBuildReport;
    }),
  );
}

/** The new images brought up as a switch does (down, up, health wait, measured), without a revert: audited as a switch. */
async function restart(stack: StackDefinition, options: RebuildOptions, port: StackPort, hooks: RebuildHooks, recorder: SwitchRecorder) {
  const plan = await preflight(port, stack, options.variant).catch((error: unknown) => ({ error: errorLine(error), checks: [] }));
  const refusal = 'error' in plan ? plan.error : blockingChecks(plan).map((c) => c.detail).join('; ');
  if ('error' in plan || refusal) {
    return { result: 'failed' as const, from: null, to: options.variant, elapsedSeconds: 0, services: [], previous: null, error: `the restart could not start: ${refusal}`, failure: null, runningNow: 'unknown' as const };
  }
  const session = await runSwitchSession(plan, port, { phase: () => {}, progress: (list) => hooks.restart(list), leg: () => {} }, recorder, null).catch((error: unknown) => ({
    outcome: { result: 'failed' as const, from: plan.from, to: options.variant, elapsedSeconds: 0, services: [], previous: null, error: errorLine(error), failure: null, runningNow: plan.from },
  }));
  return 'conflict' in session ? { result: 'failed' as const, from: plan.from, to: options.variant, elapsedSeconds: 0, services: [], previous: null, error: session.notice, failure: null, runningNow: 'unknown' as const } : session.outcome;
}
