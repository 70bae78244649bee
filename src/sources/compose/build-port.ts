/**
 * BuildPort with dockerode: image history, `docker system df`, and a prune scoped to one compose project (its
 * dangling images and stopped containers, found by the com.docker.compose.project label, plus builder cache older
 * than an age). Never a volume, never an image of another project, never a forced removal. Every failure is one line.
 *
 * Disk usage, per kind, as `docker system df` (CLI 20.10) computes it from `GET /system/df`:
 *   images      total = LayersSize (each layer once); reclaimable = total − Σ (Size − SharedSize) of the images a
 *               container uses (`Containers` > 0), i.e. everything but the bytes only used images hold.
 *   containers  total = Σ SizeRw (writable layers); reclaimable = Σ SizeRw of the stopped ones (exited/created/dead).
 *   volumes     total = Σ UsageData.Size (−1, not computed, counts 0); reclaimable = Σ of those no container
 *               references (UsageData.RefCount = 0). Reported only: prune never touches a volume.
 *   build cache total = Σ Size of the entries that are not Shared (a shared record's bytes are an image's layers,
 *               counted there); reclaimable = the same, less the entries InUse.
 */
import type Docker from 'dockerode';
import type { DockerEndpoint } from '../../config/docker-host';
import type { DiskUsage, ImageLayer, PrunePlan } from '../../domain/build';
import { printable } from '../../domain/printable';
import type { BuildPort, PruneResult } from '../../flows/build-port';
import { describeEngineError } from '../docker/client';

const PROJECT_LABEL = 'com.docker.compose.project';
/** Container states a prune may remove; running, paused, restarting and removing ones are left alone. */
const STOPPED_STATES = ['exited', 'created', 'dead'] as const;
const MAX_CACHE_AGE_HOURS = 24 * 365 * 100;

/** `GET /system/df` as API 1.41 answers it (fields the port reads). */
interface EngineDiskUsage {
  LayersSize?: number;
  Images?: Array<{ Id: string; Size?: number; SharedSize?: number; Containers?: number; RepoTags?: string[] | null; Labels?: Record<string, string> | null }> | null;
  Containers?: Array<{ Id: string; SizeRw?: number; State?: string }> | null;
  Volumes?: Array<{ Name: string; UsageData?: { Size?: number; RefCount?: number } | null }> | null;
  BuildCache?: Array<{ ID: string; Size?: number; InUse?: boolean; Shared?: boolean }> | null;
}

/** `POST /build/prune`'s answer. */
interface BuildPruneAnswer {
  CachesDeleted?: string[] | null;
  SpaceReclaimed?: number;
}

function oneLine(error: unknown): string {
  const statusCode = (error as { statusCode?: number }).statusCode;
  const why = statusCode === 404 ? 'not found' : describeEngineError(error).trim();
  return printable(why.split('\n')[0] ?? '');
}

function engineFailure(what: string, error: unknown): Error {
  return new Error(`${what}: ${oneLine(error)}`);
}

function bytes(value: number | undefined | null): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : 0;
}

function shortId(id: string): string {
  return printable(id.replace(/^sha256:/, '').slice(0, 12));
}

function isStopped(state: string | undefined): boolean {
  return (STOPPED_STATES as readonly string[]).includes(state ?? '');
}

/** An image with no tag: the engine lists none, or `<none>:<none>` (older engines). */
function untagged(tags: readonly string[] | null | undefined): boolean {
  return (tags ?? []).every((t) => t === '<none>:<none>');
}

function checkAge(hours: number): void {
  if (!Number.isFinite(hours) || hours < 0 || hours > MAX_CACHE_AGE_HOURS) {
    throw new Error(`cache age must be a number of hours from 0 to ${MAX_CACHE_AGE_HOURS}, not ${printable(String(hours))}`);
  }
}

/** The engine's `until` filter takes a Go duration: whole hours as `24h`, otherwise seconds. */
export function untilFilter(hours: number): string {
  return Number.isInteger(hours) ? `${hours}h` : `${Math.round(hours * 3600)}s`;
}

