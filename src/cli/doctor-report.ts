/** What `doctor` prints: failures in full (evidence, fix, where, the command), skips with their reason, passes counted. */
import type { CheckResult } from '../domain/checks/types';
import { printable, terminalJson } from '../domain/printable';
import { summarise, worstFirst, type DoctorSummary } from '../flows/doctor-run';

export interface DoctorDocument {
  scope: string;
  elapsedSeconds: number;
  /** Where the Cloud Run facts came from (null: not read); a sandbox says so, so that it is never taken for production. */
  cloudRun: { mode: string; endpoint: string } | null;
  checks: Array<Omit<CheckResult, 'status' | 'subject'> & { status: 'pass' | 'fail' | 'skip' | 'error' }>;
  summary: DoctorSummary;
}

export function doctorDocument(results: readonly CheckResult[], scope: string, elapsedSeconds: number, cloudRun: DoctorDocument['cloudRun']): DoctorDocument {
  const checks = results.map(({ subject: _subject, ...rest }) => ({ ...rest, status: rest.status as 'pass' | 'fail' | 'skip' | 'error' }));
  return { scope, elapsedSeconds, cloudRun, checks, summary: summarise(results) };
}

export function doctorJson(doc: DoctorDocument): string {
  return `${terminalJson(doc, 2)}\n`;
}

const STATUS_WORD = { fail: 'FAIL', error: 'ERROR', skip: 'skip', pass: 'pass' } as const;

/** Human text: one block per failure or error, one line per skip, then the passes by target, then the summary. */
export function doctorText(doc: DoctorDocument): string {
  const ordered = worstFirst(doc.checks.map((c) => ({ ...c, subject: {} })));
  const lines: string[] = [];
  for (const r of ordered.filter((c) => c.status === 'fail' || c.status === 'error')) lines.push(...problemBlock(r));
  const skips = ordered.filter((c) => c.status === 'skip');
  if (skips.length) lines.push(`Skipped (${skips.length}):`, ...skips.map((r) => `  skip  ${r.code}  ${r.target}  ${r.title}: ${r.skipReason ?? r.evidence[0] ?? ''}`));
  const passes = passesByTarget(ordered.filter((c) => c.status === 'pass'));
  if (passes.length) lines.push(`Passed (${ordered.filter((c) => c.status === 'pass').length}):`, ...passes);
  const { pass, fail, skip, error } = doc.summary;
  const sandbox = doc.cloudRun?.mode === 'sandbox' ? ' · Cloud Run: SANDBOX' : '';
  lines.push(`doctor (${doc.scope}): ${fail} failed, ${error} could not run, ${skip} skipped, ${pass} passed in ${doc.elapsedSeconds.toFixed(1)} s${sandbox}`);
  return `${lines.map(printable).join('\n')}\n`;
}

function problemBlock(r: CheckResult): string[] {
  const where = r.location ? [`    where: ${r.location.file}${r.location.line === null ? '' : `:${r.location.line}`}`] : [];
  const see = r.command ? [`    see:   ${r.command}`] : [];
  return [
    `${STATUS_WORD[r.status as 'fail' | 'error'].padEnd(5)} ${r.severity.padEnd(7)} ${r.code}  ${r.target}: ${r.title}`,
    ...r.evidence.map((line) => `    found: ${line}`),
    `    fix:   ${r.fix}`,
    ...where,
    ...see,
  ];
}

function passesByTarget(passes: readonly CheckResult[]): string[] {
  const byTarget = new Map<string, string[]>();
  for (const r of passes) byTarget.set(r.target, [...(byTarget.get(r.target) ?? []), r.code]);
  return [...byTarget].map(([target, codes]) => `  pass  ${target}: ${codes.join(' ')}`);
}
