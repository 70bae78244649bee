import type Docker from 'dockerode';
import { withReportedOom } from '../../domain/docker-events';
import { computeStats, hasPreviousSample, isEmptySample, showsPidCounting, type EngineStats } from '../../domain/stats-math';
import type { ContainerInfo, ContainerStats } from '../../domain/types';
import { ImageSizeCache, listContainers, type ContainerScope } from './containers';
import { onJsonLines } from './json-lines';
import { readLastOoms } from './oom-events';

export interface DockerSnapshot {
  containers: ContainerInfo[];
  stats: Record<string, ContainerStats>;
}

/** Stats are a measurement over a second; a container that gives none within this is left without. */
const SAMPLE_TIMEOUT_MS = 5_000;

/**
 * One reading of every container in scope, once the engine has answered a ping (see pingEngine). CPU % is a real
 * measurement over the engine's one-second sampling interval, not a lifetime average: each running container's
 * stats stream is read until its second frame.
 */
export async function takeSnapshot(docker: Docker, scope: ContainerScope): Promise<DockerSnapshot> {
  const [listed, lastOoms] = await Promise.all([listContainers(docker, scope, new ImageSizeCache(docker)), readLastOoms(docker, Date.now())]);
  const containers = listed.map((c) => withReportedOom(c, lastOoms.get(c.id)));
  const running = containers.filter((c) => c.state === 'running');
  const samples = await Promise.all(running.map(async (c) => [c.id, await sampleStats(docker, c.id)] as const));
  const read = samples.filter((s): s is readonly [string, EngineStats] => s[1] !== null);
  const countsPids = read.some(([, raw]) => showsPidCounting(raw));
  const stats = Object.fromEntries(read.map(([id, raw]) => [id, computeStats(raw, countsPids)]));
  return { containers, stats };
}

/**
 * The first frame of a stats stream that carries a previous sample (the engine's non-streaming call holds its
 * answer for two sampling intervals; the stream's second frame comes after one). Null when the container stops.
 */
async function sampleStats(docker: Docker, id: string): Promise<EngineStats | null> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), SAMPLE_TIMEOUT_MS);
  try {
    const stream = (await docker.getContainer(id).stats({ stream: true, abortSignal: controller.signal } as { stream: true })) as NodeJS.ReadableStream;
    return await new Promise<EngineStats | null>((resolve) => {
      onJsonLines(stream, (frame) => {
        const raw = frame as EngineStats;
        if (hasPreviousSample(raw) && !isEmptySample(raw)) resolve(raw);
      });
      for (const event of ['end', 'close', 'error']) stream.on(event, () => resolve(null));
    });
  } catch {
    return null; // Stopped between listing and sampling, or no frame in time.
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
}
