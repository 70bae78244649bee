/**
 * The runbook checks' shared shapes. A check is data: a catalogue entry with its code, what it is about, the fix, the
 * command a person would type to see the same thing, and a probe over facts already gathered (pure, synchronous).
 * Facts are gathered by src/sources/doctor; the checks never talk to the outside.
 */
import type { Health, Variant } from '../types';

export type CheckSeverity = 'info' | 'warning' | 'error';
export type CheckScope = 'container' | 'service' | 'stack' | 'cloudrun' | 'host' | 'dockerfile';
export type CheckStatus = 'pass' | 'fail' | 'skip' | 'error';
/** A check's state while a run is under way: not probed yet, facts being gathered, or done. */
export type LiveCheckStatus = CheckStatus | 'queued' | 'running';

/** Where to change something: a file and, when known, its 1-based line. */
export interface SourceLocation {
  file: string;
  line: number | null;
}

/** A fix safe enough to be one key: the console opens the flow (which confirms) or restarts the container. */
export type SafeFix = 'restart-container' | 'open-rebuild' | 'open-rollback';

/** What a probe found. `severity` escalates a graded check (memory 80/90/95 %, image 250/500 MB). */
export interface CheckFinding {
  status: CheckStatus;
  /** What was seen, one fact per line, quoting the engine or the file (printable text only). */
  evidence: string[];
  /** Replaces the catalogue's fix when the probe knows better (e.g. the exact line to add). */
  fix?: string;
  location?: SourceLocation;
  severity?: CheckSeverity;
}

export interface CheckDefinition<F> {
  /** Stable, popeye-style: NC1xx container, NC2xx image, NC3xx Dockerfile, NC4xx stack/compose, NC5xx host, NC6xx Cloud Run. */
  code: string;
  title: string;
  severity: CheckSeverity;
  scope: CheckScope;
  /** The guide (../shared/seeds) section the check comes from, e.g. "001 Troubleshooting: Issue 3". */
  guide: string;
  fix: string;
  /** The command a person would run to see the same thing. */
  command: (facts: F) => string;
  safeFix?: SafeFix;
  probe: (facts: F) => CheckFinding;
}

/** One check run against one target: what `doctor --json` prints and the Runbooks view lists. */
export interface CheckResult {
  code: string;
  title: string;
  severity: CheckSeverity;
  scope: CheckScope;
  /** What was checked: a container name, `stack/service`, a Dockerfile path, a Cloud Run service, `host`. */
  target: string;
  status: LiveCheckStatus;
  evidence: string[];
  fix: string;
  command: string;
  location: SourceLocation | null;
  safeFix: SafeFix | null;
  /** Why a check was skipped (an exclusion, or facts it needs are not there). */
  skipReason?: string;
  /** What the target is, for a fix key or a re-run: the stack, compose service, container or Cloud Run service. */
  subject: CheckSubject;
}

export interface CheckSubject {
  stack?: string;
  variant?: 'alpine' | 'regular';
  service?: string;
  container?: string;
  cloudRunService?: string;
}

export interface HealthProbe {
  exitCode: number;
  output: string;
  /** RFC 3339. */
  start: string;
  end: string;
}

