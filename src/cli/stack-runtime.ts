import type Docker from 'dockerode';
import { UsageError } from '../config/errors';
import type { SwitchAuditEntry } from '../domain/audit';
import type { StackDefinition, StackMeasurements, VariantMeasurement } from '../domain/stacks';
import type { StackPort } from '../flows/stack-port';
import type { SwitchRecorder } from '../flows/switch-session';
import { appendAudit } from '../sources/audit-log';
import { createStackPort } from '../sources/compose/stack-port';
import { createDockerClient } from '../sources/docker/client';
import { defaultMeasurementsPath, loadMeasurements, saveMeasurements } from '../sources/stack-measurements';
import type { Settings } from './settings';

export interface StackRuntime {
  docker: Docker;
  port: StackPort;
  measurementsPath: string;
}

export function openStackRuntime(settings: Settings, env: NodeJS.ProcessEnv = process.env, docker?: Docker): StackRuntime {
  const client = docker ?? createDockerClient(settings.endpoint);
  return {
    docker: client,
    port: createStackPort(client, { cli: settings.config.docker.cli, endpoint: settings.endpoint }),
    measurementsPath: defaultMeasurementsPath(env),
  };
}

/** The stack named by --stack, or the first configured; an unknown name is a usage error naming those there are. */
export function findStack(settings: Settings, name: string | undefined): StackDefinition {
  const stacks = settings.stacks;
  if (stacks.length === 0) throw new UsageError('no stacks are configured; add a stacks: section to the config (see README "Configuration")');
  if (name === undefined) return stacks[0]!;
  const found = stacks.find((s) => s.name === name);
  if (!found) throw new UsageError(`unknown stack "${name}"; the configured stacks are: ${stacks.map((s) => s.name).join(', ')} (config stacks:)`);
  return found;
}

/** Adds a measurement to those on disk; returns the new set (or the old one and a problem when it cannot be saved). */
export function recordMeasurement(path: string, stack: string, measurement: VariantMeasurement): { measurements: StackMeasurements; problem: string | null } {
  const { measurements } = loadMeasurements(path);
  const next: StackMeasurements = { ...measurements, [stack]: { ...measurements[stack], [measurement.variant]: measurement, lastHealthy: measurement.variant } };
  try {
    saveMeasurements(path, next);
    return { measurements: next, problem: null };
  } catch (error) {
    return { measurements: next, problem: (error as Error).message };
  }
}

/**
 * Audit lines go to the Docker audit log (`onAudit` sees each written line); measurements to the state directory
 * (`onMeasured` sees each saved set).
 */
export function stackRecorder(
  settings: Settings,
  runtime: StackRuntime,
  onMeasured: (m: StackMeasurements, problem: string | null) => void,
  onAudit: (entry: SwitchAuditEntry) => void = () => {},
): SwitchRecorder {
  return {
    audit(action, plan, result, outcome) {
      const entry = appendAudit<SwitchAuditEntry>(settings.dockerAuditPath, {
        action,
        stack: plan.stack.name,
        project: plan.stack.project,
        dockerHost: settings.endpoint.display,
        from: plan.from,
        to: plan.to,
        result,
        elapsedSeconds: outcome ? Math.round(outcome.elapsedSeconds * 10) / 10 : null,
        error: outcome?.error ?? null,
      });
      onAudit(entry);
    },
    measured(stack, measurement) {
      const saved = recordMeasurement(runtime.measurementsPath, stack.name, measurement);
      onMeasured(saved.measurements, saved.problem);
    },
  };
}
