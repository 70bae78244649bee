import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ackAlert, conditionOf, emptyAlertBook, parseSilenceMatchers, silence, stepAlerts } from '../../src/domain/alert-lifecycle';
import type { AlertBook } from '../../src/domain/alert-lifecycle-types';
import { engineUnreachableAlert } from '../../src/domain/alerts';
import { defaultAlertStatePath, loadAlertBook, saveAlertBook } from '../../src/sources/alert-state';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'alert-state-'));
  dirs.push(dir);
  return dir;
}

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const MIN = 60_000;
const memory = (container: string) => conditionOf({ level: 'high', source: 'docker', kind: 'memory', container, message: `${container} memory at 91% of its limit` }, 'NC101', { project: 'netra-test', service: 'backend' });
const notReady = conditionOf({ level: 'critical', source: 'cloudrun', kind: 'service-not-ready', service: 'netra-auth', message: 'netra-auth is not ready' }, null);
const engine = conditionOf(engineUnreachableAlert('tcp://10.0.0.5:2376', 'ECONNREFUSED'), null);

/** A book with a firing acked alert, a pending one, a resolved one and a silence. */
function sampleBook(): AlertBook {
  let book = stepAlerts(emptyAlertBook(), [memory('netra-test-backend-1'), notReady, engine], 0);
  book = stepAlerts(book, [memory('netra-test-backend-1'), notReady], 30_000);
  book = stepAlerts(book, [memory('netra-test-backend-1'), notReady, memory('netra-test-backend-2')], 40_000);
  book = ackAlert(book, 'docker/memory/netra-test-backend-1', { by: 'ana', note: 'known leak', at: 41_000 });
  return silence(book, { id: 's1', matchers: parseSilenceMatchers('kind=memory subject=netra-test-*'), createdAt: 42_000, expiresAt: 42_000 + 30 * MIN, author: 'ana', comment: 'load test' });
}

describe('alert state in the state directory', () => {
  it('lives under $XDG_STATE_HOME, else ~/.local/state', () => {
    expect(defaultAlertStatePath({ XDG_STATE_HOME: '/s' })).toBe('/s/netra-console/alerts.json');
    expect(defaultAlertStatePath({ HOME: '/h' })).toBe('/h/.local/state/netra-console/alerts.json');
  });

  it('round-trips active alerts with their acks, the history and the silences, with when it was saved', () => {
    const book = sampleBook();
    expect(Object.values(book.active).map((t) => t.state).sort()).toEqual(['firing', 'firing', 'pending']);
    expect(book.history).toHaveLength(1);
    const path = join(tempDir(), 'state', 'alerts.json');
    saveAlertBook(path, book, 45_000);
    expect(loadAlertBook(path)).toEqual({ book, savedAt: 45_000, problem: null });
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readdirSync(join(path, '..'))).toEqual(['alerts.json']);
  });

  it('a console restarted on a loaded book keeps each alert’s episode', () => {
    const path = join(tempDir(), 'alerts.json');
    saveAlertBook(path, sampleBook(), 45_000);
    const { book } = loadAlertBook(path);
    const next = stepAlerts(book, [memory('netra-test-backend-1'), notReady, memory('netra-test-backend-2')], 10 * MIN);
    expect(next.active['docker/memory/netra-test-backend-1']).toMatchObject({ state: 'firing', activeSince: 0, since: 30_000, ack: { by: 'ana' } });
  });

  it('keeps the file bounded: history cut to the limit, expired silences left out', () => {
    const path = join(tempDir(), 'alerts.json');
    const resolved = sampleBook().history[0]!;
    const book: AlertBook = {
      ...sampleBook(),
      history: Array.from({ length: 250 }, (_, i) => ({ ...resolved, resolvedAt: 1_000_000 - i })),
    };
    saveAlertBook(path, book, 42_000 + 30 * MIN);
    const saved = loadAlertBook(path);
    expect(saved.book.history).toHaveLength(200);
    expect(saved.book.history[0]?.resolvedAt).toBe(1_000_000);
    expect(saved.book.silences).toEqual([]);
    expect(Object.keys(saved.book.active)).toHaveLength(3);
  });

  it('a missing file is nothing tracked yet; a corrupt or foreign one is an empty book and one line, left as it is', () => {
    const root = tempDir();
    expect(loadAlertBook(join(root, 'none.json'))).toEqual({ book: emptyAlertBook(), savedAt: null, problem: null });
    const path = join(root, 'alerts.json');
    saveAlertBook(path, sampleBook(), 45_000);
    const good = JSON.parse(readFileSync(path, 'utf8')) as { active: object[]; history: object[]; silences: object[] };
    const withActive = (change: Record<string, unknown>) => JSON.stringify({ ...good, active: [{ ...good.active[0], ...change }] });
    const firstAlert = good.active[0] as { alert: Record<string, unknown> };
    const cases: Array<[string, RegExp]> = [
      ['{"active": [', /^alert state .*alerts\.json ignored: not valid JSON/],
      ['[]', /ignored: not a JSON object$/],
      [JSON.stringify({ ...good, version: 2 }), /ignored: version 2 is not 1$/],
      [JSON.stringify({ ...good, savedAt: 'now' }), /has no number savedAt$/],
      [JSON.stringify({ ...good, active: {} }), /active is not a list$/],
      [withActive({ state: 'resolved' }), /active\[0\] has a state that is neither pending nor firing$/],
      [withActive({ alert: { ...firstAlert.alert, kind: 'disk' } }), /active\[0\] has a docker alert of unknown kind disk$/],
      [withActive({ alert: { ...firstAlert.alert, level: 'urgent' } }), /unknown level urgent$/],
      [withActive({ key: 'docker/memory/other' }), /active\[0\] has a key that is not its alert's \(docker\/memory\/other\)$/],
      [withActive({ ack: { by: 'ana' } }), /has an ack without by, note or at$/],
      [withActive({ transitions: ['0'] }), /has transitions that are not numbers$/],
      [JSON.stringify({ ...good, active: [good.active[0], good.active[0]] }), /active holds .* twice$/],
      [JSON.stringify({ ...good, history: [{ ...good.history[0], resolvedAt: null }] }), /history\[0\] has no number resolvedAt$/],
      [JSON.stringify({ ...good, silences: [{ ...good.silences[0], matchers: [] }] }), /silences\[0\] has no matchers$/],
      // A value that would drive the terminal is shown, not obeyed.
      [JSON.stringify({ ...good, version: '\u001b[2J' }), /version ␛\[2J is not 1$/],
    ];
    for (const [text, problem] of cases) {
      writeFileSync(path, text);
      const loaded = loadAlertBook(path);
      expect(loaded.book, text).toEqual(emptyAlertBook());
      expect(loaded.savedAt).toBeNull();
      expect(loaded.problem, text).toMatch(problem);
      expect(loaded.problem).not.toMatch(/[\u0000-\u001f]/);
      expect(readFileSync(path, 'utf8')).toBe(text);
    }
  });
});
