import { grpc } from 'google-gax';
import type { FaultState } from '../faults';
import { etagFrom } from '../ids';
import {
  parseService,
  resourceMissing,
  revisionResource,
  type LocationRef,
  type RevisionRef,
  type ServiceRef,
} from '../names';
import { normalize } from '../protos';
import type { Random } from '../random';
import { invalidArgument, RpcError } from '../rpc-error';
import { timestampMs } from '../time';
import type { Operation, Revision, RevisionTemplate, Service, UpdateServiceRequest } from '../wire';
import {
  failedToStartMessage,
  isReady,
  revisionFailed,
  revisionPending,
  revisionReady,
  serviceConditions,
} from './conditions';
import type { OperationOutcome, Operations } from './operations';
import { revisionFromTemplate, revisionIndex, shortName } from './revision';
import type { SeededService } from './seed';
import { ALL_TO_LATEST, checkTraffic, targetRevision, trafficStatuses } from './traffic';

/** Who the sandbox records as having made a change (it does not authenticate callers). */
const ACTOR = 'sandbox-user@netra.dev';
/** Who changes a service behind the caller's back for abortNextUpdate(). */
const OTHER_ACTOR = 'release-bot@netra-staging.iam.gserviceaccount.com';

// The Service fields a caller may set; an empty update_mask replaces all of them.
const MUTABLE_FIELDS = [
  'description',
  'labels',
  'annotations',
  'client',
  'clientVersion',
  'ingress',
  'launchStage',
  'binaryAuthorization',
  'template',
  'traffic',
  'scaling',
  'invokerIamDisabled',
  'defaultUriDisabled',
  'customAudiences',
] as const satisfies readonly (keyof Service)[];

type MutableField = (typeof MUTABLE_FIELDS)[number];

interface ServiceRecord {
  service: Service;
  /** Newest first. */
  revisions: Revision[];
  /** Bumped on every change; the etag derives from it. */
  version: number;
}

/** A revision that receives traffic, for the log generator. */
export interface ServingRevision {
  service: string;
  revision: string;
  percent: number;
  uri: string;
}

export interface FailingRevision {
  service: string;
  revision: string;
  container: string;
}

/** The Cloud Run services of the sandbox project and what UpdateService does to them. */
export class CloudRun {
  private readonly records = new Map<string, ServiceRecord>();

  constructor(
    seed: SeededService[],
    private readonly faults: FaultState,
    private readonly operations: Operations,
    private readonly random: Random,
  ) {
    for (const { service, revisions } of seed) {
      this.records.set(shortName(service.name ?? ''), { service, revisions, version: 1 });
    }
  }

  listServices(ref: LocationRef): Service[] {
    if (!ref.isHome) return [];
    return [...this.records.values()].map((r) => r.service).sort((a, b) => (a.name ?? '').localeCompare(b.name ?? ''));
  }

  getService(ref: ServiceRef): Service {
    return this.record(ref).service;
  }

  /** A copy of the service as the API returns it, for tests; undefined when there is no such service. */
  peek(service: string): Service | undefined {
    const record = this.records.get(service);
    return record && structuredClone(record.service);
  }

  listRevisions(ref: ServiceRef): Revision[] {
    if (ref.service !== '-') return this.record(ref).revisions;
    if (!ref.isHome) return [];
    return [...this.records.values()].flatMap((r) => r.revisions);
  }

  getRevision(ref: RevisionRef): Revision {
    const record = ref.isHome ? this.records.get(ref.service) : undefined;
    const name = revisionResource(ref.service, ref.revision);
    const revision = record?.revisions.find((r) => r.name === name);
    if (!revision) throw resourceMissing('REVISION', ref.revision, ref.location);
    return revision;
  }

  servingRevisions(): ServingRevision[] {
    return [...this.records.values()].flatMap(({ service }) => {
      const latestReady = shortName(service.latestReadyRevision ?? '');
      return (service.trafficStatuses ?? [])
        .filter((s) => (s.percent ?? 0) > 0)
        .map((s) => ({
          service: shortName(service.name ?? ''),
          revision: targetRevision(s, latestReady),
          percent: s.percent ?? 0,
          uri: service.uri ?? '',
        }));
    });
  }

