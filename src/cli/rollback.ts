import { describeCloudError } from '../domain/cloud-run-errors';
import { formatTraffic, type CloudRunService, type TrafficTarget } from '../domain/cloud-run';
import { auditAction, changesNothing, chooseTarget, describeTraffic, rollbackTraffic, type TargetChoice } from '../flows/rollback-plan';
import { DEFAULT_TIMEOUTS, executeRollback } from '../flows/rollback-runner';
import type { AuditResult } from '../domain/audit';
import { appendAudit, assertAuditWritable, AuditLogError } from '../sources/audit-log';
import { createCloudRunApi, endpointLabel } from '../sources/cloud-run/client';
import { UsageError } from '../config/errors';
import type { CliOptions } from './args';
import { typedConfirmation } from './typed-confirmation';
import { openTarget, rollbackPort } from './cloud-run-runtime';
import type { Settings } from './settings';

/** Exit codes of `netra-console rollback`; `timed-out` (4): sent, not seen to finish, it may still apply. */
const EXIT = { succeeded: 0, unchanged: 0, failed: 1, usage: 2, conflicted: 3, 'timed-out': 4 } as const;

interface ServiceReport {
  service: string;
  target: string | null;
  before: TrafficTarget[];
  requested: TrafficTarget[];
  after: TrafficTarget[] | null;
  result: 'succeeded' | 'unchanged' | 'failed' | 'conflicted' | 'timed-out' | 'dry-run' | 'not-attempted';
  error: string | null;
  elapsedMs: number;
}

function targetChoice(options: CliOptions): TargetChoice {
  if (options.to !== undefined) return { kind: 'revision', name: options.to };
  return options.toRegular ? { kind: 'regular' } : { kind: 'previous' };
}

/** Headless rollback for scripts and runbooks; see the exit codes above and the README. */
export async function runRollbackCommand(settings: Settings, options: CliOptions): Promise<number> {
  if (settings.readOnly) throw new UsageError('this console is read-only (--read-only or readOnly: true): rollback refused, nothing changed');
  const needsPrompt = !options.yes && !options.dryRun;
  if (needsPrompt && !process.stdin.isTTY) {
    throw new UsageError('refusing to change traffic without a confirmation: no terminal to ask, so add --yes (or try --dry-run first)');
  }
  // Nothing is read or sent when the attempt could not be put on record (a refusal is one line, exit 2).
  if (!options.dryRun) assertAuditWritable(settings.auditPath);
  const { cloudRun } = settings;
  const { target, stopSandbox } = await openTarget(cloudRun);
  const api = await createCloudRunApi(target);
  const port = rollbackPort(async () => api);
  const parent = `projects/${target.project}/locations/${target.region}/services`;
  const names = options.all ? cloudRun.rollbackOrder : [options.service!];
  const reports: ServiceReport[] = [];
  let exitCode: number = EXIT.succeeded;
  try {
    for (const name of names) {
      if (exitCode !== EXIT.succeeded) {
        reports.push({ service: name, target: null, before: [], requested: [], after: null, result: 'not-attempted', error: null, elapsedMs: 0 });
        continue;
      }
      const report = await rollbackOne(`${parent}/${name}`, name, options, needsPrompt, port, settings, endpointLabel(target));
      reports.push(report.report);
      exitCode = report.exitCode;
    }
  } finally {
    await api.close();
    await stopSandbox();
  }
  print(reports, options, endpointLabel(target));
  return exitCode;
}

