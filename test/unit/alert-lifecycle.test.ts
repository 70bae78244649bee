import { describe, expect, it } from 'vitest';
import { alertAuditFields, isAlertAuditEntry } from '../../src/domain/alert-audit';
import {
  ackAlert,
  alertViews,
  conditionOf,
  DEFAULT_ALERT_POLICY,
  emptyAlertBook,
  expireSilence,
  lifecycleChanged,
  matchersText,
  parseDuration,
  parseSilenceMatchers,
  silence,
  silencedCount,
  stepAlerts,
  type AlertPolicy,
} from '../../src/domain/alert-lifecycle';
import type { AlertBook, AlertCondition, Silence } from '../../src/domain/alert-lifecycle-types';
import { engineUnreachableAlert } from '../../src/domain/alerts';
import type { AlertLevel, CloudRunAlert, DockerAlert } from '../../src/domain/types';

const S = 1_000;
const MIN = 60 * S;

function memory(container: string, level: AlertLevel = 'warning', percent = 85): AlertCondition {
  const alert: DockerAlert = { level, source: 'docker', kind: 'memory', container, message: `${container} memory at ${percent}% of its limit` };
  return conditionOf(alert, 'NC101');
}

function unhealthy(container: string): AlertCondition {
  return conditionOf({ level: 'high', source: 'docker', kind: 'unhealthy', container, message: `${container} is unhealthy` }, null);
}

function notReady(service: string): AlertCondition {
  const alert: CloudRunAlert = { level: 'critical', source: 'cloudrun', kind: 'service-not-ready', service, message: `${service} is not ready` };
  return conditionOf(alert, null);
}

const engineDown = () => conditionOf(engineUnreachableAlert('unix:///var/run/docker.sock', 'connect ENOENT'), null);

/** Steps the book through `times`, with `conditionsAt(t)` reported at each; returns the last book. */
function run(book: AlertBook, times: number[], conditionsAt: (t: number) => AlertCondition[], policy?: AlertPolicy): AlertBook {
  return times.reduce((b, t) => stepAlerts(b, conditionsAt(t), t, policy), book);
}

const every = (from: number, to: number, step: number) => Array.from({ length: Math.floor((to - from) / step) + 1 }, (_, i) => from + i * step);

function silenceOf(text: string, createdAt: number, forMs: number, id = 's1'): Silence {
  return { id, matchers: parseSilenceMatchers(text), createdAt, expiresAt: createdAt + forMs, author: 'ana', comment: 'load test' };
}

describe('conditionOf', () => {
  it('keys by source, kind and subject, and labels what a silence can match', () => {
    const c = conditionOf({ level: 'high', source: 'docker', kind: 'memory', container: 'netra-test-backend-1', message: 'm' }, 'NC101', { project: 'netra-test', service: 'backend' });
    expect(c.key).toBe('docker/memory/netra-test-backend-1');
    expect(c.labels).toEqual({ source: 'docker', kind: 'memory', subject: 'netra-test-backend-1', level: 'high', project: 'netra-test', service: 'backend' });
    expect(c.check).toBe('NC101');
    expect(notReady('netra-auth').labels).toEqual({ source: 'cloudrun', kind: 'service-not-ready', subject: 'netra-auth', level: 'critical' });
    expect(engineDown().key).toBe('docker/engine-unreachable/unix:///var/run/docker.sock');
  });
});

