import { alertViews, conditionOf } from '../../domain/alert-lifecycle';
import type { AlertBook, AlertView } from '../../domain/alert-lifecycle-types';
import { alertSubject, sortAlerts } from '../../domain/alerts';
import type { Alert } from '../../domain/types';
import { formatDuration } from '../format';

export type AlertDisplayState = 'FIRING' | 'PENDING' | 'ACKED' | 'SILENCED' | 'INHIBITED' | 'RESOLVED';

/** What a row says an alert is: why it is quiet wins over its lifecycle state, as the lifecycle groups them. */
export function displayState(view: AlertView): AlertDisplayState {
  if (view.state === 'resolved') return 'RESOLVED';
  if (view.silencedBy.length > 0) return 'SILENCED';
  if (view.inhibitedBy) return 'INHIBITED';
  if (view.ack) return 'ACKED';
  return view.state === 'firing' ? 'FIRING' : 'PENDING';
}

export const STATE_COLOR: Record<AlertDisplayState, string | undefined> = {
  FIRING: 'red',
  PENDING: 'yellow',
  ACKED: 'cyan',
  SILENCED: 'gray',
  INHIBITED: 'gray',
  RESOLVED: 'green',
};

/** `firing for 3m12s`, `pending for 20s`, `resolved 2m ago`. */
export function timeText(view: AlertView, now: number): string {
  const age = formatDuration(now - view.since);
  return view.state === 'resolved' ? `resolved ${age} ago` : `${view.state} for ${age}`;
}

/** A row's identity: an alert's key, and for a resolved one also when (a key can resolve more than once). */
export function alertRowId(view: AlertView): string {
  return view.state === 'resolved' ? `${view.key}@${view.since}` : view.key;
}

/** Firing or pending, and nobody acked, silenced or inhibited it: what the person on call still has to look at. */
export function needsAttention(view: AlertView): boolean {
  return displayState(view) === 'FIRING' || displayState(view) === 'PENDING';
}

/**
 * Alerts the sources report that the book does not track (yet): the console feeds the book a moment later, and a
 * state without a book (a test's) has only these. Shown as they are, never dropped.
 */
export function untrackedAlerts(book: AlertBook, live: readonly Alert[]): Alert[] {
  return sortAlerts(live.filter((a) => !(conditionOf(a, null).key in book.active)));
}

export interface Attention {
  /** What the status bar counts and its banner shows, most severe first. */
  alerts: Alert[];
  /** Active alerts someone acked or silenced, or an outage inhibits: listed by !, not counted. */
  quiet: number;
}

export function attention(book: AlertBook, live: readonly Alert[], now: number): Attention {
  const active = alertViews(book, now).filter((v) => v.state !== 'resolved');
  const loud = active.filter(needsAttention).map((v) => v.alert);
  return { alerts: sortAlerts([...loud, ...untrackedAlerts(book, live)]), quiet: active.length - loud.length };
}

/** The silence matchers that catch exactly this alert's kind and subject. */
export function matchersFor(alert: Alert): string {
  return `kind=${alert.kind} subject=${alertSubject(alert)}`;
}
