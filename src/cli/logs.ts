import { UsageError } from '../config/errors';
import { describeCloudError, type CloudError, type CloudErrorContext, type CloudErrorKind } from '../domain/cloud-run-errors';
import { servicesThere, shortName } from '../domain/cloud-run';
import { createCloudRunApi, endpointLabel, type CloudRunTarget } from '../sources/cloud-run/client';
import { parseSeverity, plainLogLine, type LogLine, type NewLogLine, type Severity } from '../domain/log-line';
import { terminalJson } from '../domain/printable';
import { createDockerClient } from '../sources/docker/client';
import { ImageSizeCache, listContainers } from '../sources/docker/containers';
import { CloudTail, createLoggingClient, filterString, listEntriesSince } from '../sources/logs/cloud-tail';
import { ContainerLogs } from '../sources/logs/container-logs';
import { LogIngest, LogRing } from '../store/log-ring';
import { DEFAULT_LOG_FILTER, passes, type LogFilter } from '../store/log-view';
import type { CliOptions } from './args';
import { openTarget } from './cloud-run-runtime';
import type { Settings } from './settings';

const UNITS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Cloud Logging keeps entries at most 3650 days; anything longer is a typo (and 99999999999d is no Date at all). */
const MAX_SINCE_DAYS = 3650;

/** `90s`, `10m`, `2h`, `1d` → milliseconds. */
export function parseDuration(text: string): number {
  const match = /^(\d+(?:\.\d+)?)([smhd])$/.exec(text.trim());
  if (!match) throw new UsageError(`--since "${text}" is not a duration: use e.g. 90s, 10m, 2h or 1d`);
  const ms = Number(match[1]) * UNITS[match[2]!]!;
  if (!(ms <= MAX_SINCE_DAYS * UNITS.d!)) throw new UsageError(`--since "${text}" is too long ago: Cloud Logging keeps at most ${MAX_SINCE_DAYS}d, e.g. --since 7d`);
  return ms;
}

function severityOption(text: string | undefined): Severity {
  if (text === undefined) return 'DEFAULT';
  const severity = parseSeverity(text);
  if (!severity) throw new UsageError(`--severity "${text}" is not a severity: use DEBUG, INFO, NOTICE, WARNING, ERROR or CRITICAL`);
  return severity;
}

function searchRegex(text: string): RegExp | null {
  if (!text) return null;
  try {
    return new RegExp(text, 'gi');
  } catch (error) {
    throw new UsageError(`--filter "${text}" is not a valid regex (${(error as Error).message.split(': ').at(-1)}): escape special characters`);
  }
}

function output(line: LogLine, json: boolean): string {
  if (json) return `${terminalJson({ insertId: line.insertId, timestamp: line.timestamp, severity: line.severity, source: line.source, message: line.message })}\n`;
  return plainLogLine(line);
}

/**
 * Headless logs for scripts and pipes: Cloud Run (Cloud Logging) and/or local containers, filtered, from
 * `--since` ago; with `--follow` it keeps going, reconnecting like the console and never printing a line twice.
 */
