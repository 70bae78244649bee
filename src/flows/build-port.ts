import type { DiskUsage, ImageLayer, PrunePlan } from '../domain/build';

/** What a prune did: bytes it freed (as far as the engine says) and one line per thing it could not remove. */
export interface PruneResult {
  reclaimedBytes: number;
  errors: string[];
}

/**
 * What the clean-rebuild flow needs from the engine beyond `StackPort.build`: image history, disk usage and a
 * prune scoped to one compose project. The composition root implements it with dockerode (see
 * src/sources/compose/build-port.ts). Every method fails with a one-line Error; nothing here pulls, and nothing
 * here ever removes a volume or another project's image.
 */
export interface BuildPort {
  /** `docker history`: the image's layers, newest first as the engine gives them; `createdBy` made printable. */
  history(image: string): Promise<ImageLayer[]>;
  /** `docker system df`: totals and what pruning could reclaim, per kind. */
  diskUsage(): Promise<DiskUsage>;
  /**
   * What a scoped prune of `project` would remove: its dangling images (label com.docker.compose.project), its
   * stopped containers (exited, created or dead), and builder cache unused for `cacheOlderThanHours`. Lists only.
   */
  planPrune(project: string, cacheOlderThanHours: number): Promise<PrunePlan>;
  /**
   * Removes exactly what the plan lists, each re-checked first (a container that runs again, an image that got a
   * tag or lost the label is skipped with an error line), then the builder cache older than the plan's age.
   * Never a volume. Rejects only for an invalid cache age: whatever cannot be removed is a line of `errors`.
   */
  prune(plan: PrunePlan): Promise<PruneResult>;
}
