import { etagFrom, uidFrom } from '../ids';
import { PROJECT, PROJECT_NUMBER, REGION, revisionResource, serviceResource } from '../names';
import { normalize } from '../protos';
import type { Random } from '../random';
import { timestampMs } from '../time';
import type { Container, Revision, RevisionTemplate, Service, TrafficTarget } from '../wire';
import { failedToStartMessage, isReady, revisionFailed, revisionReady, serviceConditions } from './conditions';
import { revisionFromTemplate, revisionLogUri } from './revision';
import { trafficStatuses } from './traffic';
import { REVISION_VARIANT_LABEL } from '../../domain/cloud-run';

// "Netra staging" as Cloud Run would list it: three services mid-way through the move to Alpine images, with the
// limits of the platform guides (Alpine images get far smaller limits than the regular ones).

export interface SeededService {
  service: Service;
  /** Newest first, as ListRevisions returns them. */
  revisions: Revision[];
}

interface Limits {
  cpu: string;
  memory: string;
}

interface ServiceSpec {
  name: string;
  component: 'backend' | 'auth' | 'frontend';
  revisions: number;
  /** Image of revision n (1-based); Alpine images carry "alpine" in the tag or are pinned by digest. */
  image: (n: number, digest: string) => { image: string; alpine: boolean };
  limits: { regular: Limits; alpine: Limits };
  scaling: { min: number; max: number };
  /** Days before now of the first revision. */
  firstDaysAgo: number;
  /** Hours before now of the newest revisions, newest first (the rest are spread evenly before them). */
  recentHoursAgo: number[];
  failedLatest: boolean;
  traffic: (revisions: string[]) => TrafficTarget[];
}

const REGISTRY = `us-central1-docker.pkg.dev/${PROJECT}/netra`;
const DEPLOYER = `github-deployer@${PROJECT}.iam.gserviceaccount.com`;
const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

const SPECS: ServiceSpec[] = [
  {
    name: 'netra-backend-staging',
    component: 'backend',
    revisions: 25,
    image: (n, digest) => {
      if (n <= 17) return { image: `${REGISTRY}/backend:v1.${n}`, alpine: false };
      if (n === 21 || n >= 24) return { image: `${REGISTRY}/backend@sha256:${digest}`, alpine: true };
      return { image: `${REGISTRY}/backend:v2.${n - 17}-alpine`, alpine: true };
    },
    limits: { regular: { cpu: '1000m', memory: '2Gi' }, alpine: { cpu: '400m', memory: '512Mi' } },
    scaling: { min: 1, max: 10 },
    firstDaysAgo: 88,
    recentHoursAgo: [2, 26, 75],
    failedLatest: true,
    // Pinned to the last good revision after the newest one failed; `stable` keeps the last regular image at hand.
    traffic: (r) => [
      { type: 'TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION', revision: r[23], percent: 100 },
      { type: 'TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION', revision: r[16], percent: 0, tag: 'stable' },
    ],
  },
  {
    name: 'netra-auth',
    component: 'auth',
    revisions: 6,
    image: (n) =>
      n <= 5
        ? { image: `${REGISTRY}/auth:v1.${n}`, alpine: false }
        : { image: `${REGISTRY}/auth:v2.0-alpine`, alpine: true },
    limits: { regular: { cpu: '1000m', memory: '2Gi' }, alpine: { cpu: '400m', memory: '512Mi' } },
    scaling: { min: 1, max: 5 },
    firstDaysAgo: 120,
    recentHoursAgo: [20],
    failedLatest: false,
    // The Alpine rollout: 90 % on the new image, the previous regular revision kept reachable as `canary`.
    traffic: (r) => [
      { type: 'TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION', revision: r[5], percent: 90 },
      { type: 'TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION', revision: r[4], percent: 10, tag: 'canary' },
    ],
  },
  {
    name: 'netra-frontend-staging',
    component: 'frontend',
    revisions: 5,
    image: (n) =>
      n <= 3
        ? { image: `${REGISTRY}/frontend:v1.${n}`, alpine: false }
        : { image: `${REGISTRY}/frontend:v2.${n - 3}-alpine`, alpine: true },
    limits: { regular: { cpu: '500m', memory: '1Gi' }, alpine: { cpu: '300m', memory: '512Mi' } },
    scaling: { min: 0, max: 5 },
    firstDaysAgo: 95,
    recentHoursAgo: [5],
    failedLatest: false,
    traffic: () => [{ type: 'TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST', percent: 100 }],
  },
];

export function seedServices(nowMs: number, random: Random): SeededService[] {
  return SPECS.map((spec) => seedService(spec, nowMs, random));
}