export async function runLogsCommand(settings: Settings, options: CliOptions): Promise<number> {
  const filter: LogFilter = { ...DEFAULT_LOG_FILTER, minSeverity: severityOption(options.severity), search: options.filter ?? '', onlyMatches: true };
  const sinceIso = new Date(Date.now() - parseDuration(options.since ?? '10m')).toISOString();
  const wantCloud = options.service !== undefined || options.container === undefined;
  const wantContainers = options.container !== undefined || options.service === undefined;
  const regex = searchRegex(filter.search);

  process.stdout.on('error', () => process.exit(0)); // a closed pipe (e.g. `| head`) ends us quietly
  const ring = new LogRing(10_000);
  const ingest = new LogIngest(ring, (added) => {
    // A flush can bring more lines than the ring keeps; only those still in it can be printed.
    for (let i = Math.max(0, ring.size - added); i < ring.size; i++) {
      const line = ring.at(i);
      if (passes(line, filter, regex)) process.stdout.write(output(line, options.json));
    }
  });
  // Without --follow everything is read first, then printed in time order across sources.
  const collected: NewLogLine[] = [];
  const sink = (line: NewLogLine) => (options.follow ? ingest.add(line) : collected.push(line));
  const cloudFilter = options.service
    ? `${settings.config.logs.cloudFilter}\nresource.labels.service_name=${filterString(options.service)}`
    : settings.config.logs.cloudFilter;
  const stops: Array<() => Promise<void> | void> = [];
  let cloudError: string | null = null;
  // --follow ends on Ctrl-C, on SIGTERM, or on a Cloud error that reconnecting cannot cure.
  let endFollow: () => void = () => {};
  const followEnded = new Promise<void>((resolve) => (endFollow = resolve));

  if (wantContainers) {
    const docker = createDockerClient(settings.endpoint);
    const scope = { projects: settings.config.docker.projects, showAll: settings.showAll || options.container !== undefined };
    const all = await listContainers(docker, scope, new ImageSizeCache(docker)).catch((error: Error) => {
      if (options.container) throw new UsageError(`cannot read containers from ${settings.endpoint.display}: ${error.message}`);
      return [];
    });
    const chosen = options.container ? all.filter((c) => c.name === options.container || c.id.startsWith(options.container!)) : all.filter((c) => c.state === 'running');
    if (options.container && chosen.length === 0) throw new UsageError(`no container named "${options.container}" on ${settings.endpoint.display}: check docker ps`);
    const logs = new ContainerLogs(docker, sink, sinceIso);
    if (options.follow) {
      logs.sync(chosen.map((c) => ({ id: c.id, name: c.name })));
      stops.push(() => logs.stop());
    } else await logs.readOnce(chosen.map((c) => ({ id: c.id, name: c.name })));
  }

  if (wantCloud) {
    const { target, stopSandbox } = await openTarget(settings.cloudRun);
    stops.push(stopSandbox);
    if (options.service) await requireService(target, options.service).catch(async (error: unknown) => {
      await stopSandbox();
      throw error;
    });
    if (options.follow) {
      const tail = new CloudTail({
        target,
        filter: cloudFilter,
        since: sinceIso,
        onLine: (line) => ingest.add(line),
        onState: (state) => {
          if (state.state === 'reconnecting') process.stderr.write(`netra-console: Cloud Logging tail reconnecting: ${state.reason}\n`);
        },
        shouldReconnect: (error) => {
          const described = describeCloudError(error, errorContext(target));
          if (!isFatal(error, described)) return true;
          cloudError = described.message;
          endFollow();
          return false;
        },
      });
      tail.start();
      stops.unshift(() => tail.stop());
    } else {
      cloudError = await readCloudLines(target, cloudFilter, sinceIso, sink);
    }
  }

  if (options.follow) {
    process.once('SIGINT', endFollow);
    process.once('SIGTERM', endFollow);
    await followEnded;
  }
  ingest.flush();
  // Container times have nanoseconds and Cloud times milliseconds: compare instants, not strings.
  collected.sort((a, b) => Date.parse(a.timestamp) - Date.parse(b.timestamp));
  for (const line of collected) if (passes({ ...line, seq: 0 }, filter, regex)) process.stdout.write(output({ ...line, seq: 0 }, options.json));
  for (const stop of stops) await stop();
  if (cloudError === null) return 0;
  process.stderr.write(`netra-console: Cloud Logging could not be read: ${cloudError}\n`);
  return 1;
}

function errorContext(target: CloudRunTarget): CloudErrorContext {
  return { project: target.project, region: target.region, endpoint: endpointLabel(target) };
}

const CURED_BY_NOTHING = new Set<CloudErrorKind>(['unauthenticated', 'permission-denied', 'api-disabled', 'not-found']);
const INVALID_ARGUMENT = 3;

/** Credentials, permissions, a disabled API or a filter Logging refuses: reconnecting would fail the same way for ever. */
function isFatal(error: unknown, described: CloudError): boolean {
  return CURED_BY_NOTHING.has(described.kind) || (error as { code?: unknown }).code === INVALID_ARGUMENT;
}

/** Reads Cloud entries once; a failure (no credentials, unreachable) is returned as one line so container lines still print. */
async function readCloudLines(target: CloudRunTarget, filter: string, sinceIso: string, sink: (line: NewLogLine) => void): Promise<string | null> {
  let client: Awaited<ReturnType<typeof createLoggingClient>> | null = null;
  try {
    client = await createLoggingClient(target);
    for (const line of await listEntriesSince(client, target, filter, sinceIso)) sink(line);
    return null;
  } catch (error) {
    return describeCloudError(error, errorContext(target)).message;
  } finally {
    await client?.close();
  }
}

/**
 * A misspelt --service would otherwise match no entry and print nothing, as if the service were quiet. When the
 * services cannot be listed, the read itself reports why.
 */
async function requireService(target: CloudRunTarget, name: string): Promise<void> {
  let names: string[];
  const api = await createCloudRunApi(target).catch(() => null);
  try {
    names = (await api?.listServices())?.map((s) => shortName(s.name)) ?? [];
  } catch {
    return;
  } finally {
    await api?.close();
  }
  if (!api || names.includes(name)) return;
  const there = servicesThere(names);
  throw new UsageError(`no Cloud Run service "${name}" in ${target.project} (${target.region}); ${there}: check --service`);
}
