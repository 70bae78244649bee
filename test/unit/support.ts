import { expect } from 'vitest';
import { UsageError } from '../../src/config/errors';
import { DEFAULT_THRESHOLDS } from '../../src/domain/thresholds';
import type { ContainerInfo, ContainerStats } from '../../src/domain/types';
import { createAppStore, type AppStore } from '../../src/store/store';

export const TEST_HOST = 'unix:///var/run/docker.sock';

/** A real store as the console creates it, with the default thresholds. */
export function appStore(historyLength = 30): AppStore {
  return createAppStore({
    host: TEST_HOST,
    thresholds: DEFAULT_THRESHOLDS,
    historyLength,
    showAll: false,
    cloudRun: { mode: 'sandbox', project: 'netra-staging', region: 'us-central1', endpoint: 'in-process sandbox' },
  });
}

/** A healthy running container; override what a test is about. */
export function container(overrides: Partial<ContainerInfo> & { id: string }): ContainerInfo {
  return {
    name: `netra-${overrides.id}-1`,
    project: 'netra',
    service: overrides.id,
    image: 'netra-backend:alpine',
    imageId: 'sha256:0123',
    imageSizeBytes: 52_428_800,
    variant: 'alpine',
    state: 'running',
    health: 'healthy',
    lastHealthFailure: null,
    restarts: 0,
    exitCode: null,
    oomKilled: false,
    startedAt: '2026-11-22T10:00:00.000Z',
    startupSeconds: null,
    finishedAt: null,
    labels: {},
    ...overrides,
  };
}

/** Quiet stats (1 % CPU, 10 % of a 512 MiB limit); override what a test is about. */
export function stats(overrides: Partial<ContainerStats> = {}): ContainerStats {
  return {
    cpuPercent: 1,
    memUsageBytes: 53_687_091,
    memLimitBytes: 536_870_912,
    memPercent: 10,
    netRxBytes: 0,
    netTxBytes: 0,
    blockReadBytes: 0,
    blockWriteBytes: 0,
    pids: 3,
    ...overrides,
  };
}

/** The one-line UsageError message `fn` throws; fails the test when it throws anything else or nothing. */
export function usageError(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    const message = (error as UsageError).message;
    expect(message).not.toContain('\n');
    return message;
  }
  throw new Error('expected a UsageError');
}
