/**
 * ContainerFacts from the engine: `docker inspect` of the container and its image, one stats sample, the last log
 * lines and the engine's events for it. Nothing is started or pulled to look.
 */
import type Docker from 'dockerode';
import type { ContainerFacts, HealthProbe, SourceLocation } from '../../domain/checks/types';
import { boundedLine, printable, printableLines } from '../../domain/printable';
import { measuredStartupSeconds, type StackDefinition, type StackMeasurements, type StackVariant } from '../../domain/stacks';
import { isEmptySample, memoryUsage, type EngineStats } from '../../domain/stats-math';
import type { Health, Variant } from '../../domain/types';
import { detectVariant } from '../../domain/variant';
import { HEALTH_DEFAULTS } from '../compose/compose-model';
import { demuxFrames } from '../logs/container-logs';
import { readContainerEvents } from './container-events';
import { composeFilesOf, serviceLocation } from './compose-location';
import { mapBounded } from './bounded';

export interface ContainerReadContext {
  stacks: readonly StackDefinition[];
  /** The stacks' last measured switches (state directory): start-up when the engine no longer remembers it. */
  measurements?: StackMeasurements;
  /** When the facts are read (ms since the epoch); now by default. */
  now?: number;
}

/** Containers read at once: each read is several engine calls, one of them a two-second stats sample. */
const CONCURRENCY = 4;
const LOG_TAIL_LINES = 200;
/** The engine keeps this many health probes (moby's maxLogEntries). */
const HEALTH_LOG_ENTRIES = 5;
const STATS_TIMEOUT_MS = 10_000;
const PROJECT_LABEL = 'com.docker.compose.project';
const SERVICE_LABEL = 'com.docker.compose.service';
const HEALTH_STATES: readonly Health[] = ['healthy', 'unhealthy', 'starting'];
const VARIANTS: readonly StackVariant[] = ['alpine', 'regular'];

/** The parts of `docker inspect <container>` read here. */
interface ContainerInspect {
  Id: string;
  Name?: string;
  Created?: string;
  Image?: string;
  Path?: string;
  Args?: string[] | null;
  RestartCount?: number;
  Config?: {
    Image?: string;
    User?: string;
    Tty?: boolean;
    Labels?: Record<string, string> | null;
    Healthcheck?: { Test?: string[] | null; Interval?: number; Timeout?: number; StartPeriod?: number; Retries?: number } | null;
  };
  State?: {
    Status?: string;
    ExitCode?: number;
    OOMKilled?: boolean;
    StartedAt?: string;
    FinishedAt?: string;
    Health?: {
      Status?: string;
      FailingStreak?: number;
      Log?: Array<{ Start?: string; End?: string; ExitCode?: number; Output?: string }> | null;
    } | null;
  };
  HostConfig?: {
    Memory?: number;
    ReadonlyRootfs?: boolean;
    Tmpfs?: Record<string, string> | null;
    Mounts?: Array<{ Type?: string; Target?: string }> | null;
    CapDrop?: string[] | null;
    SecurityOpt?: string[] | null;
    Init?: boolean | null;
  };
  Mounts?: Array<{ Type?: string; Destination?: string }> | null;
}

interface ImageFacts {
  sizeBytes: number | null;
  labels: Record<string, string>;
  tags: string[];
}

/** A 404: the container (or image) went away while it was being read. */
function gone(error: unknown): boolean {
  return (error as { statusCode?: number }).statusCode === 404;
}

function timeOrNull(value: string | undefined): string | null {
  return !value || value.startsWith('0001-01-01') ? null : value;
}

async function readImage(docker: Docker, imageId: string): Promise<ImageFacts | null> {
  try {
    const image = await docker.getImage(imageId).inspect();
    return { sizeBytes: image.Size ?? null, labels: image.Config?.Labels ?? {}, tags: image.RepoTags ?? [] };
  } catch (error) {
    if (gone(error)) return null;
    throw error;
  }
}

