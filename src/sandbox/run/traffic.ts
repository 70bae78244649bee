import { invalidArgument } from '../rpc-error';
import type { TrafficTarget, TrafficTargetStatus } from '../wire';

const LATEST = 'TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST';
const REVISION = 'TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION';

/** Cloud Run's default when a service names no traffic: everything to the latest ready revision. */
export const ALL_TO_LATEST: TrafficTarget[] = [{ type: LATEST, revision: '', percent: 100, tag: '' }];

/**
 * Validates traffic targets as Cloud Run does before accepting an update, and returns them with their types
 * spelled out. `revisions` are the service's revision short names (including one the update creates).
 */
export function checkTraffic(
  targets: readonly TrafficTarget[],
  service: string,
  revisions: ReadonlySet<string>,
): TrafficTarget[] {
  const tags = new Set<string>();
  let total = 0;
  const checked = targets.map((target, i): TrafficTarget => {
    const where = `service.traffic[${i}]`;
    const revision = target.revision ?? '';
    const tag = target.tag ?? '';
    const percent = target.percent ?? 0;
    let type = target.type;
    if (!type || type === 'TRAFFIC_TARGET_ALLOCATION_TYPE_UNSPECIFIED') {
      if (!revision) {
        throw invalidArgument(`${where}: set type to TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST or name a revision.`);
      }
      type = REVISION;
    }
    if (type === LATEST && revision) {
      throw invalidArgument(
        `${where}: a TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST target must not name a revision (got '${revision}').`,
      );
    }
    if (type === REVISION) {
      if (!revision) {
        throw invalidArgument(`${where}: a TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION target must name a revision.`);
      }
      if (!revisions.has(revision)) {
        const hint = revision.includes('/') ? ' Name revisions by their short name, e.g. netra-auth-00006-k2v.' : '';
        throw invalidArgument(`${where}: revision '${revision}' does not exist in service '${service}'.${hint}`);
      }
    }
    if (!Number.isInteger(percent) || percent < 0 || percent > 100) {
      throw invalidArgument(`${where}: percent must be between 0 and 100, got ${percent}.`);
    }
    if (tag) {
      if (!/^[a-z]([-a-z0-9]{0,44}[a-z0-9])?$/.test(tag)) {
        throw invalidArgument(
          `${where}: tag '${tag}' must be lowercase letters, digits and hyphens, start with a letter and end with a letter or digit.`,
        );
      }
      if (tags.has(tag)) throw invalidArgument(`${where}: tag '${tag}' is used by more than one traffic target.`);
      tags.add(tag);
    }
    total += percent;
    return { type, revision, percent, tag };
  });
  if (total !== 100) {
    throw invalidArgument(`Traffic percentages must add up to 100, but service.traffic adds up to ${total}.`);
  }
  return checked;
}

/** What serves once `targets` are in effect; tagged targets get their own URL, as on Cloud Run. */
export function trafficStatuses(targets: readonly TrafficTarget[], serviceUri: string): TrafficTargetStatus[] {
  const host = serviceUri.replace(/^https:\/\//, '');
  return targets.map((t) => ({
    type: t.type,
    revision: t.revision ?? '',
    percent: t.percent ?? 0,
    tag: t.tag ?? '',
    uri: t.tag ? `https://${t.tag}---${host}` : '',
  }));
}

/** The short name of the revision a target sends traffic to (LATEST resolves to `latestReady`). */
export function targetRevision(target: TrafficTarget, latestReady: string): string {
  return target.type === LATEST ? latestReady : (target.revision ?? '');
}
