import type { SwitchAuditEntry } from '../domain/audit';
import type { BuildRecord } from '../domain/build';
import { errorLine } from '../domain/printable';
import type { StackDefinition, StackVariant } from '../domain/stacks';
import type { BuildPort } from '../flows/build-port';
import type { RebuildRecorder } from '../flows/rebuild-driver';
import { defaultBuildHistoryPath, loadBuildHistory, saveBuildHistory, withBuilds } from '../sources/build-history';
import { createBuildPort } from '../sources/compose/build-port';
import type { Settings } from './settings';
import { stackRecorder, type StackRuntime } from './stack-runtime';

export interface RebuildRuntime extends StackRuntime {
  build: BuildPort;
  historyPath: string;
}

export function openRebuildRuntime(runtime: StackRuntime, env: NodeJS.ProcessEnv = process.env): RebuildRuntime {
  return { ...runtime, build: createBuildPort(runtime.docker), historyPath: defaultBuildHistoryPath(env) };
}

/** Audit lines for builds and prunes; the last build of each service kept for the next comparison. */
export function rebuildRecorder(
  settings: Settings,
  runtime: RebuildRuntime,
  stack: StackDefinition,
  variant: StackVariant,
  report: { problem(message: string): void; audited?(entry: SwitchAuditEntry): void; measured?: Parameters<typeof stackRecorder>[2] },
): RebuildRecorder {
  const switching = stackRecorder(
    settings,
    runtime,
    (measurements, problem) => {
      report.measured?.(measurements, problem);
      if (problem) report.problem(problem);
    },
    report.audited,
  );
  const loaded = loadBuildHistory(runtime.historyPath);
  if (loaded.problem) report.problem(loaded.problem);
  const attempt = { stack, from: null, to: variant };
  return {
    audit: (action, result, details) => switching.audit(action, attempt, result, details),
    previous: (service) => loaded.history[stack.name]?.[variant]?.[service],
    saveBuilds(records: BuildRecord[]) {
      if (records.length === 0) return;
      try {
        saveBuildHistory(runtime.historyPath, withBuilds(loadBuildHistory(runtime.historyPath).history, stack.name, variant, records));
      } catch (error) {
        report.problem(errorLine(error));
      }
    },
    switching,
  };
}
