import type { BuildStep, ServiceBuild } from './build';

/**
 * A streaming parser of BuildKit's plain progress (`BUILDKIT_PROGRESS=plain`) as `docker-compose build` prints it,
 * one line at a time (ANSI already stripped):
 *
 *   const progress = new BuildProgress(['postgres', 'backend']);
 *   for (const line of lines) progress.push(line);
 *   progress.builds(); // ServiceBuild[]: one per service whose build has started, in the order they started
 *
 * Which service a line belongs to:
 * - compose v1 (1.29) builds the services one after another and prints `Building <service>` before each service's
 *   `docker build` output; vertex numbers (`#N`) restart with every service.
 * - compose v2 builds them in parallel, in one BuildKit session, and prefixes vertex names with the service
 *   (`#5 [backend builder 2/5] RUN …`, `#1 [backend internal] load build definition …`); vertex numbers are unique
 *   in the session. A vertex without a service prefix (`#20 exporting to image`) goes to the last service named.
 * - Neither (a bare `docker build` log): everything goes to the only service given, or to a build named `''`.
 *
 * What it understands: vertex headers (`#N [stage i/n] INSTRUCTION`, `#N [internal] …`, `#N exporting to image`),
 * `#N CACHED`, `#N DONE 1.2s`, `#N ERROR …` / `#N ERROR: …`, `#N CANCELED`, timed output (`#N 0.312 text`), BuildKit's
 * error summary (`------` / ` > [stage 2/5] RUN …:` / `------` then `executor failed running […]: exit code: 1`,
 * `failed to solve: …`, `failed to compute cache key: …`, buildx's `ERROR: failed to solve: …`) and compose's own
 * failure line (`Service 'backend' failed to build : Build failed`, `ERROR: Service 'backend' failed to build: …`).
 * Anything else (transfer progress, `sha256:` lines, blank lines, annotations) is ignored. It never throws.
 *
 * Bounded memory: at most {@link MAX_OUTPUT_LINES} output lines per step, {@link MAX_STEPS} steps per build,
 * {@link MAX_BUILDS} builds, and lines cut at {@link MAX_LINE_CHARS} characters.
 */
export class BuildProgress {
  private readonly services: ReadonlySet<string>;
  private readonly fallbackService: string;
  private readonly byService = new Map<string, ServiceBuild>();
  /** Vertex number -> its step and build. Cleared by `Building <service>` (v1 numbers restart per service). */
  private vertices = new Map<number, { build: ServiceBuild; step: BuildStep }>();
  private current: ServiceBuild | null = null;
  /** Inside BuildKit's `------` error summary. */
  private inSummary = false;
  /** The step named by the summary's ` > [...]:` line, for the timed lines that follow it (newer CLIs). */
  private summaryStep: BuildStep | null = null;
  /** The build of that step: the cause line after the summary (`failed to solve: …`) belongs to it. */
  private summaryBuild: ServiceBuild | null = null;

  constructor(services: readonly string[] = []) {
    this.services = new Set(services);
    this.fallbackService = services.length === 1 ? (services[0] ?? '') : '';
  }

  /** Feeds one line of output (a trailing `\r` or `\n` is ignored). Never throws. */
  push(line: string): void {
    try {
      this.handle(typeof line === 'string' ? line : String(line));
    } catch {
      // Odd input must not break a build view.
    }
  }

  /** The service whose output came last (null before any). */
  currentService(): string | null {
    return this.current?.service ?? null;
  }

  /** A copy of the builds parsed so far (one per service that started), safe to keep or edit. */
  builds(): ServiceBuild[] {
    return [...this.byService.values()].map((b) => ({
      service: b.service,
      error: b.error,
      steps: b.steps.map((s) => ({ ...s, output: [...s.output] })),
    }));
  }