/** A libc label (`com.netra.libc`, `com.netra.standin.libc`, …) says which C library the image was built on. */
function libcVariant(labels: Record<string, string>): Variant {
  const libcs = Object.entries(labels)
    .filter(([key]) => /(^|[.\-_])libc$/i.test(key))
    .map(([, value]) => value.trim().toLowerCase());
  if (libcs.includes('musl')) return 'alpine';
  if (libcs.includes('glibc')) return 'regular';
  return '?';
}

/**
 * Alpine or regular as the image itself says: its labels and the name it was run by, then its other tags, then a
 * libc label. Not the container's compose labels: those tell what the compose file meant, which may differ.
 */
export function imageVariantOf(imageName: string, image: ImageFacts | null): Variant {
  const labels = image?.labels ?? {};
  for (const name of [imageName, ...(image?.tags ?? [])]) {
    const variant = detectVariant(labels, name);
    if (variant !== '?') return variant;
  }
  return libcVariant(labels);
}

function seconds(nanoseconds: number | undefined, fallback: number): number {
  return nanoseconds ? nanoseconds / 1e9 : fallback;
}

/** The health check the engine runs (the image's, or the one it was created with); 0 means the engine's default. */
function healthcheckOf(config: ContainerInspect['Config']): ContainerFacts['healthcheck'] {
  const check = config?.Healthcheck;
  if (!check?.Test?.length || check.Test[0] === 'NONE') return null;
  return {
    startPeriodSeconds: seconds(check.StartPeriod, HEALTH_DEFAULTS.startPeriodSeconds),
    intervalSeconds: seconds(check.Interval, HEALTH_DEFAULTS.intervalSeconds),
    timeoutSeconds: seconds(check.Timeout, HEALTH_DEFAULTS.timeoutSeconds),
    retries: check.Retries || HEALTH_DEFAULTS.retries,
  };
}

function healthLogOf(state: ContainerInspect['State']): HealthProbe[] {
  return (state?.Health?.Log ?? []).map((probe) => ({
    exitCode: probe.ExitCode ?? -1,
    output: printableLines((probe.Output ?? '').trim()),
    start: probe.Start ?? '',
    end: probe.End ?? '',
  }));
}

/**
 * Start → end of the first passing probe after the start, from the health log. The engine keeps five probes and
 * keeps them across restarts: the log holds every probe since the start only when it is not full or still shows
 * one from before the start. Otherwise the first healthy probe may have been dropped, and this says nothing.
 */
export function startupFromHealthLog(startedAt: string | null, log: readonly HealthProbe[]): number | null {
  if (!startedAt) return null;
  const started = Date.parse(startedAt);
  const sinceStart = log.filter((probe) => Date.parse(probe.start) >= started);
  const complete = log.length < HEALTH_LOG_ENTRIES || sinceStart.length < log.length;
  const first = complete ? sinceStart.find((probe) => probe.exitCode === 0) : undefined;
  return first ? (Date.parse(first.end) - started) / 1000 : null;
}

/** Start → the engine's first `health_status: healthy` event after it, when the engine still has that event. */
function startupFromEvents(startedAt: string | null, healthyAt: readonly number[]): number | null {
  if (!startedAt) return null;
  const started = Date.parse(startedAt);
  const first = healthyAt.find((time) => time >= started);
  return first === undefined ? null : (first - started) / 1000;
}

function tmpfsOf(inspect: ContainerInspect): string[] {
  const paths = [
    ...Object.keys(inspect.HostConfig?.Tmpfs ?? {}),
    ...(inspect.HostConfig?.Mounts ?? []).filter((m) => m.Type === 'tmpfs').map((m) => m.Target ?? ''),
    ...(inspect.Mounts ?? []).filter((m) => m.Type === 'tmpfs').map((m) => m.Destination ?? ''),
  ];
  return [...new Set(paths.filter(Boolean).map(printable))];
}

