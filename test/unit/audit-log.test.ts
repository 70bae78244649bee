import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { homedir, hostname, tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../src/domain/audit';
import { appendAudit, assertAuditWritable, AuditLogError, defaultAuditPath } from '../../src/sources/audit-log';

const KEYS = ['time', 'user', 'host', 'mode', 'endpoint', 'project', 'region', 'service', 'action', 'before', 'requested', 'after', 'result', 'error'].sort();

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'audit-log-'));
  dirs.push(dir);
  return dir;
}

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const mode = (path: string) => statSync(path).mode & 0o777;

const SERVED = [{ revision: 'netra-auth-00006-abc', percent: 90, tag: null, latest: false }];

const entry = (result: AuditEntry['result'], extra: Partial<AuditEntry> = {}) => ({
  mode: 'google',
  endpoint: 'run.googleapis.com',
  project: 'netra-staging',
  region: 'us-central1',
  service: 'netra-auth',
  action: 'rollback',
  before: SERVED,
  requested: [{ revision: 'netra-auth-00004-def', percent: 100, tag: null, latest: false }],
  after: null,
  result,
  error: null,
  ...extra,
});

describe('appendAudit', () => {
  it('creates the directories and a 0600 file, one JSON line per call with every key', () => {
    const path = join(tempDir(), 'state', 'netra-console', 'audit.log');
    const first = appendAudit(path, entry('confirmed'));
    appendAudit(path, entry('failed', { after: SERVED, error: 'the update failed: quota' }));
    expect(mode(path)).toBe(0o600);

    const text = readFileSync(path, 'utf8');
    expect(text.endsWith('\n')).toBe(true);
    const lines = text.trimEnd().split('\n').map((l) => JSON.parse(l) as AuditEntry);
    expect(lines).toHaveLength(2);
    for (const line of lines) expect(Object.keys(line).sort()).toEqual(KEYS);
    expect(lines[0]).toEqual(first);
    expect(lines[0]).toMatchObject({ mode: 'google', endpoint: 'run.googleapis.com', result: 'confirmed', user: userInfo().username, host: hostname(), service: 'netra-auth', after: null, error: null });
    expect(Number.isNaN(Date.parse(lines[0]!.time))).toBe(false);
    expect(lines[1]).toMatchObject({ result: 'failed', error: 'the update failed: quota', after: SERVED });
  });

  it('tightens a file that already existed with mode 0644, keeping what it held', () => {
    const path = join(tempDir(), 'audit.log');
    writeFileSync(path, '{"old":true}\n', { mode: 0o644 });
    chmodSync(path, 0o644);
    expect(mode(path)).toBe(0o644);
    appendAudit(path, entry('succeeded'));
    expect(mode(path)).toBe(0o600);
    const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
    expect(lines[0]).toBe('{"old":true}');
    expect(JSON.parse(lines[1]!)).toMatchObject({ result: 'succeeded' });
  });
});

describe('an audit log that must not be written', () => {
  /** Both the append and the check before a rollback refuse it with one AuditLogError line. */
  function refused(path: string): string {
    expect(() => assertAuditWritable(path)).toThrow(AuditLogError);
    let message = '';
    try {
      appendAudit(path, entry('confirmed'));
    } catch (error) {
      expect(error).toBeInstanceOf(AuditLogError);
      message = (error as Error).message;
    }
    expect(message).not.toContain('\n');
    return message;
  }

  it('a symbolic link is refused, its target neither appended to nor chmod-ed', () => {
    const dir = tempDir();
    const target = join(dir, 'elsewhere.txt');
    writeFileSync(target, 'precious\n', { mode: 0o644 });
    chmodSync(target, 0o644);
    const path = join(dir, 'audit.log');
    symlinkSync(target, path);
    expect(refused(path)).toBe(`cannot write the audit log ${path}: it is a symbolic link; refusing to follow it`);
    expect(readFileSync(target, 'utf8')).toBe('precious\n');
    expect(mode(target)).toBe(0o644);
  });

  it('a dangling symbolic link is refused and nothing is created at its target', () => {
    const dir = tempDir();
    const path = join(dir, 'audit.log');
    symlinkSync(join(dir, 'created-by-us'), path);
    expect(refused(path)).toContain('it is a symbolic link');
    expect(existsSync(join(dir, 'created-by-us'))).toBe(false);
  });

  it('a directory anyone may write to is refused, saying how to fix it', () => {
    const dir = join(tempDir(), 'shared');
    mkdirSync(dir);
    chmodSync(dir, 0o777);
    const path = join(dir, 'audit.log');
    expect(refused(path)).toBe(
      `cannot write the audit log ${path}: its directory ${dir} is writable by everyone (mode 0777); run chmod o-w ${dir} or pick another path with --audit-log`,
    );
    expect(existsSync(path)).toBe(false);
  });

  it('a directory that cannot exist (XDG_STATE_HOME=/dev/null) is one line naming the log', () => {
    const path = defaultAuditPath({ XDG_STATE_HOME: '/dev/null' }, true);
    expect(refused(path)).toMatch(/^cannot write the audit log \/dev\/null\/netra-console\/audit-sandbox\.log: ENOTDIR/);
  });

  it('anything but a regular file is refused (a FIFO would block)', () => {
    const path = join(tempDir(), 'audit.log');
    mkdirSync(path);
    expect(refused(path)).toBe(`cannot write the audit log ${path}: it is not a regular file`);
  });

  it('the check before a rollback creates the directory but not the file', () => {
    const path = join(tempDir(), 'state', 'netra-console', 'audit.log');
    assertAuditWritable(path);
    expect(existsSync(path)).toBe(false);
    expect(mode(join(path, '..'))).toBe(0o700);
  });
});

describe('defaultAuditPath', () => {
  it('is under $XDG_STATE_HOME when it is set', () => {
    expect(defaultAuditPath({ XDG_STATE_HOME: '/x/state', HOME: '/home/u' }, false)).toBe('/x/state/netra-console/audit.log');
  });

  it('is under $HOME/.local/state otherwise', () => {
    expect(defaultAuditPath({ HOME: '/home/u' }, false)).toBe('/home/u/.local/state/netra-console/audit.log');
    expect(defaultAuditPath({ XDG_STATE_HOME: '', HOME: '/home/u' }, false)).toBe('/home/u/.local/state/netra-console/audit.log');
    expect(defaultAuditPath({}, false)).toBe(join(homedir(), '.local/state/netra-console/audit.log'));
  });

  it('keeps a sandbox apart: audit-sandbox.log beside the real log', () => {
    expect(defaultAuditPath({ XDG_STATE_HOME: '/x/state' }, true)).toBe('/x/state/netra-console/audit-sandbox.log');
  });
});
