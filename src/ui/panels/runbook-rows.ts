import type { CheckResult, CheckScope, LiveCheckStatus } from '../../domain/checks/types';

/** A result's identity (code and target), as the store merges re-runs by it; `doctor.openKey` holds one. */
export { resultKey } from '../../store/doctor-actions';

/** How the Runbooks view groups results: what a check is about, wider targets first. */
export const SCOPE_ORDER: readonly CheckScope[] = ['stack', 'service', 'container', 'dockerfile', 'host', 'cloudrun'];

export const SCOPE_TITLE: Record<CheckScope, string> = {
  stack: 'Stacks',
  service: 'Services',
  container: 'Containers',
  dockerfile: 'Dockerfiles',
  host: 'Host',
  cloudrun: 'Cloud Run',
};

/** On call, what failed comes first; what passed last. */
const STATUS_RANK: Record<LiveCheckStatus, number> = { fail: 0, error: 1, running: 2, queued: 3, skip: 4, pass: 5 };

/** A glyph and a word for each status: the colour helps, the word says it (never colour alone). */
export const STATUS_LOOK: Record<LiveCheckStatus, { glyph: string; color: string | undefined }> = {
  fail: { glyph: '✘', color: 'red' },
  error: { glyph: '!', color: 'magenta' },
  running: { glyph: '◌', color: 'cyan' },
  queued: { glyph: '·', color: 'gray' },
  skip: { glyph: '–', color: 'gray' },
  pass: { glyph: '✔', color: 'green' },
};

/** The results in display order: by scope group, failures first in each, then by target and code. */
export function runbookRows(results: readonly CheckResult[]): CheckResult[] {
  return [...results].sort(
    (a, b) =>
      SCOPE_ORDER.indexOf(a.scope) - SCOPE_ORDER.indexOf(b.scope) ||
      STATUS_RANK[a.status] - STATUS_RANK[b.status] ||
      a.target.localeCompare(b.target) ||
      a.code.localeCompare(b.code),
  );
}

export type StatusCounts = Record<LiveCheckStatus, number>;

export function statusCounts(results: readonly CheckResult[]): StatusCounts {
  const counts: StatusCounts = { pass: 0, fail: 0, skip: 0, error: 0, running: 0, queued: 0 };
  for (const r of results) counts[r.status]++;
  return counts;
}

/** A one-key fix applies to a failed result that has one. */
export function fixable(result: CheckResult | undefined): result is CheckResult & { safeFix: NonNullable<CheckResult['safeFix']> } {
  return result !== undefined && result.status === 'fail' && result.safeFix !== null;
}
