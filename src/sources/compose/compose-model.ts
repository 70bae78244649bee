/**
 * The YAML that `compose config` prints, as the switch flow needs it. Pure: no I/O. Both the Python
 * `docker-compose` 1.29 (v1) and the `docker compose` plugin (v2) print resolved, interpolated YAML, but not alike:
 *
 * - v1 keeps `mem_limit` as written (`64m`, `1.5g`, bytes), prints `cpus` as a number, normalises durations to
 *   seconds or milliseconds (`90s`, `500ms`), short volume syntax to `name:/path:rw`, a disabled health check to
 *   `test: [NONE]`, and a `depends_on` list to a map with `condition: service_started`.
 * - v2 prints `mem_limit` as a byte count in a string, durations the Go way (`1m30s`), volumes in long syntax
 *   (`{type: volume, source, target}`), `healthcheck.disable: true`, and a top-level `name:` (the project).
 */
import { parse } from 'yaml';
import type { ComposeModel, ComposeServiceModel, HealthCheckModel } from '../../domain/stacks';

/** Docker's health-check defaults (the engine applies them to every field left out). */
export const HEALTH_DEFAULTS: HealthCheckModel = { intervalSeconds: 30, timeoutSeconds: 30, retries: 3, startPeriodSeconds: 0 };

const DURATION_UNITS: Record<string, number> = { ns: 1e-9, us: 1e-6, µs: 1e-6, μs: 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };

/**
 * Seconds of a compose duration: Go-style (`1m30s`, `1h2m3.5s`, `500ms`) as v2 prints them, or v1's `90s`/`500ms`.
 * A bare number counts as seconds. Null for anything else.
 */
export function parseDurationSeconds(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : null;
  if (typeof value !== 'string') return null;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text);
  if (!/^((\d+(\.\d+)?|\.\d+)(ns|us|µs|μs|ms|s|m|h))+$/.test(text)) return null;
  let seconds = 0;
  for (const [, amount, unit] of text.matchAll(/(\d+(?:\.\d+)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/g)) seconds += Number(amount) * DURATION_UNITS[unit!]!;
  return Math.round(seconds * 1e9) / 1e9;
}

const MEMORY_UNITS: Record<string, number> = { '': 1, b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4, p: 1024 ** 5 };

/**
 * Bytes of a compose memory size, binary units as docker-py and go-units read them: a byte count (number or
 * string), or `512m`, `1.5g`, `100k`, `256M`, `1gb`, `2GiB`. Null for anything else.
 */
export function parseMemoryBytes(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? Math.floor(value) : null;
  if (typeof value !== 'string') return null;
  const match = /^(\d+(?:\.\d+)?|\.\d+)\s*([kmgtp]?)(i?b)?$/i.exec(value.trim());
  if (!match) return null;
  const unit = match[2]!.toLowerCase() || (match[3] ? 'b' : '');
  if (match[3]?.toLowerCase() === 'ib' && !match[2]) return null; // "12ib" is no unit
  return Math.floor(Number(match[1]) * MEMORY_UNITS[unit]!);
}

type Yaml = Record<string, unknown>;

