import { budgetLevel, imageBudget, MB, type ImagesConfig } from './build-analysis';
import { errorRateBreached, errorRateText, type RateCount } from './error-rate';
import { percentText } from './percent';
import { cpuLevel, memoryLevel, type Thresholds } from './thresholds';
import type { Alert, ContainerInfo, ContainerStats, DockerAlert, EngineAlert } from './types';

/** The `images:` defaults of the configuration (guides 001 and 004: 250 MB warning, 500 MB; frontend 200 MB). */
export const DEFAULT_IMAGES: ImagesConfig = { warningMB: 250, criticalMB: 500, budgetsMB: { backend: 500, frontend: 200 } };

/** Start → healthy over this is slow (guide 000, "Alert Thresholds": Startup Time > 15s: Warning). */
export const SLOW_START_SECONDS = 15;

/** A container restarted within this window counts as crash-looping. */
const CRASH_LOOP_WINDOW_MS = 60_000;

function isCrashLooping(c: ContainerInfo, now: number): boolean {
  if (c.state === 'restarting') return true;
  if (c.restarts === 0 || !c.startedAt) return false;
  return now - Date.parse(c.startedAt) < CRASH_LOOP_WINDOW_MS;
}

function containerAlerts(c: ContainerInfo, now: number): DockerAlert[] {
  const alerts: DockerAlert[] = [];
  const add = (level: DockerAlert['level'], kind: DockerAlert['kind'], message: string) =>
    alerts.push({ level, source: 'docker', kind, container: c.name, message });
  if (c.oomKilled) {
    // The kernel kills the largest process: when that is not the main one, the container runs on without it.
    const what = c.state === 'running' ? `a process in ${c.name} was OOM-killed (the container still runs)` : `${c.name} was OOM-killed`;
    add('critical', 'oom-killed', `${what}: raise its memory limit or find the leak`);
  }
  // Health-check output often spans lines; an alert is one line wherever it is shown.
  const failure = c.lastHealthFailure?.replace(/\s+/g, ' ').trim();
  if (c.health === 'unhealthy') add('high', 'unhealthy', `${c.name} is unhealthy${failure ? `: ${failure}` : ''}`);
  if (isCrashLooping(c, now)) add('high', 'crash-loop', `${c.name} is crash-looping (${c.restarts} restarts)`);
  if (c.state === 'exited' && c.exitCode !== null && c.exitCode !== 0 && !c.oomKilled) {
    add('warning', 'exited', `${c.name} exited with code ${c.exitCode}`);
  }
  return alerts;
}

/** Sizes as docker prints them (decimal MB), as the guides write the budgets. */
function megabytes(bytes: number): string {
  return `${(bytes / MB).toFixed(bytes < 10 * MB ? 1 : 0)} MB`;
}

/**
 * Facts about a running container's start and image: start → healthy over 15 s; an image over the warning level
 * of its service's budget, or over the budget (not an outage, so high rather than critical).
 */
function runningAlerts(c: ContainerInfo, images: ImagesConfig): DockerAlert[] {
  const alerts: DockerAlert[] = [];
  const add = (level: DockerAlert['level'], kind: DockerAlert['kind'], message: string) =>
    alerts.push({ level, source: 'docker', kind, container: c.name, message });
  if (c.startupSeconds !== null && c.startupSeconds > SLOW_START_SECONDS) {
    // Rounded up, so that 15.04 s never reads as 15.0 s "over 15 s".
    const seconds = (Math.ceil(c.startupSeconds * 10) / 10).toFixed(1);
    add('warning', 'slow-start', `${c.name} took ${seconds} s from start to healthy (over ${SLOW_START_SECONDS} s)`);
  }
  if (c.imageSizeBytes !== null) {
    const budget = imageBudget(c.service ?? '', images);
    const level = budgetLevel(c.imageSizeBytes, budget);
    const size = `${c.name} image ${c.image} is ${megabytes(c.imageSizeBytes)}`;
    const whose = c.service && Object.hasOwn(images.budgetsMB, c.service) ? `the ${c.service} budget` : 'the image budget';
    if (level === 'over') add('high', 'image-size', `${size}, over ${whose} of ${megabytes(budget.budgetBytes)}`);
    if (level === 'warning') add('warning', 'image-size', `${size}, over the warning level of ${megabytes(budget.warningBytes)} (${whose}: ${megabytes(budget.budgetBytes)})`);
  }
  return alerts;
}

