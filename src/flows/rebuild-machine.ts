import type { BuildStep, DiskUsage, ImageLayer, PrunePlan, ServiceBuild } from '../domain/build';
import type { BuildComparison } from '../domain/build-analysis';
import type { StackDefinition, StackVariant } from '../domain/stacks';
import type { ServiceProgress, SwitchOutcome } from './switch-machine';

export interface RebuildOptions {
  variant: StackVariant;
  /** The services to build; every service of the variant when it lists them all. */
  services: string[];
  noCache: boolean;
  /** Bring the stack up on the new images afterwards (the switch flow's up and health wait). */
  restart: boolean;
  /** A scoped prune first: this stack's dangling images and stopped containers, builder cache older than pruneHours. */
  prune: boolean;
  pruneHours: number;
}

export interface ServiceBuildReport {
  service: string;
  image: string;
  imageSizeBytes: number | null;
  budgetBytes: number;
  overBudget: boolean;
  /** ok, warning (over the guides' warning size), over (over its budget). */
  level: 'ok' | 'warning' | 'over';
  seconds: number | null;
  /** Not built this time: compose stopped before it (another service failed), or the build never started. */
  notBuilt: boolean;
  cacheableSteps: number;
  cachedSteps: number;
  cacheHitRatio: number | null;
  steps: Array<{ name: string; cached: boolean; seconds: number | null; error: string | null }>;
  largestLayers: ImageLayer[];
  previous: BuildComparison | null;
  /** For a failed build: the failing step, its last lines, and hints for the known causes. */
  failure: { step: string; lines: string[]; hints: string[] } | null;
}

export interface RebuildReport {
  stack: string;
  variant: StackVariant;
  noCache: boolean;
  result: 'built' | 'failed';
  elapsedSeconds: number;
  services: ServiceBuildReport[];
  /** The slowest vertices of the build, export and FROM included (guide 003: "export 20 s"). */
  slowestSteps: Array<{ service: string; name: string; seconds: number }>;
  /** What the prune reclaimed, and what it had to leave (e.g. a container running again by then). */
  pruned: { reclaimedBytes: number; errors: string[] } | null;
  /** The restart on the new images, when asked for. */
  restart: SwitchOutcome | null;
  error: string | null;
}

export type RebuildPhase = 'pruning' | 'building' | 'measuring' | 'restarting';

/**
 * The rebuild dialog as a pure state machine: choose (variant, services, clean or cached, restart, prune; what a
 * prune would reclaim) → type the stack's name → building (live steps) → done (the report). Esc until confirmed
 * changes nothing.
 */
export type RebuildFlow =
  | { step: 'options'; stack: StackDefinition; allServices: string[]; options: RebuildOptions; cursor: number; usage: DiskUsage | null; prunePlan: PrunePlan | null; notice: string | null }
  | { step: 'confirm'; stack: StackDefinition; options: RebuildOptions; prunePlan: PrunePlan | null; typed: string; notice: string | null }
  | { step: 'running'; stack: StackDefinition; options: RebuildOptions; phase: RebuildPhase; builds: ServiceBuild[]; restart: ServiceProgress[]; startedMs: number }
  | { step: 'done'; stack: StackDefinition; options: RebuildOptions; report: RebuildReport };

export const DEFAULT_PRUNE_HOURS = 24;

export function startRebuild(stack: StackDefinition, variant: StackVariant, allServices: string[], only?: string): RebuildFlow {
  const services = only && allServices.includes(only) ? [only] : allServices;
  return {
    step: 'options',
    stack,
    allServices,
    options: { variant, services, noCache: false, restart: false, prune: false, pruneHours: DEFAULT_PRUNE_HOURS },
    cursor: 0,
    usage: null,
    prunePlan: null,
    notice: null,
  };
}

type Options = Extract<RebuildFlow, { step: 'options' }>;

function onOptions(flow: RebuildFlow, change: (flow: Options) => RebuildFlow): RebuildFlow {
  return flow.step === 'options' ? change(flow) : flow;
}

/** Clean or cached, restart afterwards, prune first: on or off. */
export function toggle(flow: RebuildFlow, what: 'noCache' | 'restart' | 'prune'): RebuildFlow {
  return onOptions(flow, (f) => ({ ...f, options: { ...f.options, [what]: !f.options[what] }, notice: null }));
}

export function moveCursor(flow: RebuildFlow, delta: number): RebuildFlow {
  return onOptions(flow, (f) => ({ ...f, cursor: Math.min(f.allServices.length - 1, Math.max(0, f.cursor + delta)) }));
}

/** Space on a service: in or out of the build (at least one stays in). */
export function toggleService(flow: RebuildFlow): RebuildFlow {
  return onOptions(flow, (f) => {
    const service = f.allServices[f.cursor];
    if (!service) return f;
    const chosen = f.options.services.includes(service) ? f.options.services.filter((s) => s !== service) : [...f.options.services, service];
    if (chosen.length === 0) return { ...f, notice: 'at least one service must be built' };
    const ordered = f.allServices.filter((s) => chosen.includes(s));
    return { ...f, options: { ...f.options, services: ordered }, notice: null };
  });
}

export function withUsage(flow: RebuildFlow, usage: DiskUsage | null, prunePlan: PrunePlan | null): RebuildFlow {
  return onOptions(flow, (f) => ({ ...f, usage, prunePlan }));
}

export function proceed(flow: RebuildFlow): RebuildFlow {
  return onOptions(flow, (f) => ({ step: 'confirm', stack: f.stack, options: f.options, prunePlan: f.options.prune ? f.prunePlan : null, typed: '', notice: null }));
}

export function typeConfirmation(flow: RebuildFlow, edit: (typed: string) => string): RebuildFlow {
  return flow.step === 'confirm' ? { ...flow, typed: edit(flow.typed) } : flow;
}

export function isConfirmed(flow: RebuildFlow): boolean {
  return flow.step === 'confirm' && flow.typed.trim() === flow.stack.name;
}

export function startRunning(flow: RebuildFlow, nowMs: number): RebuildFlow {
  if (!isConfirmed(flow) || flow.step !== 'confirm') return flow;
  return { step: 'running', stack: flow.stack, options: flow.options, phase: flow.options.prune ? 'pruning' : 'building', builds: [], restart: [], startedMs: nowMs };
}

export function progressed(flow: RebuildFlow, change: Partial<{ phase: RebuildPhase; builds: ServiceBuild[]; restart: ServiceProgress[] }>): RebuildFlow {
  return flow.step === 'running' ? { ...flow, ...change } : flow;
}

export function finished(flow: RebuildFlow, report: RebuildReport): RebuildFlow {
  return flow.step === 'running' ? { step: 'done', stack: flow.stack, options: flow.options, report } : flow;
}

/** What a step shows in the live table: its state and seconds. */
export function stepSummary(step: BuildStep): string {
  if (step.state === 'cached') return 'cached';
  if (step.state === 'running') return 'running';
  if (step.state === 'error') return 'error';
  return step.seconds === null ? 'done' : `${step.seconds.toFixed(1)} s`;
}
