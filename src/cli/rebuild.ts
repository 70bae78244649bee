import { UsageError } from '../config/errors';
import type { PrunePlan } from '../domain/build';
import { errorLine, terminalJson } from '../domain/printable';
import { runningVariant, type ComposeModel, type StackDefinition, type StackVariant } from '../domain/stacks';
import { runRebuild } from '../flows/rebuild-driver';
import { missingBaseImages } from '../flows/switch-driver';
import { DEFAULT_PRUNE_HOURS, type RebuildOptions, type RebuildReport } from '../flows/rebuild-machine';
import { assertAuditWritable, AuditLogError } from '../sources/audit-log';
import type { CliOptions } from './args';
import { interruptible } from './interruptible';
import { describePrunePlan, describeRebuild } from './rebuild-report';
import { openRebuildRuntime, rebuildRecorder, type RebuildRuntime } from './rebuild-runtime';
import type { Settings } from './settings';
import { findStack, openStackRuntime } from './stack-runtime';
import { typedConfirmation } from './typed-confirmation';

/** The variant to build: the one asked for, else the one running, else Alpine (the platform's default). */
async function variantOf(options: CliOptions, runtime: RebuildRuntime, stack: StackDefinition): Promise<StackVariant> {
  if (options.variant) return options.variant;
  const running = runningVariant(await runtime.port.containers(stack.project).catch(() => []));
  return running === 'regular' ? 'regular' : 'alpine';
}

/** The stack's services that have a build section: those named (each must be one), else all of them. */
async function resolveServices(options: CliOptions, runtime: RebuildRuntime, stack: StackDefinition, variant: StackVariant): Promise<{ model: ComposeModel; services: string[] }> {
  let model: ComposeModel;
  try {
    model = await runtime.port.resolve(stack, variant);
  } catch (error) {
    throw new UsageError(`${stack.name}: ${errorLine(error)}; nothing changed`);
  }
  const buildable = model.services.filter((s) => s.build !== null).map((s) => s.name);
  const unknown = options.services.filter((s) => !buildable.includes(s));
  if (unknown.length) throw new UsageError(`${stack.name} (${variant}) builds no service ${unknown.join(', ')}; the services it builds are: ${buildable.join(', ')}`);
  return { model, services: options.services.length ? buildable.filter((s) => options.services.includes(s)) : buildable };
}

/** What the prune would remove, read (and shown) before the confirmation: what runs is what was shown. */
async function planPrune(runtime: RebuildRuntime, stack: StackDefinition): Promise<PrunePlan> {
  try {
    return await runtime.build.planPrune(stack.project, DEFAULT_PRUNE_HOURS);
  } catch (error) {
    throw new UsageError(`${stack.name}: cannot read what a prune would remove: ${errorLine(error)}; nothing changed`);
  }
}

function question(stack: StackDefinition, chosen: RebuildOptions): string {
  const what = [chosen.variant, chosen.noCache ? 'clean' : 'cached', chosen.prune ? 'pruning first' : null, chosen.restart ? `then restarting ${stack.name} on the new images` : null].filter(Boolean).join(', ');
  return `Type ${stack.name} to rebuild ${chosen.services.join(', ')} (${what}): `;
}

/** Headless `rebuild`: exit 0 built (over budget is reported, not a failure), 1 a build failed, 2 bad usage. */
export async function runRebuildCommand(settings: Settings, options: CliOptions): Promise<number> {
  if (settings.readOnly) throw new UsageError('this console is read-only (--read-only or readOnly: true): rebuild refused, nothing changed');
  if (!options.yes && !process.stdin.isTTY) throw new UsageError('refusing to rebuild without a confirmation: no terminal to ask, so add --yes');
  const stack = findStack(settings, options.stack);
  const runtime = openRebuildRuntime(openStackRuntime(settings));
  const variant = await variantOf(options, runtime, stack);
  const { model, services } = await resolveServices(options, runtime, stack, variant);
  const bases = await missingBaseImages(runtime.port, model.services.filter((s) => services.includes(s.name)));
  if (bases.length) throw new UsageError(`${stack.name}: not on the engine, and nothing is pulled: base image ${bases.join(', ')}; get it onto the engine (or run netra-console demo up for local stand-ins); nothing changed`);
  const prunePlan = options.prune ? await planPrune(runtime, stack) : null;
  assertAuditWritable(settings.dockerAuditPath);
  const chosen: RebuildOptions = { variant, services, noCache: options.noCache, restart: options.restart, prune: options.prune, pruneHours: DEFAULT_PRUNE_HOURS };
  if (prunePlan && !options.json) process.stderr.write(`${describePrunePlan(prunePlan)}\n`);
  const recorder = rebuildRecorder(settings, runtime, stack, variant, { problem: (p) => process.stderr.write(`netra-console: ${p}\n`) });
  if (!options.yes && !(await typedConfirmation(question(stack, chosen), stack.name))) {
    recorder.audit('build', 'cancelled');
    throw new UsageError(`cancelled: the typed name did not match ${stack.name}; nothing changed`);
  }
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
    report = await interruptible('build', (signal) =>
      runRebuild(stack, chosen, { stack: runtime.port, build: runtime.build }, hooks, recorder, settings.config.images, { prunePlan, model, signal }),
    );
  } catch (error) {
    if (error instanceof AuditLogError) throw new UsageError(`${error.message}; nothing changed`);
    throw error;
  }
  process.stdout.write(options.json ? `${terminalJson(report, 2)}\n` : `${describeRebuild(report)}\n`);
  return report.result === 'built' && (report.restart === null || report.restart.result === 'switched') ? 0 : 1;
}
