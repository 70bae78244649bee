import type { AlertBook } from '../domain/alert-lifecycle-types';
import type { CheckResult } from '../domain/checks/types';
import type { AppStore } from './store';

export function resultKey(r: Pick<CheckResult, 'code' | 'target'>): string {
  return `${r.code} ${r.target}`;
}

/**
 * A run starts: a re-run of one check marks those it will redo `running` and keeps the rest as they were; a new run
 * (`whole`) keeps the old results of its scope, marked running, until the new ones replace them all.
 */
export function beginDoctorRun(store: AppStore, scope: string, whole: boolean, redo: (r: CheckResult) => boolean, now: number): void {
  store.setState((s) => ({
    doctor: {
      ...s.doctor,
      running: true,
      scope: s.doctor.results.length && s.doctor.scope && !whole ? s.doctor.scope : scope,
      startedAt: now,
      finishedAt: null,
      results: (whole ? s.doctor.results.filter(redo) : s.doctor.results).map((r) => (redo(r) ? { ...r, status: 'running' as const } : r)),
    },
  }));
}

/** The run's results replace the ones it redid (by code and target); a whole run replaces everything. */
export function finishDoctorRun(store: AppStore, results: CheckResult[], whole: boolean, scope: string, now: number): void {
  store.setState((s) => {
    const fresh = new Map(results.map((r) => [resultKey(r), r]));
    const merged = whole
      ? results
      : [...s.doctor.results.filter((r) => r.status !== 'running' || fresh.has(resultKey(r))).map((r) => fresh.get(resultKey(r)) ?? r), ...results.filter((r) => !s.doctor.results.some((o) => resultKey(o) === resultKey(r)))];
    return { doctor: { ...s.doctor, running: false, scope: whole ? scope : s.doctor.scope, finishedAt: now, results: merged } };
  });
}

/** Keeps the store's book when the step returned the same object (nothing changed: no re-render). */
export function setAlertBook(store: AppStore, book: AlertBook): void {
  if (store.getState().alertBook !== book) store.setState({ alertBook: book });
}
