/**
 * The console's alert side, wired as the console wires it: the book stepped from the store's alerts, acks and
 * silences audited and kept in the state directory, refused in --read-only. (No engine: nothing here reaches it.)
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Docker from 'dockerode';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseArgs } from '../../src/cli/args';
import { runbookControl } from '../../src/cli/runbook-control';
import { resolveSettings } from '../../src/cli/settings';
import type { DockerAlert } from '../../src/domain/types';
import { defaultAlertStatePath, loadAlertBook } from '../../src/sources/alert-state';
import type { AppStore } from '../../src/store/store';
import { appStore, container } from './support';

const OOM: DockerAlert = { level: 'critical', source: 'docker', kind: 'oom-killed', container: 'netra-test-backend-1', message: 'netra-test-backend-1 was OOM-killed' };
const KEY = 'docker/oom-killed/netra-test-backend-1';
let dir = '';
let store: AppStore;

function control(readOnly = false) {
  const env = { XDG_STATE_HOME: join(dir, 'state'), HOME: dir };
  const settings = resolveSettings(parseArgs(readOnly ? ['--read-only', '--audit-log', join(dir, 'audit.log')] : ['--audit-log', join(dir, 'audit.log')]), dir, env);
  store.setState({ readOnly });
  // The alert side never reaches the engine: a client nobody calls.
  const c = runbookControl(store, settings, { docker: {} as Docker, cloud: () => null }, env);
  c.start();
  return { c, env };
}

function auditLines(): Array<Record<string, unknown>> {
  return readFileSync(join(dir, 'audit.log'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'netra-runbook-'));
  store = appStore();
  const backend = container({ id: 'b1', name: 'netra-test-backend-1', project: 'netra-test', service: 'backend' });
  store.setState((s) => ({ docker: { ...s.docker, containers: { b1: backend }, alerts: [OOM] } }));
});

afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('the console keeps an alert book', () => {
  it('steps the store\'s alerts into it at start: an OOM kill fires at once, with its check', () => {
    const { c } = control();
    try {
      expect(store.getState().alertBook.active[KEY]).toMatchObject({ state: 'firing', check: 'NC102', labels: { project: 'netra-test', service: 'backend' } });
    } finally {
      c.stop();
    }
  });

  it('an ack is audited and saved, and the notice says so', () => {
    const { c, env } = control();
    try {
      c.actions.ackAlert(KEY, 'raising the limit');
      expect(store.getState().alertBook.active[KEY]!.ack).toMatchObject({ note: 'raising the limit' });
      expect(store.getState().ui.notice).toBe(`acknowledged ${KEY}`);
      expect(auditLines().at(-1)).toMatchObject({ action: 'ack', target: KEY, note: 'raising the limit', result: 'confirmed' });
      expect(loadAlertBook(defaultAlertStatePath(env)).book.active[KEY]!.ack).toMatchObject({ note: 'raising the limit' });
      expect(store.getState().audit.at(-1)).toMatchObject({ action: 'ack' });
    } finally {
      c.stop();
    }
  });

  it('a silence with bad matchers is refused in one line, nothing audited; a good one hides the alert and can end', async () => {
    const { c } = control();
    try {
      const refused = await c.actions.silenceAlerts('kind=memroy', '2h', '');
      expect(refused).toMatch(/memroy/);
      expect(refused).not.toContain('\n');
      expect(store.getState().alertBook.silences).toEqual([]);
      expect(await c.actions.silenceAlerts('project=netra-test kind=oom-killed', '2h', 'known leak')).toBe('silenced project=netra-test kind=oom-killed for 2h');
      const [added] = store.getState().alertBook.silences;
      expect(added).toMatchObject({ comment: 'known leak' });
      expect(auditLines().map((l) => l.action)).toEqual(['silence']);
      c.actions.expireSilence(added!.id);
      expect(auditLines().map((l) => l.action)).toEqual(['silence', 'unsilence']);
      expect(store.getState().ui.notice).toBe('silence ended');
    } finally {
      c.stop();
    }
  });

  it('--read-only refuses acks and silences: nothing changes, nothing is written', async () => {
    const { c, env } = control(true);
    try {
      c.actions.ackAlert(KEY, 'x');
      expect(store.getState().ui.notice).toBe('refused: the console runs --read-only');
      expect(await c.actions.silenceAlerts('kind=oom-killed', '1h', '')).toBe('refused: the console runs --read-only');
      expect(store.getState().alertBook.active[KEY]!.ack).toBeNull();
      expect(store.getState().alertBook.silences).toEqual([]);
      expect(() => readFileSync(join(dir, 'audit.log'))).toThrow();
      expect(loadAlertBook(defaultAlertStatePath(env)).book.silences).toEqual([]);
    } finally {
      c.stop();
    }
  });
});