  private handle(raw: string): void {
    let line = raw.replace(/[\r\n]+$/, '');
    if (line.length > MAX_LINE_CHARS) line = line.slice(0, MAX_LINE_CHARS);

    const building = /^Building (\S+)\s*$/.exec(line);
    if (building) {
      this.current = this.buildFor(building[1] ?? '');
      this.vertices = new Map();
      this.inSummary = false;
      this.summaryStep = null;
      this.summaryBuild = null;
      return;
    }

    const composeFailed = /^(?:ERROR: )?Service '([^']+)' failed to build\b/.exec(line);
    if (composeFailed) {
      const build = this.buildFor(composeFailed[1] ?? '');
      // The docker CLI's cause (`executor failed running …`) says more than compose's `Build failed`: keep it.
      if (build.error === null) build.error = line.replace(/^ERROR: /, '').trim();
      this.inSummary = false;
      return;
    }

    if (line === '------') {
      this.inSummary = !this.inSummary;
      if (this.inSummary) this.summaryStep = null;
      return;
    }

    const vertex = /^#(\d+) (.*)$/.exec(line);
    if (vertex) {
      this.handleVertexLine(Number(vertex[1]), vertex[2] ?? '');
      return;
    }

    if (this.inSummary) {
      this.handleSummaryLine(line);
      return;
    }

    const cause =
      /^(?:ERROR: )?((?:executor failed running|failed to solve|failed to compute cache key|failed to build|error building image)\b.*)$/i.exec(
        line.trim(),
      );
    if (cause) {
      const build = this.summaryBuild ?? this.current ?? this.buildFor(this.fallbackService);
      build.error = cause[1] ?? line.trim();
    }
  }

  private handleVertexLine(n: number, rest: string): void {
    const known = this.vertices.get(n);

    const done = /^DONE (\d+(?:\.\d+)?)s\b/.exec(rest);
    if (done) {
      if (known && known.step.state === 'running') {
        known.step.state = 'done';
        known.step.seconds = Number(done[1]);
      }
      return;
    }
    if (/^CACHED\b/.test(rest)) {
      if (known) {
        known.step.state = 'cached';
        known.step.seconds = null;
      }
      return;
    }
    if (/^CANCELED\b/.test(rest)) {
      if (known && known.step.state === 'running') {
        known.step.state = 'error';
        known.step.error = 'CANCELED';
      }
      return;
    }
    const error = /^ERROR\b:?\s*(.*)$/.exec(rest);
    if (error) {
      if (known) {
        known.step.state = 'error';
        known.step.error = error[1] || 'ERROR';
      }
      return;
    }
    const output = /^(\d+\.\d+) ?(.*)$/.exec(rest);
    if (output) {
      if (known) addOutput(known.step, output[2] ?? '');
      return;
    }

    const header = rest.startsWith('[') || !known ? parseHeader(rest, this.services) : null;
    if (!header) return; // transfer progress, sha256 lines, `resolve … done`: nothing to keep
    if (known) {
      // Plain progress repeats a header when it switches back to a vertex; nothing new in it.
      if (known.step.name === header.step.name) return;
    }
    const build = header.service !== null ? this.buildFor(header.service) : (this.current ?? this.buildFor(this.fallbackService));
    this.current = build;
    if (known && known.build === build) {
      Object.assign(known.step, { ...header.step, state: known.step.state, seconds: known.step.seconds, output: known.step.output, error: known.step.error });
      return;
    }
    if (build.steps.length >= MAX_STEPS) return;
    const step: BuildStep = { vertex: n, ...header.step, state: 'running', seconds: null, output: [], error: null };
    build.steps.push(step);
    this.vertices.set(n, { build, step });
  }

  private handleSummaryLine(line: string): void {
    const failed = /^\s*> (\[.*\].*?):\s*$/.exec(line);
    if (failed) {
      const header = parseHeader(failed[1] ?? '', this.services);
      if (!header) return;
      const build = header.service !== null ? this.buildFor(header.service) : (this.current ?? this.buildFor(this.fallbackService));
      let step = build.steps.find((s) => s.name === header.step.name) ?? null;
      if (!step && build.steps.length < MAX_STEPS) {
        step = { vertex: 0, ...header.step, state: 'error', seconds: null, output: [], error: null };
        build.steps.push(step);
      }
      if (step && step.state !== 'error') step.state = 'error';
      this.summaryStep = step;
      this.summaryBuild = build;
      return;
    }
    // Newer CLIs repeat the failing step's last lines here, timed but without `#N`.
    const timed = /^\s*(\d+\.\d+) (.*)$/.exec(line);
    const text = timed?.[2];
    if (text !== undefined && this.summaryStep && !this.summaryStep.output.includes(text)) addOutput(this.summaryStep, text);
  }

  private buildFor(service: string): ServiceBuild {
    let build = this.byService.get(service);
    if (!build) {
      build = { service, steps: [], error: null };
      if (this.byService.size < MAX_BUILDS) this.byService.set(service, build);
    }
    return build;
  }
}

