/**
 * CloudRunFacts through the official clients: each configured service's readiness and latest revision (Cloud Run
 * Admin API), and its share of ERROR-or-worse log entries over the last minutes (Cloud Logging).
 */
import type { LoggingServiceV2Client } from '@google-cloud/logging-api';
import type { CloudRunFacts } from '../../domain/checks/types';
import { describeCloudError } from '../../domain/cloud-run-errors';
import type { CloudRunService } from '../../domain/cloud-run';
import { parseSeverity, SEVERITIES, severityRank, type CloudEntryPayload } from '../../domain/log-line';
import { printable } from '../../domain/printable';
import { createCloudRunApi, endpointLabel, type CloudRunApi, type CloudRunTarget } from '../cloud-run/client';
import { readCloudRun } from '../cloud-run/read';
import { createLoggingClient, filterString } from '../logs/cloud-tail';
import type { DoctorFailure } from './stack-facts';

export interface CloudRunScope {
  target: CloudRunTarget;
  /** The configured services; empty = every service of the region. */
  services: readonly string[];
}

const WINDOW_SECONDS = 300;
const PAGE_SIZE = 1_000;
/** A service logging more than this in the window is judged on its most recent entries (the window shrinks to them). */
const MAX_PAGES = 5;
const CALL_TIMEOUT_MS = 15_000;
const ERROR_RANK = severityRank('ERROR');

function timestampMs(entry: CloudEntryPayload): number | null {
  const seconds = entry.timestamp?.seconds;
  if (seconds === undefined || seconds === null) return null;
  return Number(seconds) * 1000 + Math.floor((entry.timestamp?.nanos ?? 0) / 1e6);
}

function isError(entry: CloudEntryPayload): boolean {
  const severity = typeof entry.severity === 'number' ? SEVERITIES[entry.severity / 100] : parseSeverity(entry.severity);
  return severity !== undefined && severity !== null && severityRank(severity) >= ERROR_RANK;
}

/**
 * Entries of the service's revisions since `now − 5 min`, newest first, counted. When there are more than the
 * pages read, the window is what those entries span, so the rate is never stretched over time it did not see.
 */
type ErrorRate = NonNullable<CloudRunFacts['errorRate']>;

async function errorRate(client: LoggingServiceV2Client, target: CloudRunTarget, service: string, now: number): Promise<ErrorRate> {
  const since = new Date(now - WINDOW_SECONDS * 1000).toISOString();
  const filter = `resource.type="cloud_run_revision" AND resource.labels.service_name=${filterString(service)} AND timestamp>=${filterString(since)}`;
  const request = { resourceNames: [`projects/${target.project}`], filter, orderBy: 'timestamp desc', pageSize: PAGE_SIZE };
  let errors = 0;
  let total = 0;
  let oldest = now;
  let pageToken: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const [entries, next] = await client.listLogEntries({ ...request, pageToken }, { autoPaginate: false, timeout: CALL_TIMEOUT_MS });
    for (const entry of entries as CloudEntryPayload[]) {
      total++;
      if (isError(entry)) errors++;
      oldest = Math.min(oldest, timestampMs(entry) ?? oldest);
    }
    pageToken = next?.pageToken || undefined;
    if (!pageToken) return { errors, total, windowSeconds: WINDOW_SECONDS };
  }
  return { errors, total, windowSeconds: Math.max(1, Math.round((now - oldest) / 1000)) };
}

/** Cloud Run's condition messages run over several lines (a URL, a hint): one line, nothing dropped. */
function oneLine(text: string | null): string | null {
  return text === null ? null : text.split(/\s*\n\s*/).filter(Boolean).join(' ');
}

function factsOf(service: CloudRunService, rate: CloudRunFacts['errorRate']): CloudRunFacts {
  const latest = service.revisions.find((r) => r.name === service.latestCreatedRevision) ?? service.revisions[0] ?? null;
  return {
    service: printable(service.name),
    ready: service.ready,
    reconciling: service.reconciling,
    readyMessage: oneLine(service.readyMessage),
    latestRevision: latest && { name: printable(latest.name), state: latest.state, message: oneLine(latest.message) },
    errorRate: rate,
  };
}

/** The Logging client, or null when it cannot be made: error rates are then unknown (null), never 0. */
async function openLogging(target: CloudRunTarget): Promise<LoggingServiceV2Client | null> {
  return createLoggingClient(target).catch(() => null);
}

/**
 * Facts of the configured services. Cloud Run not answering is one failure; a configured service the region does
 * not have is one failure naming it. Logging not answering leaves that service's error rate null.
 */
export async function readCloudRunFacts(scope: CloudRunScope, now = Date.now()): Promise<{ facts: CloudRunFacts[]; failures: DoctorFailure[] }> {
  const { target } = scope;
  let api: CloudRunApi | null = null;
  let logging: LoggingServiceV2Client | null = null;
  try {
    api = await createCloudRunApi(target);
    const read = await readCloudRun(api, scope.services);
    logging = read.services.length > 0 ? await openLogging(target) : null;
    const client = logging;
    const facts = await Promise.all(
      read.services.map(async (service) => factsOf(service, client ? await errorRate(client, target, service.name, now).catch(() => null) : null)),
    );
    const where = `${target.project} (${target.region})`;
    const failures = read.missing.map((name): DoctorFailure => ({
      scope: 'cloudrun',
      message: `Cloud Run service ${printable(name)} is configured but ${where} has no such service`,
    }));
    return { facts, failures };
  } catch (error) {
    const why = describeCloudError(error, { ...target, endpoint: endpointLabel(target) }).message;
    return { facts: [], failures: [{ scope: 'cloudrun', message: `cannot read Cloud Run at ${endpointLabel(target)}: ${printable(why)}` }] };
  } finally {
    await Promise.all([api?.close().catch(() => undefined), logging?.close().catch(() => undefined)]);
  }
}