describe('stepAlerts', () => {
  it('is pending until held, then firing, then resolved into the history once gone for the resolve hold', () => {
    let book = stepAlerts(emptyAlertBook(), [memory('web')], 0);
    expect(book.active['docker/memory/web']).toMatchObject({ state: 'pending', since: 0, activeSince: 0 });
    book = stepAlerts(book, [memory('web')], 29_999);
    expect(book.active['docker/memory/web']?.state).toBe('pending');
    book = stepAlerts(book, [memory('web')], 30 * S);
    expect(book.active['docker/memory/web']).toMatchObject({ state: 'firing', since: 30 * S, activeSince: 0 });
    book = stepAlerts(book, [], 40 * S);
    book = stepAlerts(book, [], 49_999);
    expect(book.active['docker/memory/web']?.state).toBe('firing');
    expect(book.history).toEqual([]);
    book = stepAlerts(book, [], 50 * S);
    expect(book.active).toEqual({});
    expect(book.history).toEqual([
      { key: 'docker/memory/web', alert: memory('web').alert, labels: memory('web').labels, check: 'NC101', firedAt: 30 * S, activeSince: 0, resolvedAt: 50 * S },
    ]);
  });

  it('fires at once what already happened (engine unreachable, Cloud Run not ready)', () => {
    const book = stepAlerts(emptyAlertBook(), [engineDown(), notReady('netra-auth')], 5 * S);
    expect(Object.values(book.active).map((t) => [t.key, t.state, t.since])).toEqual([
      ['docker/engine-unreachable/unix:///var/run/docker.sock', 'firing', 5 * S],
      ['cloudrun/service-not-ready/netra-auth', 'firing', 5 * S],
    ]);
  });

  it('returns the same book when nothing changed, even for new but equal conditions', () => {
    const book = stepAlerts(emptyAlertBook(), [memory('web'), notReady('api')], 0);
    expect(stepAlerts(book, [memory('web'), notReady('api')], 1 * S)).toBe(book);
    expect(stepAlerts(book, [memory('web'), notReady('api')], 29 * S)).toBe(book);
    const empty = emptyAlertBook();
    expect(stepAlerts(empty, [], 0)).toBe(empty);
    const changed = stepAlerts(book, [memory('web', 'warning', 86), notReady('api')], 2 * S);
    expect(changed).not.toBe(book);
    expect(changed.active['docker/memory/web']?.alert.message).toBe('web memory at 86% of its limit');
    expect(changed.history).toBe(book.history);
    expect(changed.silences).toBe(book.silences);
  });

  it('keeps a pending alert through a one-sample dip, and drops it without history when gone for the resolve hold', () => {
    let book = run(emptyAlertBook(), [0, 5 * S], () => [memory('web')]);
    book = stepAlerts(book, [], 7 * S);
    book = stepAlerts(book, [memory('web')], 9 * S);
    expect(book.active['docker/memory/web']).toMatchObject({ state: 'pending', since: 0 });
    book = run(book, [20 * S, 25 * S, 29 * S], () => []);
    expect(book.active['docker/memory/web']?.state).toBe('pending');
    book = stepAlerts(book, [], 30 * S);
    expect(book.active).toEqual({});
    expect(book.history).toEqual([]);
  });

  it('keeps the episode when the level escalates: same since, same ack, new level and message', () => {
    let book = run(emptyAlertBook(), [0, 30 * S], () => [memory('web', 'warning', 85)]);
    book = ackAlert(book, 'docker/memory/web', { by: 'ana', note: 'looking', at: 31 * S });
    book = stepAlerts(book, [memory('web', 'critical', 96)], 40 * S);
    expect(book.active['docker/memory/web']).toMatchObject({
      state: 'firing',
      since: 30 * S,
      activeSince: 0,
      ack: { by: 'ana', note: 'looking', at: 31 * S },
      alert: { level: 'critical', message: 'web memory at 96% of its limit' },
    });
    expect(Object.keys(book.active)).toHaveLength(1);
    expect(book.history).toEqual([]);
  });

  it('ends an ack when its alert resolves; the next episode starts unacked', () => {
    let book = run(emptyAlertBook(), [0, 15 * S], () => [unhealthy('web')]);
    book = ackAlert(book, 'docker/unhealthy/web', { by: 'ana', note: 'restarting it', at: 16 * S });
    expect(book.active['docker/unhealthy/web']?.ack?.by).toBe('ana');
    book = run(book, [20 * S, 30 * S], () => []);
    expect(book.active).toEqual({});
    expect(book.history).toHaveLength(1);
    book = stepAlerts(book, [unhealthy('web')], 40 * S);
    expect(book.active['docker/unhealthy/web']).toMatchObject({ state: 'pending', ack: null, activeSince: 40 * S });
    expect(() => ackAlert(book, 'docker/unhealthy/db', { by: 'ana', note: '', at: 0 })).toThrow(/^no active alert docker\/unhealthy\/db to acknowledge: /);
  });

  it('damps flapping: a condition toggling every 20 s resolves twice, then stays active until stable for 5 minutes', () => {
    const toggling = (t: number) => (Math.floor(t / (20 * S)) % 2 === 0 ? [unhealthy('web')] : []);
    const end = 10 * MIN;
    let book = emptyAlertBook();
    let resolves = 0;
    for (const t of every(0, end - 5 * S, 5 * S)) {
      const next = stepAlerts(book, toggling(t), t);
      if (next.history.length > book.history.length) resolves++;
      book = next;
    }
    // Without damping it would resolve once per 40 s cycle (15 times); it takes three cycles to be seen flapping.
    expect(resolves).toBe(2);
    expect(book.active['docker/unhealthy/web']).toMatchObject({ state: 'firing', flapping: true });
    // True last at 575 s (the 560–580 s half of a cycle), first seen gone at 580 s: resolves 5 minutes after that.
    const goneAt = 580 * S;
    book = run(book, every(end, goneAt + 5 * MIN - 5 * S, 5 * S), () => []);
    expect(book.active['docker/unhealthy/web']).toMatchObject({ state: 'firing', flapping: true });
    book = stepAlerts(book, [], goneAt + 5 * MIN);
    expect(book.active).toEqual({});
    expect(book.history).toHaveLength(3);
  });

  it('stops flapping once the condition has stayed true for the flap window', () => {
    const toggling = (t: number) => (Math.floor(t / (20 * S)) % 2 === 0 ? [unhealthy('web')] : []);
    let book = run(emptyAlertBook(), every(0, 3 * MIN, 5 * S), toggling);
    expect(book.active['docker/unhealthy/web']?.flapping).toBe(true);
    book = run(book, every(3 * MIN + 5 * S, 14 * MIN, 5 * S), () => [unhealthy('web')]);
    expect(book.active['docker/unhealthy/web']).toMatchObject({ state: 'firing', flapping: false });
  });

  it('removes silences past their expiry, keeping the list when none expired', () => {
    let book = silence(emptyAlertBook(), silenceOf('kind=memory', 0, 30 * MIN));
    const before = book;
    book = stepAlerts(book, [], 29 * MIN);
    expect(book).toBe(before);
    book = stepAlerts(book, [], 30 * MIN);
    expect(book.silences).toEqual([]);
  });

  it('keeps the history bounded, most recent first', () => {
    const policy: AlertPolicy = { ...DEFAULT_ALERT_POLICY, historyLimit: 3, resolveHoldMs: 0 };
    let book = emptyAlertBook();
    for (const i of [1, 2, 3, 4, 5]) book = run(book, [i * MIN, i * MIN + 1], (t) => (t === i * MIN ? [notReady(`svc-${i}`)] : []), policy);
    expect(book.history.map((h) => h.key)).toEqual(['cloudrun/service-not-ready/svc-5', 'cloudrun/service-not-ready/svc-4', 'cloudrun/service-not-ready/svc-3']);
  });
});

