/**
 * The alert lifecycle, pure: the sources' conditions of the moment go in with a clock reading, the book of active
 * alerts, history and silences comes out. A condition is pending until it has held for its kind's hold, then firing;
 * once gone for the resolve hold it resolves into the history. An alert that keeps coming and going is flapping and
 * waits much longer to resolve, so it stays on screen instead of blinking.
 *
 * Decisions worth knowing:
 * - A pending alert that is gone for the resolve hold is dropped without history: it never fired, nobody was told.
 *   It is not dropped at once, so a condition that dips for one sample keeps its place (and its hold).
 * - `transitions` records when the condition was seen to start or stop being true (what the alert would do with no
 *   holds); a new episode inherits its key's recent episodes from the history (start and resolve of each). The
 *   condition is seen gone while the last transition is later than `lastTrueAt`.
 * - `lastTrueAt` is the last step that saw the condition true *and changed the alert* (it (re)appeared, fired, or its
 *   message or level changed): refreshing it on every step would change the book on every tick, and the store relies
 *   on an unchanged book being the same object. The resolve hold counts from the step that first saw it gone.
 */
import type { Ack, AlertBook, AlertCondition, AlertLabels, ResolvedAlert, Silence, TrackedAlert } from './alert-lifecycle-types';
import { alertSubject } from './alerts';
import type { Alert } from './types';

export { alertViews, silencedCount } from './alert-views';
export { matchersText, parseDuration, parseSilenceMatchers } from './silence-text';

export type AlertKind = Alert['kind'];

export interface AlertPolicy {
  /** How long a condition must hold before it fires. */
  holdMs: Record<AlertKind, number>;
  /** How long a condition must be gone before its alert resolves. */
  resolveHoldMs: number;
  /** This many transitions within flapWindowMs make an alert flapping... */
  flapTransitions: number;
  flapWindowMs: number;
  /** ...and a flapping alert resolves only once gone this long. */
  flappingResolveHoldMs: number;
  /** Resolved alerts kept, most recent first. */
  historyLimit: number;
}

/**
 * Facts that already happened or that the sources already smooth fire at once: an unreachable engine, an OOM kill, a
 * failed revision, a missing service, a service Cloud Run reports not ready, a slow start, an oversized image.
 * Sampled rates are spiky (one `docker stats` sample over 80 % is not a problem), so memory, CPU and error rate must
 * hold 30 s. The rest (a failing health check, a restart, an exit, a running container without processes, traffic
 * mid-rollout) hold 15 s, long enough for a restart, an exit or a rollout to settle. Gone for 10 s, an alert
 * resolves; flapping, for 5 minutes.
 */
export const DEFAULT_ALERT_POLICY: AlertPolicy = {
  holdMs: {
    'engine-unreachable': 0,
    'oom-killed': 0,
    'service-not-ready': 0,
    'revision-failed': 0,
    'service-missing': 0,
    'slow-start': 0,
    'image-size': 0,
    memory: 30_000,
    cpu: 30_000,
    'error-rate': 30_000,
    unhealthy: 15_000,
    'crash-loop': 15_000,
    exited: 15_000,
    'no-processes': 15_000,
    'traffic-mismatch': 15_000,
  },
  resolveHoldMs: 10_000,
  // Appearing and going three times in 10 minutes (the first appearance counts).
  flapTransitions: 6,
  flapWindowMs: 10 * 60_000,
  flappingResolveHoldMs: 5 * 60_000,
  historyLimit: 200,
};

/** Where a container alert's container belongs, when the caller knows (compose labels). */
export interface ContainerOwner {
  project: string | null;
  service: string | null;
}

/** The alert as a condition with a stable key; project and service labels when `owner` gives them. */
export function conditionOf(alert: Alert, check: string | null, owner?: ContainerOwner): AlertCondition {
  const subject = alertSubject(alert);
  const labels: AlertLabels = { source: alert.source, kind: alert.kind, subject, level: alert.level };
  if (owner?.project) labels.project = owner.project;
  if (owner?.service) labels.service = owner.service;
  return { key: `${alert.source}/${alert.kind}/${subject}`, alert, labels, check };
}

function sameRecord(a: object, b: object): boolean {
  const ea = Object.entries(a);
  return ea.length === Object.keys(b).length && ea.every(([k, v]) => (b as Record<string, unknown>)[k] === v);
}

function isGone(t: TrackedAlert): boolean {
  const last = t.transitions.at(-1);
  return last !== undefined && last > t.lastTrueAt;
}

function isFlapping(transitions: readonly number[], now: number, policy: AlertPolicy): boolean {
  return transitions.filter((at) => now - at < policy.flapWindowMs).length >= policy.flapTransitions;
}

/** The transitions with `now` added, keeping only those that can still count (within the window, the last N). */
function withTransition(transitions: readonly number[], now: number, policy: AlertPolicy): number[] {
  return [...transitions.filter((at) => now - at < policy.flapWindowMs), now].slice(-policy.flapTransitions);
}

function firesNow(t: TrackedAlert, now: number, policy: AlertPolicy): boolean {
  return t.state === 'pending' && now - t.since >= policy.holdMs[t.alert.kind];
}

/** A condition seen for the first time this episode; its key's recent episodes count towards flapping. */
function started(c: AlertCondition, history: readonly ResolvedAlert[], now: number, policy: AlertPolicy): TrackedAlert {
  const earlier = history
    .filter((h) => h.key === c.key)
    .flatMap((h) => [h.activeSince, h.resolvedAt])
    .sort((a, b) => a - b);
  const transitions = withTransition(earlier, now, policy);
  const tracked: TrackedAlert = {
    key: c.key,
    alert: c.alert,
    labels: c.labels,
    check: c.check,
    state: 'pending',
    activeSince: now,
    since: now,
    lastTrueAt: now,
    transitions,
    flapping: isFlapping(transitions, now, policy),
    ack: null,
  };
  return firesNow(tracked, now, policy) ? { ...tracked, state: 'firing' } : tracked;
}

