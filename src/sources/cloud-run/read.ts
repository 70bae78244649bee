import { serviceFromPayload, shortName, type CloudRunService } from '../../domain/cloud-run';
import type { CloudRunApi } from './client';

export interface CloudRunRead {
  services: CloudRunService[];
  /** Configured names the region does not have (a typo, or another environment's names). */
  missing: string[];
  /** Every service name of the region, to say what exists instead. */
  available: string[];
}

/** Services of the region (only the configured ones when a list is given, in that order) with their revisions. */
export async function readCloudRun(api: CloudRunApi, only: readonly string[]): Promise<CloudRunRead> {
  const all = await api.listServices();
  const available = all.map((s) => shortName(s.name));
  const wanted = only.length === 0 ? all : only.flatMap((name) => all.filter((s) => shortName(s.name) === name));
  const services = await Promise.all(wanted.map(async (s) => serviceFromPayload(s, await api.listRevisions(s.name ?? ''))));
  return { services, missing: only.filter((name) => !available.includes(name)), available };
}

/** One service with its revisions, read fresh (the rollback flow decides on this, not on the last refresh). */
export async function readService(api: CloudRunApi, fullName: string): Promise<CloudRunService> {
  const [service, revisions] = await Promise.all([api.getService(fullName), api.listRevisions(fullName)]);
  return serviceFromPayload(service, revisions);
}