/** What `docker system df` shows, from the engine's answer (see the header for each formula). */
export function diskUsageOf(df: EngineDiskUsage): DiskUsage {
  const images = df.Images ?? [];
  const imagesTotal = bytes(df.LayersSize);
  const usedByContainers = images
    .filter((i) => (i.Containers ?? 0) > 0 && (i.Size ?? -1) >= 0 && (i.SharedSize ?? -1) >= 0)
    .reduce((sum, i) => sum + bytes((i.Size ?? 0) - (i.SharedSize ?? 0)), 0);
  const containers = df.Containers ?? [];
  const volumes = (df.Volumes ?? []).map((v) => ({ size: bytes(v.UsageData?.Size), unused: v.UsageData?.RefCount === 0 }));
  const cache = (df.BuildCache ?? []).filter((c) => !c.Shared);
  return {
    images: { totalBytes: imagesTotal, reclaimableBytes: Math.max(0, imagesTotal - usedByContainers) },
    containers: {
      totalBytes: containers.reduce((sum, c) => sum + bytes(c.SizeRw), 0),
      reclaimableBytes: containers.filter((c) => isStopped(c.State)).reduce((sum, c) => sum + bytes(c.SizeRw), 0),
    },
    volumes: {
      totalBytes: volumes.reduce((sum, v) => sum + v.size, 0),
      reclaimableBytes: volumes.filter((v) => v.unused).reduce((sum, v) => sum + v.size, 0),
    },
    buildCache: {
      totalBytes: cache.reduce((sum, c) => sum + bytes(c.Size), 0),
      reclaimableBytes: cache.filter((c) => !c.InUse).reduce((sum, c) => sum + bytes(c.Size), 0),
    },
  };
}

