/**
 * The container runbook checks (NC1xx, plus NC204 for the size of a container's image): pure probes over facts
 * gathered from `docker inspect`, its image, its last log lines and one stats sample.
 */
import { percentText } from '../percent';
import { DEFAULT_THRESHOLDS, memoryLevel } from '../thresholds';
import type { AlertLevel } from '../types';
import { CONTAINER_IMAGE_CHECKS } from './container-image-checks';
import { CONTAINER_SECURITY_CHECKS } from './container-security-checks';
import { composeFix, composePlace, fail, inspectCommand, lastLogLines, MAX_QUOTED, mib, oneLine, pass, seconds, skip } from './finding';
import type { CheckDefinition, CheckSeverity, ContainerFacts } from './types';

/** The issue's rule for a loop: three restarts, or the engine's own `restarting` state. */
const RESTART_LOOP_MIN = 3;
/** 000 "Alert Thresholds": Startup Time > 15s: Warning. */
const STARTUP_WARNING_SECONDS = 15;
/** 000 Troubleshooting "Memory Issues" raises 512M to 768M, and "Slow Startup" start_period 60s to 90s: × 1.5. */
const GUIDE_RAISE = 1.5;
/** SIGKILL: what the kernel's OOM killer sends, but also `docker kill` and a stop past its timeout. */
const SIGKILL_EXIT = 137;
/** Memory at the guides' 80 % is a warning, at 90 % and 95 % an error (thresholds.ts, from 000 and 001). */
const MEMORY_SEVERITY: Record<AlertLevel, CheckSeverity> = { warning: 'warning', high: 'error', critical: 'error' };
/** 000 "Resource Configuration", for a fix that has to name a limit. */
const GUIDE_LIMITS = 'Alpine backend 512M, auth 256M, frontend 512M; regular 2G, 512M, 1G';

const exitText = (f: ContainerFacts) => (f.exitCode === null ? 'no exit code' : `last exit code ${f.exitCode}`);

const restartLoop: CheckDefinition<ContainerFacts> = {
  code: 'NC101',
  title: 'Restart loop',
  severity: 'error',
  scope: 'container',
  guide: '001 Troubleshooting: Issue 4 (check the container logs)',
  fix: 'Read why it exits in its last log lines (`docker logs`) and fix that cause; another restart does not break a loop',
  command: inspectCommand('{{.State.Status}} restarts={{.RestartCount}} exit={{.State.ExitCode}}'),
  probe: (f) => {
    const seen = `state ${f.state}, restarted ${f.restarts} times, ${exitText(f)}`;
    if (f.state !== 'restarting' && f.restarts < RESTART_LOOP_MIN) return pass(seen);
    return fail([seen, ...lastLogLines(f)]);
  },
};

/** "set `deploy.resources.limits.memory: 768M` under services.backend in file:line", half as much again. */
function raiseLimitFix(f: ContainerFacts): string {
  if (f.memoryLimitBytes === 0) {
    return `set a memory limit, ${composePlace(f, 'deploy.resources.limits.memory: <limit>', '--memory <limit>')} (000 Resource Configuration: ${GUIDE_LIMITS}), then find what filled the host's memory`;
  }
  const raised = `${Math.ceil((f.memoryLimitBytes * GUIDE_RAISE) / 1024 ** 2)}M`;
  return `raise its limit from ${mib(f.memoryLimitBytes)}: set ${composePlace(f, `deploy.resources.limits.memory: ${raised}`, `--memory ${raised}`)} (000 Troubleshooting: Memory Issues), or find what grows`;
}

const limitText = (f: ContainerFacts) => (f.memoryLimitBytes > 0 ? `memory limit ${mib(f.memoryLimitBytes)}` : 'no memory limit');

const oomKilled: CheckDefinition<ContainerFacts> = {
  code: 'NC102',
  title: 'OOM-killed',
  severity: 'error',
  scope: 'container',
  guide: '000 Troubleshooting: 2. Memory Issues',
  fix: 'Raise its memory limit (deploy.resources.limits.memory in its compose file, e.g. 512M to 768M) or find what grows',
  command: inspectCommand('oom_killed={{.State.OOMKilled}} exit={{.State.ExitCode}}'),
  probe: (f) => {
    const signs = [...(f.oomKilled ? ['State.OOMKilled is true'] : []), ...(f.oomEvents > 0 ? [`the engine reported ${f.oomEvents} oom event(s)`] : [])];
    if (signs.length > 0) return fail([...signs, limitText(f)], composeFix(f, raiseLimitFix(f), 'error'));
    if (f.exitCode === SIGKILL_EXIT) {
      // 137 alone is SIGKILL from someone: likely the OOM killer, but `docker kill` looks the same. Said so, graded lower.
      const evidence = ['last exit code 137 (SIGKILL: the OOM killer, or docker kill / a stop past its timeout)', limitText(f)];
      return fail(evidence, composeFix(f, raiseLimitFix(f), 'warning'));
    }
    return pass(`State.OOMKilled false, no oom events, ${exitText(f)}`);
  },
};

const memoryLimit: CheckDefinition<ContainerFacts> = {
  code: 'NC103',
  title: 'Memory limit set',
  severity: 'warning',
  scope: 'container',
  guide: '000 Resource Configuration: Service Resource Limits',
  fix: `Set deploy.resources.limits.memory for its service (000: ${GUIDE_LIMITS})`,
  command: inspectCommand('{{.HostConfig.Memory}}'),
  probe: (f) => {
    if (f.memoryLimitBytes > 0) return pass(`memory limit ${mib(f.memoryLimitBytes)}`);
    const fix = `add ${composePlace(f, 'deploy.resources.limits.memory: <limit>', '--memory <limit>')} (000 Resource Configuration: ${GUIDE_LIMITS})`;
    return fail(['HostConfig.Memory is 0: no memory limit, it can take all of the host'], composeFix(f, fix));
  },
};

