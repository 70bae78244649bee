import { describe, expect, it } from 'vitest';
import { buildStatusDocument, cloudRunSection } from '../../src/cli/status-document';
import { deriveAlerts } from '../../src/domain/alerts';
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
const ALERT_KEYS = ['level', 'source', 'kind', 'container', 'message'];

const NOW = Date.parse('2026-11-22T18:30:00.000Z');
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
  const alerts = deriveAlerts(containers, statsById, DEFAULT_THRESHOLDS, NOW);
  const document = buildStatusDocument({ host: 'unix:///tmp/nd/docker.sock', error, containers, stats: statsById, cloudRun: NO_CLOUD_RUN, alerts });
  return JSON.parse(JSON.stringify(document)) as Record<string, any>;
}

describe('status --json document', () => {
  const doc = statusJson(null);

  it('has exactly the documented keys at every level', () => {
    expect(Object.keys(doc).sort()).toEqual(['alerts', 'cloudRun', 'docker']);
    expect(Object.keys(doc.docker).sort()).toEqual(['containers', 'error', 'host', 'reachable']);
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
      containers: [container({ id: 'x', project: null, service: null, imageSizeBytes: null })],
      stats: {},
      cloudRun: NO_CLOUD_RUN,
      alerts: [],
    });
    expect(JSON.parse(JSON.stringify(unlabelled)).docker.containers[0]).toMatchObject({ project: null, service: null, imageSizeBytes: null, stats: null });
  });

  it('lists the alerts most severe first', () => {
    expect(doc.alerts).toEqual([
      { level: 'high', source: 'docker', kind: 'unhealthy', container: 'netra-auth-1', message: 'netra-auth-1 is unhealthy: db down' },
      { level: 'warning', source: 'docker', kind: 'exited', container: 'netra-migrate-1', message: 'netra-migrate-1 exited with code 1' },
    ]);
  });

  it('reports an unreachable engine with its error and no containers', () => {
    const down = statusJson('ECONNREFUSED');
    expect(down).toEqual({
      docker: { host: 'unix:///tmp/nd/docker.sock', reachable: false, error: 'ECONNREFUSED', containers: [] },
      cloudRun: NO_CLOUD_RUN,
      alerts: [],
    });
  });
});
