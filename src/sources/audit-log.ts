import { accessSync, closeSync, constants, fchmodSync, fstatSync, lstatSync, mkdirSync, openSync, statSync, writeSync } from 'node:fs';
import { hostname, userInfo } from 'node:os';
import { dirname } from 'node:path';
import { UsageError } from '../config/errors';
import type { AnyAuditEntry, AuditEntry } from '../domain/audit';
import { defaultStatePath } from './state-file';

/** The audit log cannot be written; the user can fix it (a path, a mode), so it is a usage error: exit 2. */
export class AuditLogError extends UsageError {
  override name = 'AuditLogError';
}

/**
 * `$XDG_STATE_HOME/netra-console/audit.log`, by default `~/.local/state/netra-console/audit.log`; changes made to a
 * sandbox (in-process or at a plaintext endpoint) go to `audit-sandbox.log` beside it, apart from the real ones.
 */
export function defaultAuditPath(env: NodeJS.ProcessEnv, sandbox: boolean): string {
  return defaultStatePath(env, sandbox ? 'audit-sandbox.log' : 'audit.log');
}

/** Who is at the keyboard, as the audit log records it. */
export function osUser(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? 'unknown';
  }
}

function fail(path: string, why: string): never {
  throw new AuditLogError(`cannot write the audit log ${path}: ${why}`);
}

/** Runs `step`, turning a filesystem error into one line naming the audit log. */
function guarded<T>(path: string, step: () => T): T {
  try {
    return step();
  } catch (error) {
    if (error instanceof AuditLogError) throw error;
    fail(path, (error as Error).message.split('\n')[0]!);
  }
}

/**
 * Creates the directory (0700) when missing. One that anyone may write to is refused: another user could swap
 * the log for a link or a file of theirs between our checks.
 */
function ensureDirectory(path: string): void {
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const mode = statSync(dir).mode & 0o777;
  if (mode & 0o002) fail(path, `its directory ${dir} is writable by everyone (mode ${mode.toString(8).padStart(4, '0')}); run chmod o-w ${dir} or pick another path with --audit-log`);
}

/** An existing log must be a regular file of its own, never a link (a link would be followed to its target). */
function checkExisting(path: string): void {
  let stats;
  try {
    stats = lstatSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  if (stats.isSymbolicLink()) fail(path, 'it is a symbolic link; refusing to follow it');
  if (!stats.isFile()) fail(path, 'it is not a regular file');
}

/**
 * Fails with one line when an append would fail, creating nothing but the directory: the headless rollback asks
 * before it reads anything, so a refusal is one clean line and nothing is sent.
 */
export function assertAuditWritable(path: string): void {
  guarded(path, () => {
    ensureDirectory(path);
    checkExisting(path);
    accessSync(dirname(path), constants.W_OK);
  });
}

/** O_NOFOLLOW: a link is refused by the kernel, not followed; O_NONBLOCK: a FIFO fails instead of blocking. */
const APPEND_FLAGS = constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW | constants.O_NONBLOCK;

function appendLine(path: string, line: string): void {
  checkExisting(path);
  let fd: number;
  try {
    fd = openSync(path, APPEND_FLAGS, 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOOP') fail(path, 'it is a symbolic link; refusing to follow it');
    throw error;
  }
  try {
    if (!fstatSync(fd).isFile()) fail(path, 'it is not a regular file');
    // Through the descriptor, so what is tightened is the file written, whatever the path names meanwhile.
    fchmodSync(fd, 0o600);
    writeSync(fd, line);
  } finally {
    closeSync(fd);
  }
}

/**
 * Appends one JSON line, synchronously (it is on disk before the caller goes on to send anything); the file is
 * created with mode 0600 (and kept there) because it names people and hosts. Throws AuditLogError, one line.
 */
export function appendAudit<E extends AnyAuditEntry = AuditEntry>(path: string, entry: Omit<E, 'time' | 'user' | 'host'>): E {
  const full = { time: new Date().toISOString(), user: osUser(), host: hostname(), ...entry } as E;
  guarded(path, () => {
    ensureDirectory(path);
    appendLine(path, `${JSON.stringify(full)}\n`);
  });
  return full;
}
