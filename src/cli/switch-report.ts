import { GUIDE_EXPECTATIONS, type ServiceMeasurement, type StackDefinition } from '../domain/stacks';
import type { SwitchOutcome } from '../flows/switch-machine';
import type { SwitchPlan } from '../flows/switch-plan';
import { formatBytes } from '../ui/format';

const MARK = { ok: '✔', warn: '!', fail: '✘' } as const;

function limitText(limit: { memLimitBytes: number | null; cpus: number | null } | null): string {
  if (!limit) return '-';
  return `${limit.memLimitBytes === null ? 'no memory limit' : formatBytes(limit.memLimitBytes)}/${limit.cpus === null ? '-' : `${limit.cpus} CPU`}`;
}

/** The plan as the headless switch prints it before asking: checks, what stops and starts, limits before → after. */
export function describePlan(plan: SwitchPlan): string {
  const lines = [`${plan.stack.name} (project ${plan.stack.project}): ${plan.from ?? 'nothing'} → ${plan.to}`];
  for (const check of plan.checks) lines.push(`  ${MARK[check.status]} ${check.name}: ${check.detail}`);
  lines.push(`  stops:  ${plan.stops.length ? plan.stops.join(', ') : 'nothing'} (volumes kept)`);
  lines.push(`  starts: ${plan.model.services.map((s) => s.name).join(', ')}; waits at most ${plan.timeoutSeconds} s for health`);
  for (const change of plan.limits) lines.push(`    ${change.service.padEnd(12)} ${limitText(change.before)} → ${limitText(change.after)}`);
  return lines.join('\n');
}

function seconds(value: number | null): string {
  return value === null ? '-' : `${value.toFixed(1)} s`;
}

function serviceLine(m: ServiceMeasurement): string {
  const memory = m.memUsageBytes === null ? '-' : `${formatBytes(m.memUsageBytes)}${m.memLimitBytes ? ` of ${formatBytes(m.memLimitBytes)}` : ''}`;
  return `    ${m.service.padEnd(12)} ${m.state}/${m.health}  ready ${seconds(m.healthySeconds)}  memory ${memory}  image ${formatBytes(m.imageSizeBytes)}`;
}

function measured(outcome: SwitchOutcome): string[] {
  const lines = outcome.services.map(serviceLine);
  const [low, high] = GUIDE_EXPECTATIONS[outcome.to].startupSeconds;
  const slowest = Math.max(0, ...outcome.services.map((s) => s.healthySeconds ?? 0));
  if (outcome.services.length) lines.push(`    slowest start-up ${slowest.toFixed(1)} s (guide for ${outcome.to}: ${low}–${high} s)`);
  return lines;
}

/** The result in words: what happened, what runs now, the measurements; on failure, the evidence. */
export function describeOutcome(stack: StackDefinition, outcome: SwitchOutcome, compared: SwitchOutcome[]): string {
  const took = `${outcome.elapsedSeconds.toFixed(1)} s`;
  const head = {
    switched: compared.length ? `✔ ${stack.name}: compared, back to ${outcome.runningNow ?? 'nothing running'} (${took})` : `✔ ${stack.name} switched to ${outcome.to}, every service healthy in ${took}`,
    unchanged: `= ${stack.name} already runs ${outcome.to}, every service healthy; nothing to do`,
    reverted: `✘ ${stack.name}: ${outcome.to} did not come up (${outcome.error}); reverted, ${outcome.runningNow} runs now`,
    failed: `✘ ${stack.name}: ${outcome.error}; runs now: ${outcome.runningNow ?? 'nothing'}`,
  }[outcome.result];
  const lines = [head];
  for (const leg of compared.length ? compared : [outcome]) {
    if (leg.services.length) lines.push(`  ${leg.to}:`, ...measured(leg));
  }
  if (outcome.failure) {
    const { service, healthOutputs, logLines } = outcome.failure;
    if (healthOutputs.length) lines.push(`  ${service}, last health checks:`, ...healthOutputs.slice(-3).map((l) => `    ${l}`));
    if (logLines.length) lines.push(`  ${service}, last log lines:`, ...logLines.slice(-10).map((l) => `    ${l}`));
  }
  return lines.join('\n');
}
