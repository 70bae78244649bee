/**
 * The alert lifecycle's shapes (Alertmanager's vocabulary): a condition true for less than its hold time is pending,
 * then firing; when it stops being true it resolves into the history. Acks end when their alert resolves; silences
 * hide what their matchers match until they expire; inhibition hides what a wider outage causes.
 */
import type { Alert, AlertLevel } from './types';

/** Labels a silence can match: source, kind, subject (container, host or Cloud Run service), level, project, service. */
export type AlertLabels = Record<string, string>;

/** One alert condition as the sources see it right now, with a stable identity across updates. */
export interface AlertCondition {
  /** `${source}/${kind}/${subject}`: the same problem keeps its key while its message changes. */
  key: string;
  alert: Alert;
  labels: AlertLabels;
  /** The runbook check behind it (catalogue code), when there is one. */
  check: string | null;
}

export type AlertState = 'pending' | 'firing' | 'resolved';

export interface Ack {
  by: string;
  note: string;
  /** ms since the epoch */
  at: number;
}

export interface SilenceMatcher {
  label: string;
  /** Exact value, or a glob with `*`. */
  value: string;
}

export interface Silence {
  id: string;
  matchers: SilenceMatcher[];
  createdAt: number;
  expiresAt: number;
  author: string;
  comment: string;
}

export interface TrackedAlert {
  key: string;
  alert: Alert;
  labels: AlertLabels;
  check: string | null;
  state: 'pending' | 'firing';
  /** When the condition was first seen true (this episode). */
  activeSince: number;
  /** When it entered its current state. */
  since: number;
  /** Last time the condition was seen true; it resolves once false for the resolve hold. */
  lastTrueAt: number;
  /** Recent pending/firing ↔ resolved transitions (ms), for flap damping. */
  transitions: number[];
  flapping: boolean;
  ack: Ack | null;
}

export interface ResolvedAlert {
  key: string;
  alert: Alert;
  labels: AlertLabels;
  check: string | null;
  firedAt: number | null;
  activeSince: number;
  resolvedAt: number;
}

export interface AlertBook {
  active: Record<string, TrackedAlert>;
  /** Most recent first, bounded. */
  history: ResolvedAlert[];
  silences: Silence[];
}

/** How an alert is shown: its lifecycle state plus why it is hidden or quiet, if it is. */
export interface AlertView {
  key: string;
  alert: Alert;
  level: AlertLevel;
  state: AlertState;
  since: number;
  check: string | null;
  ack: Ack | null;
  /** Ids of the silences that hide it. */
  silencedBy: string[];
  /** The key of the alert that inhibits it (engine unreachable). */
  inhibitedBy: string | null;
  flapping: boolean;
}
