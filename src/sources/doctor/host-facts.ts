/** HostFacts: the engine's host as `docker info` tells it, and what this machine can see of it when it is local. */
import { readFile, statfs } from 'node:fs/promises';
import { freemem } from 'node:os';
import type Docker from 'dockerode';
import type { DockerEndpoint } from '../../config/docker-host';
import type { HostFacts } from '../../domain/checks/types';

interface EngineInfo {
  MemTotal?: number;
  NCPU?: number;
  DockerRootDir?: string;
}

/** MemAvailable counts reclaimable cache as available (os.freemem does not): the kernel's own estimate. */
async function memAvailable(): Promise<number> {
  const text = await readFile('/proc/meminfo', 'utf8').catch(() => '');
  const kb = /^MemAvailable:\s+(\d+)\s*kB/m.exec(text)?.[1];
  return kb ? Number(kb) * 1024 : freemem();
}

/** Free space for an unprivileged writer where the engine keeps its data; null when that path is not readable here. */
async function diskFree(path: string): Promise<number | null> {
  try {
    const fs = await statfs(path);
    return Number(fs.bavail) * Number(fs.bsize);
  } catch {
    return null;
  }
}

/**
 * Rejects when the engine does not answer. Free memory and disk are read only for an engine on a unix socket:
 * a remote engine's host is another machine, and this one's numbers would be a lie about it.
 */
export async function readHostFacts(docker: Docker, endpoint: DockerEndpoint): Promise<HostFacts> {
  const info = (await docker.info()) as EngineInfo;
  const local = endpoint.kind === 'socket';
  const diskPath = info.DockerRootDir || null;
  return {
    memTotalBytes: info.MemTotal ?? 0,
    memAvailableBytes: local ? await memAvailable() : null,
    diskFreeBytes: local && diskPath ? await diskFree(diskPath) : null,
    diskPath,
    cpus: info.NCPU ?? 0,
  };
}
