import type { BuildRecord, BuildStep, ImageLayer, ServiceBuild } from './build';

/** Cache hits of one service build. Only `step` vertices can hit the cache (not internal, FROM or export ones). */
export interface CacheStats {
  cacheableSteps: number;
  cachedSteps: number;
  /** cached / cacheable; null when there is no cacheable step. */
  ratio: number | null;
}

/** Cacheable steps are kind `step` only; cached ones are those BuildKit marked `CACHED`. */
export function cacheStats(build: ServiceBuild): CacheStats {
  const cacheable = build.steps.filter((s) => s.kind === 'step');
  const cached = cacheable.filter((s) => s.state === 'cached').length;
  return { cacheableSteps: cacheable.length, cachedSteps: cached, ratio: cacheable.length === 0 ? null : cached / cacheable.length };
}

/**
 * The n slowest vertices over all services (any kind with a DONE time: exports and pulls can be the slow ones),
 * slowest first; equal times keep their order of appearance.
 */
export function slowestSteps(builds: readonly ServiceBuild[], n: number): Array<{ service: string; step: BuildStep }> {
  const timed: Array<{ service: string; step: BuildStep }> = [];
  for (const build of builds) {
    for (const step of build.steps) if (step.seconds !== null && Number.isFinite(step.seconds)) timed.push({ service: build.service, step });
  }
  return timed.sort((a, b) => (b.step.seconds ?? 0) - (a.step.seconds ?? 0)).slice(0, Math.max(0, Math.floor(n)));
}

/** What a record says beyond the build itself: the fields of BuildRecord that toRecord does not derive. */
export type RecordMeta = Pick<BuildRecord, 'variant' | 'image' | 'noCache' | 'builtAt' | 'seconds' | 'imageSizeBytes'>;

/** The record kept for the next build to compare with: the cacheable steps, in the order they appeared. */
export function toRecord(build: ServiceBuild, meta: RecordMeta): BuildRecord {
  const stats = cacheStats(build);
  return {
    service: build.service,
    variant: meta.variant,
    image: meta.image,
    noCache: meta.noCache,
    builtAt: meta.builtAt,
    seconds: meta.seconds,
    imageSizeBytes: meta.imageSizeBytes,
    cacheableSteps: stats.cacheableSteps,
    cachedSteps: stats.cachedSteps,
    steps: build.steps
      .filter((s) => s.kind === 'step')
      .map((s) => ({ name: s.name, cached: s.state === 'cached', seconds: s.seconds })),
  };
}

export interface BuildComparison {
  /** current - previous; null without a previous build (or sizes). */
  secondsDelta: number | null;
  sizeDeltaBytes: number | null;
  /** Of the cache-hit ratios; null when either has no cacheable step. */
  ratioDelta: number | null;
  /** The step whose cache broke first, and the likely reason. */
  firstBroken: { name: string; reason: string } | null;
}

export const REASON_NO_CACHE = 'a clean build (--no-cache)';
export const REASON_MANIFEST = 'the dependency manifest changed';
export const REASON_CODE = 'app code changed';
export const REASON_BASE = 'base image changed';
export const REASON_COMMAND = 'the command or a build arg changed';
export const REASON_INSTRUCTION = 'the instruction or a build arg changed';

/**
 * Compares a build with the previous one of the same service and variant.
 *
 * firstBroken: with `--no-cache`, the first cacheable step not cached, "a clean build (--no-cache)". Otherwise a
 * step is broken when it is not cached now and the previous build had the same step (same name, or the same
 * stage and position). Of the broken steps, the one whose cache broke first is one whose predecessor in its stage
 * still hit the cache (later steps only follow it), leaving out a `COPY --from=S` when stage S itself rebuilt, and
 * preferring a step that is not the first of a stage built on another stage. BuildKit prints vertices as they run,
 * not in Dockerfile order, so "first" cannot simply be the first printed. The reason comes from its instruction:
 * see {@link brokenReason}. Null without a previous build (unless --no-cache) or when nothing broke.
 */
export function compareWithPrevious(current: BuildRecord, previous: BuildRecord | undefined): BuildComparison {
  const ratio = (r: BuildRecord): number | null => (r.cacheableSteps > 0 ? r.cachedSteps / r.cacheableSteps : null);
  const currentRatio = ratio(current);
  const previousRatio = previous ? ratio(previous) : null;
  return {
    secondsDelta: previous ? current.seconds - previous.seconds : null,
    sizeDeltaBytes:
      previous && current.imageSizeBytes !== null && previous.imageSizeBytes !== null ? current.imageSizeBytes - previous.imageSizeBytes : null,
    ratioDelta: currentRatio !== null && previousRatio !== null ? currentRatio - previousRatio : null,
    firstBroken: findFirstBroken(current, previous),
  };
}

