import { printable, printableLines } from './printable';
import { detectVariant } from './variant';
import type { CloudError } from './cloud-run-errors';
import { errorRateBreached, errorRateText, type RateCount } from './error-rate';
import type { CloudRunAlert, Variant } from './types';

/** The subset of google.cloud.run.v2 messages the console reads (as the official client returns them). */
interface Timestamp {
  seconds?: number | string | null;
  nanos?: number | null;
}
interface Condition {
  type?: string | null;
  state?: string | number | null;
  message?: string | null;
  reason?: string | number | null;
  revisionReason?: string | number | null;
}
interface TrafficPayload {
  type?: string | number | null;
  revision?: string | null;
  percent?: number | null;
  tag?: string | null;
}
export interface RunServicePayload {
  name?: string | null;
  uri?: string | null;
  etag?: string | null;
  reconciling?: boolean | null;
  latestReadyRevision?: string | null;
  latestCreatedRevision?: string | null;
  terminalCondition?: Condition | null;
  traffic?: TrafficPayload[] | null;
  trafficStatuses?: TrafficPayload[] | null;
  updateTime?: Timestamp | null;
}
export interface RunRevisionPayload {
  name?: string | null;
  createTime?: Timestamp | null;
  reconciling?: boolean | null;
  conditions?: Condition[] | null;
  containers?: Array<{ image?: string | null; resources?: { limits?: Record<string, string> | null } | null }> | null;
  scaling?: { minInstanceCount?: number | null; maxInstanceCount?: number | null } | null;
  labels?: Record<string, string> | null;
}

export interface TrafficTarget {
  /** Short revision name; null when the target follows the latest ready revision. */
  revision: string | null;
  percent: number;
  tag: string | null;
  latest: boolean;
}

export type RevisionState = 'ready' | 'failed' | 'pending';

export interface CloudRunRevision {
  name: string;
  ready: boolean;
  state: RevisionState;
  message: string | null;
  createTime: string | null;
  image: string;
  variant: Variant;
  memory: string | null;
  cpu: string | null;
  minInstances: number | null;
  maxInstances: number | null;
}

export interface CloudRunService {
  name: string;
  fullName: string;
  uri: string;
  ready: boolean;
  readyMessage: string | null;
  latestReadyRevision: string | null;
  latestCreatedRevision: string | null;
  reconciling: boolean;
  etag: string;
  traffic: TrafficTarget[];
  trafficStatuses: TrafficTarget[];
  revisions: CloudRunRevision[];
}

/** `projects/p/locations/r/services/s/revisions/x` → `x`, as gcloud shows names. */
export function shortName(name: string | null | undefined): string {
  return (name ?? '').split('/').at(-1) ?? '';
}

export function timestampToIso(ts: Timestamp | null | undefined): string | null {
  if (!ts || ts.seconds === undefined || ts.seconds === null) return null;
  return new Date(Number(ts.seconds) * 1000 + Math.floor((ts.nanos ?? 0) / 1e6)).toISOString();
}

const SUCCEEDED = ['CONDITION_SUCCEEDED', 3];
const FAILED = ['CONDITION_FAILED', 4];
const LATEST = ['TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST', 1];

function conditionState(condition: Condition | null | undefined): RevisionState {
  if (condition && SUCCEEDED.includes(condition.state ?? '')) return 'ready';
  if (condition && FAILED.includes(condition.state ?? '')) return 'failed';
  return 'pending';
}

function toTraffic(targets: TrafficPayload[] | null | undefined): TrafficTarget[] {
  return (targets ?? []).map((t) => ({
    revision: t.revision ? shortName(t.revision) : null,
    percent: t.percent ?? 0,
    tag: t.tag || null,
    latest: LATEST.includes(t.type ?? ''),
  }));
}

/**
 * A tagged image is Alpine when its name says so and regular otherwise (the platform tags every Alpine build);
 * an image pinned only by digest cannot be told apart.
 */
export function imageVariant(image: string): Variant {
  const variant = detectVariant({}, image);
  if (variant !== '?') return variant;
  // `name:tag@sha256:…` is still tagged; only the part before the digest can carry a tag.
  const lastPart = image.split('@')[0]!.split('/').at(-1) ?? '';
  return lastPart.includes(':') ? 'regular' : '?';
}

