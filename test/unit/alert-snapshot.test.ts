import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { alertsDocument, alertsText } from '../../src/cli/alerts';
import { alertSnapshot } from '../../src/cli/alert-snapshot';
import { alertConditions } from '../../src/domain/alert-conditions';
import { ackAlert, emptyAlertBook, silence, stepAlerts } from '../../src/domain/alert-lifecycle';
import type { DockerAlert } from '../../src/domain/types';
import { defaultAlertStatePath, saveAlertBook } from '../../src/sources/alert-state';
import { container } from './support';

const NOW = Date.parse('2026-12-02T10:00:00.000Z');
const backend = container({ id: 'b1', name: 'netra-test-backend-1', service: 'backend', project: 'netra-test' });
const memory: DockerAlert = { level: 'warning', source: 'docker', kind: 'memory', container: 'netra-test-backend-1', message: 'netra-test-backend-1 memory at 85% of its limit' };
const oom: DockerAlert = { level: 'critical', source: 'docker', kind: 'oom-killed', container: 'netra-test-backend-1', message: 'netra-test-backend-1 was OOM-killed' };
let dir = '';

function env(): NodeJS.ProcessEnv {
  dir = mkdtempSync(join(tmpdir(), 'netra-alerts-'));
  return { XDG_STATE_HOME: dir };
}

afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('alerts as a headless command sees them', () => {
  it('without a console tracking them, each starts now: an outage fires at once, memory is pending its hold', () => {
    const snapshot = alertSnapshot([oom, memory], [backend], env(), NOW);
    expect(snapshot.trackedSince).toBeNull();
    expect(snapshot.views.map((v) => `${v.state} ${v.alert.kind} ${v.since === NOW}`)).toEqual(['firing oom-killed true', 'pending memory true']);
    expect(snapshot.views.map((v) => v.check)).toEqual(['NC102', 'NC104']);
    expect(alertsText(snapshot.views, snapshot.book, snapshot.trackedSince, NOW)).toContain('(no console is tracking these: states start now');
  });

  it("with a console's recent book: its since, its ack and its silence", () => {
    const e = env();
    const since = NOW - 5 * 60_000;
    let book = stepAlerts(emptyAlertBook(), alertConditions([memory], [backend]), since);
    book = stepAlerts(book, alertConditions([memory], [backend]), since + 31_000);
    book = ackAlert(book, 'docker/memory/netra-test-backend-1', { by: 'ana', note: 'looking', at: since + 40_000 });
    book = silence(book, { id: 's1', matchers: [{ label: 'project', value: 'netra-*' }], createdAt: since, expiresAt: NOW + 3_600_000, author: 'ana', comment: 'deploy' });
    saveAlertBook(defaultAlertStatePath(e), book, NOW - 2_000);
    const snapshot = alertSnapshot([memory], [backend], e, NOW);
    expect(snapshot.trackedSince).toBe(NOW - 2_000);
    const [view] = snapshot.views;
    expect(view).toMatchObject({ state: 'firing', since: since + 31_000, ack: { by: 'ana', note: 'looking' }, silencedBy: ['s1'] });
    const doc = alertsDocument(snapshot.views, snapshot.book, snapshot.trackedSince, NOW);
    expect(doc.silences).toEqual([{ id: 's1', matchers: 'project=netra-*', author: 'ana', comment: 'deploy', createdAt: new Date(since).toISOString(), expiresAt: new Date(NOW + 3_600_000).toISOString(), hides: 1 }]);
    expect(doc.trackedBy).toEqual({ console: true, savedAt: new Date(NOW - 2_000).toISOString() });
  });

  it("a stale book (no console saved it for minutes) keeps silences but not since", () => {
    const e = env();
    const long = NOW - 3_600_000;
    let book = stepAlerts(emptyAlertBook(), alertConditions([oom], [backend]), long);
    book = silence(book, { id: 's2', matchers: [{ label: 'kind', value: 'oom-killed' }], createdAt: long, expiresAt: NOW + 60_000, author: 'bo', comment: '' });
    saveAlertBook(defaultAlertStatePath(e), book, long);
    const snapshot = alertSnapshot([oom], [backend], e, NOW);
    expect(snapshot.trackedSince).toBeNull();
    expect(snapshot.views[0]).toMatchObject({ state: 'firing', since: NOW, silencedBy: ['s2'] });
  });
});
