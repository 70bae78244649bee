import { describe, expect, it } from 'vitest';
import type { AlertView } from '../../src/domain/alert-lifecycle-types';
import { buildStatusDocument, cloudRunSection, withLifecycle } from '../../src/cli/status-document';
import { deriveAlerts, sortAlerts } from '../../src/domain/alerts';
import { cloudRunAlerts, serviceFromPayload, type RunRevisionPayload, type RunServicePayload } from '../../src/domain/cloud-run';
import { DEFAULT_THRESHOLDS } from '../../src/domain/thresholds';
import { container, stats } from './support';

// The `status --json` schema of the README.
const CONTAINER_KEYS = [
  'id', 'name', 'project', 'service', 'image', 'imageSizeBytes', 'variant', 'state', 'health', 'restarts', 'exitCode',
  'oomKilled', 'startedAt', 'stats',
];
const STATS_KEYS = [
  'cpuPercent', 'memUsageBytes', 'memLimitBytes', 'memPercent', 'netRxBytes', 'netTxBytes', 'blockReadBytes',
  'blockWriteBytes', 'pids',
];
const ALERT_KEYS = ['level', 'source', 'kind', 'container', 'message', 'state', 'since', 'check', 'silenced', 'acked'];

const NOW = Date.parse('2026-11-22T18:30:00.000Z');
/** An alert no console has tracked: it starts now, pending its hold. */
const NEW_PENDING = { state: 'pending', since: '2026-11-22T18:30:00.000Z', silenced: false, acked: false };
const backend = container({
  id: '3f76a3949c98d6e1b2a4c5f60718293a4b5c6d7e8f90a1b2c3d4e5f607182930',
  name: 'netra-backend-1',
  service: 'backend',
  labels: { 'com.docker.compose.project': 'netra' },
  lastHealthFailure: 'old failure',
});
const auth = container({ id: 'a1', name: 'netra-auth-1', service: 'auth', health: 'unhealthy', lastHealthFailure: 'db down' });
const migrate = container({ id: 'm1', name: 'netra-migrate-1', service: 'migrate', state: 'exited', exitCode: 1, startedAt: null, finishedAt: '2026-11-22T18:00:00Z' });
const backendStats = stats({ cpuPercent: 12.5, memUsageBytes: 52_428_800, memLimitBytes: 536_870_912, memPercent: 9.765625, pids: 7 });

const NO_CLOUD_RUN = cloudRunSection({ mode: 'sandbox', project: 'netra-staging', region: 'us-central1', endpoint: '127.0.0.1:1' }, [], null);

/** The document as a consumer of `status --json` sees it. */
function statusJson(error: string | null) {
  const containers = error ? [] : [backend, auth, migrate];
  const statsById = error ? {} : { [backend.id]: backendStats };
  const alerts = withLifecycle(deriveAlerts(containers, statsById, DEFAULT_THRESHOLDS, NOW), [], NOW);
  const document = buildStatusDocument({ host: 'unix:///tmp/nd/docker.sock', error, slow: false, containers, stats: statsById, cloudRun: NO_CLOUD_RUN, alerts });
  return JSON.parse(JSON.stringify(document)) as Record<string, any>;
}

