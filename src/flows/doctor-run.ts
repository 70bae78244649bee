/**
 * One doctor run, pure: the catalogue's probes over the facts gathered, narrowed by the selection, with the config's
 * exclusions shown as skipped (never dropped) and a scope that could not be read shown as errors (never as passes).
 */
import { CATALOGUE } from '../domain/checks/catalogue';
import type { DoctorSelection } from '../domain/checks/selection';
import type { CheckDefinition, CheckFinding, CheckResult, CheckScope, CheckSeverity, CheckSubject, DoctorFacts } from '../domain/checks/types';
import { printable } from '../domain/printable';
import { globMatches } from '../domain/silence-text';

export interface Exclusion {
  code: string;
  /** `*` matches any run of characters. */
  target: string;
  reason: string;
}

interface Target<F> {
  facts: F;
  target: string;
  subject: CheckSubject;
}

/** Results of every check of the selection, in a stable order: by scope, target, then code. */
export function evaluateChecks(facts: DoctorFacts, selection: DoctorSelection, exclusions: readonly Exclusion[]): CheckResult[] {
  const run = <F>(checks: readonly CheckDefinition<F>[], targets: Target<F>[]) => targets.flatMap((t) => selected(checks, selection).map((check) => evaluate(check, t, exclusions)));
  return [
    ...run(CATALOGUE.stack, facts.compose.map((f) => ({ facts: f, target: `${f.stack} (${f.variant})`, subject: { stack: f.stack, variant: f.variant } }))),
    ...run(CATALOGUE.service, facts.images.map((f) => ({ facts: f, target: `${f.stack}/${f.service} (${f.variant})`, subject: { stack: f.stack, variant: f.variant, service: f.service } }))),
    ...run(CATALOGUE.dockerfile, facts.dockerfiles.map((f) => ({ facts: f, target: f.path, subject: {} }))),
    ...run(CATALOGUE.container, facts.containers.map((f) => ({ facts: f, target: f.name, subject: containerSubject(f) }))),
    ...run(CATALOGUE.host, facts.host ? [{ facts: facts.host, target: 'host', subject: {} }] : []),
    ...run(CATALOGUE.cloudrun, facts.cloudRun.map((f) => ({ facts: f, target: f.service, subject: { cloudRunService: f.service } }))),
    ...facts.failures.flatMap((failure) => unreadable(failure.scope, failure.message, selection)),
  ];
}

function containerSubject(f: DoctorFacts['containers'][number]): CheckSubject {
  return { container: f.name, ...(f.stack ? { stack: f.stack } : {}), ...(f.stackVariant ? { variant: f.stackVariant } : {}), ...(f.service ? { service: f.service } : {}) };
}

function selected<F>(checks: readonly CheckDefinition<F>[], selection: DoctorSelection): readonly CheckDefinition<F>[] {
  return selection.code ? checks.filter((check) => check.code === selection.code) : checks;
}

function evaluate<F>(check: CheckDefinition<F>, t: Target<F>, exclusions: readonly Exclusion[]): CheckResult {
  const base = { code: check.code, title: check.title, scope: check.scope, target: t.target, fix: check.fix, subject: t.subject, safeFix: check.safeFix ?? null };
  const command = safely(() => check.command(t.facts), '');
  const excluded = exclusions.find((e) => e.code === check.code && globMatches(e.target, t.target));
  if (excluded) {
    const why = `excluded in the config (doctor.exclude): ${printable(excluded.reason)}`;
    return { ...base, severity: check.severity, command, status: 'skip', evidence: [why], location: null, skipReason: why };
  }
  let finding: CheckFinding;
  try {
    finding = check.probe(t.facts);
  } catch (error) {
    finding = { status: 'error', evidence: [`the check could not run: ${printable(((error as Error).message ?? String(error)).split('\n')[0]!)}`] };
  }
  return {
    ...base,
    severity: finding.severity ?? check.severity,
    command,
    status: finding.status,
    evidence: finding.evidence,
    fix: finding.fix ?? check.fix,
    location: finding.location ?? null,
    ...(finding.status === 'skip' ? { skipReason: finding.evidence[0] ?? 'does not apply' } : {}),
  };
}

function safely(read: () => string, fallback: string): string {
  try {
    return read();
  } catch {
    return fallback;
  }
}

/** A scope whose facts could not be read: each of its checks is an error saying why, so nothing reads as a pass. */
function unreadable(scope: CheckScope, message: string, selection: DoctorSelection): CheckResult[] {
  const checks: readonly CheckDefinition<never>[] = CATALOGUE[scope];
  return selected(checks, selection).map((check) => ({
    code: check.code,
    title: check.title,
    severity: check.severity,
    scope,
    target: `(${scope})`,
    status: 'error' as const,
    evidence: [printable(message)],
    fix: check.fix,
    command: '',
    location: null,
    safeFix: null,
    subject: {},
  }));
}

const SEVERITY_RANK: Record<CheckSeverity, number> = { info: 0, warning: 1, error: 2 };

export interface DoctorSummary {
  pass: number;
  fail: number;
  skip: number;
  error: number;
}

export function summarise(results: readonly CheckResult[]): DoctorSummary {
  const summary: DoctorSummary = { pass: 0, fail: 0, skip: 0, error: 0 };
  for (const r of results) if (r.status in summary) summary[r.status as keyof DoctorSummary]++;
  return summary;
}

/**
 * Exit 1 when a check at or above the threshold failed. A check that could not run (error) counts too: doctor
 * cannot say it is fine, and a script must not read that as fine.
 */
export function failsAt(results: readonly CheckResult[], threshold: 'warning' | 'error'): boolean {
  return results.some((r) => (r.status === 'fail' || r.status === 'error') && SEVERITY_RANK[r.severity] >= SEVERITY_RANK[threshold]);
}

/** Failures first (most severe first), then errors, then the rest; stable within each group. */
export function worstFirst(results: readonly CheckResult[]): CheckResult[] {
  const rank = (r: CheckResult) => (r.status === 'fail' ? 0 : r.status === 'error' ? 1 : 2) * 10 - SEVERITY_RANK[r.severity];
  return results.map((r, i) => ({ r, i })).sort((a, b) => rank(a.r) - rank(b.r) || a.i - b.i).map(({ r }) => r);
}