describe('silences', () => {
  it('hide what every matcher matches (globs included), are counted, and stop hiding when they expire', () => {
    const conditions = [memory('netra-test-backend-1'), memory('netra-test-backend-2'), memory('netra-test-auth-1'), unhealthy('netra-test-backend-1')];
    let book = run(emptyAlertBook(), [0, 30 * S], () => conditions);
    book = silence(book, silenceOf('kind=memory subject=netra-test-backend-*', 31 * S, 30 * MIN));
    book = silence(book, silenceOf('subject=nothing-here', 31 * S, 30 * MIN, 's2'));
    const hidden = (b: AlertBook, now: number) => alertViews(b, now).filter((v) => v.silencedBy.length > 0).map((v) => v.key).sort();
    expect(hidden(book, 40 * S)).toEqual(['docker/memory/netra-test-backend-1', 'docker/memory/netra-test-backend-2']);
    expect(silencedCount(book, 's1', 40 * S)).toBe(2);
    expect(silencedCount(book, 's2', 40 * S)).toBe(0);
    expect(silencedCount(book, 'nope', 40 * S)).toBe(0);
    const at = 31 * S + 30 * MIN;
    expect(hidden(book, at)).toEqual([]);
    expect(silencedCount(book, 's1', at)).toBe(0);
  });

  it('ends one early with expireSilence, and refuses what could never hide anything', () => {
    let book = run(emptyAlertBook(), [0, 30 * S], () => [memory('web')]);
    book = silence(book, silenceOf('kind=memory', 31 * S, 2 * 3_600 * S));
    book = expireSilence(book, 's1', 60 * S);
    expect(alertViews(book, 60 * S)[0]?.silencedBy).toEqual([]);
    expect(stepAlerts(book, [memory('web')], 61 * S).silences).toEqual([]);
    expect(() => expireSilence(book, 's1', 61 * S)).toThrow(/^no silence s1 in effect: /);
    expect(() => silence(book, { ...silenceOf('kind=cpu', 0, 1), matchers: [] })).toThrow(/has no matchers/);
    expect(() => silence(book, { ...silenceOf('kind=cpu', 10, 1), expiresAt: 10 })).toThrow(/expires before it starts/);
  });
});