describe('status --json document', () => {
  const doc = statusJson(null);

  it('has exactly the documented keys at every level', () => {
    expect(Object.keys(doc).sort()).toEqual(['alerts', 'cloudRun', 'docker']);
    expect(Object.keys(doc.docker).sort()).toEqual(['containers', 'error', 'host', 'reachable', 'slow']);
    for (const c of doc.docker.containers) expect(Object.keys(c).sort()).toEqual([...CONTAINER_KEYS].sort());
    expect(Object.keys(doc.docker.containers[0].stats).sort()).toEqual([...STATS_KEYS].sort());
    for (const alert of doc.alerts) expect(Object.keys(alert).sort()).toEqual([...ALERT_KEYS].sort());
  });

  it('reports a reachable engine with a null error', () => {
    expect(doc.docker).toMatchObject({ host: 'unix:///tmp/nd/docker.sock', reachable: true, error: null });
  });

  it('maps each container in the given order', () => {
    expect(doc.docker.containers).toEqual([
      {
        id: backend.id,
        name: 'netra-backend-1',
        project: 'netra',
        service: 'backend',
        image: 'netra-backend:alpine',
        imageSizeBytes: 52_428_800,
        variant: 'alpine',
        state: 'running',
        health: 'healthy',
        restarts: 0,
        exitCode: null,
        oomKilled: false,
        startedAt: '2026-11-22T10:00:00.000Z',
        stats: {
          cpuPercent: 12.5,
          memUsageBytes: 52_428_800,
          memLimitBytes: 536_870_912,
          memPercent: 9.765625,
          netRxBytes: 0,
          netTxBytes: 0,
          blockReadBytes: 0,
          blockWriteBytes: 0,
          pids: 7,
        },
      },
      expect.objectContaining({ name: 'netra-auth-1', health: 'unhealthy', stats: null }),
      expect.objectContaining({ name: 'netra-migrate-1', state: 'exited', exitCode: 1, startedAt: null, stats: null }),
    ]);
  });

  it('keeps null for absent values instead of dropping the key', () => {
    const migrateJson = doc.docker.containers[2];
    expect(migrateJson).toHaveProperty('startedAt', null);
    expect(migrateJson).toHaveProperty('stats', null);
    const unlabelled = buildStatusDocument({
      host: 'h',
      error: null,
      slow: false,
      containers: [container({ id: 'x', project: null, service: null, imageSizeBytes: null })],
      stats: {},
      cloudRun: NO_CLOUD_RUN,
      alerts: [],
    });
    expect(JSON.parse(JSON.stringify(unlabelled)).docker.containers[0]).toMatchObject({ project: null, service: null, imageSizeBytes: null, stats: null });
  });

  it('lists the alerts most severe first', () => {
    expect(doc.alerts).toEqual([
      { level: 'high', source: 'docker', kind: 'unhealthy', container: 'netra-auth-1', message: 'netra-auth-1 is unhealthy: db down', ...NEW_PENDING, check: 'NC105' },
      { level: 'warning', source: 'docker', kind: 'exited', container: 'netra-migrate-1', message: 'netra-migrate-1 exited with code 1', ...NEW_PENDING, check: null },
    ]);
  });

  it('gives each alert the state, since and check the lifecycle holds for it', () => {
    const key = 'docker/unhealthy/netra-auth-1';
    const firingSince = NOW - 90_000;
    const view: AlertView = { key, alert: { level: 'high', source: 'docker', kind: 'unhealthy', container: 'netra-auth-1', message: '' }, level: 'high', state: 'firing', since: firingSince, check: 'NC105', ack: { by: 'ana', note: 'on it', at: NOW }, silencedBy: [], inhibitedBy: null, flapping: false };
    const [alert] = withLifecycle(deriveAlerts([auth], {}, DEFAULT_THRESHOLDS, NOW), [view], NOW);
    expect(alert).toMatchObject({ state: 'firing', since: new Date(firingSince).toISOString(), check: 'NC105', acked: true, silenced: false });
  });

  it('reports an unreachable engine with its error and no containers', () => {
    const down = statusJson('ECONNREFUSED');
    expect(down).toEqual({
      docker: { host: 'unix:///tmp/nd/docker.sock', reachable: false, error: 'ECONNREFUSED', slow: false, containers: [] },
      cloudRun: NO_CLOUD_RUN,
      alerts: [],
    });
  });
});

// Cloud Run as `status --json` prints it (README, "status --json").
const CLOUD_RUN_KEYS = ['mode', 'project', 'region', 'endpoint', 'reachable', 'error', 'services'];
const SERVICE_KEYS = ['name', 'uri', 'ready', 'latestReadyRevision', 'latestCreatedRevision', 'reconciling', 'traffic', 'revisions'];
const TRAFFIC_KEYS = ['revision', 'percent', 'tag', 'latest'];
const REVISION_KEYS = ['name', 'ready', 'state', 'message', 'createTime', 'image', 'variant'];
const CLOUD_RUN_ALERT_KEYS = ['level', 'source', 'kind', 'service', 'message', 'state', 'since', 'check', 'silenced', 'acked'];

const LOCATION = 'projects/netra-staging/locations/us-central1';
const REGISTRY = 'us-central1-docker.pkg.dev/netra-staging/netra';
const ready = (message = '') => ({ type: 'Ready', state: 'CONDITION_SUCCEEDED', message, severity: 'SEVERITY_UNSPECIFIED' });
const failed = (message: string) => ({ type: 'Ready', state: 'CONDITION_FAILED', message, severity: 'ERROR' });

