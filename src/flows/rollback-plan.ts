import { firstLine, formatTraffic, resolveRevision, revisionNumber, servingShare, type CloudRunRevision, type CloudRunService, type TrafficTarget } from '../domain/cloud-run';

/** How the user chose the target: the revision before the serving ones, the newest regular image, or by name. */
export type TargetChoice = { kind: 'previous' } | { kind: 'regular' } | { kind: 'revision'; name: string };

export type TargetResult = { ok: true; revision: CloudRunRevision } | { ok: false; reason: string };

/** The audit log's name for a choice; the console and the CLI write the same ones. */
export function auditAction(choice: TargetChoice): string {
  return { previous: 'rollback-previous', regular: 'rollback-to-regular', revision: 'rollback-to-revision' }[choice.kind];
}

/** Revisions serving traffic now, per the traffic statuses (what is live), else the requested traffic. */
export function servingRevisions(service: CloudRunService): string[] {
  const share = servingShare(service);
  if (share.size > 0) return [...share.keys()];
  return service.traffic.filter((t) => t.percent > 0).flatMap((t) => resolveRevision(t, service) ?? []);
}

function createdAt(revision: CloudRunRevision): string {
  return revision.createTime ?? '';
}

/**
 * The revision a rollback sends all traffic to. `previous`: the newest Ready revision older than every revision
 * serving now. `regular`: the newest Ready revision running a regular (non-Alpine) image. A named revision must
 * exist and be Ready; otherwise the reason says why, with the revision's condition message.
 */
export function chooseTarget(service: CloudRunService, choice: TargetChoice): TargetResult {
  const ready = service.revisions.filter((r) => r.ready).sort((a, b) => createdAt(b).localeCompare(createdAt(a)));
  if (choice.kind === 'revision') {
    const found = findRevision(service, choice.name);
    if (!found.ok) return found;
    const revision = found.revision;
    if (!revision.ready) {
      return { ok: false, reason: `revision ${revision.name} is not Ready (${revision.state}): ${firstLine(revision.message) ?? 'no condition message'}` };
    }
    return { ok: true, revision };
  }
  if (choice.kind === 'regular') {
    const regular = ready.find((r) => r.variant === 'regular');
    return regular ? { ok: true, revision: regular } : { ok: false, reason: `${service.name} has no Ready revision with a regular image` };
  }
  const serving = new Set(servingRevisions(service));
  const oldestServing = service.revisions.filter((r) => serving.has(r.name)).map(createdAt).sort()[0];
  const previous = ready.find((r) => !serving.has(r.name) && (oldestServing === undefined || createdAt(r) < oldestServing));
  return previous
    ? { ok: true, revision: previous }
    : { ok: false, reason: `${service.name} has no Ready revision older than the ones serving now` };
}

/** A revision by its full name, or by its number (`00017` or `17`) as the console shows it. */
function findRevision(service: CloudRunService, name: string): TargetResult {
  const exact = service.revisions.find((r) => r.name === name);
  if (exact) return { ok: true, revision: exact };
  const numbered = /^\d+$/.test(name) ? service.revisions.filter((r) => Number(revisionNumber(r.name) ?? NaN) === Number(name)) : [];
  if (numbered.length === 1) return { ok: true, revision: numbered[0]! };
  const listed = (numbered.length > 1 ? numbered : service.revisions).map((r) => r.name).join(', ') || 'none';
  return numbered.length > 1
    ? { ok: false, reason: `revision ${name} of ${service.name} is ambiguous: ${listed}` }
    : { ok: false, reason: `${service.name} has no revision ${name} (its revisions: ${listed})` };
}

/**
 * The traffic a rollback requests: 100 % to the target; every tag keeps pointing where it did, at 0 %, so tag
 * URLs survive. Always sums to 100.
 */
export function rollbackTraffic(service: CloudRunService, target: string): TrafficTarget[] {
  const tagged = service.traffic
    .filter((t) => t.tag)
    .map((t) => (t.latest ? { ...t, percent: 0 } : { revision: t.revision, percent: 0, tag: t.tag, latest: false }));
  return [{ revision: target, percent: 100, tag: null, latest: false }, ...tagged];
}

function trafficKey(targets: readonly TrafficTarget[], service: CloudRunService): string {
  return targets
    .filter((t) => t.percent > 0 || t.tag)
    .map((t) => `${t.latest ? 'LATEST' : resolveRevision(t, service)}:${t.percent}:${t.tag ?? ''}`)
    .sort()
    .join(',');
}

/**
 * True when the service already serves, and asks for, exactly the traffic a rollback would request: sending it
 * would change nothing. (LATEST at 100 % is not the same: a rollback pins the revision.)
 */
export function changesNothing(service: CloudRunService, requested: readonly TrafficTarget[]): boolean {
  const wanted = trafficKey(requested, service);
  return !service.reconciling && trafficKey(service.traffic, service) === wanted && trafficKey(service.trafficStatuses, service) === wanted;
}

/** Verified when reconciling is over, the served traffic equals the requested one, and the target is Ready. */
export function isRolledBack(service: CloudRunService, requested: readonly TrafficTarget[], target: string): boolean {
  const revision = service.revisions.find((r) => r.name === target);
  return !service.reconciling && Boolean(revision?.ready) && trafficKey(service.trafficStatuses, service) === trafficKey(requested, service);
}

/** `a 90%, b 10% (canary)` for summaries, audit lines and errors. */
export function describeTraffic(targets: readonly TrafficTarget[], service: CloudRunService): string {
  return formatTraffic(targets, (t) => (t.latest ? `LATEST=${service.latestReadyRevision ?? '?'}` : (t.revision ?? '?')));
}
