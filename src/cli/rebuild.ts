import { UsageError } from '../config/errors';
import type { SwitchAuditEntry } from '../domain/audit';
import type { BuildHistory, BuildRecord } from '../domain/build';
import { errorLine, terminalJson } from '../domain/printable';
import { runningVariant, type StackDefinition, type StackVariant } from '../domain/stacks';
import type { BuildPort } from '../flows/build-port';
import { runRebuild, type RebuildRecorder } from '../flows/rebuild-driver';
import { DEFAULT_PRUNE_HOURS, type RebuildOptions, type RebuildReport } from '../flows/rebuild-machine';
import { assertAuditWritable, AuditLogError } from '../sources/audit-log';
import { defaultBuildHistoryPath, loadBuildHistory, saveBuildHistory } from '../sources/build-history';
import { createBuildPort } from '../sources/compose/build-port';
import type { CliOptions } from './args';
import { describeRebuild } from './rebuild-report';
import type { Settings } from './settings';
import { findStack, openStackRuntime, stackRecorder, type StackRuntime } from './stack-runtime';
import { typedConfirmation } from './typed-confirmation';

export interface RebuildRuntime extends StackRuntime {
  build: BuildPort;
  historyPath: string;
}

export function openRebuildRuntime(settings: Settings, runtime: StackRuntime, env: NodeJS.ProcessEnv = process.env): RebuildRuntime {
  return { ...runtime, build: createBuildPort(runtime.docker, { cli: settings.config.docker.cli, endpoint: settings.endpoint }), historyPath: defaultBuildHistoryPath(env) };
}

/** Audit lines for builds and prunes, the last build of each service kept for the next comparison. */
export function rebuildRecorder(
  settings: Settings,
  runtime: RebuildRuntime,
  stack: StackDefinition,
  variant: StackVariant,
  report: { problem(message: string): void; audited?(entry: SwitchAuditEntry): void },
): RebuildRecorder {
  const switching = stackRecorder(settings, runtime, (_, problem) => problem && report.problem(problem), report.audited);
  const loaded = loadBuildHistory(runtime.historyPath);
  if (loaded.problem) report.problem(loaded.problem);
  const attempt = { stack, from: null, to: variant };
  return {
    audit: (action, result, details) => switching.audit(action, attempt, result, details),
    previous: (service) => loaded.history[stack.name]?.[variant]?.[service],
    saveBuilds(records: BuildRecord[]) {
      const fresh = loadBuildHistory(runtime.historyPath).history;
      const mine = { ...fresh[stack.name]?.[variant], ...Object.fromEntries(records.map((r) => [r.service, r])) };
      const next: BuildHistory = { ...fresh, [stack.name]: { ...fresh[stack.name], [variant]: mine } };
      try {
        saveBuildHistory(runtime.historyPath, next);
      } catch (error) {
        report.problem(errorLine(error));
      }
    },
    switching,
  };
}

/** The variant to build: the one asked for, else the one running, else Alpine (the platform's default). */
async function variantOf(options: CliOptions, runtime: StackRuntime, stack: StackDefinition): Promise<StackVariant> {
  if (options.variant) return options.variant;
  const running = runningVariant(await runtime.port.containers(stack.project).catch(() => []));
  return running === 'regular' ? 'regular' : 'alpine';
}

/** The services to build: those named (each must be one of the stack's), else all of them. */
async function servicesOf(options: CliOptions, runtime: StackRuntime, stack: StackDefinition, variant: StackVariant): Promise<string[]> {
  let all: string[];
  try {
    all = (await runtime.port.resolve(stack, variant)).services.map((s) => s.name);
  } catch (error) {
    throw new UsageError(`${stack.name}: ${errorLine(error)}; nothing changed`);
  }
  const unknown = options.services.filter((s) => !all.includes(s));
  if (unknown.length) throw new UsageError(`${stack.name} (${variant}) has no service ${unknown.join(', ')}; its services are: ${all.join(', ')}`);
  return options.services.length ? all.filter((s) => options.services.includes(s)) : all;
}

/** Headless `rebuild`: exit 0 built (over budget is reported, not a failure), 1 a build failed, 2 bad usage. */
export async function runRebuildCommand(settings: Settings, options: CliOptions): Promise<number> {
  if (settings.readOnly) throw new UsageError('this console is read-only (--read-only or readOnly: true): rebuild refused, nothing changed');
  if (!options.yes && !process.stdin.isTTY) throw new UsageError('refusing to rebuild without a confirmation: no terminal to ask, so add --yes');
  const stack = findStack(settings, options.stack);
  const runtime = openRebuildRuntime(settings, openStackRuntime(settings));
  const variant = await variantOf(options, runtime, stack);
  const services = await servicesOf(options, runtime, stack, variant);
  assertAuditWritable(settings.dockerAuditPath);
  const chosen: RebuildOptions = { variant, services, noCache: options.noCache, restart: options.restart, prune: options.prune, pruneHours: DEFAULT_PRUNE_HOURS };
  if (!options.yes && !(await typedConfirmation(`Type ${stack.name} to rebuild ${services.join(', ')} (${variant}${options.noCache ? ', clean' : ''}): `, stack.name))) {
    throw new UsageError(`cancelled: the typed name did not match ${stack.name}; nothing changed`);
  }
  const recorder = rebuildRecorder(settings, runtime, stack, variant, { problem: (p) => process.stderr.write(`netra-console: ${p}\n`) });
  let lastPhase = '';
  const hooks = {
    phase: (phase: string) => {
      if (!options.json && phase !== lastPhase) process.stderr.write(`${phase}…\n`);
      lastPhase = phase;
    },
    builds: () => {},
    restart: () => {},
  };
  let report: RebuildReport;
  try {
    report = await runRebuild(stack, chosen, { stack: runtime.port, build: runtime.build }, hooks, recorder, settings.config.images);
  } catch (error) {
    if (error instanceof AuditLogError) throw new UsageError(`${error.message}; nothing changed`);
    throw error;
  }
  process.stdout.write(options.json ? `${terminalJson(report, 2)}\n` : `${describeRebuild(report)}\n`);
  return report.result === 'built' && (report.restart === null || report.restart.result === 'switched') ? 0 : 1;
}