function seedService(spec: ServiceSpec, nowMs: number, random: Random): SeededService {
  const names: string[] = [];
  const created: number[] = [];
  const firstMs = nowMs - spec.firstDaysAgo * DAY_MS;
  const spreadUntil = nowMs - (spec.recentHoursAgo.at(-1) ?? 24) * HOUR_MS;
  const spread = spec.revisions - spec.recentHoursAgo.length;
  for (let n = 1; n <= spec.revisions; n++) {
    names.push(`${spec.name}-${String(n).padStart(5, '0')}-${random.token(3)}`);
    const recent = spec.recentHoursAgo[spec.revisions - n];
    const ms =
      recent !== undefined
        ? nowMs - recent * HOUR_MS
        : firstMs + ((spreadUntil - firstMs) * (n - 1)) / Math.max(1, spread);
    created.push(Math.round(ms - random.int(0, 600_000)));
  }

  const templates = names.map((_, i) => templateFor(spec, i + 1, random.hex(64)));
  const revisions = names.map((name, i) => {
    const at = timestampMs((created[i] ?? nowMs) + random.int(15_000, 50_000));
    const failed = spec.failedLatest && i === names.length - 1;
    return revisionFromTemplate({
      service: spec.name,
      name,
      template: templates[i] ?? {},
      createTime: timestampMs(created[i] ?? nowMs),
      creator: DEPLOYER,
      conditions: failed
        ? revisionFailed(at, failedToStartMessage(revisionLogUri(spec.name, name)))
        : revisionReady(at),
      etag: etagFrom(revisionResource(spec.name, name), 1),
    });
  });

  const latestCreated = revisions.at(-1);
  const latestReady = revisions.findLast(isReady);
  if (!latestCreated || !latestReady) throw new Error(`seed: ${spec.name} has no ready revision`);
  const hash = random.token(10);
  const uri = `https://${spec.name}-${hash}-uc.a.run.app`;
  const traffic = spec.traffic(names);
  const updated = timestampMs((created.at(-1) ?? nowMs) + 5_000);
  const configurations = isReady(latestCreated)
    ? null
    : `Revision '${names.at(-1)}' is not ready and cannot serve traffic. ${latestCreated.conditions?.[0]?.message ?? ''}`;
  const service = normalize<Service>('google.cloud.run.v2.Service', {
    name: serviceResource(spec.name),
    uid: uidFrom(serviceResource(spec.name)),
    generation: String(spec.revisions),
    labels: { environment: 'staging', app: 'netra', component: spec.component },
    createTime: timestampMs(created[0] ?? nowMs),
    updateTime: updated,
    creator: DEPLOYER,
    lastModifier: DEPLOYER,
    client: 'gcloud',
    clientVersion: '502.0.0',
    ingress: 'INGRESS_TRAFFIC_ALL',
    launchStage: 'GA',
    template: templates.at(-1),
    traffic,
    scaling: { scalingMode: 'AUTOMATIC' },
    urls: [`https://${spec.name}-${PROJECT_NUMBER}.${REGION}.run.app`, uri],
    observedGeneration: String(spec.revisions),
    ...serviceConditions({ configurations, routes: null }, updated),
    latestReadyRevision: latestReady.name,
    latestCreatedRevision: latestCreated.name,
    trafficStatuses: trafficStatuses(traffic, uri),
    uri,
    reconciling: false,
    etag: etagFrom(serviceResource(spec.name), 1),
  });
  return { service, revisions: revisions.reverse() };
}

function templateFor(spec: ServiceSpec, n: number, digest: string): RevisionTemplate {
  const { image, alpine } = spec.image(n, digest);
  const container: Container = {
    name: `${spec.component}-1`,
    image,
    env: [
      { name: 'ENVIRONMENT', value: 'staging' },
      { name: 'LOG_LEVEL', value: 'info' },
    ],
    resources: {
      limits: { ...(alpine ? spec.limits.alpine : spec.limits.regular) },
      cpuIdle: true,
      startupCpuBoost: true,
    },
    ports: [{ name: 'http1', containerPort: 8080 }],
    startupProbe: { timeoutSeconds: 240, periodSeconds: 240, failureThreshold: 1, tcpSocket: { port: 8080 } },
  };
  return normalize<RevisionTemplate>('google.cloud.run.v2.RevisionTemplate', {
    // As the platform's deploy pipeline labels every revision: the variant survives an image pinned by digest.
    labels: { environment: 'staging', app: 'netra', component: spec.component, [REVISION_VARIANT_LABEL]: alpine ? 'alpine' : 'regular' },
    scaling: { minInstanceCount: spec.scaling.min, maxInstanceCount: spec.scaling.max },
    timeout: { seconds: '300' },
    serviceAccount: `netra-${spec.component}@${PROJECT}.iam.gserviceaccount.com`,
    containers: [container],
    executionEnvironment: 'EXECUTION_ENVIRONMENT_GEN2',
    maxInstanceRequestConcurrency: 80,
  });
}
