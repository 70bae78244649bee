import type Docker from 'dockerode';
import { computeStats, isEmptySample, type EngineStats } from '../../domain/stats-math';
import type { ContainerInfo, ContainerStats } from '../../domain/types';
import { withTimeout } from './client';
import { ImageSizeCache, listContainers, type ContainerScope } from './containers';

export interface DockerSnapshot {
  containers: ContainerInfo[];
  stats: Record<string, ContainerStats>;
}

const SNAPSHOT_TIMEOUT_MS = 15_000;

/**
 * One reading of every container in scope. The engine's non-streaming stats call samples twice, about a second
 * apart, so CPU % is a real measurement rather than a lifetime average.
 */
export async function takeSnapshot(docker: Docker, scope: ContainerScope): Promise<DockerSnapshot> {
  return withTimeout(readSnapshot(docker, scope), SNAPSHOT_TIMEOUT_MS, 'reading containers and stats');
}

async function readSnapshot(docker: Docker, scope: ContainerScope): Promise<DockerSnapshot> {
  await withTimeout(docker.ping(), 3_000, 'ping');
  const containers = await listContainers(docker, scope, new ImageSizeCache(docker));
  const running = containers.filter((c) => c.state === 'running');
  const samples = await Promise.all(
    running.map(async (c) => {
      try {
        const raw = (await docker.getContainer(c.id).stats({ stream: false })) as unknown as EngineStats;
        return isEmptySample(raw) ? null : ([c.id, computeStats(raw)] as const);
      } catch {
        return null; // Stopped between listing and sampling.
      }
    }),
  );
  return { containers, stats: Object.fromEntries(samples.filter((s) => s !== null)) };
}