function findFirstBroken(current: BuildRecord, previous: BuildRecord | undefined): { name: string; reason: string } | null {
  if (current.noCache) {
    const first = current.steps.find((s) => !s.cached);
    return first ? { name: first.name, reason: REASON_NO_CACHE } : null;
  }
  if (!previous) return null;
  const parsed = current.steps.map((s) => ({ ...s, ...parseStepName(s.name) }));
  const before = previous.steps.map((s) => ({ ...s, ...parseStepName(s.name) }));
  const samePlace = (a: ParsedStepName, b: ParsedStepName): boolean => a.stage === b.stage && a.index !== null && a.index === b.index;
  const broken = parsed
    .map((step) => ({ step, was: before.find((b) => b.name === step.name) ?? before.find((b) => samePlace(b, step)) }))
    .filter((x) => !x.step.cached && x.was !== undefined);
  if (broken.length === 0) return null;
  const brokenStages = new Set(parsed.filter((s) => !s.cached).map((s) => s.stage));
  const roots = broken.filter(({ step }) => {
    const predecessor = step.index === null ? undefined : parsed.find((p) => p.stage === step.stage && p.index === step.index! - 1);
    if (predecessor && !predecessor.cached) return false;
    const from = copyFromStage(step.instruction);
    return !(from !== null && brokenStages.has(from));
  });
  const ranked = [...roots.filter(({ step }) => !inheritsStage(step)), ...roots.filter(({ step }) => inheritsStage(step))];
  const chosen = ranked[0] ?? broken[0];
  if (!chosen) return null;
  const stageFirst = !parsed.some((p) => p.stage === chosen.step.stage && p.index !== null && chosen.step.index !== null && p.index < chosen.step.index);
  const sameInstruction = chosen.was !== undefined && chosen.was.instruction === chosen.step.instruction;
  return { name: chosen.step.name, reason: brokenReason(chosen.step.instruction, { stageFirst, sameInstruction }) };
}

/** Index 1 and not a FROM: the stage is built on another stage of the Dockerfile, so it follows that one. */
function inheritsStage(step: ParsedStepName): boolean {
  return step.index === 1 && !(step.instruction !== null && /^FROM\b/i.test(step.instruction));
}

/**
 * The likely reason a step's cache broke, from its instruction: COPY/ADD of a dependency manifest → "the
 * dependency manifest changed"; `COPY --from=S` → "files copied from stage S changed"; other COPY/ADD → "app code
 * changed"; a FROM, or an unchanged instruction that is the first cacheable step of its stage (right after its
 * FROM) → "base image changed"; RUN → "the command or a build arg changed"; anything else → "the instruction or a
 * build arg changed".
 */
export function brokenReason(instruction: string | null, context: { stageFirst?: boolean; sameInstruction?: boolean } = {}): string {
  const text = (instruction ?? '').trim();
  const keyword = (/^(\w+)/.exec(text)?.[1] ?? '').toUpperCase();
  if (keyword === 'FROM') return REASON_BASE;
  if (keyword === 'COPY' || keyword === 'ADD') {
    const from = copyFromStage(text);
    if (from !== null) return `files copied from stage ${from} changed`;
    if (copySources(text).some(isDependencyManifest)) return REASON_MANIFEST;
    return REASON_CODE;
  }
  if (context.stageFirst && context.sameInstruction) return REASON_BASE;
  if (keyword === 'RUN') return REASON_COMMAND;
  return REASON_INSTRUCTION;
}

const MANIFESTS = [
  /^requirements.*\.(txt|in)$/i,
  /^package\.json$/,
  /^package-lock\.json$/,
  /^npm-shrinkwrap\.json$/,
  /^yarn\.lock$/,
  /^pnpm-lock\.yaml$/,
  /^pyproject\.toml$/,
  /^poetry\.lock$/,
  /^Pipfile/,
  /^uv\.lock$/,
  /^constraints.*\.txt$/i,
];

/** A dependency manifest or lock file, by its base name (`app/backend/requirements.txt`, `requirements*.txt`). */
export function isDependencyManifest(path: string): boolean {
  const base = path.replace(/\/+$/, '').split('/').at(-1) ?? '';
  return MANIFESTS.some((re) => re.test(base));
}

