import { percentText } from './percent';
import { cpuLevel, memoryLevel, type Thresholds } from './thresholds';
import type { Alert, ContainerInfo, ContainerStats, DockerAlert, EngineAlert } from './types';

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
  if (c.oomKilled) add('critical', 'oom-killed', `${c.name} was OOM-killed: raise its memory limit or find the leak`);
  // Health-check output often spans lines; an alert is one line wherever it is shown.
  const failure = c.lastHealthFailure?.replace(/\s+/g, ' ').trim();
  if (c.health === 'unhealthy') add('high', 'unhealthy', `${c.name} is unhealthy${failure ? `: ${failure}` : ''}`);
  if (isCrashLooping(c, now)) add('high', 'crash-loop', `${c.name} is crash-looping (${c.restarts} restarts)`);
  if (c.state === 'exited' && c.exitCode !== null && c.exitCode !== 0 && !c.oomKilled) {
    add('warning', 'exited', `${c.name} exited with code ${c.exitCode}`);
  }
  return alerts;
}

function statsAlerts(c: ContainerInfo, s: ContainerStats, t: Thresholds): DockerAlert[] {
  const alerts: DockerAlert[] = [];
  const mem = s.memLimitBytes > 0 ? memoryLevel(s.memPercent, t) : null;
  if (mem) alerts.push({ level: mem, source: 'docker', kind: 'memory', container: c.name, message: `${c.name} memory at ${percentText(s.memPercent)}% of its limit` });
  const cpu = cpuLevel(s.cpuPercent, t);
  if (cpu) alerts.push({ level: cpu, source: 'docker', kind: 'cpu', container: c.name, message: `${c.name} CPU at ${percentText(s.cpuPercent)}%` });
  return alerts;
}

const LEVEL_ORDER = { critical: 0, high: 1, warning: 2 } as const;

/** Alerts for the given containers, most severe first. */
export function deriveAlerts(
  containers: readonly ContainerInfo[],
  stats: Readonly<Record<string, ContainerStats | undefined>>,
  thresholds: Thresholds,
  now: number,
): DockerAlert[] {
  const alerts: DockerAlert[] = [];
  for (const c of containers) {
    alerts.push(...containerAlerts(c, now));
    const s = stats[c.id];
    if (s && c.state === 'running') alerts.push(...statsAlerts(c, s, thresholds));
  }
  return sortAlerts(alerts);
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
