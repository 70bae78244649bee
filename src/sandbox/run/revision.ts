import { revisionNumber } from '../../domain/cloud-run';
import { uidFrom } from '../ids';
import { LOCATION, PROJECT, revisionResource } from '../names';
import { normalize } from '../protos';
import type { Condition, Revision, RevisionTemplate, Timestamp } from '../wire';

export interface NewRevision {
  service: string;
  name: string;
  template: RevisionTemplate;
  createTime: Timestamp;
  creator: string;
  conditions: Condition[];
  etag: string;
}

/** A revision as Cloud Run materialises it from a service's template. */
export function revisionFromTemplate(r: NewRevision): Revision {
  const { template } = r;
  return normalize<Revision>('google.cloud.run.v2.Revision', {
    name: revisionResource(r.service, r.name),
    uid: uidFrom(`${LOCATION}/${r.service}/${r.name}`),
    generation: '1',
    labels: template.labels,
    annotations: template.annotations,
    createTime: r.createTime,
    updateTime: r.createTime,
    launchStage: 'GA',
    service: r.service,
    scaling: template.scaling,
    vpcAccess: template.vpcAccess,
    maxInstanceRequestConcurrency: template.maxInstanceRequestConcurrency,
    timeout: template.timeout,
    serviceAccount: template.serviceAccount,
    containers: template.containers,
    volumes: template.volumes,
    executionEnvironment: template.executionEnvironment,
    sessionAffinity: template.sessionAffinity,
    reconciling: r.conditions.some((c) => c.state === 'CONDITION_RECONCILING'),
    conditions: r.conditions,
    observedGeneration: '1',
    logUri: revisionLogUri(r.service, r.name),
    creator: r.creator,
    etag: r.etag,
  });
}

/** The Logs Explorer link Cloud Run puts on every revision (and into its failure messages). */
export function revisionLogUri(service: string, revision: string): string {
  const filter = `resource.type="cloud_run_revision"\nresource.labels.service_name="${service}"\nresource.labels.revision_name="${revision}"`;
  return `https://console.cloud.google.com/logs/viewer?project=${PROJECT}&resource=cloud_run_revision/service_name/${service}/revision_name/${revision}&advancedFilter=${encodeURIComponent(filter)}`;
}

/** The short name of a revision (`netra-auth-00006-k2v`) from its resource name. */
export const shortName = (resourceName: string) => resourceName.slice(resourceName.lastIndexOf('/') + 1);

/** The revision's number: 25 for netra-backend-staging-00025-xq2 (0 for a name without one). */
export function revisionIndex(name: string): number {
  return Number(revisionNumber(name) ?? 0);
}
