/**
 * Acks and silences change what the person on call is shown, so they go to the audit log like any change: who
 * quieted what, why, and until when.
 */
import type { Ack, Silence } from './alert-lifecycle-types';
import { matchersText } from './silence-text';

export interface AlertAuditEntry {
  time: string;
  user: string;
  host: string;
  /** `restart`: a container restarted as a runbook's fix. */
  action: 'ack' | 'silence' | 'unsilence' | 'restart';
  /** The alert's key (ack), the silence's matchers as typed (silence, unsilence), or the container (restart). */
  target: string;
  note: string;
  /** ISO time the silence ends; null for an ack (it ends when its alert resolves). */
  expiresAt: string | null;
  result: 'confirmed' | 'restarted' | 'failed';
}

/** What a caller gives appendAudit, which adds time, user and host. */
export type AlertAuditFields = Omit<AlertAuditEntry, 'time' | 'user' | 'host'>;

/** The entry for acking `key`, or for setting or ending `silence`. */
export function alertAuditFields(action: 'ack', key: string, ack: Ack): AlertAuditFields;
export function alertAuditFields(action: 'silence' | 'unsilence', silence: Silence): AlertAuditFields;
export function alertAuditFields(action: AlertAuditEntry['action'], target: string | Silence, ack?: Ack): AlertAuditFields {
  if (typeof target === 'string') return { action, target, note: ack?.note ?? '', expiresAt: null, result: 'confirmed' };
  return { action, target: matchersText(target.matchers), note: target.comment, expiresAt: new Date(target.expiresAt).toISOString(), result: 'confirmed' };
}

/** Tells alert entries from the Cloud Run and stack ones in a read audit log (only they have a `target`). */
export function isAlertAuditEntry(entry: object): entry is AlertAuditEntry {
  return 'target' in entry && 'action' in entry && ['ack', 'silence', 'unsilence', 'restart'].includes(String(entry.action));
}
