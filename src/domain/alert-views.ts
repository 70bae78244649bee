/**
 * How the book is shown: every active alert, with the silences that hide it and the outage that inhibits it, and the
 * recently resolved, in the order a person on call reads them: what needs them now first.
 */
import type { AlertBook, AlertLabels, AlertView, ResolvedAlert, Silence, TrackedAlert } from './alert-lifecycle-types';
import { globMatches } from './silence-text';

/** Resolved alerts shown: those of the last hour, at most this many. */
const RECENT_RESOLVED_MS = 60 * 60_000;
const RECENT_RESOLVED_LIMIT = 20;

const LEVEL_RANK = { critical: 0, high: 1, warning: 2 } as const;

function inEffect(s: Silence, now: number): boolean {
  return s.createdAt <= now && now < s.expiresAt;
}

/** Every matcher must match; a label the alert does not have matches nothing. */
export function silenceMatches(s: Silence, labels: AlertLabels): boolean {
  return s.matchers.every((m) => {
    const value = labels[m.label];
    return value !== undefined && globMatches(m.value, value);
  });
}

/** A firing unreachable engine makes every container alert a consequence of it (and its numbers last known). */
function engineOutage(book: AlertBook): string | null {
  const keys = Object.values(book.active)
    .filter((t) => t.state === 'firing' && t.alert.kind === 'engine-unreachable')
    .map((t) => t.key)
    .sort();
  return keys[0] ?? null;
}

function activeView(t: TrackedAlert, silences: readonly Silence[], outage: string | null): AlertView {
  const isContainerAlert = t.alert.source === 'docker' && 'container' in t.alert;
  return {
    key: t.key,
    alert: t.alert,
    level: t.alert.level,
    state: t.state,
    since: t.since,
    check: t.check,
    ack: t.ack,
    silencedBy: silences.filter((s) => silenceMatches(s, t.labels)).map((s) => s.id),
    inhibitedBy: isContainerAlert ? outage : null,
    flapping: t.flapping,
  };
}

/** Resolved alerts are history: no silence or inhibition applies to them any more. */
function resolvedView(r: ResolvedAlert): AlertView {
  return { key: r.key, alert: r.alert, level: r.alert.level, state: 'resolved', since: r.resolvedAt, check: r.check, ack: null, silencedBy: [], inhibitedBy: null, flapping: false };
}

/** firing, pending, acked, silenced or inhibited, resolved. */
function group(v: AlertView): number {
  if (v.state === 'resolved') return 4;
  if (v.silencedBy.length > 0 || v.inhibitedBy) return 3;
  if (v.ack) return 2;
  return v.state === 'firing' ? 0 : 1;
}

function byUrgency(a: AlertView, b: AlertView): number {
  return group(a) - group(b) || LEVEL_RANK[a.level] - LEVEL_RANK[b.level] || a.since - b.since || a.key.localeCompare(b.key);
}

/**
 * Active alerts (firing, pending, acked, silenced or inhibited; within each most severe, then oldest, first),
 * then those resolved in the last hour (at most 20, most recently resolved first: history reads backwards).
 */
export function alertViews(book: AlertBook, now: number): AlertView[] {
  const silences = book.silences.filter((s) => inEffect(s, now));
  const outage = engineOutage(book);
  const active = Object.values(book.active)
    .map((t) => activeView(t, silences, outage))
    .sort(byUrgency);
  const resolved = book.history
    .filter((r) => now - r.resolvedAt < RECENT_RESOLVED_MS)
    .slice(0, RECENT_RESOLVED_LIMIT)
    .map(resolvedView);
  return [...active, ...resolved];
}

/** How many active alerts silence `silenceId` hides now (0 when it is not in effect). */
export function silencedCount(book: AlertBook, silenceId: string, now: number): number {
  const s = book.silences.find((x) => x.id === silenceId);
  if (!s || !inEffect(s, now)) return 0;
  return Object.values(book.active).filter((t) => silenceMatches(s, t.labels)).length;
}