/** Memory in use as `docker stats` shows it (page cache left out), from one sample; null when none comes. */
async function sampleMemory(handle: Docker.Container): Promise<number | null> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), STATS_TIMEOUT_MS);
  try {
    const raw = (await handle.stats({ stream: false, abortSignal: controller.signal } as { stream: false })) as EngineStats;
    return isEmptySample(raw) ? null : memoryUsage(raw);
  } catch {
    return null; // It stopped between inspect and sampling, or gave nothing in time.
  } finally {
    clearTimeout(timer);
  }
}

/** The last lines it logged, stdout and stderr, oldest first; a TTY container's log is one stream. */
async function readLogTail(handle: Docker.Container, tty: boolean, name: string): Promise<string[]> {
  const body = (await handle.logs({ stdout: true, stderr: true, tail: LOG_TAIL_LINES, follow: false })) as unknown;
  const buffer = Buffer.isBuffer(body) ? body : Buffer.from(String(body));
  const pieces = tty ? [{ stream: 'stdout', text: buffer.toString('utf8') }] : demuxFrames(buffer);
  const byStream = new Map<string, string>();
  const lines: string[] = [];
  for (const { stream, text } of pieces) {
    const parts = ((byStream.get(stream) ?? '') + text).split('\n');
    byStream.set(stream, parts.pop() ?? '');
    lines.push(...parts);
  }
  lines.push(...byStream.values());
  return lines
    .map((line) => line.replace(/\r$/, ''))
    .filter((line) => line.trim() !== '')
    .map((line) => boundedLine(printable(line), `docker logs ${name}`))
    .slice(-LOG_TAIL_LINES);
}

/** Which of the stack's variants these compose files are: by the same paths, else by the same file names. */
export function variantOfFiles(stack: StackDefinition, files: readonly string[]): StackVariant | null {
  if (files.length === 0) return null;
  const baseName = (path: string) => path.split('/').pop() ?? path;
  const matchers = [(a: string, b: string) => a === b, (a: string, b: string) => baseName(a) === baseName(b)];
  for (const same of matchers) {
    const hits = VARIANTS.filter((v) => files.every((file) => stack.files[v].some((own) => same(file, own))));
    if (hits.length === 1) return hits[0]!;
  }
  return null;
}

/** The configured stack the container's compose project belongs to, and which of its variants made it. */
interface OwnStack {
  stack: StackDefinition;
  variant: StackVariant | null;
}

function stackOf(labels: Record<string, string>, stacks: readonly StackDefinition[]): OwnStack | null {
  const candidates = stacks.filter((s) => s.project === labels[PROJECT_LABEL]);
  const files = composeFilesOf(labels);
  const judged = candidates.map((stack) => ({ stack, variant: variantOfFiles(stack, files) }));
  return judged.find((j) => j.variant !== null) ?? judged[0] ?? null;
}

async function composeLocationOf(labels: Record<string, string>, own: OwnStack | null): Promise<SourceLocation | null> {
  const service = labels[SERVICE_LABEL];
  if (!service) return null;
  // The files it was created from; those of its stack variant when the labels name files this machine cannot read.
  const fromLabels = await serviceLocation(composeFilesOf(labels), service);
  return fromLabels ?? (own?.variant ? serviceLocation(own.stack.files[own.variant], service) : null);
}

/** Image reads shared by the containers of one run (many containers run one image). */
type ImageReads = Map<string, Promise<ImageFacts | null>>;

