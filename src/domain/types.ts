export type Health = 'healthy' | 'unhealthy' | 'starting' | 'none';
export type Variant = 'alpine' | 'regular' | '?';

/** One container as the console shows it; built from `docker inspect`. */
export interface ContainerInfo {
  id: string;
  name: string;
  project: string | null;
  service: string | null;
  image: string;
  imageId: string;
  imageSizeBytes: number | null;
  variant: Variant;
  /** created | running | paused | restarting | removing | exited | dead */
  state: string;
  health: Health;
  /** Output of the most recent failing health check, if any. */
  lastHealthFailure: string | null;
  restarts: number;
  exitCode: number | null;
  oomKilled: boolean;
  startedAt: string | null;
  /** Seconds from this start to its first passing health check; null when the health log no longer shows it. */
  startupSeconds: number | null;
  finishedAt: string | null;
  labels: Record<string, string>;
}

/** Stats computed the way `docker stats` computes them. */
export interface ContainerStats {
  cpuPercent: number;
  memUsageBytes: number;
  memLimitBytes: number;
  memPercent: number;
  netRxBytes: number;
  netTxBytes: number;
  blockReadBytes: number;
  blockWriteBytes: number;
  /** Null when the engine does not count them (see computeStats). */
  pids: number | null;
}

export type AlertLevel = 'warning' | 'high' | 'critical';

export interface DockerAlert {
  level: AlertLevel;
  source: 'docker';
  kind: 'memory' | 'cpu' | 'unhealthy' | 'oom-killed' | 'crash-loop' | 'exited' | 'no-processes' | 'slow-start' | 'image-size' | 'error-rate';
  container: string;
  message: string;
  /** Last known while the engine cannot be read: kept, not dropped, until the engine answers again. */
  stale?: true;
}

/** The engine itself cannot be read: nothing the Docker panels show is current. */
export interface EngineAlert {
  level: 'critical';
  source: 'docker';
  kind: 'engine-unreachable';
  host: string;
  message: string;
}

export interface CloudRunAlert {
  level: AlertLevel;
  source: 'cloudrun';
  kind: 'service-not-ready' | 'revision-failed' | 'traffic-mismatch' | 'service-missing' | 'error-rate';
  service: string;
  message: string;
}

export type Alert = DockerAlert | EngineAlert | CloudRunAlert;

export type ConnectionState =
  /** `lastError`: why the attempt before this one failed, while it is tried again. */
  | { state: 'connecting'; lastError?: string }
  | { state: 'connected' }
  | { state: 'unreachable'; error: string; retryAt: number };
