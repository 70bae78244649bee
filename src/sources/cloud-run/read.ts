import { serviceFromPayload, shortName, type CloudRunService } from '../../domain/cloud-run';
import type { CloudRunApi } from './client';

/** Services of the region (only the configured ones when a list is given, in that order) with their revisions. */
export async function readCloudRun(api: CloudRunApi, only: readonly string[]): Promise<CloudRunService[]> {
  const all = await api.listServices();
  const wanted = only.length === 0 ? all : only.flatMap((name) => all.filter((s) => shortName(s.name) === name));
  return Promise.all(wanted.map(async (s) => serviceFromPayload(s, await api.listRevisions(s.name ?? ''))));
}

/** One service with its revisions, read fresh (the rollback flow decides on this, not on the last refresh). */
export async function readService(api: CloudRunApi, fullName: string): Promise<CloudRunService> {
  const [service, revisions] = await Promise.all([api.getService(fullName), api.listRevisions(fullName)]);
  return serviceFromPayload(service, revisions);
}