function isMap(value: unknown): value is Yaml {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function scalarText(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return null;
}

/** Null when the service has no health check of its own or it is disabled (`disable: true`, `test: [NONE]`). */
function healthFromCompose(healthcheck: unknown): HealthCheckModel | null {
  if (!isMap(healthcheck)) return null;
  if (healthcheck.disable === true || healthcheck.disable === 'true') return null;
  const test = healthcheck.test;
  if ((Array.isArray(test) && test[0] === 'NONE') || test === 'NONE') return null;
  const seconds = (key: string, fallback: number) => parseDurationSeconds(healthcheck[key]) ?? fallback;
  const retries = Number(healthcheck.retries);
  return {
    intervalSeconds: seconds('interval', HEALTH_DEFAULTS.intervalSeconds) || HEALTH_DEFAULTS.intervalSeconds,
    timeoutSeconds: seconds('timeout', HEALTH_DEFAULTS.timeoutSeconds) || HEALTH_DEFAULTS.timeoutSeconds,
    retries: Number.isInteger(retries) && retries > 0 ? retries : HEALTH_DEFAULTS.retries,
    startPeriodSeconds: seconds('start_period', HEALTH_DEFAULTS.startPeriodSeconds),
  };
}

/** Build args as a map, from either form (`{K: v}` or `["K=v"]`); an arg without a value is left out. */
function buildArgs(args: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (Array.isArray(args)) {
    for (const entry of args) {
      const text = scalarText(entry);
      const eq = text?.indexOf('=') ?? -1;
      if (text && eq > 0) out[text.slice(0, eq)] = text.slice(eq + 1);
    }
  } else if (isMap(args)) {
    for (const [key, value] of Object.entries(args)) {
      const text = scalarText(value);
      if (text !== null) out[key] = text;
    }
  }
  return out;
}

/**
 * A named volume's name from a volume entry; null for bind mounts (a path), tmpfs, anonymous volumes. Short
 * syntax is `source:target[:mode]`; a source starting with `/`, `.` or `~` is a host path.
 */
function namedVolume(entry: unknown): string | null {
  if (typeof entry === 'string') {
    const parts = entry.split(':');
    if (parts.length < 2) return null; // just a container path: an anonymous volume
    const source = parts[0]!;
    return source && !/^[/.~]/.test(source) ? source : null;
  }
  if (isMap(entry)) {
    const source = scalarText(entry.source);
    return (entry.type ?? 'volume') === 'volume' && source ? source : null;
  }
  return null;
}

function dependencies(dependsOn: unknown): Array<{ name: string; condition: string }> {
  if (Array.isArray(dependsOn)) return dependsOn.map(scalarText).filter((n): n is string => !!n).map((name) => ({ name, condition: 'service_started' }));
  if (isMap(dependsOn)) {
    return Object.entries(dependsOn).map(([name, spec]) => ({
      name,
      condition: (isMap(spec) && scalarText(spec.condition)) || 'service_started',
    }));
  }
  return [];
}

function limits(service: Yaml): Yaml {
  const deploy = service.deploy;
  const resources = isMap(deploy) ? deploy.resources : undefined;
  const result = isMap(resources) ? resources.limits : undefined;
  return isMap(result) ? result : {};
}

function positiveNumber(value: unknown): number | null {
  const n = typeof value === 'string' ? Number(value.trim()) : typeof value === 'number' ? value : NaN;
  return Number.isFinite(n) && n > 0 ? n : null;
}

export interface ParseOptions {
  /** The compose project, for the image name compose gives a built service without `image:`. */
  project?: string;
}

/**
 * The services of `compose config` output. Both CLIs let `deploy.resources.limits` win over `mem_limit`/`cpus`
 * (v1 1.29 applies them too, checked against the engine). A service with a build but no `image:` gets the name
 * compose tags it with: `<project>-<service>` for v2 (whose output has a top-level `name:`), else
 * `<project>_<service>`. Throws a one-line Error when the text is not a compose model.
 */
export function parseComposeConfig(text: string, options: ParseOptions = {}): ComposeModel {
  let document: unknown;
  try {
    document = parse(text, { maxAliasCount: 1000 });
  } catch (error) {
    throw new Error(`compose config printed YAML that does not parse: ${String((error as Error).message).split('\n')[0]}`);
  }
  if (!isMap(document) || !isMap(document.services)) throw new Error('compose config printed no services');
  const v2Name = scalarText(document.name);
  const project = v2Name ?? options.project ?? '';
  const separator = v2Name ? '-' : '_';
  const entries = Object.entries(document.services).filter((e): e is [string, Yaml] => isMap(e[1]));
  const deps = new Map(entries.map(([name, service]) => [name, dependencies(service.depends_on)]));
  const oneShots = new Set<string>();
  for (const list of deps.values()) for (const d of list) if (d.condition === 'service_completed_successfully') oneShots.add(d.name);

  const services = entries.map(([name, service]): ComposeServiceModel => {
    const build = service.build;
    const image = scalarText(service.image) ?? (build !== undefined && project ? `${project}${separator}${name}` : '');
    const volumes = Array.isArray(service.volumes) ? service.volumes.map(namedVolume).filter((v): v is string => v !== null) : [];
    const limit = limits(service);
    return {
      name,
      image,
      build: build === undefined || build === null ? null : { args: isMap(build) ? buildArgs(build.args) : {} },
      oneShot: oneShots.has(name),
      health: healthFromCompose(service.healthcheck),
      memLimitBytes: parseMemoryBytes(limit.memory) || parseMemoryBytes(service.mem_limit) || null,
      cpus: positiveNumber(limit.cpus) ?? positiveNumber(service.cpus),
      volumes: [...new Set(volumes)],
      dependsOn: deps.get(name)!.map((d) => d.name),
    };
  });
  return { services };
}