function revision(service: string, name: string, seconds: string, image: string, condition = ready()): RunRevisionPayload {
  return {
    name: `${LOCATION}/services/${service}/revisions/${name}`,
    createTime: { seconds, nanos: 0 },
    conditions: [condition],
    containers: [{ image, resources: { limits: { cpu: '300m', memory: '512Mi' } } }],
    scaling: { minInstanceCount: 0, maxInstanceCount: 5 },
  };
}

/** netra-frontend-staging: all traffic to LATEST, which resolves to the newest ready revision. */
const frontendPayload: RunServicePayload = {
  name: `${LOCATION}/services/netra-frontend-staging`,
  uri: 'https://netra-frontend-staging-x1y2z3a4b5-uc.a.run.app',
  etag: 'etag-1',
  reconciling: false,
  latestReadyRevision: `${LOCATION}/services/netra-frontend-staging/revisions/netra-frontend-staging-00005-k9d`,
  latestCreatedRevision: `${LOCATION}/services/netra-frontend-staging/revisions/netra-frontend-staging-00005-k9d`,
  terminalCondition: ready(),
  traffic: [{ type: 'TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST', revision: '', percent: 100, tag: '' }],
  trafficStatuses: [{ type: 'TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST', revision: '', percent: 100, tag: '' }],
};
const frontendRevisions = [
  revision('netra-frontend-staging', 'netra-frontend-staging-00004-abc', '1795093500', `${REGISTRY}/frontend:v1.4`),
  revision('netra-frontend-staging', 'netra-frontend-staging-00005-k9d', '1795165920', `${REGISTRY}/frontend:v2.2-alpine`),
];

/** netra-backend-staging: the newest revision failed, traffic pinned to the one before, `stable` kept at 0 %. */
const FAILURE = 'The user-provided container failed to start and listen on the port.\n\nLogs URL: https://console.cloud.google.com/logs';
const backendPayload: RunServicePayload = {
  name: `${LOCATION}/services/netra-backend-staging`,
  uri: 'https://netra-backend-staging-a1b2c3d4e5-uc.a.run.app',
  etag: 'etag-2',
  reconciling: false,
  latestReadyRevision: `${LOCATION}/services/netra-backend-staging/revisions/netra-backend-staging-00024-wqz`,
  latestCreatedRevision: `${LOCATION}/services/netra-backend-staging/revisions/netra-backend-staging-00025-fck`,
  terminalCondition: failed(`Revision 'netra-backend-staging-00025-fck' is not ready and cannot serve traffic. ${FAILURE}`),
  traffic: [
    { type: 'TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION', revision: 'netra-backend-staging-00024-wqz', percent: 100, tag: '' },
    { type: 'TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION', revision: 'netra-backend-staging-00017-aaa', percent: 0, tag: 'stable' },
  ],
  trafficStatuses: [
    { type: 'TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION', revision: 'netra-backend-staging-00024-wqz', percent: 100, tag: '' },
    { type: 'TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION', revision: 'netra-backend-staging-00017-aaa', percent: 0, tag: 'stable' },
  ],
};
const DIGEST = `${REGISTRY}/backend@sha256:${'e'.repeat(64)}`;
const backendRevisions = [
  revision('netra-backend-staging', 'netra-backend-staging-00025-fck', '1795246200', DIGEST, failed(FAILURE)),
  revision('netra-backend-staging', 'netra-backend-staging-00024-wqz', '1795165920', DIGEST),
  revision('netra-backend-staging', 'netra-backend-staging-00017-aaa', '1790841600', `${REGISTRY}/backend:v1.17`),
];

const META = { mode: 'endpoint', project: 'netra-staging', region: 'us-central1', endpoint: '127.0.0.1:40123' };