/** The sources of a COPY/ADD (flags and destination left out; JSON-array form too). */
export function copySources(instruction: string): string[] {
  const body = instruction.trim().replace(/^(COPY|ADD)\s+/i, '');
  let args: string[];
  if (body.replace(/^(--\S+\s+)*/, '').startsWith('[')) {
    const json = body.replace(/^(--\S+\s+)*/, '');
    try {
      const parsed: unknown = JSON.parse(json);
      args = Array.isArray(parsed) ? parsed.map(String) : [];
    } catch {
      args = [];
    }
  } else {
    args = body.split(/\s+/).filter((a) => a !== '' && !a.startsWith('--'));
  }
  return args.slice(0, -1);
}

function copyFromStage(instruction: string | null): string | null {
  if (!instruction || !/^(COPY|ADD)\b/i.test(instruction.trim())) return null;
  return /\s--from=(\S+)/.exec(instruction)?.[1] ?? null;
}

/** What a step's name says: the fields of BuildStep that come from it. */
export type ParsedStepName = Pick<BuildStep, 'stage' | 'index' | 'total' | 'instruction'>;

/** `[builder 3/4] COPY requirements.txt .` → stage builder, 3 of 4, `COPY requirements.txt .`. */
export function parseStepName(name: string): ParsedStepName {
  const m = /^\[(?:(.*)\s+)?(\d+)\/(\d+)\]\s*(.*)$/.exec(name.trim());
  if (!m) return { stage: null, index: null, total: null, instruction: name.trim() || null };
  return { stage: m[1]?.trim() || null, index: Number(m[2]), total: Number(m[3]), instruction: m[4] || null };
}

/** The failing step of a build: its name, the step, and its last lines (output, then its error). */
export interface FailingStep {
  name: string;
  step: BuildStep;
  lines: string[];
}

/**
 * The failing step of a failed build (the first step in error that was not merely CANCELED), or null when no step
 * failed. `lines`: its last output lines (at most `lines`), then its error line.
 */
export function failingStep(build: ServiceBuild, lines = 10): FailingStep | null {
  const errored = build.steps.filter((s) => s.state === 'error');
  const step = errored.find((s) => s.error !== 'CANCELED') ?? errored[0];
  if (!step) return null;
  const tail = step.output.slice(-Math.max(0, lines));
  if (step.error && step.error !== 'CANCELED' && !tail.includes(step.error)) tail.push(step.error);
  return { name: step.name, step, lines: tail };
}

export type FailureCause = 'package-missing' | 'musl-wheel' | 'missing-file' | 'disk-full';

export interface FailureHint {
  cause: FailureCause;
  /** One line: what happened and what to do. */
  text: string;
}

/** {@link failureCauses}' lines: one line per recognised cause, what happened and what to do. */
export function failureHints(build: ServiceBuild): string[] {
  return failureCauses(build).map((h) => h.text);
}

/**
 * The known causes of a failed build, from the failing step's instruction, output and error and the build's error
 * line: a package (pin) gone from the apk/apt index, a glibc-only (manylinux) binary on musl, a copied file missing
 * from the context (or excluded by .dockerignore), a full disk. Empty when nothing is recognised or nothing failed.
 */
export function failureCauses(build: ServiceBuild): FailureHint[] {
  const failing = failingStep(build);
  if (!failing && build.error === null) return [];
  const parts = [failing?.step.instruction ?? '', ...(failing?.step.output ?? []), failing?.step.error ?? '', build.error ?? ''];
  const text = parts.join('\n');
  const hints: FailureHint[] = [];

  if (/unable to select packages|E: Unable to locate package|E: Version '[^']*' for '[^']*' was not found|\(no such package\)|E: Package '[^']*' has no installation candidate/i.test(text)) {
    const name =
      /E: Unable to locate package (\S+)/.exec(text)?.[1] ??
      /E: Version '([^']*)' for '([^']*)' was not found/.exec(text)?.slice(1, 3).reverse().join('=') ??
      /^\s+(\S+?)(?: \(no such package\))?:\s*$/m.exec(text)?.[1] ??
      null;
    hints.push({
      cause: 'package-missing',
      text: `A system package${name ? ` (${name})` : ''} or its pinned version is no longer in the distribution's index: update or drop the version pin in the apk/apt line, or pin the base image to the release it came from.`,
    });
  }
  if (/is not a supported wheel on this platform|manylinux|Error relocating|Error loading shared library/i.test(text)) {
    hints.push({
      cause: 'musl-wheel',
      text: 'A glibc-only (manylinux) binary on musl (Alpine): use a musllinux wheel or build it from source (apk add build-base; pip install --no-binary <pkg>), or build this service from the Debian/slim (glibc) variant.',
    });
  }
  if (/failed to compute cache key|"[^"]*":? not found|not found: not found/i.test(text)) {
    const path = /"([^"]+)":? not found/.exec(text)?.[1] ?? null;
    hints.push({
      cause: 'missing-file',
      text: `A file the Dockerfile copies${path ? ` (${path})` : ''} is not in the build context: check the path is relative to the context directory and that .dockerignore does not exclude it.`,
    });
  }
  if (/no space left on device/i.test(text)) {
    hints.push({
      cause: 'disk-full',
      text: "Docker's disk is full: prune unused images and build cache (docker image prune, docker builder prune) or give Docker more disk, then rebuild.",
    });
  }
  return hints;
}

