import type { ComposeModel, StackDefinition, StackVariant } from '../domain/stacks';
import type { ContainerInfo } from '../domain/types';

/** An engine event about a container of the stack, as the switch flow needs it (time in ms since the epoch). */
export interface StackEvent {
  containerId: string;
  service: string;
  /** start | die | health_status: healthy | health_status: unhealthy | oom | destroy … */
  action: string;
  timeMs: number;
}

/** Free host resources, null where they cannot be read (a remote engine). */
export interface HostResources {
  memAvailableBytes: number | null;
  diskFreeBytes: number | null;
}

/** How `StackPort.build` builds. */
export interface StackBuildOptions {
  /** `--no-cache`: no step is taken from the builder cache. */
  noCache?: boolean;
  /** Aborting ends the build: compose and the docker build it runs are killed. */
  signal?: AbortSignal;
}

/**
 * What the switch flow needs from the compose CLI and the engine; the composition root implements it with the
 * real `docker compose`/`docker-compose` and dockerode. Every method fails with a one-line Error.
 */
export interface StackPort {
  /** `compose config` of the variant's files: validates them and returns the resolved services. */
  resolve(stack: StackDefinition, variant: StackVariant): Promise<ComposeModel>;
  /** Every container of the compose project, stopped ones too. */
  containers(project: string): Promise<ContainerInfo[]>;
  /** Size of each image present on the engine; null for one that is not there. Never pulls. */
  imageSizes(images: readonly string[]): Promise<Record<string, number | null>>;
  /** The project's named volumes on the engine, as named in the compose file (without the project prefix). */
  volumes(project: string): Promise<string[]>;
  hostResources(): Promise<HostResources>;
  /**
   * `compose build [--no-cache]` of these services (all when empty); each output line goes to `onLine`. `noCache`
   * rebuilds every step (the BuildKit cache is neither read nor removed).
   */
  build(
    stack: StackDefinition,
    variant: StackVariant,
    services: readonly string[],
    onLine: (line: string) => void,
    options?: StackBuildOptions,
  ): Promise<void>;
  /** `compose down` of the variant (volumes kept). */
  down(stack: StackDefinition, variant: StackVariant): Promise<void>;
  /**
   * `compose up -d --no-build` of the variant; resolves when compose returns, not when healthy (v1 waits for the
   * `depends_on` conditions itself). Aborting kills the compose process.
   */
  up(stack: StackDefinition, variant: StackVariant, signal?: AbortSignal): Promise<void>;
  /** Follows the project's container events from `sinceMs`; returns the function that stops following. */
  events(project: string, sinceMs: number, onEvent: (event: StackEvent) => void, onError: (error: Error) => void): () => void;
  /** Memory usage samples (bytes, as `docker stats` counts them), `count` of them about a second apart. */
  memorySamples(containerId: string, count: number): Promise<number[]>;
  /** Outputs of the container's last health checks, oldest first. */
  healthOutputs(containerId: string): Promise<string[]>;
  /** The container's last log lines. */
  logTail(containerId: string, lines: number): Promise<string[]>;
}