describe('alertViews', () => {
  it('inhibits every container alert while the engine is unreachable and firing, and nothing else', () => {
    const policy: AlertPolicy = { ...DEFAULT_ALERT_POLICY, holdMs: { ...DEFAULT_ALERT_POLICY.holdMs, 'engine-unreachable': 10 * S } };
    let book = run(emptyAlertBook(), [0, 30 * S], () => [memory('web'), notReady('netra-auth')], policy);
    book = stepAlerts(book, [memory('web'), notReady('netra-auth'), engineDown()], 31 * S, policy);
    const inhibited = (now: number) => Object.fromEntries(alertViews(book, now).map((v) => [v.key, v.inhibitedBy]));
    // Pending, the engine alert inhibits nothing yet.
    expect(Object.values(inhibited(31 * S))).toEqual([null, null, null]);
    book = stepAlerts(book, [memory('web'), notReady('netra-auth'), engineDown()], 41 * S, policy);
    expect(inhibited(41 * S)).toEqual({
      'docker/engine-unreachable/unix:///var/run/docker.sock': null,
      'cloudrun/service-not-ready/netra-auth': null,
      'docker/memory/web': 'docker/engine-unreachable/unix:///var/run/docker.sock',
    });
  });

  it('orders firing, pending, acked, silenced or inhibited, then resolved; by severity, then oldest, within each', () => {
    let book = stepAlerts(emptyAlertBook(), [memory('old-warn'), memory('crit', 'critical', 97), memory('acked'), memory('silenced'), unhealthy('gone')], 0);
    book = stepAlerts(book, [memory('old-warn'), memory('crit', 'critical', 97), memory('acked'), memory('silenced'), unhealthy('gone')], 15 * S);
    book = stepAlerts(book, [memory('old-warn'), memory('crit', 'critical', 97), memory('acked'), memory('silenced'), memory('new-warn')], 30 * S);
    book = stepAlerts(book, [memory('old-warn'), memory('crit', 'critical', 97), memory('acked'), memory('silenced'), memory('new-warn')], 45 * S);
    book = stepAlerts(book, [memory('old-warn'), memory('crit', 'critical', 97), memory('acked'), memory('silenced'), memory('new-warn'), unhealthy('pending')], 60 * S);
    book = ackAlert(book, 'docker/memory/acked', { by: 'ana', note: '', at: 61 * S });
    book = silence(book, silenceOf('subject=silenced', 61 * S, 10 * MIN));
    const views = alertViews(book, 62 * S);
    expect(views.map((v) => [v.key, v.state])).toEqual([
      ['docker/memory/crit', 'firing'],
      ['docker/memory/old-warn', 'firing'],
      ['docker/memory/new-warn', 'firing'],
      ['docker/unhealthy/pending', 'pending'],
      ['docker/memory/acked', 'firing'],
      ['docker/memory/silenced', 'firing'],
      ['docker/unhealthy/gone', 'resolved'],
    ]);
    expect(views.find((v) => v.key === 'docker/memory/new-warn')?.since).toBe(60 * S);
    // Resolved at the first step 10 s after it was seen gone (30 s).
    expect(views.at(-1)).toMatchObject({ since: 45 * S, silencedBy: [], inhibitedBy: null, ack: null });
  });

  it('shows the resolved of the last hour only, at most 20', () => {
    const policy: AlertPolicy = { ...DEFAULT_ALERT_POLICY, resolveHoldMs: 0 };
    let book = emptyAlertBook();
    for (const i of every(1, 30, 1)) book = run(book, [i * MIN, i * MIN + 1], (t) => (t === i * MIN ? [notReady(`svc-${i}`)] : []), policy);
    expect(alertViews(book, 31 * MIN).map((v) => v.key)).toEqual(every(11, 30, 1).reverse().map((i) => `cloudrun/service-not-ready/svc-${i}`));
    expect(alertViews(book, 30 * MIN + 1 + 60 * MIN)).toEqual([]);
  });
});

describe('lifecycleChanged', () => {
  it('is true for transitions and acks, not for a message whose numbers moved', () => {
    const a = stepAlerts(emptyAlertBook(), [memory('web', 'warning', 85)], 0);
    expect(lifecycleChanged(emptyAlertBook(), a)).toBe(true);
    const b = stepAlerts(a, [memory('web', 'warning', 86)], 1 * S);
    expect(b).not.toBe(a);
    expect(lifecycleChanged(a, b)).toBe(false);
    expect(lifecycleChanged(b, stepAlerts(b, [memory('web', 'high', 91)], 2 * S))).toBe(true);
    expect(lifecycleChanged(b, stepAlerts(b, [memory('web', 'warning', 86)], 30 * S))).toBe(true);
    expect(lifecycleChanged(b, ackAlert(b, 'docker/memory/web', { by: 'ana', note: '', at: 0 }))).toBe(true);
  });
});