/** Cloud Run label keys are lower-case words: a deploy pipeline marks the variant as `variant: alpine|regular`. */
export const REVISION_VARIANT_LABEL = 'variant';

function labelVariant(labels: Record<string, string> | null | undefined): Variant | null {
  const value = labels?.[REVISION_VARIANT_LABEL]?.trim().toLowerCase();
  return value === 'alpine' || value === 'regular' ? value : null;
}

function digestOf(image: string): string | null {
  return /@(sha256:[0-9a-f]+)$/.exec(image)?.[1] ?? null;
}

/**
 * A revision deployed by digest alone takes the variant of another revision of the service that ran the same
 * digest under a tag; with none, it stays '?' rather than a guess.
 */
function resolveDigestVariants(revisions: CloudRunRevision[]): CloudRunRevision[] {
  const known = new Map<string, Variant>();
  for (const r of revisions) {
    const digest = digestOf(r.image);
    if (digest && r.variant !== '?') known.set(digest, r.variant);
  }
  return revisions.map((r) => {
    const digest = r.variant === '?' ? digestOf(r.image) : null;
    const variant = digest ? known.get(digest) : undefined;
    return variant ? { ...r, variant } : r;
  });
}

export function revisionFromPayload(payload: RunRevisionPayload): CloudRunRevision {
  const ready = payload.conditions?.find((c) => c.type === 'Ready');
  const state = conditionState(ready);
  const container = payload.containers?.[0];
  const image = printable(container?.image ?? '');
  return {
    name: shortName(payload.name),
    ready: state === 'ready',
    state,
    // Condition messages and images come from the API (or any endpoint): shown, so made printable.
    message: ready?.message ? printableLines(ready.message) : null,
    createTime: timestampToIso(payload.createTime),
    image,
    variant: labelVariant(payload.labels) ?? imageVariant(image),
    memory: container?.resources?.limits?.memory ?? null,
    cpu: container?.resources?.limits?.cpu ?? null,
    minInstances: payload.scaling?.minInstanceCount ?? null,
    maxInstances: payload.scaling?.maxInstanceCount ?? null,
  };
}

/** Revisions newest first, as the console lists them. */
function byCreateTimeDesc(a: CloudRunRevision, b: CloudRunRevision): number {
  return (b.createTime ?? '').localeCompare(a.createTime ?? '') || b.name.localeCompare(a.name);
}

export function serviceFromPayload(payload: RunServicePayload, revisions: RunRevisionPayload[]): CloudRunService {
  const condition = payload.terminalCondition;
  return {
    name: shortName(payload.name),
    fullName: payload.name ?? '',
    uri: payload.uri ?? '',
    ready: conditionState(condition) === 'ready',
    readyMessage: condition?.message ? printableLines(condition.message) : null,
    latestReadyRevision: payload.latestReadyRevision ? shortName(payload.latestReadyRevision) : null,
    latestCreatedRevision: payload.latestCreatedRevision ? shortName(payload.latestCreatedRevision) : null,
    reconciling: payload.reconciling ?? false,
    etag: payload.etag ?? '',
    traffic: toTraffic(payload.traffic),
    trafficStatuses: toTraffic(payload.trafficStatuses),
    revisions: resolveDigestVariants(revisions.map(revisionFromPayload)).sort(byCreateTimeDesc),
  };
}

/** The number Cloud Run gives a revision, as the console shows it: `netra-auth-00017-k2v` → `00017`; null for none. */
export function revisionNumber(name: string | null | undefined): string | null {
  return /-(\d{5})-[a-z0-9]+$/.exec(name ?? '')?.[1] ?? null;
}

/** `a 90%, b 10% (canary)`: the one way traffic is written; `revision` says how a target's revision is named. */
export function formatTraffic(targets: readonly TrafficTarget[], revision: (target: TrafficTarget) => string): string {
  return targets.map((t) => `${revision(t)} ${t.percent}%${t.tag ? ` (${t.tag})` : ''}`).join(', ');
}

/** Which revision a LATEST target resolves to. */
export function resolveRevision(target: TrafficTarget, service: CloudRunService): string | null {
  return target.latest ? service.latestReadyRevision : target.revision;
}

