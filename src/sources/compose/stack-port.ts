/**
 * StackPort with the real compose CLI (see compose-cli.ts) and dockerode. Every method fails with a one-line
 * Error; nothing here pulls an image (`up --no-build`, plus `--pull never` on v2; callers check images first).
 */
import { existsSync, statSync } from 'node:fs';
import { readFile, statfs } from 'node:fs/promises';
import type Docker from 'dockerode';
import type { DockerEndpoint } from '../../config/docker-host';
import { printable, printableLines } from '../../domain/printable';
import type { StackDefinition, StackVariant } from '../../domain/stacks';
import { isEmptySample, memoryUsage, type EngineStats } from '../../domain/stats-math';
import type { ContainerInfo } from '../../domain/types';
import type { HostResources, StackEvent, StackPort } from '../../flows/stack-port';
import { describeEngineError } from '../docker/client';
import { ImageSizeCache, inspectContainer } from '../docker/containers';
import { onJsonLines } from '../docker/json-lines';
import { demuxFrames } from '../logs/container-logs';
import { ComposeError, composeEnvironment, detectCompose, runCompose, type ComposeCli } from './compose-cli';
import { parseComposeConfig } from './compose-model';

export interface StackPortOptions {
  /** The docker CLI: `docker` on PATH or an absolute path (config `docker.cli`). */
  cli: string;
  endpoint: DockerEndpoint;
  /** Overrides for the compose timeouts (tests). */
  timeouts?: Partial<typeof TIMEOUTS>;
}

const TIMEOUTS = {
  configMs: 60_000,
  // Longer than the longest health wait a switch may ask for (--timeout ≤ 3600 s): the switch aborts `up` itself.
  upMs: 65 * 60_000,
  downMs: 10 * 60_000,
  buildMs: 60 * 60_000,
};

const PROJECT_LABEL = 'com.docker.compose.project';
const SERVICE_LABEL = 'com.docker.compose.service';
const VOLUME_LABEL = 'com.docker.compose.volume';
/** Stats frames come a second apart; a container that sends none for this long is not going to. */
const STATS_GRACE_MS = 10_000;

function engineFailure(what: string, error: unknown): Error {
  const why = notFound(error) ? 'not found' : describeEngineError(error).trim();
  return new Error(`${what}: ${printable(why)}`);
}

function notFound(error: unknown): boolean {
  return (error as { statusCode?: number }).statusCode === 404;
}

function destroy(stream: NodeJS.ReadableStream | null | undefined): void {
  (stream as { destroy?: () => void } | null | undefined)?.destroy?.();
}

/** The event's fields as the engine sends them (API ≥ 1.22). */
interface EnginePayload {
  Type?: string;
  Action?: string;
  status?: string;
  id?: string;
  Actor?: { ID?: string; Attributes?: Record<string, string> };
  time?: number;
  timeNano?: number;
}

function stackEventFromPayload(payload: unknown): StackEvent | null {
  const event = payload as EnginePayload;
  if (!event || typeof event !== 'object') return null;
  const containerId = event.Actor?.ID ?? event.id;
  const action = event.Action ?? event.status;
  if (!containerId || !action) return null;
  const timeMs = event.timeNano ? event.timeNano / 1e6 : (event.time ?? 0) * 1000;
  return { containerId, service: printable(event.Actor?.Attributes?.[SERVICE_LABEL] ?? ''), action: printable(action), timeMs };
}

/** Lines of a finished log read, in the order the engine wrote them, each stream's partial line kept apart. */
function logLines(buffer: Buffer, tty: boolean): string[] {
  const lines: string[] = [];
  const pending = { stdout: '', stderr: '' };
  const take = (stream: 'stdout' | 'stderr', text: string) => {
    const parts = (pending[stream] + text).split('\n');
    pending[stream] = parts.pop() ?? '';
    lines.push(...parts);
  };
  if (tty) take('stdout', buffer.toString('utf8'));
  else for (const frame of demuxFrames(buffer)) take(frame.stream, frame.text);
  for (const rest of [pending.stdout, pending.stderr]) if (rest) lines.push(rest);
  return lines.map((l) => printable(l.replace(/\r$/, '')));
}

