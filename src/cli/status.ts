import { deriveAlerts, sortAlerts } from '../domain/alerts';
import { cloudRunAlerts } from '../domain/cloud-run';
import { createDockerClient, describeEngineError } from '../sources/docker/client';
import { takeSnapshot, type DockerSnapshot } from '../sources/docker/snapshot';
import { readCloudRunOnce } from './cloud-run-runtime';
import { buildStatusDocument, cloudRunSection, type StatusDocument } from './status-document';
import type { Settings } from './settings';

async function readDocker(settings: Settings): Promise<{ snapshot: DockerSnapshot; error: string | null }> {
  try {
    const snapshot = await takeSnapshot(createDockerClient(settings.endpoint), {
      projects: settings.config.docker.projects,
      showAll: settings.showAll,
    });
    return { snapshot, error: null };
  } catch (e) {
    return { snapshot: { containers: [], stats: {} }, error: describeEngineError(e) };
  }
}

/** Prints the status once; exit code 0 when the engine and Cloud Run answered, 1 when either did not. */
export async function runStatus(settings: Settings, json: boolean): Promise<number> {
  const [docker, cloud] = await Promise.all([readDocker(settings), readCloudRunOnce(settings.cloudRun)]);
  const { mode, project, region } = settings.cloudRun;
  const alerts = sortAlerts([
    ...deriveAlerts(docker.snapshot.containers, docker.snapshot.stats, settings.config.thresholds, Date.now()),
    ...cloudRunAlerts(cloud.services),
  ]);
  const document = buildStatusDocument({
    host: settings.endpoint.display,
    error: docker.error,
    ...docker.snapshot,
    cloudRun: cloudRunSection({ mode, project, region, endpoint: cloud.endpoint }, cloud.services, cloud.error?.message ?? null),
    alerts,
  });
  process.stdout.write(json ? `${JSON.stringify(document, null, 2)}\n` : humanStatus(document));
  return docker.error === null && cloud.error === null ? 0 : 1;
}

function humanStatus(doc: StatusDocument): string {
  const { docker, cloudRun } = doc;
  const lines = docker.reachable
    ? [`Docker engine ${docker.host}: ${docker.containers.length} containers`]
    : [`Docker engine unreachable at ${docker.host}: ${docker.error}`];
  for (const c of docker.containers) {
    const stats = c.stats ? ` cpu ${c.stats.cpuPercent.toFixed(1)}% mem ${c.stats.memPercent.toFixed(1)}%` : '';
    lines.push(`  ${c.name}  ${c.state}  ${c.health}  restarts ${c.restarts}${stats}`);
  }
  const where = `${cloudRun.project} ${cloudRun.region} via ${cloudRun.endpoint}${cloudRun.mode === 'sandbox' ? ' (SANDBOX)' : ''}`;
  lines.push(cloudRun.reachable ? `Cloud Run ${where}: ${cloudRun.services.length} services` : `Cloud Run ${where}: ${cloudRun.error}`);
  for (const s of cloudRun.services) {
    const traffic = s.traffic.map((t) => `${t.revision ?? '?'} ${t.percent}%${t.tag ? ` (${t.tag})` : ''}`).join(', ');
    lines.push(`  ${s.name}  ${s.ready ? 'ready' : 'NOT READY'}  ${traffic}`);
  }
  lines.push(`${doc.alerts.length} alerts`);
  for (const alert of doc.alerts) lines.push(`  ${alert.level.toUpperCase()}: ${alert.message}`);
  return `${lines.join('\n')}\n`;
}
