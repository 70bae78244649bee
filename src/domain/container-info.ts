import { printable, printableLines } from './printable';
import { detectVariant } from './variant';
import type { ContainerInfo, Health } from './types';

/** A label of the container's, or null; labels are whatever whoever started it wrote. */
function labelText(labels: Record<string, string>, key: string): string | null {
  const value = labels[key];
  return value === undefined ? null : printable(value);
}

/** One entry of State.Health.Log: a health probe, oldest first. */
interface HealthProbe {
  Start?: string;
  End?: string;
  ExitCode?: number;
  Output?: string;
}

/** The subset of `docker inspect <container>` the console reads. */
export interface InspectPayload {
  Id: string;
  Name?: string;
  Image?: string;
  RestartCount?: number;
  Config?: { Image?: string; Labels?: Record<string, string> | null };
  State?: {
    Status?: string;
    ExitCode?: number;
    OOMKilled?: boolean;
    StartedAt?: string;
    FinishedAt?: string;
    Health?: { Status?: string; Log?: HealthProbe[] | null };
  };
}

const ZERO_TIME = '0001-01-01T00:00:00Z';
const HEALTH_STATES: readonly Health[] = ['healthy', 'unhealthy', 'starting'];

function timeOrNull(value: string | undefined): string | null {
  return !value || value.startsWith('0001-01-01') || value === ZERO_TIME ? null : value;
}

function lastHealthFailure(log: Array<{ ExitCode?: number; Output?: string }> | null | undefined): string | null {
  const failures = (log ?? []).filter((entry) => entry.ExitCode !== 0);
  const output = failures.at(-1)?.Output?.trim();
  return output ? printableLines(output) : null;
}

/** Docker keeps the last 5 health probes (moby's maxLogEntries): older ones are gone from the log. */
const HEALTH_LOG_KEEPS = 5;

/**
 * Seconds from the start to the first passing health probe of this run: start → healthy, as the guides time a
 * start-up (to within one probe interval). Null unless the log shows that probe was the first pass: a probe of this
 * run failed before it, or the log still holds a probe from before this run, or it has never dropped one.
 */
function startupSeconds(log: readonly HealthProbe[] | null | undefined, startedAt: string | null): number | null {
  const started = startedAt === null ? Number.NaN : Date.parse(startedAt);
  if (!log || !Number.isFinite(started)) return null;
  const ends = log.map((probe) => Date.parse(probe.End ?? ''));
  const firstOfRun = ends.findIndex((end) => end > started);
  const firstPass = log.findIndex((probe, i) => ends[i]! > started && probe.ExitCode === 0);
  if (firstOfRun < 0 || firstPass < 0) return null;
  const shown = firstPass > firstOfRun || firstOfRun > 0 || log.length < HEALTH_LOG_KEEPS;
  return shown ? (ends[firstPass]! - started) / 1000 : null;
}

export function containerInfoFromInspect(inspect: InspectPayload, imageSizeBytes: number | null): ContainerInfo {
  const labels = inspect.Config?.Labels ?? {};
  const image = inspect.Config?.Image ?? inspect.Image ?? '';
  const state = inspect.State ?? {};
  const health = HEALTH_STATES.find((h) => h === state.Health?.Status) ?? 'none';
  const status = state.Status ?? 'unknown';
  const startedAt = timeOrNull(state.StartedAt);
  return {
    id: inspect.Id,
    // Names and images are text from the engine, shown and printed as they are: never let them carry escapes.
    name: printable((inspect.Name ?? inspect.Id.slice(0, 12)).replace(/^\//, '')),
    project: labelText(labels, 'com.docker.compose.project'),
    service: labelText(labels, 'com.docker.compose.service'),
    image: printable(image),
    imageId: inspect.Image ?? '',
    imageSizeBytes,
    variant: detectVariant(labels, image),
    state: status,
    health,
    lastHealthFailure: lastHealthFailure(state.Health?.Log),
    restarts: inspect.RestartCount ?? 0,
    exitCode: status === 'running' || status === 'created' ? null : (state.ExitCode ?? null),
    oomKilled: state.OOMKilled ?? false,
    startedAt,
    startupSeconds: startupSeconds(state.Health?.Log, startedAt),
    finishedAt: timeOrNull(state.FinishedAt),
    labels,
  };
}

/**
 * The container as read now, keeping the start-up measured by an earlier read of the same run: the health log
 * keeps only the last probes, so a later read no longer shows the first pass.
 */
export function withKnownStartup(previous: ContainerInfo | undefined, next: ContainerInfo): ContainerInfo {
  const known = previous && previous.startedAt === next.startedAt ? previous.startupSeconds : null;
  return next.startupSeconds === null && known !== null ? { ...next, startupSeconds: known } : next;
}