describe('parseSilenceMatchers', () => {
  it('reads label=value pairs and writes them back the same', () => {
    const matchers = parseSilenceMatchers('  kind=memory   subject=netra-test-backend-* level=warning ');
    expect(matchers).toEqual([
      { label: 'kind', value: 'memory' },
      { label: 'subject', value: 'netra-test-backend-*' },
      { label: 'level', value: 'warning' },
    ]);
    expect(matchersText(matchers)).toBe('kind=memory subject=netra-test-backend-* level=warning');
    expect(parseSilenceMatchers('kind=*-loop')).toEqual([{ label: 'kind', value: '*-loop' }]);
  });

  it('refuses bad input with one line saying how to write it', () => {
    const cases: Array<[string, RegExp]> = [
      ['', /needs at least one matcher: e\.g\. kind=memory/],
      ['memory', /"memory" is not label=value/],
      ['=memory', /is not label=value/],
      ['kind=', /is not label=value/],
      ['container=web', /names no known label: use source, kind, subject, level, project, service$/],
      ['kind=memroy', /kind is one of memory, cpu, .* \(or a glob with \*\)$/],
      ['level=urgent', /level is one of warning, high, critical/],
      ['kind=memory kind=cpu', /name kind twice/],
      ['subject=* kind=*', /match every alert/],
      ['subj\u001b=x', /^silence matcher "subj␛=x" names no known label/],
    ];
    for (const [text, message] of cases) {
      let error: Error | null = null;
      try {
        parseSilenceMatchers(text);
      } catch (e) {
        error = e as Error;
      }
      expect(error?.message, text).toMatch(message);
      expect(error?.message).not.toMatch(/[\u0000-\u001f]/);
    }
  });

  it('does not let a glob reach into regular expressions', () => {
    let book = run(emptyAlertBook(), [0, 30 * S], () => [memory('web.1'), memory('webx1')]);
    book = silence(book, silenceOf('subject=web.*', 31 * S, MIN));
    expect(alertViews(book, 32 * S).filter((v) => v.silencedBy.length).map((v) => v.key)).toEqual(['docker/memory/web.1']);
  });
});

describe('parseDuration', () => {
  it('reads s, m, h, d and combinations', () => {
    expect(parseDuration('30m')).toBe(30 * MIN);
    expect(parseDuration('2h')).toBe(120 * MIN);
    expect(parseDuration(' 1d ')).toBe(24 * 60 * MIN);
    expect(parseDuration('1h30m')).toBe(90 * MIN);
    expect(parseDuration('45s')).toBe(45 * S);
  });

  it('refuses zero, negative and garbage with one line', () => {
    expect(() => parseDuration('0m')).toThrow(/^duration "0m" is zero: .*e\.g\. 30m, 2h, 1d/);
    expect(() => parseDuration('-5m')).toThrow(/^duration "-5m" is negative/);
    for (const text of ['', '30', 'm', '1.5h', '2 hours', '1w', '30m!']) expect(() => parseDuration(text), text).toThrow(/is not a number with a unit \(s, m, h, d\)/);
    expect(() => parseDuration('9'.repeat(30) + 'd')).toThrow(/is too long/);
  });
});

describe('alert audit entries', () => {
  it('say what was acked or silenced, why, and until when', () => {
    expect(alertAuditFields('ack', 'docker/memory/web', { by: 'ana', note: 'known leak', at: 5 })).toEqual({
      action: 'ack',
      target: 'docker/memory/web',
      note: 'known leak',
      expiresAt: null,
      result: 'confirmed',
    });
    const s = silenceOf('kind=memory subject=netra-*', Date.UTC(2026, 0, 1), 30 * MIN);
    expect(alertAuditFields('silence', s)).toEqual({ action: 'silence', target: 'kind=memory subject=netra-*', note: 'load test', expiresAt: '2026-01-01T00:30:00.000Z', result: 'confirmed' });
    expect(alertAuditFields('unsilence', { ...s, expiresAt: Date.UTC(2026, 0, 1, 0, 5) }).expiresAt).toBe('2026-01-01T00:05:00.000Z');
    expect(isAlertAuditEntry({ ...alertAuditFields('silence', s), time: '', user: '', host: '' })).toBe(true);
    expect(isAlertAuditEntry({ action: 'rollback', service: 'netra-auth' })).toBe(false);
  });
});
