import type Docker from 'dockerode';
import { containerInfoFromInspect, type InspectPayload } from '../../domain/container-info';
import { matchesProjects } from '../../domain/project-scope';
import type { ContainerInfo } from '../../domain/types';

/** Which containers the console follows: those of the configured compose projects, or all of them. */
export interface ContainerScope {
  projects: readonly string[];
  showAll: boolean;
}

export function inScope(labels: Record<string, string> | undefined, scope: ContainerScope): boolean {
  return scope.showAll || matchesProjects(labels?.['com.docker.compose.project'] ?? null, scope.projects);
}

/** Image sizes never change for an image id, so one lookup per image per connection is enough. */
export class ImageSizeCache {
  private readonly sizes = new Map<string, Promise<number | null>>();

  constructor(private readonly docker: Docker) {}

  get(imageId: string): Promise<number | null> {
    let size = this.sizes.get(imageId);
    if (!size) {
      size = this.docker
        .getImage(imageId)
        .inspect()
        .then((image) => image.Size ?? null)
        .catch(() => null);
      this.sizes.set(imageId, size);
    }
    return size;
  }
}

/** Inspects one container; null when it no longer exists. */
export async function inspectContainer(docker: Docker, id: string, images: ImageSizeCache): Promise<ContainerInfo | null> {
  try {
    const payload = (await docker.getContainer(id).inspect()) as unknown as InspectPayload;
    return containerInfoFromInspect(payload, await images.get(payload.Image ?? ''));
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404) return null;
    throw error;
  }
}

/** Every container in scope, inspected. */
export async function listContainers(docker: Docker, scope: ContainerScope, images: ImageSizeCache): Promise<ContainerInfo[]> {
  const summaries = await docker.listContainers({ all: true });
  const wanted = summaries.filter((s) => inScope(s.Labels, scope));
  const infos = await Promise.all(wanted.map((s) => inspectContainer(docker, s.Id, images)));
  return infos.filter((info): info is ContainerInfo => info !== null);
}
