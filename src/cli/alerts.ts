/**
 * `netra-console alerts`: the alerts with their lifecycle, the silences and recent resolved, once. Exit 0 nothing
 * firing that a person still has to look at, 1 something is (firing, not silenced, inhibited or acked).
 */
import { silencedCount } from '../domain/alert-lifecycle';
import type { AlertBook, AlertView } from '../domain/alert-lifecycle-types';
import { matchersText } from '../domain/silence-text';
import { printable, terminalJson } from '../domain/printable';
import { alertSnapshot } from './alert-snapshot';
import type { Settings } from './settings';
import { readStatus } from './status';

function needsAttention(v: AlertView): boolean {
  return v.state === 'firing' && v.silencedBy.length === 0 && v.inhibitedBy === null && v.ack === null;
}

export async function runAlertsCommand(settings: Settings, json: boolean, now = Date.now()): Promise<number> {
  const { docker, alerts } = await readStatus(settings);
  const snapshot = alertSnapshot(alerts, docker.snapshot.containers, process.env, now);
  process.stdout.write(json ? `${terminalJson(alertsDocument(snapshot.views, snapshot.book, snapshot.trackedSince, now), 2)}\n` : alertsText(snapshot.views, snapshot.book, snapshot.trackedSince, now));
  if (snapshot.problem) process.stderr.write(`netra-console: ${printable(snapshot.problem)}\n`);
  return snapshot.views.some(needsAttention) ? 1 : 0;
}

const iso = (ms: number) => new Date(ms).toISOString();

export function alertsDocument(views: readonly AlertView[], book: AlertBook, trackedSince: number | null, now: number) {
  return {
    /** When a running console last saved its book; null: the states start now (a console tracks how long). */
    trackedBy: trackedSince === null ? null : { console: true, savedAt: iso(trackedSince) },
    alerts: views.map((v) => ({
      key: v.key,
      state: v.state,
      since: iso(v.since),
      level: v.level,
      source: v.alert.source,
      kind: v.alert.kind,
      message: v.alert.message,
      check: v.check,
      flapping: v.flapping,
      ack: v.ack ? { by: v.ack.by, note: v.ack.note, at: iso(v.ack.at) } : null,
      silencedBy: v.silencedBy,
      inhibitedBy: v.inhibitedBy,
    })),
    silences: book.silences.map((s) => ({
      id: s.id,
      matchers: matchersText(s.matchers),
      author: s.author,
      comment: s.comment,
      createdAt: iso(s.createdAt),
      expiresAt: iso(s.expiresAt),
      hides: silencedCount(book, s.id, now),
    })),
  };
}

/** `FIRING   critical  2m10s  message  [NC102]`, then the silences. */
export function alertsText(views: readonly AlertView[], book: AlertBook, trackedSince: number | null, now: number): string {
  const lines = views.map((v) => {
    const quiet = v.silencedBy.length ? ' (silenced)' : v.inhibitedBy ? ` (inhibited by ${v.inhibitedBy})` : v.ack ? ` (acked by ${v.ack.by}${v.ack.note ? `: ${v.ack.note}` : ''})` : '';
    const check = v.check ? `  [doctor: ${v.check}]` : '';
    return `${v.state.toUpperCase().padEnd(9)}${v.level.padEnd(9)}${ago(now - v.since).padStart(7)}  ${v.alert.message}${quiet}${v.flapping ? ' (flapping)' : ''}${check}`;
  });
  if (views.length === 0) lines.push('no alerts');
  for (const s of book.silences) {
    lines.push(`silence ${s.id}: ${matchersText(s.matchers)} by ${s.author}, ends in ${ago(s.expiresAt - now)}, hides ${silencedCount(book, s.id, now)}${s.comment ? ` — ${s.comment}` : ''}`);
  }
  if (trackedSince === null) lines.push('(no console is tracking these: states start now; a running console keeps since and holds)');
  return `${lines.map(printable).join('\n')}\n`;
}

/** 45s, 3m10s, 2h05m. */
function ago(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}