/** An active alert whose condition holds now: updated message and level, back from a gap, fired, (un)flapping. */
function held(t: TrackedAlert, c: AlertCondition, now: number, policy: AlertPolicy): TrackedAlert {
  let next = t;
  if (!sameRecord(t.alert, c.alert) || !sameRecord(t.labels, c.labels) || t.check !== c.check) next = { ...next, alert: c.alert, labels: c.labels, check: c.check };
  if (isGone(t)) next = { ...next, transitions: withTransition(t.transitions, now, policy) };
  if (firesNow(next, now, policy)) next = { ...next, state: 'firing', since: now };
  const flapping = isFlapping(next.transitions, now, policy);
  if (flapping !== next.flapping) next = { ...next, flapping };
  return next === t ? t : { ...next, lastTrueAt: now };
}

/** An active alert whose condition is gone: null once gone for its resolve hold. */
function missing(t: TrackedAlert, now: number, policy: AlertPolicy): TrackedAlert | null {
  let next = isGone(t) ? t : { ...t, transitions: withTransition(t.transitions, now, policy) };
  const flapping = isFlapping(next.transitions, now, policy);
  if (flapping !== next.flapping) next = { ...next, flapping };
  const goneSince = next.transitions.at(-1)!;
  const hold = flapping ? policy.flappingResolveHoldMs : policy.resolveHoldMs;
  return now - goneSince >= hold ? null : next;
}

function resolvedFrom(t: TrackedAlert, now: number): ResolvedAlert {
  return { key: t.key, alert: t.alert, labels: t.labels, check: t.check, firedAt: t.since, activeSince: t.activeSince, resolvedAt: now };
}

/**
 * The book after the sources reported `conditions` at `now`: the same object when nothing changed. Expired silences
 * are dropped; an ack goes with its alert when it resolves.
 */
export function stepAlerts(book: AlertBook, conditions: readonly AlertCondition[], now: number, policy: AlertPolicy = DEFAULT_ALERT_POLICY): AlertBook {
  const current = new Map<string, AlertCondition>();
  for (const c of conditions) if (!current.has(c.key)) current.set(c.key, c);
  const active: Record<string, TrackedAlert> = {};
  const resolved: ResolvedAlert[] = [];
  let changed = false;
  for (const t of Object.values(book.active)) {
    const c = current.get(t.key);
    const next = c ? held(t, c, now, policy) : missing(t, now, policy);
    if (next) active[t.key] = next;
    else if (t.state === 'firing') resolved.push(resolvedFrom(t, now));
    changed ||= next !== t;
  }
  for (const c of current.values()) {
    if (book.active[c.key]) continue;
    active[c.key] = started(c, book.history, now, policy);
    changed = true;
  }
  const silences = book.silences.filter((s) => now < s.expiresAt);
  if (!changed && silences.length === book.silences.length) return book;
  const history = resolved.length > 0 ? [...resolved, ...book.history].slice(0, policy.historyLimit) : book.history;
  return { active, history, silences: silences.length === book.silences.length ? book.silences : silences };
}

/** The book with `key` acknowledged until it resolves. Throws one line when no such alert is active. */
export function ackAlert(book: AlertBook, key: string, ack: Ack): AlertBook {
  const t = book.active[key];
  if (!t) throw new Error(`no active alert ${key} to acknowledge: it has resolved or was never raised`);
  return { ...book, active: { ...book.active, [key]: { ...t, ack } } };
}

/** The book with `silence` added (or replacing the one with its id). Throws one line when it could never hide anything. */
export function silence(book: AlertBook, added: Silence): AlertBook {
  if (added.matchers.length === 0) throw new Error(`silence ${added.id} has no matchers: give label=value pairs, e.g. kind=memory`);
  if (added.expiresAt <= added.createdAt) throw new Error(`silence ${added.id} expires before it starts: give a positive duration, e.g. 30m`);
  return { ...book, silences: [...book.silences.filter((s) => s.id !== added.id), added] };
}

/** The book with silence `id` ended at `now` (the next step removes it). Throws one line when there is no such silence. */
export function expireSilence(book: AlertBook, id: string, now: number): AlertBook {
  const found = book.silences.find((s) => s.id === id);
  if (!found || found.expiresAt <= now) throw new Error(`no silence ${id} in effect: it has expired or was never set`);
  return { ...book, silences: book.silences.map((s) => (s === found ? { ...s, expiresAt: now } : s)) };
}

export function emptyAlertBook(): AlertBook {
  return { active: {}, history: [], silences: [] };
}

/**
 * Whether `after` differs from `before` in what is worth saving: an alert started, fired, changed level, flapped,
 * resolved or was acked, or a silence changed; not a message's numbers moving.
 */
export function lifecycleChanged(before: AlertBook, after: AlertBook): boolean {
  if (before === after) return false;
  if (before.history !== after.history || before.silences !== after.silences) return true;
  const keys = Object.keys(after.active);
  if (keys.length !== Object.keys(before.active).length) return true;
  return keys.some((key) => {
    const [b, a] = [before.active[key], after.active[key]!];
    return !b || b.state !== a.state || b.ack !== a.ack || b.flapping !== a.flapping || b.alert.level !== a.alert.level;
  });
}
