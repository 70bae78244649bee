import { describe, expect, it } from 'vitest';
import { intentForEvent, oomInThisRun, STATE_ACTIONS, type EngineEvent } from '../../src/domain/docker-events';

const ID = '3f76a3949c98a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a';

/** A container event as the engine's /events stream sends it (API >= 1.22 shape). */
function containerEvent(action: string, attributes: Record<string, string> = {}): EngineEvent {
  return { Type: 'container', Action: action, Actor: { ID, Attributes: { name: 'netra-auth-1', image: 'nd-base', ...attributes } } };
}

describe('intentForEvent', () => {
  it('forgets a destroyed container', () => {
    expect(intentForEvent(containerEvent('destroy'))).toEqual({ kind: 'remove', id: ID });
  });

  it.each(['create', 'start', 'die', 'stop', 'kill', 'restart', 'pause', 'unpause', 'rename', 'update'])(
    're-reads the container on %s',
    (action) => {
      expect(intentForEvent(containerEvent(action))).toEqual({ kind: 'inspect', id: ID });
    },
  );

  it('acts on every action the watcher asks the engine for, so the filter and the intent agree', () => {
    for (const action of STATE_ACTIONS) {
      expect(intentForEvent(containerEvent(action === 'health_status' ? 'health_status: healthy' : action)).kind).not.toBe('ignore');
    }
  });

  it('re-reads the container on oom, with when the engine says it happened', () => {
    const at = Date.parse('2026-12-03T12:34:14.691Z');
    expect(intentForEvent({ ...containerEvent('oom'), time: at / 1000, timeNano: at * 1e6 + 511_063 })).toEqual({ kind: 'inspect', id: ID, oomAtMs: at });
    expect(intentForEvent({ ...containerEvent('oom'), time: Math.floor(at / 1000) })).toEqual({ kind: 'inspect', id: ID, oomAtMs: Math.floor(at / 1000) * 1000 });
    // Without a time it cannot be placed in a run: only a re-read.
    expect(intentForEvent(containerEvent('oom'))).toEqual({ kind: 'inspect', id: ID });
  });

  it('counts an OOM for the run it happened in, not for a later restart', () => {
    const startedAt = '2026-12-03T12:34:14.669059757Z';
    expect(oomInThisRun(startedAt, Date.parse('2026-12-03T12:34:14.691Z'))).toBe(true);
    // Same millisecond as the start (the engine's start time has nanoseconds; the event's is rounded down).
    expect(oomInThisRun(startedAt, Date.parse('2026-12-03T12:34:14.669Z'))).toBe(true);
    expect(oomInThisRun(startedAt, Date.parse('2026-12-03T12:34:14.668Z'))).toBe(false);
    expect(oomInThisRun(startedAt, undefined)).toBe(false);
    expect(oomInThisRun(null, Date.parse('2026-12-03T12:34:14.691Z'))).toBe(false);
    expect(oomInThisRun('garbage', Date.parse('2026-12-03T12:34:14.691Z'))).toBe(false);
  });

  it.each(['health_status: unhealthy', 'health_status: healthy', 'health_status: starting'])('re-reads the container on "%s"', (action) => {
    expect(intentForEvent(containerEvent(action))).toEqual({ kind: 'inspect', id: ID });
  });

  it.each([
    // Every health check runs as an exec; these arrive every interval and change nothing the console shows.
    'exec_create: /bin/sh -c curl -f http://localhost/health',
    'exec_start: /bin/sh -c curl -f http://localhost/health',
    'exec_die',
    'attach',
    'detach',
    'top',
    'archive-path',
    'extract-to-dir',
    'copy',
    'commit',
    'export',
    'resize',
  ])('ignores "%s"', (action) => {
    expect(intentForEvent(containerEvent(action, { execID: 'e1' }))).toEqual({ kind: 'ignore' });
  });

  it.each(['image', 'network', 'volume', 'daemon', 'plugin', 'service', 'node', 'secret', 'config'])(
    'ignores %s events, even ones that name a container',
    (type) => {
      expect(intentForEvent({ Type: type, Action: 'destroy', Actor: { ID, Attributes: { container: ID } } })).toEqual({ kind: 'ignore' });
    },
  );

  it('ignores events without a type or without an id', () => {
    expect(intentForEvent({ Action: 'start', Actor: { ID } })).toEqual({ kind: 'ignore' });
    // `docker container prune` reports one event with an empty actor id.
    expect(intentForEvent({ Type: 'container', Action: 'prune', Actor: { ID: '', Attributes: { reclaimed: '0' } } })).toEqual({ kind: 'ignore' });
    expect(intentForEvent({ Type: 'container', Action: 'start' })).toEqual({ kind: 'ignore' });
  });

  it('understands the old `status` / `id` fields', () => {
    expect(intentForEvent({ Type: 'container', status: 'die', id: ID })).toEqual({ kind: 'inspect', id: ID });
    expect(intentForEvent({ Type: 'container', status: 'destroy', id: ID })).toEqual({ kind: 'remove', id: ID });
    expect(intentForEvent({ Type: 'container', status: 'exec_start: sh', id: ID })).toEqual({ kind: 'ignore' });
  });

  it('prefers Action and Actor.ID when both shapes are present', () => {
    const event: EngineEvent = { ...containerEvent('destroy'), status: 'start', id: 'other-id' };
    expect(intentForEvent(event)).toEqual({ kind: 'remove', id: ID });
  });
});
