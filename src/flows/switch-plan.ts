import { healthWaitSeconds, otherVariant, runningVariant, type ComposeModel, type StackDefinition, type StackVariant } from '../domain/stacks';
import type { ContainerInfo } from '../domain/types';
import type { HostResources } from './stack-port';

export interface PreflightCheck {
  name: 'compose files' | 'images' | 'memory' | 'disk' | 'volumes' | 'running';
  status: 'ok' | 'warn' | 'fail';
  detail: string;
}

export interface LimitChange {
  service: string;
  before: { memLimitBytes: number | null; cpus: number | null } | null;
  after: { memLimitBytes: number | null; cpus: number | null };
}

/** Everything the switch will do, as read when planned; the user confirms this. */
export interface SwitchPlan {
  stack: StackDefinition;
  /** The variant running when planned; null when nothing runs, `mixed` when both or unknown images run. */
  from: StackVariant | 'mixed' | null;
  to: StackVariant;
  model: ComposeModel;
  /** Container ids of the project when planned: another set when confirming means someone changed the stack. */
  current: ContainerInfo[];
  /** Services running now, that `down` stops. */
  stops: string[];
  limits: LimitChange[];
  imageSizes: Record<string, number | null>;
  /** Target images not on the engine (nothing is pulled). */
  missingImages: string[];
  /** Every missing image can be built here: its service has a build section and its base images are on the engine. */
  buildable: boolean;
  checks: PreflightCheck[];
  timeoutSeconds: number;
}

/** What preflight read; a plan is a pure function of it. */
export interface PreflightFacts {
  stack: StackDefinition;
  to: StackVariant;
  /** The target's resolved model, or the compose CLI's complaint. */
  target: ComposeModel | { error: string };
  /** The other variant's model, for limits before → after and shared volumes (null when it did not resolve). */
  other: ComposeModel | null;
  containers: ContainerInfo[];
  imageSizes: Record<string, number | null>;
  host: HostResources;
  /** Base images named by build args of missing images that are not on the engine either. */
  missingBases: string[];
  /** The project's named volumes already on the engine. */
  volumes: string[];
  timeoutSeconds?: number;
}

const GIB = 1024 ** 3;
const MIN_FREE_DISK = 2 * GIB;

export function gib(bytes: number): string {
  return `${(bytes / GIB).toFixed(bytes < 10 * GIB ? 2 : 1)} GiB`;
}

export function planSwitch(facts: PreflightFacts): SwitchPlan | { error: string; checks: PreflightCheck[] } {
  const { stack, to, target } = facts;
  if ('error' in target) {
    const check: PreflightCheck = { name: 'compose files', status: 'fail', detail: target.error };
    return { error: target.error, checks: [check] };
  }
  const from = runningVariant(facts.containers);
  const missingImages = target.services.map((s) => s.image).filter((image) => facts.imageSizes[image] == null);
  const unbuildable = target.services.filter((s) => missingImages.includes(s.image) && s.build === null).map((s) => s.image);
  const running = facts.containers.filter((c) => c.state === 'running' || c.state === 'restarting');
  return {
    stack,
    from,
    to,
    model: target,
    current: facts.containers,
    stops: [...new Set(running.map((c) => c.service ?? c.name))],
    limits: limitChanges(target, facts.other, from, to),
    imageSizes: facts.imageSizes,
    missingImages,
    buildable: missingImages.length > 0 && unbuildable.length === 0 && facts.missingBases.length === 0,
    checks: [
      { name: 'compose files', status: 'ok', detail: `${stack.files[to].length} file(s) valid` },
      imagesCheck(missingImages, unbuildable, facts.missingBases),
      memoryCheck(target, facts.host),
      diskCheck(facts.host),
      volumesCheck(target, facts.other, to, facts.volumes),
      runningCheck(from, to, facts.containers),
    ],
    timeoutSeconds: facts.timeoutSeconds ?? healthWaitSeconds(target),
  };
}

/** Limits before are the running variant's: the target's own when it runs already, unknown when both or none run. */
function limitChanges(target: ComposeModel, other: ComposeModel | null, from: StackVariant | 'mixed' | null, to: StackVariant): LimitChange[] {
  const before = from === to ? target : from === otherVariant(to) ? other : null;
  return target.services.map((s) => {
    const was = before?.services.find((o) => o.name === s.name);
    return {
      service: s.name,
      before: was ? { memLimitBytes: was.memLimitBytes, cpus: was.cpus } : null,
      after: { memLimitBytes: s.memLimitBytes, cpus: s.cpus },
    };
  });
}