  /** Latest revisions that failed to start (Cloud Run keeps trying them and logging the failed probes). */
  failingRevisions(): FailingRevision[] {
    return [...this.records.values()].flatMap(({ service, revisions }) => {
      const latest = revisions[0];
      if (!latest || isReady(latest) || latest.reconciling) return [];
      const container = latest.containers?.[0]?.name ?? 'container-1';
      return [{ service: shortName(service.name ?? ''), revision: shortName(latest.name ?? ''), container }];
    });
  }

  updateService(request: UpdateServiceRequest): Operation {
    const incoming = request.service;
    if (!incoming) throw invalidArgument('service is required.');
    const ref = parseService(incoming.name ?? '');
    if (request.allowMissing && !(ref.isHome && this.records.has(ref.service))) {
      throw new RpcError(
        grpc.status.UNIMPLEMENTED,
        'The sandbox does not create services (allow_missing on a missing service).',
      );
    }
    const record = this.record(ref);
    if (this.faults.takeAbortNextUpdate()) {
      const given = incoming.etag || record.service.etag || '';
      this.touch(record, OTHER_ACTOR);
      throw conflict(ref.service, given, record.service.etag ?? '');
    }
    if (incoming.etag && incoming.etag !== record.service.etag) {
      throw conflict(ref.service, incoming.etag, record.service.etag ?? '');
    }

    const next = structuredClone(record.service);
    for (const field of maskedFields(request.updateMask?.paths ?? [])) assign(next, incoming, field);
    if (!next.template) throw invalidArgument('service.template is required.');
    if (!next.traffic?.length) next.traffic = structuredClone(ALL_TO_LATEST);

    const newRevision = this.newRevisionName(record, next.template);
    const known = new Set(record.revisions.map((r) => shortName(r.name ?? '')));
    if (newRevision) known.add(newRevision);
    next.traffic = checkTraffic(next.traffic, ref.service, known);

    if (request.validateOnly) return this.operations.done(next, next);

    const now = timestampMs(Date.now());
    if (newRevision) {
      record.revisions.unshift(
        revisionFromTemplate({
          service: ref.service,
          name: newRevision,
          template: next.template,
          createTime: now,
          creator: ACTOR,
          conditions: revisionPending(now),
          etag: etagFrom(revisionResource(ref.service, newRevision), 1),
        }),
      );
      next.latestCreatedRevision = revisionResource(ref.service, newRevision);
    }
    record.service = {
      ...next,
      generation: String(Number(next.generation ?? 0) + 1),
      updateTime: now,
      lastModifier: ACTOR,
      reconciling: true,
      ...serviceConditions('reconciling', now),
    };
    this.touch(record, ACTOR);

    const failure = this.faults.takeOperationFailure();
    return this.operations.start({
      metadata: structuredClone(record.service),
      minDurationMs: this.faults.operationDelayMs,
      complete: () => this.reconcile(record, newRevision, failure),
    });
  }

