import { deriveAlerts } from '../domain/alerts';
import { createDockerClient, describeEngineError } from '../sources/docker/client';
import { takeSnapshot, type DockerSnapshot } from '../sources/docker/snapshot';
import { buildStatusDocument, type StatusDocument } from './status-document';
import type { Settings } from './settings';

/** Prints the status once; exit code 0 when the engine answered, 1 when it did not. */
export async function runStatus(settings: Settings, json: boolean): Promise<number> {
  const docker = createDockerClient(settings.endpoint);
  let snapshot: DockerSnapshot = { containers: [], stats: {} };
  let error: string | null = null;
  try {
    snapshot = await takeSnapshot(docker, { projects: settings.config.docker.projects, showAll: settings.showAll });
  } catch (e) {
    error = describeEngineError(e);
  }
  const alerts = deriveAlerts(snapshot.containers, snapshot.stats, settings.config.thresholds, Date.now());
  const document = buildStatusDocument({ host: settings.endpoint.display, error, ...snapshot, alerts });
  process.stdout.write(json ? `${JSON.stringify(document, null, 2)}\n` : humanStatus(document));
  return error === null ? 0 : 1;
}

function humanStatus(doc: StatusDocument): string {
  const { docker } = doc;
  if (!docker.reachable) return `Docker engine unreachable at ${docker.host}: ${docker.error}\n`;
  const lines = [`Docker engine ${docker.host}: ${docker.containers.length} containers, ${doc.alerts.length} alerts`];
  for (const c of docker.containers) {
    const stats = c.stats ? ` cpu ${c.stats.cpuPercent.toFixed(1)}% mem ${c.stats.memPercent.toFixed(1)}%` : '';
    lines.push(`  ${c.name}  ${c.state}  ${c.health}  restarts ${c.restarts}${stats}`);
  }
  for (const alert of doc.alerts) lines.push(`  ${alert.level.toUpperCase()}: ${alert.message}`);
  return `${lines.join('\n')}\n`;
}
