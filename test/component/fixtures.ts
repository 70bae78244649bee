/** Cloud Run services like the sandbox's Netra staging, for the component tests. */
import type { CloudRunService } from '../../src/domain/cloud-run';
import { auth, backend, failedRevision, frontend, latest, pinned, revision, revisionName, service } from '../unit/rollback-fixtures';

export { auth, backend, frontend, revisionName as rev };

/** `netra-auth-00004-r04` → `00004`, as the Cloud Run panel writes revisions. */
export const num = (name: string) => /-(\d{5})-/.exec(name)![1]!;

/** The backend, not ready: its newest revision failed with Cloud Run's multi-line condition message. */
export function brokenBackend(): CloudRunService {
  const b = backend();
  return {
    ...b,
    ready: false,
    readyMessage: `Revision '${revisionName('netra-backend-staging', 5)}' is not ready and cannot serve traffic. The user-provided container failed.\nLogs URL: https://console.cloud.google.com/logs`,
  };
}

/** The three staging services, in the configured order. */
export function staging(): CloudRunService[] {
  return [brokenBackend(), auth(), frontend()];
}

/** A backend with 25 revisions (the newest failed), 100 % on the 24th, `stable` on the 17th; only 1–17 are regular. */
export function longBackend(): CloudRunService {
  const name = 'netra-backend-staging';
  const revisions = Array.from({ length: 24 }, (_, i) =>
    revision(name, i + 1, i + 1 > 17 ? { variant: 'alpine', image: `us-central1-docker.pkg.dev/netra-staging/netra/backend:v2.${i + 1}-alpine` } : { image: `us-central1-docker.pkg.dev/netra-staging/netra/backend:v1.${i + 1}` }),
  ).concat(failedRevision(name, 25));
  return service(name, revisions, [pinned(revisionName(name, 24), 100), pinned(revisionName(name, 17), 0, 'stable')]);
}

export { latest, pinned, revision, service };