/** Everything the container checks read, from `docker inspect`, its image, its recent logs and its stats. */
export interface ContainerFacts {
  id: string;
  name: string;
  project: string | null;
  service: string | null;
  /** The configured stack the container belongs to, and the variant its compose files make it, when it is one's. */
  stack: string | null;
  stackVariant: 'alpine' | 'regular' | null;
  image: string;
  /** Alpine or regular as judged from the image itself (its /etc/alpine-release, labels, name). */
  imageVariant: Variant;
  imageSizeBytes: number | null;
  state: string;
  exitCode: number | null;
  oomKilled: boolean;
  /** `oom` events the engine reported for it since the console (or doctor) started looking. */
  oomEvents: number;
  restarts: number;
  startedAt: string | null;
  finishedAt: string | null;
  health: Health;
  /** Consecutive failed health probes (State.Health.FailingStreak). */
  failingStreak: number;
  /** The engine keeps the last five probes; oldest first. */
  healthLog: HealthProbe[];
  /** The image's or compose file's health check; null when it has none. */
  healthcheck: { startPeriodSeconds: number; intervalSeconds: number; timeoutSeconds: number; retries: number } | null;
  /** Start → first healthy probe, in seconds, when observed (health log or measured by the console); null otherwise. */
  startupSeconds: number | null;
  /** HostConfig.Memory; 0 = no limit. */
  memoryLimitBytes: number;
  /** From one stats sample; null when the container is not running or stats were not read. */
  memUsageBytes: number | null;
  readOnlyRootfs: boolean;
  /** Paths mounted as tmpfs (HostConfig.Tmpfs keys and tmpfs mounts). */
  tmpfs: string[];
  /** Config.User; '' means root. */
  user: string;
  capDrop: string[];
  securityOpt: string[];
  /** HostConfig.Init (docker's own init). */
  dockerInit: boolean;
  /** Entrypoint + Cmd as the engine runs them (PID 1 is the first word). */
  command: string[];
  /** The last lines of its log (stdout and stderr), oldest first, printable. */
  logTail: string[];
  /** Where its service is declared: the compose file and the line of `services.<name>:`. */
  composeLocation: SourceLocation | null;
  /** When the facts were read (ms since the epoch). */
  now: number;
}

/** A service of a configured stack variant: does its image exist on the engine, can it be built offline. */
export interface ServiceImageFacts {
  stack: string;
  variant: 'alpine' | 'regular';
  service: string;
  image: string;
  present: boolean;
  sizeBytes: number | null;
  /** The service has a build section (so the rebuild flow can make it). */
  buildable: boolean;
  composeLocation: SourceLocation | null;
}

/** One compose file set of a stack variant, as `compose config` judged it. */
export interface ComposeFacts {
  stack: string;
  variant: 'alpine' | 'regular';
  files: string[];
  valid: boolean;
  /** compose's own words when it refused the files (first lines). */
  error: string | null;
  /** Why the files were not checked: a default stack (none configured) whose files are not where it is run. */
  absent?: string;
}

/** A Dockerfile a stack builds from, read from disk. */
export interface DockerfileFacts {
  /** Absolute path. */
  path: string;
  text: string;
  /** The build context has a .dockerignore. */
  dockerignore: boolean;
  /** The stack services built from it, e.g. ["test/backend"]. */
  usedBy: string[];
}

export interface HostFacts {
  /** The engine's host, as `docker info` tells it. */
  memTotalBytes: number;
  /** Free memory on this machine (null when the engine is remote). */
  memAvailableBytes: number | null;
  /** Free space where the engine keeps its data (null when not readable from here). */
  diskFreeBytes: number | null;
  diskPath: string | null;
  cpus: number;
}

export interface CloudRunFacts {
  service: string;
  ready: boolean;
  reconciling: boolean;
  readyMessage: string | null;
  latestRevision: { name: string; state: 'ready' | 'failed' | 'pending'; message: string | null } | null;
  /** Log entries of the service over the window, and how many were ERROR or worse; null when logs were not read. */
  errorRate: { errors: number; total: number; windowSeconds: number } | null;
}

/** Everything one doctor run gathered, and what could not be gathered (reported as check errors, never dropped). */
export interface DoctorFacts {
  containers: ContainerFacts[];
  images: ServiceImageFacts[];
  compose: ComposeFacts[];
  dockerfiles: DockerfileFacts[];
  host: HostFacts | null;
  cloudRun: CloudRunFacts[];
  /** A scope whose facts could not be read: its checks are `error` with this message. */
  failures: Array<{ scope: CheckScope; message: string }>;
}