async function rollbackOne(
  fullName: string,
  name: string,
  options: CliOptions,
  needsPrompt: boolean,
  port: ReturnType<typeof rollbackPort>,
  settings: Settings,
  endpoint: string,
): Promise<{ report: ServiceReport; exitCode: number }> {
  const { project, region } = settings.cloudRun;
  let service: CloudRunService;
  try {
    service = await port.readService(fullName);
  } catch (error) {
    const described = describeCloudError(error, { project, region, endpoint });
    if (described.kind === 'not-found') throw new UsageError(`unknown service "${name}" in ${project} (${region}): check --service`);
    return { report: failedReport(name, described.message), exitCode: EXIT.failed };
  }
  const choice = targetChoice(options);
  const chosen = chooseTarget(service, choice);
  if (!chosen.ok) throw new UsageError(`${chosen.reason}; nothing changed`);
  const requested = rollbackTraffic(service, chosen.revision.name);
  const base = { service: name, target: chosen.revision.name, before: service.trafficStatuses, requested };
  const audit = (result: AuditResult, after: TrafficTarget[] | null = null, error: string | null = null) =>
    appendAudit(settings.auditPath, {
      ...settings.auditSource,
      project,
      region,
      service: name,
      action: auditAction(choice),
      before: service.trafficStatuses,
      requested,
      after,
      result,
      error,
    });

  // Already there: nothing to confirm and nothing to send (a dry run says the same, and audits nothing).
  if (changesNothing(service, requested)) {
    if (!options.dryRun) audit('unchanged', service.trafficStatuses);
    return { report: { ...base, after: service.trafficStatuses, result: 'unchanged', error: null, elapsedMs: 0 }, exitCode: EXIT.unchanged };
  }
  if (!options.json) {
    process.stderr.write(`${name}: ${describeTraffic(service.trafficStatuses, service)}  →  ${describeTraffic(requested, service)}\n`);
  }
  if (options.dryRun) return { report: { ...base, after: null, result: 'dry-run', error: null, elapsedMs: 0 }, exitCode: EXIT.succeeded };

  if (needsPrompt && !(await typedConfirmation(`Type ${name} to move 100% of its traffic to ${chosen.revision.name}: `, name))) {
    audit('cancelled');
    return { report: { ...base, after: null, result: 'failed', error: 'cancelled: the typed name did not match', elapsedMs: 0 }, exitCode: EXIT.usage };
  }
  try {
    audit('confirmed');
  } catch (error) {
    if (!(error instanceof AuditLogError)) throw error;
    const why = `${error.message}; nothing was sent`;
    return { report: { ...base, after: service.trafficStatuses, result: 'failed', error: why, elapsedMs: 0 }, exitCode: EXIT.usage };
  }
  const timeouts = options.timeout ? { ...DEFAULT_TIMEOUTS, operationMs: options.timeout * 1000 } : DEFAULT_TIMEOUTS;
  const outcome = await executeRollback({ service, target: chosen.revision.name, requested }, port, undefined, timeouts);
  auditOutcome(() => audit(outcome.result, outcome.after, outcome.error), outcome.result);
  return {
    report: { ...base, after: outcome.after, result: outcome.result, error: outcome.error, elapsedMs: outcome.elapsedMs },
    exitCode: EXIT[outcome.result],
  };
}

/** The change happened (or may have): its outcome is printed even when the audit log cannot take it any more. */
function auditOutcome(write: () => unknown, result: string): void {
  try {
    write();
  } catch (error) {
    if (!(error instanceof AuditLogError)) throw error;
    process.stderr.write(`netra-console: ${error.message}; the ${result} result below is not on record\n`);
  }
}

function failedReport(service: string, error: string): ServiceReport {
  return { service, target: null, before: [], requested: [], after: null, result: 'failed', error, elapsedMs: 0 };
}

function print(reports: ServiceReport[], options: CliOptions, endpoint: string): void {
  if (options.json) {
    process.stdout.write(`${JSON.stringify(options.all ? { endpoint, results: reports } : { endpoint, ...reports[0] }, null, 2)}\n`);
    return;
  }
  for (const r of reports) {
    const after = r.after ? ` — serving now: ${formatTraffic(r.after, (t) => t.revision ?? 'LATEST')}` : '';
    const line = {
      succeeded: `✔ ${r.service} rolled back to ${r.target} and verified in ${(r.elapsedMs / 1000).toFixed(1)}s${after}`,
      unchanged: `= ${r.service} already serving ${r.target}; nothing to do`,
      failed: `✘ ${r.service}: ${r.error}${after}`,
      conflicted: `✘ ${r.service}: conflict, nothing changed: ${r.error}${after}`,
      'timed-out': `⧗ ${r.service}: ${r.error}${after}`,
      'dry-run': `(dry run) ${r.service} would move 100% of its traffic to ${r.target}; nothing changed`,
      'not-attempted': `- ${r.service}: not attempted (stopped after the failure above); unchanged`,
    }[r.result];
    process.stdout.write(`${line}\n`);
  }
}
