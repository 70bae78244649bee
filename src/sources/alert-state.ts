/**
 * The alert book kept between runs in the state directory: a running console saves it on each transition, so its
 * next start keeps each alert's since and ack, and a headless command can say what a console has been tracking and
 * as of when. Losing it costs that memory, nothing more: a load never throws and never rewrites the file; a save
 * replaces it atomically (see state-file.ts).
 */
import { ALERT_KINDS_BY_SOURCE } from '../domain/alert-kinds';
import type { AlertBook, ResolvedAlert, TrackedAlert } from '../domain/alert-lifecycle-types';
import { alertSubject } from '../domain/alerts';
import { DEFAULT_ALERT_POLICY } from '../domain/alert-lifecycle';
import { printable } from '../domain/printable';
import { defaultStatePath, isObject, loadStateFile, saveStateFile } from './state-file';

const WHAT = 'alert state';
const VERSION = 1;

/** `$XDG_STATE_HOME/netra-console/alerts.json`, by default `~/.local/state/netra-console/alerts.json`. */
export function defaultAlertStatePath(env: NodeJS.ProcessEnv): string {
  return defaultStatePath(env, 'alerts.json');
}

interface AlertStateFile {
  version: typeof VERSION;
  /** ms since the epoch: how current the book is. */
  savedAt: number;
  active: TrackedAlert[];
  history: ResolvedAlert[];
  silences: AlertBook['silences'];
}

export interface LoadedAlertBook {
  book: AlertBook;
  /** When a console last saved it; null when there is no usable file. */
  savedAt: number | null;
  /** One line saying why the file was not used; null when it was, or when there is none yet. */
  problem: string | null;
}

const LEVELS = ['warning', 'high', 'critical'];

const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isStringRecord = (v: unknown): boolean => isObject(v) && Object.values(v).every((x) => typeof x === 'string');

/** Why `value` is not an Alert, or null (the fields the console reads, and its kind's subject field). */
function alertProblem(value: unknown): string | null {
  if (!isObject(value)) return 'has an alert that is not an object';
  if (value.source !== 'docker' && value.source !== 'cloudrun') return `has an alert of unknown source ${printable(String(value.source))}`;
  const kind = String(value.kind);
  if (!ALERT_KINDS_BY_SOURCE[value.source].includes(kind)) return `has a ${value.source} alert of unknown kind ${printable(kind)}`;
  if (!LEVELS.includes(String(value.level))) return `has an alert of unknown level ${printable(String(value.level))}`;
  const subject = value.source === 'cloudrun' ? 'service' : kind === 'engine-unreachable' ? 'host' : 'container';
  if (typeof value[subject] !== 'string' || typeof value.message !== 'string') return `has a ${kind} alert without ${subject} or message`;
  if (value.stale !== undefined && value.stale !== true) return 'has an alert whose stale is not true';
  return null;
}

/** Why `value` is not the common part of a tracked or resolved alert, or null. */
function entryProblem(value: unknown): string | null {
  if (!isObject(value)) return 'is not an object';
  const why = alertProblem(value.alert);
  if (why) return why;
  const alert = value.alert as TrackedAlert['alert'];
  if (value.key !== `${alert.source}/${alert.kind}/${alertSubject(alert)}`) return `has a key that is not its alert's (${printable(String(value.key))})`;
  if (!isStringRecord(value.labels)) return 'has labels that are not strings';
  if (value.check !== null && typeof value.check !== 'string') return 'has a check that is not a string';
  if (!isNumber(value.activeSince)) return 'has no number activeSince';
  return null;
}

function trackedProblem(value: unknown): string | null {
  const why = entryProblem(value);
  if (why || !isObject(value)) return why;
  if (value.state !== 'pending' && value.state !== 'firing') return 'has a state that is neither pending nor firing';
  if (!isNumber(value.since) || !isNumber(value.lastTrueAt)) return 'lacks since or lastTrueAt';
  if (!Array.isArray(value.transitions) || !value.transitions.every(isNumber)) return 'has transitions that are not numbers';
  if (typeof value.flapping !== 'boolean') return 'has no boolean flapping';
  const ack = value.ack;
  if (ack !== null && !(isObject(ack) && typeof ack.by === 'string' && typeof ack.note === 'string' && isNumber(ack.at))) return 'has an ack without by, note or at';
  return null;
}

function resolvedProblem(value: unknown): string | null {
  const why = entryProblem(value);
  if (why || !isObject(value)) return why;
  if (value.firedAt !== null && !isNumber(value.firedAt)) return 'has a firedAt that is not a number';
  return isNumber(value.resolvedAt) ? null : 'has no number resolvedAt';
}

function silenceProblem(value: unknown): string | null {
  if (!isObject(value)) return 'is not an object';
  if (typeof value.id !== 'string' || typeof value.author !== 'string' || typeof value.comment !== 'string') return 'lacks id, author or comment';
  if (!isNumber(value.createdAt) || !isNumber(value.expiresAt)) return 'lacks createdAt or expiresAt';
  const matchers = value.matchers;
  if (!Array.isArray(matchers) || matchers.length === 0) return 'has no matchers';
  if (!matchers.every((m) => isObject(m) && typeof m.label === 'string' && typeof m.value === 'string')) return 'has a matcher without label or value';
  return null;
}

/** The first problem of the entries of `list`, named by where it is. */
function listProblem(value: unknown, name: string, problemOf: (entry: unknown) => string | null): string | null {
  if (!Array.isArray(value)) return `${name} is not a list`;
  for (const [i, entry] of value.entries()) {
    const why = problemOf(entry);
    if (why) return `${name}[${i}] ${why}`;
  }
  return null;
}

/** Why `value` is not an alert state file we write, or null when it is one. */
function fileProblem(value: Record<string, unknown>): string | null {
  if (value.version !== VERSION) return `version ${printable(String(value.version))} is not ${VERSION}`;
  if (!isNumber(value.savedAt)) return 'has no number savedAt';
  const why = listProblem(value.active, 'active', trackedProblem) ?? listProblem(value.history, 'history', resolvedProblem) ?? listProblem(value.silences, 'silences', silenceProblem);
  if (why) return why;
  const keys = (value.active as TrackedAlert[]).map((t) => t.key);
  const repeated = keys.find((key, i) => keys.indexOf(key) !== i);
  return repeated ? `active holds ${printable(repeated)} twice` : null;
}

const EMPTY_FILE: AlertStateFile = { version: VERSION, savedAt: 0, active: [], history: [], silences: [] };

/** Missing file: no alerts tracked yet. Unreadable or not what we write: an empty book, and a problem to show. */
export function loadAlertBook(path: string): LoadedAlertBook {
  const { value, problem } = loadStateFile<AlertStateFile>(path, WHAT, EMPTY_FILE, fileProblem);
  const book: AlertBook = { active: Object.fromEntries(value.active.map((t) => [t.key, t])), history: value.history, silences: value.silences };
  return { book, savedAt: value === EMPTY_FILE ? null : value.savedAt, problem };
}

/**
 * Writes the book as of `savedAt` atomically (see saveStateFile); throws one line. Bounded: the history is cut to the
 * policy's limit and expired silences are left out; active alerts are all kept (each is a live problem).
 */
export function saveAlertBook(path: string, book: AlertBook, savedAt: number, historyLimit = DEFAULT_ALERT_POLICY.historyLimit): void {
  const file: AlertStateFile = {
    version: VERSION,
    savedAt,
    active: Object.values(book.active),
    history: book.history.slice(0, historyLimit),
    silences: book.silences.filter((s) => savedAt < s.expiresAt),
  };
  saveStateFile(path, WHAT, file);
}
