import type { ContainerInfo, Health } from './types';

export type StackVariant = 'alpine' | 'regular';

export function otherVariant(variant: StackVariant): StackVariant {
  return variant === 'alpine' ? 'regular' : 'alpine';
}

/** A compose stack the console can switch: one project, a set of compose files per variant (absolute paths). */
export interface StackDefinition {
  name: string;
  project: string;
  files: Record<StackVariant, string[]>;
  /** Extra environment for the compose CLI (e.g. NETRA_BASE_PREFIX for local stand-in bases). */
  env: Record<string, string>;
  /** One of the platform's default stacks (no `stacks:` in the config), assumed relative to the working directory. */
  implicit?: true;
}

export interface HealthCheckModel {
  startPeriodSeconds: number;
  intervalSeconds: number;
  timeoutSeconds: number;
  retries: number;
}

/** One service as the compose CLI resolved it (`compose config`). */
export interface ComposeServiceModel {
  name: string;
  image: string;
  /** Build args after interpolation (base images are among them); null when the service has no build. */
  build: { args: Record<string, string> } | null;
  /** Another service waits for it to complete successfully: it runs once and exits 0. */
  oneShot: boolean;
  health: HealthCheckModel | null;
  memLimitBytes: number | null;
  cpus: number | null;
  /** Named volumes it mounts, as named in the file (compose prefixes them with the project). */
  volumes: string[];
  dependsOn: string[];
}

export interface ComposeModel {
  services: ComposeServiceModel[];
}

/** One service after a switch: what runs, and what it cost. */
export interface ServiceMeasurement {
  service: string;
  variant: StackVariant;
  image: string;
  imageSizeBytes: number | null;
  state: string;
  health: Health;
  /** Start → healthy (one-shots: start → exit 0) from engine events; null when not seen. */
  healthySeconds: number | null;
  /** Median of samples after settling. */
  memUsageBytes: number | null;
  memLimitBytes: number | null;
}

export interface VariantMeasurement {
  variant: StackVariant;
  measuredAt: string;
  /** Confirmation (or `up`) to every service healthy. */
  elapsedSeconds: number;
  services: ServiceMeasurement[];
}

/** Per stack, the last measurement of each variant (kept in the state directory). */
export type StackMeasurements = Record<string, Partial<Record<StackVariant, VariantMeasurement>> & { lastHealthy?: StackVariant }>;

/** The platform guides' expectations (000, 001): start-up seconds and backend image size per variant. */
export const GUIDE_EXPECTATIONS: Record<StackVariant, { startupSeconds: [number, number]; totalMemoryBytes: number; backendImageBytes: number }> = {
  alpine: { startupSeconds: [5, 8], totalMemoryBytes: 1.28e9, backendImageBytes: 186e6 },
  regular: { startupSeconds: [15, 20], totalMemoryBytes: 3.5e9, backendImageBytes: 847e6 },
};

/** Slack around a measured switch's window: the containers it started began within it. */
const MEASURED_RUN_SLACK_MS = 60_000;

/**
 * A service's start-up (start → healthy) from the stack's last measurement of its variant, when the container still
 * runs the start that was measured (it started within the switch's window); null otherwise. The engine keeps only
 * its last five probes and 256 events, so after a minute of health checks that is often the only record left.
 */
export function measuredStartupSeconds(measurements: StackMeasurements, stack: string, variant: StackVariant, service: string, startedAt: string | null): number | null {
  const measured = measurements[stack]?.[variant];
  const seconds = measured?.services.find((s) => s.service === service)?.healthySeconds ?? null;
  if (!measured || seconds === null || !startedAt) return null;
  const end = Date.parse(measured.measuredAt);
  const begin = end - measured.elapsedSeconds * 1000 - MEASURED_RUN_SLACK_MS;
  const started = Date.parse(startedAt);
  return started >= begin && started <= end ? seconds : null;
}

/** Which variant the containers of a stack run: one of them, `mixed`, or null when none is there. */
export function runningVariant(containers: readonly ContainerInfo[]): StackVariant | 'mixed' | null {
  const live = containers.filter((c) => c.state === 'running' || c.state === 'restarting');
  const variants = new Set(live.map((c) => c.variant));
  if (variants.size === 0) return null;
  if (variants.size > 1) return 'mixed';
  const only = [...variants][0]!;
  return only === '?' ? 'mixed' : only;
}

/** A service is up: a one-shot exited 0, any other runs and (when it has a health check) is healthy. */
export function serviceReady(service: ComposeServiceModel, container: ContainerInfo | undefined): boolean {
  if (!container) return false;
  if (service.oneShot) return container.state === 'exited' && container.exitCode === 0;
  if (container.state !== 'running') return false;
  // A health check of the image's own (a Dockerfile HEALTHCHECK) counts as much as one in the compose file.
  return service.health || container.health !== 'none' ? container.health === 'healthy' : true;
}

/** A service can no longer come up: a one-shot failed, a container died or was found unhealthy. */
export function serviceFailed(service: ComposeServiceModel, container: ContainerInfo | undefined): string | null {
  if (!container) return null;
  if (service.oneShot) {
    return container.state === 'exited' && container.exitCode !== 0 ? `${service.name} exited with code ${container.exitCode}` : null;
  }
  if (container.state === 'exited' || container.state === 'dead') return `${service.name} exited with code ${container.exitCode ?? '?'}`;
  if (container.state === 'restarting') return `${service.name} is restarting (exit code ${container.exitCode ?? '?'}, ${container.restarts} restarts)`;
  if (container.health === 'unhealthy') return `${service.name} is unhealthy`;
  return null;
}

/**
 * A bounded wait that still lets the slowest chain start: along the longest `depends_on` chain, each service's
 * start_period plus its health check's worst case (every retry failing), then a minute of grace.
 */
export function healthWaitSeconds(model: ComposeModel): number {
  const byName = new Map(model.services.map((s) => [s.name, s]));
  const memo = new Map<string, number>();
  const chain = (name: string, seen: Set<string>): number => {
    if (memo.has(name)) return memo.get(name)!;
    const service = byName.get(name);
    if (!service || seen.has(name)) return 0;
    const own = service.health ? service.health.startPeriodSeconds + (service.health.intervalSeconds + service.health.timeoutSeconds) * (service.health.retries + 1) : 10;
    const before = Math.max(0, ...service.dependsOn.map((d) => chain(d, new Set([...seen, name]))));
    memo.set(name, own + before);
    return own + before;
  };
  return Math.ceil(Math.max(0, ...model.services.map((s) => chain(s.name, new Set()))) + 60);
}

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
