import { appendFileSync, chmodSync, mkdirSync } from 'node:fs';
import { homedir, hostname, userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import type { AuditEntry } from '../domain/audit';

export type { AuditEntry, AuditResult, AuditSource } from '../domain/audit';

/**
 * `$XDG_STATE_HOME/netra-console/audit.log`, by default `~/.local/state/netra-console/audit.log`; changes made to a
 * sandbox (in-process or at a plaintext endpoint) go to `audit-sandbox.log` beside it, apart from the real ones.
 */
export function defaultAuditPath(env: NodeJS.ProcessEnv, sandbox: boolean): string {
  const state = env.XDG_STATE_HOME || join(env.HOME || homedir(), '.local', 'state');
  return join(state, 'netra-console', sandbox ? 'audit-sandbox.log' : 'audit.log');
}

function osUser(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? 'unknown';
  }
}

/** Appends one JSON line; the file is created with mode 0600 (and kept there) because it names people and hosts. */
export function appendAudit(path: string, entry: Omit<AuditEntry, 'time' | 'user' | 'host'>): AuditEntry {
  const full: AuditEntry = { time: new Date().toISOString(), user: osUser(), host: hostname(), ...entry };
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  appendFileSync(path, `${JSON.stringify(full)}\n`, { mode: 0o600 });
  chmodSync(path, 0o600);
  return full;
}
