/** Facts for the runbook checks' unit tests. */
import type { ContainerFacts, HealthProbe } from '../../src/domain/checks/types';

export const MIB = 1024 ** 2;
export const COMPOSE = { file: '/srv/netra/docker-compose.alpine-test.yml', line: 12 };

/** A running, healthy, hardened backend of the Alpine stack: every check passes (or does not apply); override what a test is about. */
export function containerFacts(overrides: Partial<ContainerFacts> = {}): ContainerFacts {
  return {
    id: 'c0ffee',
    name: 'netra-alpine-test-backend-1',
    project: 'netra-alpine-test',
    service: 'backend',
    stack: 'netra',
    stackVariant: 'alpine',
    image: 'netra-alpine-test-backend:latest',
    imageVariant: 'alpine',
    imageSizeBytes: 186_000_000,
    state: 'running',
    exitCode: 0,
    oomKilled: false,
    oomEvents: 0,
    restarts: 0,
    startedAt: '2026-11-22T10:00:00.000Z',
    finishedAt: null,
    health: 'healthy',
    failingStreak: 0,
    healthLog: [probe(0, 'ok')],
    healthcheck: { startPeriodSeconds: 30, intervalSeconds: 10, timeoutSeconds: 5, retries: 3 },
    startupSeconds: 6,
    memoryLimitBytes: 512 * MIB,
    memUsageBytes: 100 * MIB,
    readOnlyRootfs: true,
    tmpfs: ['/tmp'],
    user: 'netra',
    capDrop: ['ALL'],
    securityOpt: ['no-new-privileges:true'],
    dockerInit: false,
    command: ['/sbin/tini', '--', 'uvicorn', 'main:app'],
    logTail: ['INFO: Application startup complete.'],
    composeLocation: COMPOSE,
    now: Date.parse('2026-11-22T10:05:00.000Z'),
    ...overrides,
  };
}

export function probe(exitCode: number, output: string, at = '2026-11-22T10:04:00.000Z'): HealthProbe {
  return { exitCode, output, start: at, end: at };
}

