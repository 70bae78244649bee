import { printable, printableLines } from './printable';
import { detectVariant } from './variant';
import type { ContainerInfo, Health } from './types';

/** A label of the container's, or null; labels are whatever whoever started it wrote. */
function labelText(labels: Record<string, string>, key: string): string | null {
  const value = labels[key];
  return value === undefined ? null : printable(value);
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
    Health?: { Status?: string; Log?: Array<{ ExitCode?: number; Output?: string; End?: string }> | null };
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

export function containerInfoFromInspect(inspect: InspectPayload, imageSizeBytes: number | null): ContainerInfo {
  const labels = inspect.Config?.Labels ?? {};
  const image = inspect.Config?.Image ?? inspect.Image ?? '';
  const state = inspect.State ?? {};
  const health = HEALTH_STATES.find((h) => h === state.Health?.Status) ?? 'none';
  const status = state.Status ?? 'unknown';
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
    startedAt: timeOrNull(state.StartedAt),
    finishedAt: timeOrNull(state.FinishedAt),
    labels,
  };
}