/** Percent of traffic each revision serves according to the traffic statuses (what is actually live). */
export function servingShare(service: CloudRunService): Map<string, number> {
  const share = new Map<string, number>();
  for (const target of service.trafficStatuses) {
    const revision = resolveRevision(target, service);
    if (revision && target.percent > 0) share.set(revision, (share.get(revision) ?? 0) + target.percent);
  }
  return share;
}

function trafficKey(targets: TrafficTarget[], service: CloudRunService): string {
  return targets
    .map((t) => `${resolveRevision(t, service)}:${t.percent}:${t.tag ?? ''}`)
    .sort()
    .join(',');
}

/** True when the requested traffic is not (yet) what is being served. */
export function trafficDiffers(service: CloudRunService): boolean {
  return trafficKey(service.traffic, service) !== trafficKey(service.trafficStatuses, service);
}

/** Tags pointing at each revision. */
export function revisionTags(service: CloudRunService): Map<string, string[]> {
  const tags = new Map<string, string[]>();
  for (const t of service.traffic) {
    const revision = resolveRevision(t, service);
    if (revision && t.tag) tags.set(revision, [...(tags.get(revision) ?? []), t.tag]);
  }
  return tags;
}

/** What a Cloud Run refresh reports to the store. */
export type CloudRunUpdate =
  | { kind: 'refreshing' }
  | { kind: 'data'; services: CloudRunService[]; at: number; missing?: readonly string[]; available?: readonly string[] }
  /** retryAt: when the next attempt is made; null when none will be (Cloud Run could not start at all). */
  | { kind: 'error'; error: CloudError; retryAt: number | null };

/** Cloud Run condition messages run over several lines (logs URL, guidance); lists show the first. */
export function firstLine(text: string | null): string | null {
  return text?.split('\n')[0]?.trim() || null;
}

/** What a region has, for a message about a service name it does not have. */
export function servicesThere(names: readonly string[]): string {
  return names.length > 0 ? `services there: ${names.join(', ')}` : 'it has no services';
}

/**
 * A configured service the region does not have: a typo in cloudRun.services must not just show fewer services.
 * `where` names the project and region.
 */
export function missingServiceAlerts(missing: readonly string[], available: readonly string[], where: string): CloudRunAlert[] {
  const there = servicesThere(available);
  return missing.map((name) => ({
    level: 'warning',
    source: 'cloudrun',
    kind: 'service-missing',
    service: name,
    message: `${name} (in cloudRun.services) does not exist in ${where}; ${there}`,
  }));
}

/** Cloud Run problems worth an alert: a service not ready, a failed newest revision, traffic not as requested. */
export function cloudRunAlerts(services: readonly CloudRunService[]): CloudRunAlert[] {
  const alerts: CloudRunAlert[] = [];
  for (const s of services) {
    const add = (level: CloudRunAlert['level'], kind: CloudRunAlert['kind'], message: string) =>
      alerts.push({ level, source: 'cloudrun', kind, service: s.name, message });
    // While reconciling (a rollout or rollback in progress) the Ready condition is pending, not failed.
    if (!s.ready && !s.reconciling) add('critical', 'service-not-ready', `${s.name} is not ready: ${firstLine(s.readyMessage) ?? 'no reason given'}`);
    const failed = s.revisions.find((r) => r.name === s.latestCreatedRevision && r.state === 'failed');
    if (failed) add('warning', 'revision-failed', `${s.name}: newest revision ${failed.name} failed: ${firstLine(failed.message) ?? 'not ready'}`);
    if (!s.reconciling && trafficDiffers(s)) add('warning', 'traffic-mismatch', `${s.name}: served traffic differs from the requested traffic`);
  }
  return alerts;
}

/** Critical for each Cloud Run service whose log entries (keyed by service) are over 1 % errors, by service name. */
export function cloudErrorRateAlerts(rates: ReadonlyMap<string, RateCount>): CloudRunAlert[] {
  return [...rates]
    .filter(([, count]) => errorRateBreached(count))
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([service, count]): CloudRunAlert => ({ level: 'critical', source: 'cloudrun', kind: 'error-rate', service, message: `${service}: ${errorRateText(count)}` }));
}