const memoryUsage: CheckDefinition<ContainerFacts> = {
  code: 'NC104',
  title: 'Memory use against its limit',
  severity: 'warning',
  scope: 'container',
  guide: '000 Monitoring and Alerts: Alert Thresholds',
  fix: 'Raise its memory limit (000 Troubleshooting: Memory Issues) or find what grows before it is OOM-killed',
  command: (f) => `docker stats --no-stream ${f.name}`,
  probe: (f) => {
    if (f.state !== 'running') return skip(`not running (state ${f.state}): no memory use to read`);
    if (f.memoryLimitBytes === 0) return skip('no memory limit to measure against (see NC103)');
    if (f.memUsageBytes === null) return skip('no stats sample was read');
    const percent = (f.memUsageBytes / f.memoryLimitBytes) * 100;
    const seen = `uses ${mib(f.memUsageBytes)} of its ${mib(f.memoryLimitBytes)} limit (${percentText(percent)}%)`;
    const level = memoryLevel(percent, DEFAULT_THRESHOLDS);
    if (level === null) return pass(seen);
    const over = `at or over the ${DEFAULT_THRESHOLDS.memory[level]}% ${level} threshold`;
    return fail([seen, over], composeFix(f, raiseLimitFix(f), MEMORY_SEVERITY[level]));
  },
};

/** The last failing probes the engine kept (it keeps five), newest last. */
function failingOutputs(f: ContainerFacts): string[] {
  const failing = f.healthLog.filter((p) => p.exitCode !== 0).slice(-MAX_QUOTED);
  if (failing.length === 0) return ['the engine kept no failing probe output'];
  const wholeIn = `docker inspect ${f.name}`;
  return failing.map((p) => `probe at ${p.end} exit ${p.exitCode}: ${oneLine(p.output, wholeIn) || '(no output)'}`);
}

const failingHealth: CheckDefinition<ContainerFacts> = {
  code: 'NC105',
  title: 'Health check failing',
  severity: 'error',
  scope: 'container',
  guide: '001 Step 2: Container Health Verification',
  fix: 'Fix what the failing probe output names; a restart is a safe first step when the service is wedged',
  command: inspectCommand('{{json .State.Health}}'),
  safeFix: 'restart-container',
  probe: (f) => {
    if (f.health === 'none') return skip('no health check configured');
    if (f.state !== 'running') return skip(`not running (state ${f.state}): its health is not probed`);
    const seen = `health ${f.health}, ${f.failingStreak} failed probe(s) in a row`;
    if (f.health === 'unhealthy') return fail([seen, ...failingOutputs(f)], { severity: 'error' });
    // Failing but not yet over its retries: a warning now, an error once the engine calls it unhealthy.
    if (f.failingStreak > 0) return fail([seen, ...failingOutputs(f)], { severity: 'warning' });
    if (f.health === 'starting') return skip('still starting: no probe has passed or failed yet');
    return pass(seen);
  },
};

const slowStartup: CheckDefinition<ContainerFacts> = {
  code: 'NC106',
  title: 'Slow start-up',
  severity: 'warning',
  scope: 'container',
  guide: '000 Troubleshooting: 3. Slow Startup',
  fix: 'Find what start-up waits on in its first log lines; the Alpine stack starts in 5-8 s, regular in 15-20 s (000)',
  command: inspectCommand('{{.State.StartedAt}} {{json .State.Health.Log}}'),
  probe: (f) => {
    if (f.startupSeconds === null) return skip('start-up to healthy was not observed (no health check, or not healthy since it started)');
    const seen = `healthy ${seconds(f.startupSeconds)} after start (warning over ${STARTUP_WARNING_SECONDS} s)`;
    return f.startupSeconds > STARTUP_WARNING_SECONDS ? fail([seen]) : pass(seen);
  },
};

const startPeriod: CheckDefinition<ContainerFacts> = {
  code: 'NC107',
  title: 'Health start_period covers start-up',
  severity: 'warning',
  scope: 'container',
  guide: '000 Troubleshooting: 3. Slow Startup (health check grace period)',
  fix: 'Raise healthcheck.start_period above the observed start-up (000 raised 60s to 90s)',
  command: inspectCommand('{{json .Config.Healthcheck}}'),
  probe: (f) => {
    if (f.healthcheck === null) return skip('no health check configured');
    if (f.startupSeconds === null) return skip('start-up to healthy was not observed');
    const period = f.healthcheck.startPeriodSeconds;
    const seen = `start_period ${seconds(period)}, healthy ${seconds(f.startupSeconds)} after start`;
    if (period >= f.startupSeconds) return pass(seen);
    const raised = `${Math.ceil(f.startupSeconds * GUIDE_RAISE)}s`;
    return fail([seen], composeFix(f, `set ${composePlace(f, `healthcheck.start_period: ${raised}`, `--health-start-period ${raised}`)}`));
  },
};

export const CONTAINER_CHECKS: readonly CheckDefinition<ContainerFacts>[] = [
  restartLoop,
  oomKilled,
  memoryLimit,
  memoryUsage,
  failingHealth,
  slowStartup,
  startPeriod,
  ...CONTAINER_SECURITY_CHECKS,
  ...CONTAINER_IMAGE_CHECKS,
];
