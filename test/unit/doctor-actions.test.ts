import { describe, expect, it } from 'vitest';
import type { CheckResult } from '../../src/domain/checks/types';
import { beginDoctorRun, finishDoctorRun } from '../../src/store/doctor-actions';
import { appStore } from './support';

function result(code: string, target: string, status: CheckResult['status']): CheckResult {
  return { code, title: code, severity: 'warning', scope: 'container', target, status, evidence: [], fix: 'fix', command: 'cmd', location: null, safeFix: null, subject: { container: target } };
}

const lines = (results: CheckResult[]) => results.map((r) => `${r.code} ${r.target} ${r.status}`);

describe('doctor runs in the store', () => {
  it('a re-run of one check marks it running, keeps the rest, then replaces only it', () => {
    const store = appStore();
    finishDoctorRun(store, [result('NC103', 'a', 'fail'), result('NC109', 'a', 'pass'), result('NC103', 'b', 'pass')], true, 'everything', 1);
    beginDoctorRun(store, 'container a, check NC103', false, (r) => r.code === 'NC103' && r.target === 'a', 2);
    expect(store.getState().doctor).toMatchObject({ running: true, scope: 'everything' });
    expect(lines(store.getState().doctor.results)).toEqual(['NC103 a running', 'NC109 a pass', 'NC103 b pass']);
    finishDoctorRun(store, [result('NC103', 'a', 'pass')], false, 'container a, check NC103', 3);
    expect(lines(store.getState().doctor.results)).toEqual(['NC103 a pass', 'NC109 a pass', 'NC103 b pass']);
    expect(store.getState().doctor).toMatchObject({ running: false, scope: 'everything', finishedAt: 3 });
  });

  it('a new run of a narrower scope shows only its scope, old results running until the new ones arrive', () => {
    const store = appStore();
    finishDoctorRun(store, [result('NC103', 'a', 'fail'), result('NC103', 'b', 'pass')], true, 'everything', 1);
    beginDoctorRun(store, 'container b', true, (r) => r.target === 'b', 2);
    expect(store.getState().doctor.scope).toBe('container b');
    expect(lines(store.getState().doctor.results)).toEqual(['NC103 b running']);
    finishDoctorRun(store, [result('NC103', 'b', 'fail'), result('NC109', 'b', 'pass')], true, 'container b', 3);
    expect(lines(store.getState().doctor.results)).toEqual(['NC103 b fail', 'NC109 b pass']);
  });

  it('a re-run whose target is gone drops its result rather than keep a stale one', () => {
    const store = appStore();
    finishDoctorRun(store, [result('NC103', 'gone', 'fail')], true, 'everything', 1);
    beginDoctorRun(store, 'check NC103', false, (r) => r.code === 'NC103', 2);
    finishDoctorRun(store, [], false, 'check NC103', 3);
    expect(store.getState().doctor.results).toEqual([]);
  });
});