/** The `images:` section of the configuration (src/config/schema.ts). */
export interface ImagesConfig {
  warningMB: number;
  /** The budget of a service not named in budgetsMB. */
  criticalMB: number;
  budgetsMB: Record<string, number>;
}

export interface ImageBudget {
  budgetBytes: number;
  warningBytes: number;
}

/** Docker prints image sizes in decimal units: 1 MB = 1,000,000 bytes. */
export const MB = 1_000_000;

/**
 * A service's image budget: budgetsMB[service], else criticalMB. The warning level is warningMB, scaled down for a
 * budget smaller than criticalMB (same fraction warningMB / criticalMB of it), so it always lies below the budget:
 * with the defaults, backend 250 of 500 MB, frontend 100 of 200 MB, any other service 250 of 500 MB.
 */
export function imageBudget(service: string, images: ImagesConfig): ImageBudget {
  const named = Object.hasOwn(images.budgetsMB, service) ? images.budgetsMB[service] : undefined;
  const budgetMB = named ?? images.criticalMB;
  const fraction = images.criticalMB > 0 ? Math.min(1, images.warningMB / images.criticalMB) : 1;
  const warningMB = Math.min(images.warningMB, budgetMB * fraction);
  return { budgetBytes: Math.round(budgetMB * MB), warningBytes: Math.round(warningMB * MB) };
}

/** 'over' above the budget, 'warning' above the warning level, else 'ok'. */
export function budgetLevel(sizeBytes: number, budget: ImageBudget): 'ok' | 'warning' | 'over' {
  if (sizeBytes > budget.budgetBytes) return 'over';
  if (sizeBytes > budget.warningBytes) return 'warning';
  return 'ok';
}

/** The n largest layers with a size, largest first, with what made them cleaned up ({@link cleanCreatedBy}). */
export function largestLayers(layers: readonly ImageLayer[], n: number): ImageLayer[] {
  return layers
    .filter((l) => Number.isFinite(l.sizeBytes) && l.sizeBytes > 0)
    .map((l) => ({ sizeBytes: l.sizeBytes, createdBy: cleanCreatedBy(l.createdBy) }))
    .sort((a, b) => b.sizeBytes - a.sizeBytes)
    .slice(0, Math.max(0, Math.floor(n)));
}

/**
 * `docker history`'s CREATED BY, readable: `|2 NATIVE_EXT=none X=y /bin/sh -c pip install …` → `RUN pip install …`,
 * `/bin/sh -c #(nop) COPY dir:… in /app` → `COPY dir:… in /app`, `RUN /bin/sh -c …` → `RUN …`, BuildKit's trailing
 * ` # buildkit` dropped. An empty one (an imported base layer) → `(base image layer)`.
 */
export function cleanCreatedBy(createdBy: string): string {
  let text = createdBy.trim();
  text = text.replace(/^\|\d+(?:\s+[^\s=]+=\S*)*\s+/, '');
  text = text.replace(/\s+# buildkit$/, '');
  if (/^\/bin\/sh -c #\(nop\)\s*/.test(text)) text = text.replace(/^\/bin\/sh -c #\(nop\)\s*/, '');
  else if (/^\/bin\/sh -c /.test(text)) text = `RUN ${text.replace(/^\/bin\/sh -c /, '')}`;
  text = text.replace(/^RUN \|\d+(?:\s+[^\s=]+=\S*)*\s+/, 'RUN ');
  text = text.replace(/^RUN \/bin\/sh -c /, 'RUN ');
  return text === '' ? '(base image layer)' : text;
}