describe('status --json document: cloudRun', () => {
  const services = [serviceFromPayload(backendPayload, backendRevisions), serviceFromPayload(frontendPayload, frontendRevisions)];
  const section = JSON.parse(JSON.stringify(cloudRunSection(META, services, null))) as Record<string, any>;

  it('has exactly the documented keys at every level', () => {
    expect(Object.keys(section).sort()).toEqual([...CLOUD_RUN_KEYS].sort());
    expect(section.services).toHaveLength(2);
    for (const s of section.services) {
      expect(Object.keys(s).sort()).toEqual([...SERVICE_KEYS].sort());
      for (const t of s.traffic) expect(Object.keys(t).sort()).toEqual([...TRAFFIC_KEYS].sort());
      for (const r of s.revisions) expect(Object.keys(r).sort()).toEqual([...REVISION_KEYS].sort());
    }
  });

  it('says where it read from and that it was reachable', () => {
    expect(section).toMatchObject({ ...META, reachable: true, error: null });
  });

  it('uses short names and resolves a LATEST target to the latest ready revision', () => {
    expect(section.services[1]).toEqual({
      name: 'netra-frontend-staging',
      uri: 'https://netra-frontend-staging-x1y2z3a4b5-uc.a.run.app',
      ready: true,
      latestReadyRevision: 'netra-frontend-staging-00005-k9d',
      latestCreatedRevision: 'netra-frontend-staging-00005-k9d',
      reconciling: false,
      traffic: [{ revision: 'netra-frontend-staging-00005-k9d', percent: 100, tag: null, latest: true }],
      revisions: [
        {
          name: 'netra-frontend-staging-00005-k9d',
          ready: true,
          state: 'ready',
          message: null,
          createTime: '2026-11-20T09:12:00.000Z',
          image: `${REGISTRY}/frontend:v2.2-alpine`,
          variant: 'alpine',
        },
        {
          name: 'netra-frontend-staging-00004-abc',
          ready: true,
          state: 'ready',
          message: null,
          createTime: '2026-11-19T13:05:00.000Z',
          image: `${REGISTRY}/frontend:v1.4`,
          variant: 'regular',
        },
      ],
    });
  });

  it('shows a not-ready service with a failed newest revision, pinned traffic and a 0 % tag', () => {
    const backend = section.services[0];
    expect(backend).toMatchObject({
      name: 'netra-backend-staging',
      ready: false,
      latestReadyRevision: 'netra-backend-staging-00024-wqz',
      latestCreatedRevision: 'netra-backend-staging-00025-fck',
      traffic: [
        { revision: 'netra-backend-staging-00024-wqz', percent: 100, tag: null, latest: false },
        { revision: 'netra-backend-staging-00017-aaa', percent: 0, tag: 'stable', latest: false },
      ],
    });
    expect(backend.revisions.map((r: any) => [r.name, r.state, r.variant])).toEqual([
      ['netra-backend-staging-00025-fck', 'failed', '?'],
      ['netra-backend-staging-00024-wqz', 'ready', '?'],
      ['netra-backend-staging-00017-aaa', 'ready', 'regular'],
    ]);
    expect(backend.revisions[0]).toMatchObject({ ready: false, message: FAILURE, createTime: '2026-11-21T07:30:00.000Z' });
  });

  it('leaves out what the console alone shows (etag, limits, traffic statuses)', () => {
    const text = JSON.stringify(section);
    for (const key of ['etag', 'fullName', 'trafficStatuses', 'memory', 'cpu', 'minInstances', 'readyMessage']) {
      expect(text).not.toContain(`"${key}"`);
    }
  });

  it('reports an unreachable Cloud Run with its error and no services', () => {
    const error = 'Cloud Run endpoint 127.0.0.1:1 unreachable (No connection established)';
    expect(JSON.parse(JSON.stringify(cloudRunSection(META, [], error)))).toEqual({ ...META, reachable: false, error, services: [] });
  });

  it('sits in the document next to docker, its alerts among the others', () => {
    const alerts = withLifecycle(sortAlerts([...deriveAlerts([auth], {}, DEFAULT_THRESHOLDS, NOW), ...cloudRunAlerts(services)]), [], NOW);
    const document = JSON.parse(
      JSON.stringify(buildStatusDocument({ host: 'h', error: null, slow: false, containers: [auth], stats: {}, cloudRun: cloudRunSection(META, services, null), alerts })),
    ) as Record<string, any>;
    expect(Object.keys(document).sort()).toEqual(['alerts', 'cloudRun', 'docker']);
    expect(document.cloudRun).toEqual(section);
    expect(document.alerts.map((a: any) => `${a.level} ${a.source} ${a.kind}`)).toEqual([
      'critical cloudrun service-not-ready',
      'high docker unhealthy',
      'warning cloudrun revision-failed',
    ]);
    for (const alert of document.alerts.filter((a: any) => a.source === 'cloudrun')) {
      expect(Object.keys(alert).sort()).toEqual([...CLOUD_RUN_ALERT_KEYS].sort());
      expect(alert.service).toBe('netra-backend-staging');
      expect(alert.message).not.toContain('\n');
    }
  });
});
