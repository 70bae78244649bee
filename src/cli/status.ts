import { deriveAlerts, engineUnreachableAlert, sortAlerts } from '../domain/alerts';
import { percentText } from '../domain/percent';
import { printable, terminalJson } from '../domain/printable';
import { cloudRunAlerts, formatTraffic } from '../domain/cloud-run';
import { createDockerClient, describeEngineError } from '../sources/docker/client';
import type Docker from 'dockerode';
import { EngineSlowError, ONE_OFF_PING, pingEngine } from '../sources/docker/ping';
import { takeSnapshot, type DockerSnapshot } from '../sources/docker/snapshot';
import { readCloudRunOnce } from './cloud-run-runtime';
import { alertSnapshot } from './alert-snapshot';
import type { Alert } from '../domain/types';
import { buildStatusDocument, cloudRunSection, withLifecycle, type StatusDocument } from './status-document';
import type { Settings } from './settings';

/** A ping slower than this is reported: the engine answers, but something is wrong with it or the machine. */
const SLOW_PING_MS = 1_000;

interface DockerReading {
  snapshot: DockerSnapshot;
  error: string | null;
  slow: boolean;
}

/** The ping is timed before anything else runs in this process, so that "slow" is the engine's, not ours. */
async function pingDocker(docker: Docker, timeoutSeconds: number | undefined): Promise<{ ms: number } | { error: unknown }> {
  const budget = timeoutSeconds === undefined ? ONE_OFF_PING : { ...ONE_OFF_PING, budgetMs: timeoutSeconds * 1000 };
  return pingEngine(docker, budget).then(
    (ms) => ({ ms }),
    (error: unknown) => ({ error }),
  );
}

async function readDocker(docker: Docker, ping: Awaited<ReturnType<typeof pingDocker>>, settings: Settings): Promise<DockerReading> {
  const failed = (e: unknown) => ({ snapshot: { containers: [], stats: {} }, error: describeEngineError(e), slow: e instanceof EngineSlowError });
  if ('error' in ping) return failed(ping.error);
  try {
    const snapshot = await takeSnapshot(docker, { projects: settings.config.docker.projects, showAll: settings.showAll });
    return { snapshot, error: null, slow: ping.ms > SLOW_PING_MS };
  } catch (e) {
    return failed(e);
  }
}

export interface StatusReading {
  docker: DockerReading;
  cloud: Awaited<ReturnType<typeof readCloudRunOnce>>;
  /** Most severe first. */
  alerts: Alert[];
}

/** The engine (pinged first, so "slow" is the engine's) and Cloud Run once, and the alerts they raise. */
export async function readStatus(settings: Settings, timeoutSeconds?: number): Promise<StatusReading> {
  const client = createDockerClient(settings.endpoint);
  const ping = await pingDocker(client, timeoutSeconds);
  const [docker, cloud] = await Promise.all([readDocker(client, ping, settings), readCloudRunOnce(settings.cloudRun)]);
  const alerts = sortAlerts([
    ...(docker.error === null ? [] : [engineUnreachableAlert(settings.endpoint.display, docker.error)]),
    ...deriveAlerts(docker.snapshot.containers, docker.snapshot.stats, settings.config.thresholds, Date.now(), settings.config.images),
    ...cloudRunAlerts(cloud.services),
    ...cloud.missingAlerts,
  ]);
  return { docker, cloud, alerts };
}

/** Prints the status once; exit code 0 when the engine and Cloud Run answered, 1 when either did not. */
export async function runStatus(settings: Settings, json: boolean, timeoutSeconds?: number): Promise<number> {
  const { docker, cloud, alerts } = await readStatus(settings, timeoutSeconds);
  const { mode, project, region } = settings.cloudRun;
  const snapshot = alertSnapshot(alerts, docker.snapshot.containers, process.env);
  const document = buildStatusDocument({
    host: settings.endpoint.display,
    error: docker.error,
    slow: docker.slow,
    ...docker.snapshot,
    cloudRun: cloudRunSection({ mode, project, region, endpoint: cloud.endpoint }, cloud.services, cloud.error?.message ?? null),
    alerts: withLifecycle(alerts, snapshot.views),
  });
  process.stdout.write(json ? `${terminalJson(document, 2)}\n` : humanStatus(document));
  if (snapshot.problem) process.stderr.write(`netra-console: ${printable(snapshot.problem)}\n`);
  return docker.error === null && cloud.error === null ? 0 : 1;
}

function humanStatus(doc: StatusDocument): string {
  const { docker, cloudRun } = doc;
  const slow = docker.slow ? ' (slow to answer)' : '';
  const lines = docker.reachable
    ? [`Docker engine ${docker.host}${slow}: ${docker.containers.length} containers`]
    : [`Docker engine ${docker.slow ? 'not answering' : 'unreachable'} at ${docker.host}: ${docker.error}`];
  for (const c of docker.containers) {
    const stats = c.stats ? ` cpu ${percentText(c.stats.cpuPercent)}% mem ${percentText(c.stats.memPercent)}%` : '';
    lines.push(`  ${c.name}  ${c.state}  ${c.health}  restarts ${c.restarts}${stats}`);
  }
  const where = `${cloudRun.project} ${cloudRun.region} via ${cloudRun.endpoint}${cloudRun.mode === 'sandbox' ? ' (SANDBOX)' : ''}`;
  lines.push(cloudRun.reachable ? `Cloud Run ${where}: ${cloudRun.services.length} services` : `Cloud Run ${where}: ${cloudRun.error}`);
  for (const s of cloudRun.services) {
    const traffic = formatTraffic(s.traffic, (t) => t.revision ?? '?');
    lines.push(`  ${s.name}  ${s.ready ? 'ready' : 'NOT READY'}  ${traffic}`);
  }
  lines.push(`${doc.alerts.length} alerts`);
  for (const alert of doc.alerts) lines.push(`  ${alert.level.toUpperCase()} ${alert.state}${alert.silenced ? ' (silenced)' : ''}: ${alert.message}`);
  // Names, health output and error messages come from engines and servers: none may drive the terminal.
  return `${lines.map(printable).join('\n')}\n`;
}
