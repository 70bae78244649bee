/**
 * The alerts with their lifecycle, for a headless command: the book a running console keeps in the state directory,
 * stepped with what is true now. Without a console saving it lately, nothing is known of how long an alert has been
 * true: it starts now (pending until its hold), and only acks' and silences' records are kept.
 */
import { alertConditions } from '../domain/alert-conditions';
import { alertViews, stepAlerts } from '../domain/alert-lifecycle';
import type { AlertBook, AlertView } from '../domain/alert-lifecycle-types';
import type { Alert, ContainerInfo } from '../domain/types';
import { defaultAlertStatePath, loadAlertBook } from '../sources/alert-state';

/** A console saves at least this often while it runs (its clock steps the book each second, saves on change). */
const FRESH_MS = 120_000;

export interface AlertSnapshot {
  book: AlertBook;
  views: AlertView[];
  /** One line when the state file could not be used. */
  problem: string | null;
  /** When a running console last saved the book; null when none did lately. */
  trackedSince: number | null;
}

export function alertSnapshot(alerts: readonly Alert[], containers: readonly ContainerInfo[], env: NodeJS.ProcessEnv, now = Date.now()): AlertSnapshot {
  const loaded = loadAlertBook(defaultAlertStatePath(env));
  const fresh = loaded.savedAt !== null && now - loaded.savedAt < FRESH_MS;
  const base: AlertBook = fresh ? loaded.book : { active: {}, history: loaded.book.history, silences: loaded.book.silences };
  const book = stepAlerts(base, alertConditions(alerts, containers), now);
  return { book, views: alertViews(book, now), problem: loaded.problem, trackedSince: fresh ? loaded.savedAt : null };
}