function statsAlerts(c: ContainerInfo, s: ContainerStats, t: Thresholds): DockerAlert[] {
  const alerts: DockerAlert[] = [];
  if (s.pids === 0) {
    // Docker 20.10 drops an exit that comes before it has recorded the start: the container shows "running" for ever.
    const message = `${c.name} has no processes though the engine says it runs (its exit was lost): remove it (docker rm -f) and start it again`;
    alerts.push({ level: 'high', source: 'docker', kind: 'no-processes', container: c.name, message });
  }
  const mem = s.memLimitBytes > 0 ? memoryLevel(s.memPercent, t) : null;
  if (mem) alerts.push({ level: mem, source: 'docker', kind: 'memory', container: c.name, message: `${c.name} memory at ${percentText(s.memPercent)}% of its limit` });
  const cpu = cpuLevel(s.cpuPercent, t);
  if (cpu) alerts.push({ level: cpu, source: 'docker', kind: 'cpu', container: c.name, message: `${c.name} CPU at ${percentText(s.cpuPercent)}%` });
  return alerts;
}

const LEVEL_ORDER = { critical: 0, high: 1, warning: 2 } as const;

/** Alerts for the given containers, most severe first; `images` gives the image budgets (the config's defaults when absent). */
export function deriveAlerts(
  containers: readonly ContainerInfo[],
  stats: Readonly<Record<string, ContainerStats | undefined>>,
  thresholds: Thresholds,
  now: number,
  images: ImagesConfig = DEFAULT_IMAGES,
): DockerAlert[] {
  const alerts: DockerAlert[] = [];
  for (const c of containers) {
    alerts.push(...containerAlerts(c, now));
    if (c.state === 'running') alerts.push(...runningAlerts(c, images));
    const s = stats[c.id];
    if (s && c.state === 'running') alerts.push(...statsAlerts(c, s, thresholds));
  }
  return sortAlerts(alerts);
}

/** Critical for each running container whose log lines (by container name) are over 1 % errors. */
export function containerErrorRateAlerts(containers: readonly ContainerInfo[], rates: ReadonlyMap<string, RateCount>): DockerAlert[] {
  const alerts: DockerAlert[] = [];
  for (const c of containers) {
    const count = c.state === 'running' ? rates.get(c.name) : undefined;
    if (count && errorRateBreached(count)) alerts.push({ level: 'critical', source: 'docker', kind: 'error-rate', container: c.name, message: `${c.name}: ${errorRateText(count)}` });
  }
  return sortAlerts(alerts);
}

/**
 * The error-rate alerts to keep when the other container alerts are derived again: they come from the logs, once
 * a second, not from what the engine says; those of containers no longer running go.
 */
export function carriedErrorRateAlerts(previous: readonly (DockerAlert | EngineAlert)[], containers: readonly ContainerInfo[]): DockerAlert[] {
  const running = new Set(containers.filter((c) => c.state === 'running').map((c) => c.name));
  return previous.filter((a): a is DockerAlert => a.kind === 'error-rate' && !a.stale && running.has(a.container));
}

/** The alerts with those of `kind` replaced by `replacement`, which go last. */
export function replaceKind<T extends Alert>(alerts: readonly T[], kind: T['kind'], replacement: readonly T[]): T[] {
  return [...alerts.filter((a) => a.kind !== kind), ...replacement];
}

/** What an alert is about: a container, the engine's host, or a Cloud Run service. */
export function alertSubject(alert: Alert): string {
  if (alert.source === 'cloudrun') return alert.service;
  return alert.kind === 'engine-unreachable' ? alert.host : alert.container;
}

export function engineUnreachableAlert(host: string, error: string): EngineAlert {
  return { level: 'critical', source: 'docker', kind: 'engine-unreachable', host, message: `Docker engine unreachable at ${host}: ${error}` };
}

/** Container alerts as last known, when the engine stops answering: marked, never dropped. */
export function staleAlerts(alerts: readonly (DockerAlert | EngineAlert)[]): DockerAlert[] {
  return alerts.flatMap((a) => (a.kind === 'engine-unreachable' ? [] : [a.stale ? a : { ...a, stale: true as const, message: `last known: ${a.message}` }]));
}

/** Most severe first, then by what they are about. */
export function sortAlerts<T extends Alert>(alerts: T[]): T[] {
  return alerts.sort((a, b) => LEVEL_ORDER[a.level] - LEVEL_ORDER[b.level] || alertSubject(a).localeCompare(alertSubject(b)));
}