  /** What the operation of an update does when it completes: the new revision starts (or not), traffic moves. */
  private reconcile(record: ServiceRecord, newRevision: string | null, failure: string | null): OperationOutcome {
    const now = timestampMs(Date.now());
    const service = record.service;
    let error = failure;
    const created = newRevision ? record.revisions.find((r) => shortName(r.name ?? '') === newRevision) : undefined;
    if (created) {
      created.conditions = error
        ? revisionFailed(now, failedToStartMessage(created.logUri ?? '', error))
        : revisionReady(now);
      created.reconciling = false;
      if (!error) service.latestReadyRevision = created.name ?? '';
    }
    const latestReady = shortName(service.latestReadyRevision ?? '');
    if (!error) {
      const unready = (service.traffic ?? [])
        .filter((t) => (t.percent ?? 0) > 0)
        .map((t) => targetRevision(t, latestReady))
        .find((revision) => !record.revisions.some((r) => shortName(r.name ?? '') === revision && isReady(r)));
      if (unready !== undefined) error = `Revision '${unready}' is not ready and cannot serve traffic.`;
    }
    if (!error) service.trafficStatuses = trafficStatuses(service.traffic ?? [], service.uri ?? '');

    const latestCreated = record.revisions[0];
    const configurations =
      latestCreated && !isReady(latestCreated)
        ? `Revision '${shortName(latestCreated.name ?? '')}' is not ready and cannot serve traffic. ${latestCreated.conditions?.[0]?.message ?? ''}`
        : null;
    // A new revision that failed leaves the routes as they were; otherwise an error is about the routes.
    const routes = error && !created ? error : null;
    Object.assign(service, {
      observedGeneration: service.generation,
      reconciling: false,
      ...serviceConditions({ configurations, routes }, now),
    });
    this.touch(record, service.lastModifier ?? ACTOR);
    if (error) return { error: { code: grpc.status.FAILED_PRECONDITION, message: error } };
    return { response: structuredClone(service) };
  }

  /** The short name of the revision an update's template makes, or null when the template is unchanged. */
  private newRevisionName(record: ServiceRecord, template: RevisionTemplate): string | null {
    const service = shortName(record.service.name ?? '');
    const wanted = template.revision ?? '';
    const same = sameTemplate(template, record.service.template ?? {});
    const existing = wanted ? record.revisions.find((r) => shortName(r.name ?? '') === wanted) : undefined;
    if (existing) {
      if (!same) {
        throw new RpcError(
          grpc.status.ALREADY_EXISTS,
          `Revision named '${wanted}' with different configuration already exists.`,
        );
      }
      return null;
    }
    if (wanted) {
      if (!wanted.startsWith(`${service}-`)) {
        throw invalidArgument(`Revision name '${wanted}' must be prefixed by the service name '${service}-'.`);
      }
      return wanted;
    }
    if (same) return null;
    const number = Math.max(0, ...record.revisions.map((r) => revisionIndex(shortName(r.name ?? '')))) + 1;
    return `${service}-${String(number).padStart(5, '0')}-${this.random.token(3)}`;
  }

  private record(ref: ServiceRef): ServiceRecord {
    const record = ref.isHome ? this.records.get(ref.service) : undefined;
    if (!record) throw resourceMissing('SERVICE', ref.service, ref.location);
    return record;
  }

  /** Marks a change to the service: new etag and update time. */
  private touch(record: ServiceRecord, actor: string): void {
    record.version++;
    record.service.etag = etagFrom(record.service.name ?? '', record.version);
    record.service.updateTime = timestampMs(Date.now());
    record.service.lastModifier = actor;
  }
}

function maskedFields(paths: readonly string[]): readonly MutableField[] {
  if (paths.length === 0) return MUTABLE_FIELDS;
  return paths.map((path) => {
    // Masks name proto fields (snake_case); a nested path updates its whole top-level field.
    const top = (path.split('.')[0] ?? '').replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
    const field = MUTABLE_FIELDS.find((f) => f === top);
    if (!field) {
      throw invalidArgument(`Invalid update_mask path '${path}': it is not a field of Service that can be updated.`);
    }
    return field;
  });
}

function assign(target: Service, source: Service, field: MutableField): void {
  (target as Record<MutableField, unknown>)[field] = structuredClone(source[field]);
}

function sameTemplate(a: RevisionTemplate, b: RevisionTemplate): boolean {
  const canonical = (t: RevisionTemplate) =>
    stableJson(normalize<RevisionTemplate>('google.cloud.run.v2.RevisionTemplate', { ...t, revision: '' }));
  return canonical(a) === canonical(b);
}

function stableJson(value: unknown): string {
  return JSON.stringify(value, (_, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([x], [y]) => x.localeCompare(y)))
      : v,
  );
}

function conflict(service: string, given: string, current: string): RpcError {
  return new RpcError(
    grpc.status.ABORTED,
    `Conflict for resource '${service}': version '${given}' was specified but current version is '${current}'.`,
  );
}