export function createStackPort(docker: Docker, options: StackPortOptions): StackPort {
  const timeouts = { ...TIMEOUTS, ...options.timeouts };
  const images = new ImageSizeCache(docker);

  const environment = (stack?: StackDefinition) => composeEnvironment({ cli: options.cli, endpoint: options.endpoint, stackEnv: stack?.env });
  const compose = (): Promise<ComposeCli> => detectCompose(options.cli, environment());

  /** The variant's files, each of which must exist (compose's own message for a missing one is a traceback). */
  function filesOf(stack: StackDefinition, variant: StackVariant): string[] {
    const files = stack.files[variant];
    const where = `check stacks.${stack.name}.${variant} in the config`;
    if (files.length === 0) throw new Error(`stack ${stack.name} lists no compose files for ${variant}; ${where}`);
    for (const file of files) {
      if (!existsSync(file)) throw new Error(`compose file ${printable(file)} does not exist; ${where}`);
      if (!statSync(file).isFile()) throw new Error(`compose file ${printable(file)} is not a file; ${where}`);
    }
    return files;
  }

  async function run(stack: StackDefinition, variant: StackVariant, args: string[], timeoutMs: number, onLine?: (line: string) => void, signal?: AbortSignal) {
    const files = filesOf(stack, variant);
    const cli = await compose();
    return { cli, output: await runCompose(cli, args, { files, project: stack.project, env: environment(stack), timeoutMs, onLine, signal }) };
  }

  const port: StackPort = {
    async resolve(stack, variant) {
      const files = filesOf(stack, variant);
      const cli = await compose();
      let stdout: string;
      try {
        ({ stdout } = await runCompose(cli, ['config'], { files, project: stack.project, env: environment(stack), timeoutMs: timeouts.configMs }));
      } catch (error) {
        if (!(error instanceof ComposeError)) throw error;
        // Name the file when compose does (v1: "The Compose file '/x' is invalid", `in "/x", line 3`; v2: "/x: …").
        const file = [...files].sort((a, b) => b.length - a.length).find((f) => error.output.includes(f));
        const detail = (error.detail ?? error.message).replace(/^The Compose file '[^']*' is invalid because:\s*/, '').replace(/\.$/, '');
        const where = `check stacks.${stack.name}.${variant} in the config`;
        throw new Error(file ? `compose file ${printable(file)} is invalid: ${detail}; ${where}` : `${error.message.replace(/\.$/, '')}; ${where}`);
      }
      return parseComposeConfig(stdout, { project: stack.project });
    },

    async containers(project) {
      try {
        const summaries = await docker.listContainers({ all: true, filters: { label: [`${PROJECT_LABEL}=${project}`] } });
        const infos = await Promise.all(summaries.map((s) => inspectContainer(docker, s.Id, images)));
        return infos.filter((info): info is ContainerInfo => info !== null);
      } catch (error) {
        throw engineFailure(`cannot list the containers of ${printable(project)}`, error);
      }
    },

    async imageSizes(names) {
      const entries = await Promise.all(
        names.map(async (name): Promise<[string, number | null]> => {
          try {
            const image = await docker.getImage(name).inspect();
            return [name, image.Size ?? null];
          } catch (error) {
            if (notFound(error)) return [name, null];
            throw engineFailure(`cannot inspect image ${printable(name)}`, error);
          }
        }),
      );
      return Object.fromEntries(entries);
    },

    async volumes(project) {
      try {
        const list = await docker.listVolumes({ filters: { label: [`${PROJECT_LABEL}=${project}`] } });
        const names = (list.Volumes ?? []).map((v) => v.Labels?.[VOLUME_LABEL] ?? (v.Name.startsWith(`${project}_`) ? v.Name.slice(project.length + 1) : v.Name));
        return [...new Set(names.map(printable))].sort();
      } catch (error) {
        throw engineFailure(`cannot list the volumes of ${printable(project)}`, error);
      }
    },

    async hostResources(): Promise<HostResources> {
      if (options.endpoint.kind !== 'socket') return { memAvailableBytes: null, diskFreeBytes: null };
      const memAvailableBytes = await readFile('/proc/meminfo', 'utf8')
        .then((text) => {
          const kb = /^MemAvailable:\s+(\d+)\s*kB/m.exec(text)?.[1];
          return kb ? Number(kb) * 1024 : null;
        })
        .catch(() => null);
      const diskFreeBytes = await docker
        .info()
        .then(async (info: { DockerRootDir?: string }) => {
          if (!info.DockerRootDir) return null;
          const fs = await statfs(info.DockerRootDir);
          return Number(fs.bavail) * Number(fs.bsize);
        })
        .catch(() => null);
      return { memAvailableBytes, diskFreeBytes };
    },

    async build(stack, variant, services, onLine, buildOptions) {
      await run(stack, variant, ['build', ...(buildOptions?.noCache ? ['--no-cache'] : []), ...services], timeouts.buildMs, onLine, buildOptions?.signal);
    },

    async down(stack, variant) {
      await run(stack, variant, ['down', '--remove-orphans'], timeouts.downMs);
    },

    async up(stack, variant, signal) {
      const cli = await compose();
      // compose v1 has no `--pull never` and pulls an image it does not find: every image must be here first.
      if (cli.flavour !== 'v2') await refuseMissingImages(stack, variant);
      await run(stack, variant, ['up', '-d', '--no-build', ...(cli.flavour === 'v2' ? ['--pull', 'never'] : [])], timeouts.upMs, undefined, signal);
    },

    events(project, sinceMs, onEvent, onError) {
      let stopped = false;
      let failed = false;
      let stream: NodeJS.ReadableStream | null = null;
      const fail = (error: Error) => {
        if (stopped || failed) return;
        failed = true;
        destroy(stream);
        onError(error);
      };
      docker
        .getEvents({ since: Math.floor(sinceMs / 1000), filters: { type: ['container'], label: [`${PROJECT_LABEL}=${project}`] } })
        .then((events) => {
          if (stopped) return destroy(events);
          stream = events;
          onJsonLines(events, (payload) => {
            const event = stackEventFromPayload(payload);
            if (event && !stopped) onEvent(event);
          });
          events.on('error', (error: unknown) => fail(engineFailure('engine event stream failed', error)));
          events.on('end', () => fail(new Error('the engine ended the event stream')));
          events.on('close', () => fail(new Error('the engine closed the event stream')));
        })
        .catch((error: unknown) => fail(engineFailure('cannot follow engine events', error)));
      return () => {
        stopped = true;
        destroy(stream);
      };
    },

    async memorySamples(containerId, count) {
      const controller = new AbortController();
      const samples: number[] = [];
      let stream: NodeJS.ReadableStream | null = null;
      try {
        stream = (await docker
          .getContainer(containerId)
          .stats({ stream: true, abortSignal: controller.signal } as { stream: true })) as NodeJS.ReadableStream;
        const open = stream;
        await new Promise<void>((resolve, reject) => {
          let timer = setTimeout(() => resolve(), STATS_GRACE_MS);
          onJsonLines(open, (frame) => {
            const raw = frame as EngineStats;
            if (isEmptySample(raw) || samples.length >= count) return;
            samples.push(memoryUsage(raw));
            clearTimeout(timer);
            if (samples.length >= count) resolve();
            else timer = setTimeout(() => resolve(), STATS_GRACE_MS);
          });
          open.on('end', () => resolve());
          open.on('close', () => resolve());
          open.on('error', (error: unknown) => (samples.length > 0 ? resolve() : reject(error)));
        });
      } catch (error) {
        throw engineFailure(`cannot read the memory of container ${printable(containerId.slice(0, 12))}`, error);
      } finally {
        controller.abort();
        destroy(stream);
      }
      if (samples.length === 0) throw new Error(`container ${printable(containerId.slice(0, 12))} gave no memory sample (is it running?)`);
      return samples;
    },

    async healthOutputs(containerId) {
      try {
        const inspect = await docker.getContainer(containerId).inspect();
        const log = (inspect.State as { Health?: { Log?: Array<{ Output?: string; Start?: string }> | null } }).Health?.Log ?? [];
        return log.map((entry) => printableLines((entry.Output ?? '').trim()));
      } catch (error) {
        throw engineFailure(`cannot inspect container ${printable(containerId.slice(0, 12))}`, error);
      }
    },

    async logTail(containerId, lines) {
      if (lines <= 0) return [];
      try {
        const handle = docker.getContainer(containerId);
        const [inspect, body] = await Promise.all([handle.inspect(), handle.logs({ stdout: true, stderr: true, tail: lines, follow: false })]);
        const buffer = Buffer.isBuffer(body) ? body : Buffer.from(String(body));
        return logLines(buffer, inspect.Config?.Tty === true).slice(-lines);
      } catch (error) {
        throw engineFailure(`cannot read the logs of container ${printable(containerId.slice(0, 12))}`, error);
      }
    },
  };

  async function refuseMissingImages(stack: StackDefinition, variant: StackVariant): Promise<void> {
    const model = await port.resolve(stack, variant);
    const sizes = await port.imageSizes([...new Set(model.services.map((s) => s.image))]);
    const missing = model.services.filter((s) => sizes[s.image] === null).map((s) => `${printable(s.image)} (${s.name})`);
    if (missing.length > 0) {
      throw new Error(`stack ${stack.name} (${variant}) cannot start: not on this engine: ${missing.join(', ')}; build them (netra-console rebuild ${stack.name}) or docker load them; nothing was pulled or started`);
    }
  }

  return port;
}
