import type { StackVariant } from './stacks';

/**
 * One BuildKit vertex (`#N …` in plain progress) of one service's build. `internal` (load build definition,
 * .dockerignore, metadata), `from` (resolving or pulling a FROM image) and `export` (exporting to image) steps are
 * kept, but they are not steps a cache can hit: only `step`s count in the cache-hit ratio.
 */
export interface BuildStep {
  /** BuildKit's vertex number in this build (`#7`). */
  vertex: number;
  /** As BuildKit names it: `[builder 4/5] RUN pip install …`, `exporting to image`. */
  name: string;
  kind: 'internal' | 'from' | 'export' | 'step';
  /** `builder`, `stage-1`… (null for internal and export steps). */
  stage: string | null;
  /** 4 of `4/5`, when given. */
  index: number | null;
  total: number | null;
  /** The instruction: `RUN pip install …`, `COPY requirements.txt .`. */
  instruction: string | null;
  state: 'running' | 'cached' | 'done' | 'error';
  /** From BuildKit's DONE / ERROR line; for a running step, null. */
  seconds: number | null;
  /** Its last output lines (bounded). */
  output: string[];
  error: string | null;
}

/** One service's build as parsed so far. */
export interface ServiceBuild {
  service: string;
  steps: BuildStep[];
  /** Compose or the docker CLI said the build failed (its last line). */
  error: string | null;
}

/** A finished service build, as kept for the next build to compare with (state directory). */
export interface BuildRecord {
  service: string;
  variant: StackVariant;
  image: string;
  noCache: boolean;
  builtAt: string;
  seconds: number;
  imageSizeBytes: number | null;
  cacheableSteps: number;
  cachedSteps: number;
  /** Step names (instructions with their stage) in order, with whether each was cached. */
  steps: Array<{ name: string; cached: boolean; seconds: number | null }>;
}

/** Per stack, variant and service: the last build. */
export type BuildHistory = Record<string, Partial<Record<StackVariant, Record<string, BuildRecord>>>>;

/** A layer of an image, from `docker history`: what made it and how big it is. */
export interface ImageLayer {
  sizeBytes: number;
  createdBy: string;
}

/** `docker system df`, in bytes: what there is, and what pruning could reclaim. */
export interface DiskUsage {
  images: { totalBytes: number; reclaimableBytes: number };
  containers: { totalBytes: number; reclaimableBytes: number };
  volumes: { totalBytes: number; reclaimableBytes: number };
  buildCache: { totalBytes: number; reclaimableBytes: number };
}

/** What a scoped prune removes: only this stack's, unless a volume is named. */
export interface PrunePlan {
  project: string;
  /** Dangling images built for this stack (by its compose project label). */
  danglingImages: Array<{ id: string; sizeBytes: number }>;
  /** Stopped containers of the project. */
  stoppedContainers: Array<{ id: string; name: string }>;
  /** Builder cache older than this many hours goes. */
  cacheOlderThanHours: number;
}