async function readOne(docker: Docker, id: string, context: ContainerReadContext & { now: number }, images: ImageReads): Promise<ContainerFacts> {
  const { stacks, now } = context;
  const handle = docker.getContainer(id);
  const inspect = (await handle.inspect()) as unknown as ContainerInspect;
  const labels = inspect.Config?.Labels ?? {};
  const state = inspect.State ?? {};
  const status = state.Status ?? 'unknown';
  const name = printable((inspect.Name ?? inspect.Id.slice(0, 12)).replace(/^\//, ''));
  const imageName = inspect.Config?.Image ?? inspect.Image ?? '';
  const imageId = inspect.Image ?? imageName;
  if (!images.has(imageId)) images.set(imageId, readImage(docker, imageId));
  const own = stackOf(labels, stacks);
  const createdMs = Date.parse(inspect.Created ?? '') || 0;
  const [image, memUsageBytes, logTail, events, composeLocation] = await Promise.all([
    images.get(imageId)!,
    status === 'running' ? sampleMemory(handle) : null,
    readLogTail(handle, inspect.Config?.Tty === true, name),
    readContainerEvents(docker, inspect.Id, createdMs, Date.now()),
    composeLocationOf(labels, own),
  ]);
  const startedAt = timeOrNull(state.StartedAt);
  const healthLog = healthLogOf(state);
  return {
    id: inspect.Id,
    name,
    project: labels[PROJECT_LABEL] === undefined ? null : printable(labels[PROJECT_LABEL]),
    service: labels[SERVICE_LABEL] === undefined ? null : printable(labels[SERVICE_LABEL]),
    stack: own?.stack.name ?? null,
    stackVariant: own?.variant ?? null,
    image: printable(imageName),
    imageVariant: imageVariantOf(imageName, image),
    imageSizeBytes: image?.sizeBytes ?? null,
    state: printable(status),
    exitCode: status === 'running' || status === 'created' ? null : (state.ExitCode ?? null),
    oomKilled: state.OOMKilled ?? false,
    oomEvents: events.oom,
    restarts: inspect.RestartCount ?? 0,
    startedAt,
    finishedAt: timeOrNull(state.FinishedAt),
    health: HEALTH_STATES.find((h) => h === state.Health?.Status) ?? 'none',
    failingStreak: state.Health?.FailingStreak ?? 0,
    healthLog,
    healthcheck: healthcheckOf(inspect.Config),
    startupSeconds: startupFromHealthLog(startedAt, healthLog) ?? startupFromEvents(startedAt, events.healthyAt) ?? measuredStartup(own, labels[SERVICE_LABEL], startedAt, context.measurements),
    memoryLimitBytes: inspect.HostConfig?.Memory ?? 0,
    memUsageBytes,
    readOnlyRootfs: inspect.HostConfig?.ReadonlyRootfs === true,
    tmpfs: tmpfsOf(inspect),
    user: printable(inspect.Config?.User ?? ''),
    capDrop: (inspect.HostConfig?.CapDrop ?? []).map(printable),
    securityOpt: (inspect.HostConfig?.SecurityOpt ?? []).map(printable),
    dockerInit: inspect.HostConfig?.Init === true,
    command: [...(inspect.Path ? [inspect.Path] : []), ...(inspect.Args ?? [])].map(printable),
    logTail,
    composeLocation,
    now,
  };
}

/**
 * The facts of each container, read a few at a time. A container that is removed while it is read is left out;
 * any other engine error rejects (the caller reports the containers as unreadable).
 */
function measuredStartup(own: OwnStack | null, service: string | undefined, startedAt: string | null, measurements: StackMeasurements | undefined): number | null {
  if (!own?.variant || !service || !measurements) return null;
  return measuredStartupSeconds(measurements, own.stack.name, own.variant, service, startedAt);
}

export async function readContainerFacts(docker: Docker, ids: readonly string[], context: ContainerReadContext): Promise<ContainerFacts[]> {
  const now = context.now ?? Date.now();
  const images: ImageReads = new Map();
  const facts = await mapBounded(ids, CONCURRENCY, (id) =>
    readOne(docker, id, { ...context, now }, images).catch((error: unknown): null => {
      if (gone(error)) return null;
      throw error;
    }),
  );
  return facts.filter((f): f is ContainerFacts => f !== null);
}