export function createBuildPort(docker: Docker): BuildPort {
  function df(): Promise<EngineDiskUsage> {
    return docker.df() as Promise<EngineDiskUsage>;
  }

  /** `POST /build/prune?filters={"until":["<age>"]}`: what the engine reports reclaimed. */
  function pruneBuildCache(hours: number): Promise<BuildPruneAnswer> {
    return new Promise((resolve, reject) => {
      docker.modem.dial(
        {
          path: '/build/prune?',
          method: 'POST',
          // Query only; an empty body is not sent.
          options: { _query: { filters: { until: [untilFilter(hours)] } }, _body: {} },
          statusCodes: { 200: true, 400: 'bad parameter', 500: 'server error' },
        },
        (error: unknown, data: unknown) => (error ? reject(error) : resolve((data ?? {}) as BuildPruneAnswer)),
      );
    });
  }

  return {
    async history(image) {
      let layers: Array<{ Size?: number; CreatedBy?: string }>;
      try {
        layers = (await docker.getImage(image).history()) as Array<{ Size?: number; CreatedBy?: string }>;
      } catch (error) {
        throw engineFailure(`cannot read the history of image ${printable(image)}`, error);
      }
      return layers.map((layer): ImageLayer => ({ sizeBytes: bytes(layer.Size), createdBy: printable(layer.CreatedBy ?? '') }));
    },

    async diskUsage() {
      try {
        return diskUsageOf(await df());
      } catch (error) {
        throw engineFailure('cannot read the engine disk usage', error);
      }
    },

    async planPrune(project, cacheOlderThanHours) {
      checkAge(cacheOlderThanHours);
      const label = [`${PROJECT_LABEL}=${project}`];
      try {
        const [images, containers] = await Promise.all([
          docker.listImages({ filters: { dangling: ['true'], label } }),
          docker.listContainers({ all: true, filters: { label, status: [...STOPPED_STATES] } }),
        ]);
        return {
          project,
          danglingImages: images
            .filter((i) => untagged(i.RepoTags) && i.Labels?.[PROJECT_LABEL] === project)
            .map((i) => ({ id: i.Id, sizeBytes: bytes(i.Size) }))
            .sort((a, b) => a.id.localeCompare(b.id)),
          stoppedContainers: containers
            .filter((c) => c.Labels?.[PROJECT_LABEL] === project && isStopped(c.State))
            .map((c) => ({ id: c.Id, name: printable((c.Names?.[0] ?? c.Id.slice(0, 12)).replace(/^\//, '')) }))
            .sort((a, b) => a.name.localeCompare(b.name)),
          cacheOlderThanHours,
        } satisfies PrunePlan;
      } catch (error) {
        throw engineFailure(`cannot list what a prune of ${printable(project)} would remove`, error);
      }
    },

    async prune(plan): Promise<PruneResult> {
      checkAge(plan.cacheOlderThanHours);
      const errors: string[] = [];
      let reclaimedBytes = 0;

      // Containers first: a dangling image a stopped container still uses cannot go before it.
      for (const planned of plan.stoppedContainers) {
        const handle = docker.getContainer(planned.id);
        let size = 0;
        try {
          const info = (await handle.inspect({ size: true } as Docker.ContainerInspectOptions)) as { State?: { Status?: string }; Config?: { Labels?: Record<string, string> | null }; SizeRw?: number };
          const state = info.State?.Status;
          if (info.Config?.Labels?.[PROJECT_LABEL] !== plan.project) {
            errors.push(`container ${planned.name} kept: it is no longer labelled as ${printable(plan.project)}`);
            continue;
          }
          if (!isStopped(state)) {
            errors.push(`container ${planned.name} kept: it is ${printable(state ?? 'in an unknown state')} now`);
            continue;
          }
          size = bytes(info.SizeRw);
        } catch (error) {
          if ((error as { statusCode?: number }).statusCode === 404) continue; // already gone
          errors.push(`cannot inspect container ${planned.name}: ${oneLine(error)}`);
          continue;
        }
        try {
          // v: false: its anonymous volumes stay (a prune never touches a volume).
          await handle.remove({ v: false, force: false });
          reclaimedBytes += size;
        } catch (error) {
          if ((error as { statusCode?: number }).statusCode === 404) continue;
          errors.push(`cannot remove container ${planned.name}: ${oneLine(error)}`);
        }
      }

      // Images: the bytes each holds alone (Size − SharedSize, from one df before removing any).
      if (plan.danglingImages.length > 0) {
        let unique = new Map<string, number>();
        try {
          const usage = await df();
          unique = new Map((usage.Images ?? []).map((i) => [i.Id, (i.SharedSize ?? -1) >= 0 ? bytes((i.Size ?? 0) - (i.SharedSize ?? 0)) : 0]));
        } catch {
          // sizes unknown: the images still go, their bytes are not counted
        }
        for (const planned of plan.danglingImages) {
          const handle = docker.getImage(planned.id);
          try {
            const info = await handle.inspect();
            if (!untagged(info.RepoTags)) {
              errors.push(`image ${shortId(planned.id)} kept: it is tagged ${printable(info.RepoTags.join(', '))} now`);
              continue;
            }
            if (info.Config?.Labels?.[PROJECT_LABEL] !== plan.project) {
              errors.push(`image ${shortId(planned.id)} kept: it is not labelled as ${printable(plan.project)}`);
              continue;
            }
          } catch (error) {
            if ((error as { statusCode?: number }).statusCode === 404) continue;
            errors.push(`cannot inspect image ${shortId(planned.id)}: ${oneLine(error)}`);
            continue;
          }
          try {
            await handle.remove({ force: false, noprune: false });
            reclaimedBytes += unique.get(planned.id) ?? 0;
          } catch (error) {
            if ((error as { statusCode?: number }).statusCode === 404) continue;
            errors.push(`cannot remove image ${shortId(planned.id)}: ${oneLine(error)}`);
          }
        }
      }

      try {
        const answer = await pruneBuildCache(plan.cacheOlderThanHours);
        reclaimedBytes += bytes(answer.SpaceReclaimed);
      } catch (error) {
        errors.push(`cannot prune the builder cache: ${oneLine(error)}`);
      }
      return { reclaimedBytes, errors };
    },
  };
}