/** Output lines kept per step (the last ones). */
export const MAX_OUTPUT_LINES = 20;
/** Steps kept per service build. */
export const MAX_STEPS = 500;
/** Service builds kept. */
export const MAX_BUILDS = 200;
/** Longer lines are cut. */
export const MAX_LINE_CHARS = 4000;

/** Parses a whole recorded output (a string or its lines) at once. */
export function parseBuildOutput(output: string | Iterable<string>, services: readonly string[] = []): ServiceBuild[] {
  const progress = new BuildProgress(services);
  const lines = typeof output === 'string' ? output.split('\n') : output;
  for (const line of lines) progress.push(line);
  return progress.builds();
}

type StepHead = Pick<BuildStep, 'name' | 'kind' | 'stage' | 'index' | 'total' | 'instruction'>;

/**
 * A vertex name: `[backend builder 2/5] RUN …` (v2), `[builder 2/5] RUN …`, `[2/3] COPY …`, `[internal] load …`,
 * `[stage internal] …`, `exporting to image`. The service prefix is taken off the name, so the same Dockerfile
 * step has the same name under compose v1 and v2. Null when it does not look like a vertex name.
 */
export function parseHeader(text: string, services: ReadonlySet<string> = new Set()): { service: string | null; step: StepHead } | null {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  const bracket = /^\[([^\]]*)\]\s*(.*)$/.exec(trimmed);
  if (!bracket) {
    if (/^exporting to (image|docker image format|oci image format)\b/i.test(trimmed)) {
      return { service: null, step: { name: trimmed, kind: 'export', stage: null, index: null, total: null, instruction: null } };
    }
    // Status words of a vertex whose header we missed: not a vertex name.
    if (/^(sha256:|resolve |extracting |transferring |exporting |writing |naming |unpacking |compressing |\.\.\.)/.test(trimmed)) return null;
    return { service: null, step: { name: trimmed, kind: 'internal', stage: null, index: null, total: null, instruction: null } };
  }
  const tokens = (bracket[1] ?? '').trim().split(/\s+/).filter(Boolean);
  const after = (bracket[2] ?? '').trim();
  let service: string | null = null;
  if (tokens[0] !== undefined && services.has(tokens[0]) && (tokens.length > 1 || after !== '')) {
    service = tokens.shift() ?? null;
  }
  const last = tokens.at(-1) ?? '';
  const position = /^(\d+)\/(\d+)$/.exec(last);
  const stage = tokens.length > 1 ? tokens.slice(0, -1).join(' ') : null;
  const inner = tokens.join(' ');
  const name = inner === '' ? after : `[${inner}] ${after}`.trim();
  if (last === 'internal' || !position) {
    const isMetadata = /^load metadata for\b/i.test(after);
    return {
      service,
      step: { name, kind: isMetadata ? 'from' : 'internal', stage: last === 'internal' ? stage : tokens.length > 0 ? inner : null, index: null, total: null, instruction: null },
    };
  }
  const instruction = after === '' ? null : after;
  return {
    service,
    step: {
      name,
      kind: instruction !== null && /^FROM\b/i.test(instruction) ? 'from' : 'step',
      stage,
      index: Number(position[1]),
      total: Number(position[2]),
      instruction,
    },
  };
}

function addOutput(step: BuildStep, text: string): void {
  step.output.push(text);
  if (step.output.length > MAX_OUTPUT_LINES) step.output.splice(0, step.output.length - MAX_OUTPUT_LINES);
}
