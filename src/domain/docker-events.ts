import type { ContainerInfo } from './types';

/** A container event from the engine's `/events` stream. */
export interface EngineEvent {
  Type?: string;
  Action?: string;
  status?: string;
  id?: string;
  Actor?: { ID?: string; Attributes?: Record<string, string> };
  /** When the engine emitted it (its clock), in seconds and in nanoseconds. */
  time?: number;
  timeNano?: number;
}

/**
 * What the watcher must do about an event: re-read the container, forget it, or nothing. `oomAtMs` is when
 * an `oom` event says the kernel killed in it: Docker 20.10 sets `State.OOMKilled` only when its runtime
 * saw the OOM before the exit, which it often does not when the kill is quick.
 */
export type EventIntent =
  | { kind: 'inspect'; id: string; oomAtMs?: number }
  | { kind: 'remove'; id: string }
  | { kind: 'ignore' };

/** The event's action, in the current or the old (`status`) field. */
export function eventAction(event: EngineEvent): string {
  return event.Action ?? event.status ?? '';
}

/** When the engine emitted the event (ms since the epoch, its clock), if it says. */
export function eventTimeMs(event: EngineEvent): number | undefined {
  if (event.timeNano !== undefined) return event.timeNano / 1e6;
  return event.time !== undefined ? event.time * 1000 : undefined;
}

/**
 * The container actions that change what the console shows of it. The watcher asks the engine for these only:
 * every health check is three exec events, and `docker exec`, `attach`, `top` and `cp` change nothing shown.
 * (The engine matches `health_status` as a prefix of `health_status: healthy`.)
 */
export const STATE_ACTIONS = ['create', 'start', 'restart', 'die', 'stop', 'kill', 'oom', 'pause', 'unpause', 'rename', 'update', 'destroy', 'health_status'] as const;
const STATE_ACTION_SET: ReadonlySet<string> = new Set(STATE_ACTIONS);

export function intentForEvent(event: EngineEvent): EventIntent {
  const id = event.Actor?.ID ?? event.id;
  const action = eventAction(event);
  if (event.Type !== 'container' || !id) return { kind: 'ignore' };
  if (!STATE_ACTION_SET.has(action.split(':', 1)[0]!)) return { kind: 'ignore' };
  if (action === 'destroy') return { kind: 'remove', id };
  const atMs = eventTimeMs(event);
  if (action === 'oom' && atMs !== undefined) return { kind: 'inspect', id, oomAtMs: Math.floor(atMs) };
  return { kind: 'inspect', id };
}

/** The container with its OOM flag set when the engine reported an OOM in its current run (see EventIntent). */
export function withReportedOom(info: ContainerInfo, lastOomAtMs: number | undefined): ContainerInfo {
  return !info.oomKilled && oomInThisRun(info.startedAt, lastOomAtMs) ? { ...info, oomKilled: true } : info;
}

/** Whether an OOM the engine reported at `oomAtMs` happened in the run that started at `startedAt`. */
export function oomInThisRun(startedAt: string | null, oomAtMs: number | undefined): boolean {
  if (oomAtMs === undefined || startedAt === null) return false;
  const startedMs = Date.parse(startedAt);
  return Number.isFinite(startedMs) && startedMs <= oomAtMs;
}