function imagesCheck(missing: string[], unbuildable: string[], missingBases: string[]): PreflightCheck {
  if (missing.length === 0) return { name: 'images', status: 'ok', detail: 'every target image is on the engine' };
  if (unbuildable.length > 0) {
    return { name: 'images', status: 'fail', detail: `missing ${missing.join(', ')}; ${unbuildable.join(', ')} has no build section and the console never fetches images: load it onto the engine yourself` };
  }
  if (missingBases.length > 0) {
    return {
      name: 'images',
      status: 'fail',
      detail: `missing ${missing.join(', ')}; they cannot be built offline: base image ${missingBases.join(', ')} is not on the engine and nothing is pulled (pull it yourself, or run: netra-console demo up)`,
    };
  }
  return { name: 'images', status: 'fail', detail: `missing ${missing.join(', ')}; build them first (nothing is pulled)` };
}

function memoryCheck(target: ComposeModel, host: HostResources): PreflightCheck {
  const limits = target.services.map((s) => s.memLimitBytes);
  const total = limits.reduce<number>((sum, l) => sum + (l ?? 0), 0);
  const unlimited = target.services.filter((s) => s.memLimitBytes === null).map((s) => s.name);
  const suffix = unlimited.length ? `; no limit on ${unlimited.join(', ')}` : '';
  if (host.memAvailableBytes === null) return { name: 'memory', status: 'warn', detail: `limits total ${gib(total)}; free memory unknown (remote engine)${suffix}` };
  const detail = `limits total ${gib(total)}, ${gib(host.memAvailableBytes)} available${suffix}`;
  return { name: 'memory', status: total > host.memAvailableBytes || unlimited.length ? 'warn' : 'ok', detail };
}

function diskCheck(host: HostResources): PreflightCheck {
  if (host.diskFreeBytes === null) return { name: 'disk', status: 'warn', detail: 'free disk unknown (remote engine)' };
  const detail = `${gib(host.diskFreeBytes)} free for the engine's data`;
  return { name: 'disk', status: host.diskFreeBytes < MIN_FREE_DISK ? 'warn' : 'ok', detail };
}

/** Postgres data made under musl must not be opened under glibc (collation differs): no volume may be shared. */
function volumesCheck(target: ComposeModel, other: ComposeModel | null, to: StackVariant, existing: string[]): PreflightCheck {
  const otherVolumes = new Set(other?.services.flatMap((s) => s.volumes) ?? []);
  const own = [...new Set(target.services.flatMap((s) => s.volumes))];
  const shared = own.filter((v) => otherVolumes.has(v));
  if (shared.length === 0) {
    const kept = own.filter((v) => existing.includes(v));
    const fresh = own.filter((v) => !existing.includes(v));
    const parts = [kept.length ? `${kept.join(', ')} kept from its last run` : '', fresh.length ? `${fresh.join(', ')} new` : ''].filter(Boolean);
    return { name: 'volumes', status: 'ok', detail: `${to} uses its own volumes${parts.length ? ` (${parts.join('; ')})` : ''}` };
  }
  return {
    name: 'volumes',
    status: 'fail',
    detail: `volume ${shared.join(', ')} is shared with ${otherVariant(to)}: data made under one libc must not be opened under the other; give each variant its own volume in the compose files`,
  };
}

function runningCheck(from: StackVariant | 'mixed' | null, to: StackVariant, containers: ContainerInfo[]): PreflightCheck {
  if (from === null) return { name: 'running', status: 'ok', detail: containers.length ? 'nothing runs now (stopped containers are replaced)' : 'nothing runs now' };
  if (from === 'mixed') return { name: 'running', status: 'warn', detail: 'both variants (or unknown images) run now; all of them stop' };
  if (from === to) return { name: 'running', status: 'ok', detail: `${to} already runs` };
  return { name: 'running', status: 'ok', detail: `${from} runs now` };
}

export function blockingChecks(plan: { checks: PreflightCheck[] }): PreflightCheck[] {
  return plan.checks.filter((c) => c.status === 'fail');
}
