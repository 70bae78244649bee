import type { LoggingServiceV2Client } from '@google-cloud/logging-api';
import { lineFromCloudEntry, type CloudEntryPayload, type NewLogLine } from '../../domain/log-line';
import { printable, terminalJson } from '../../domain/printable';
import { clientOptions, type CloudRunTarget } from '../cloud-run/client';

/** `lastError` on connecting: why the session before failed, while a new one is tried. */
export type TailState = { state: 'connecting'; lastError?: string } | { state: 'live' } | { state: 'reconnecting'; reason: string; retryAt: number };

export interface CloudTailOptions {
  target: CloudRunTarget;
  /** Cloud Logging filter, e.g. resource.type="cloud_run_revision". */
  filter: string;
  /** RFC 3339: backfill from here when the tail opens (`logs --since --follow`). */
  since?: string;
  onLine(line: NewLogLine): void;
  onState(state: TailState): void;
  /** Asked on each failure; false stops the tail instead of reconnecting (`logs --follow` ends on a fatal error). */
  shouldReconnect?(error: unknown): boolean;
  /** How long a session waits for its endpoint to answer before it is tried again (default ANSWER_TIMEOUT_MS). */
  answerTimeoutMs?: number;
}

interface TailResponse {
  entries?: CloudEntryPayload[];
  suppressionInfo?: Array<{ reason?: string | number; suppressedCount?: number }>;
}

/** Tail sessions end (OUT_OF_RANGE after an hour) or drop; these codes mean: reconnect and carry on. */
const RECONNECT_CODES = new Set([1, 4, 11, 13, 14]); // CANCELLED, DEADLINE_EXCEEDED, OUT_OF_RANGE, INTERNAL, UNAVAILABLE
const MAX_BACKOFF_MS = 30_000;
/** A new session's endpoint has this long to answer (grpc-js gives a connection attempt as long). */
const ANSWER_TIMEOUT_MS = 20_000;
const DEADLINE_EXCEEDED = 4;
/**
 * Entries as soon as Logging has them. A server buffer window (default 2 s) holds every entry that long to order
 * it, which made each Cloud line a second late and put it after container lines logged later; the ingest orders
 * lines across all sources instead (REORDER_MS in store/log-ring.ts).
 */
const NO_BUFFER_WINDOW = { seconds: 0 };

/**
 * A value as a Logging query string literal: quoted, with `"` and `\` escaped, so no value (a service name, an
 * insertId) can end the string and add clauses of its own.
 */
export function filterString(value: string): string {
  return `"${value.replace(/["\\]/g, '\\$&')}"`;
}

/**
 * Loads the Logging client on first use; it is heavy and must not delay the first frame. It is @google-cloud/logging's
 * `v2.LoggingServiceV2Client`, from its own module: the package's index also loads the Logging class's dependencies,
 * the config and metrics clients and the static protobuf modules (~8 MiB the console never uses).
 */
export async function createLoggingClient(target: CloudRunTarget): Promise<LoggingServiceV2Client> {
  const [{ LoggingServiceV2Client }, options] = await Promise.all([import('@google-cloud/logging-api/build/src/v2/logging_service_v2_client.js'), clientOptions(target)]);
  return new LoggingServiceV2Client(options);
}

/** Entries since `sinceIso` (inclusive), oldest first: the backfill after a reconnect and `logs --since`. */
export async function listEntriesSince(
  client: LoggingServiceV2Client,
  target: CloudRunTarget,
  filter: string,
  sinceIso: string,
  signal?: AbortSignal,
): Promise<NewLogLine[]> {
  const request = { resourceNames: [`projects/${target.project}`], filter: `${filter}\ntimestamp>=${filterString(sinceIso)}`, orderBy: 'timestamp asc' };
  const lines: NewLogLine[] = [];
  let pageToken: string | undefined;
  do {
    // Page by page: on abort, gax's auto-pagination rejects but leaves the call running until its timeout.
    const [entries, next] = await client.listLogEntries({ ...request, pageToken }, { autoPaginate: false, timeout: 30_000, signal });
    for (const entry of entries as CloudEntryPayload[]) lines.push(lineFromCloudEntry(entry));
    pageToken = next?.pageToken || undefined;
  } while (pageToken);
  return lines;
}

/** One entry by insertId (what Enter shows), or null when Cloud Logging no longer has it. */
export async function getEntry(client: LoggingServiceV2Client, target: CloudRunTarget, insertId: string, timestampIso: string): Promise<CloudEntryPayload | null> {
  // The line keeps its time to the millisecond; the entry's own time lies within that millisecond.
  const from = new Date(timestampIso);
  const until = new Date(from.getTime() + 1);
  const filter = `insertId=${filterString(insertId)}\ntimestamp>=${filterString(from.toISOString())}\ntimestamp<${filterString(until.toISOString())}`;
  const [entries] = await client.listLogEntries(
    { resourceNames: [`projects/${target.project}`], filter, pageSize: 1 },
    { autoPaginate: false, timeout: 15_000 },
  );
  return (entries as CloudEntryPayload[])[0] ?? null;
}

/**
 * Follows Cloud Logging through the generated TailLogEntries stream (the wrapper's tailEntries drops
 * bufferWindow). When the stream ends or fails it reconnects with backoff and backfills the gap with
 * ListLogEntries from the last timestamp seen; the ingest drops the overlap by insertId.
 */
export class CloudTail {
  private client: Promise<LoggingServiceV2Client> | null = null;
  private stream: ReturnType<LoggingServiceV2Client['tailLogEntries']> | null = null;
  private timer: NodeJS.Timeout | null = null;
  /** Ends a session whose endpoint has not answered in time, so it is tried again and the header says why. */
  private answerTimer: NodeJS.Timeout | null = null;
  private lastTimestamp: string | null = null;
  private failures = 0;
  private stopped = false;
  private session = 0;
  /** Why the last session failed, said again while the next one connects; cleared once one is live. */
  private lastFailure: string | null = null;
  /** The session that has said it is live (once each). */
  private liveSession = -1;
  /** Cancels the backfill in flight on stop: closing the client leaves its calls running (up to their timeout). */
  private inFlight = new AbortController();

  constructor(private readonly options: CloudTailOptions) {
    this.lastTimestamp = options.since ?? null;
  }

  start(): void {
    this.stopped = false;
    this.inFlight = new AbortController();
    void this.connect();
  }

  /** The whole entry behind a Cloud line, fetched through the tail's client. */
  async entry(insertId: string, timestampIso: string): Promise<CloudEntryPayload | null> {
    if (!this.client) throw new Error('the Cloud Logging tail has not started');
    return getEntry(await this.client, this.options.target, insertId, timestampIso);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.session++;
    this.inFlight.abort();
    if (this.timer) clearTimeout(this.timer);
    this.clearAnswerTimer();
    this.stream?.cancel?.();
    this.stream?.destroy();
    const client = await this.client?.catch(() => null);
    await client?.close();
  }

  private deliver(line: NewLogLine): void {
    if (!this.lastTimestamp || line.timestamp > this.lastTimestamp) this.lastTimestamp = line.timestamp;
    this.options.onLine(line);
  }

  private async connect(): Promise<void> {
    const session = ++this.session;
    const { target, filter } = this.options;
    const gapStart = this.lastTimestamp;
    // While the gap is backfilled, tail entries wait here so lines keep their order.
    let held: NewLogLine[] | null = gapStart ? [] : null;
    this.options.onState(this.lastFailure ? { state: 'connecting', lastError: this.lastFailure } : { state: 'connecting' });
    try {
      // Made again after a failure (no credentials yet): signing in is enough to recover.
      this.client ??= createLoggingClient(target).catch((error: unknown) => {
        this.client = null;
        throw error;
      });
      const client = await this.client;
      if (session !== this.session) return;
      const stream = client.tailLogEntries();
      this.stream = stream;
      stream.on('data', (response: TailResponse) => {
        if (session !== this.session) return;
        this.failures = 0;
        this.markLive(session);
        for (const entry of response.entries ?? []) {
          const line = lineFromCloudEntry(entry);
          if (held) held.push(line);
          else this.deliver(line);
        }
        for (const info of response.suppressionInfo ?? []) this.options.onLine(suppressionNotice(info));
      });
      stream.on('error', (error: { code?: number; details?: string; message?: string }) => this.lost(session, error));
      stream.on('end', () => this.lost(session, { message: 'tail stream ended' }));
      stream.write({
        resourceNames: [`projects/${target.project}`],
        filter,
        bufferWindow: NO_BUFFER_WINDOW,
      });
      // Live once the endpoint is reached, not when the request is queued: an endpoint that takes the connection and
      // never answers must not show a live tail. The channel's connection, an entry or the backfill's answer says so.
      if (!gapStart) {
        this.awaitAnswer(session);
        void this.markLiveOnceConnected(client, session);
      }
      // Opened before the backfill reads, so the two overlap instead of leaving a hole; insertIds drop the overlap.
      if (gapStart) {
        const backfill = await listEntriesSince(client, target, filter, gapStart, this.inFlight.signal);
        if (session !== this.session) return;
        for (const line of backfill) this.deliver(line);
        const waiting: NewLogLine[] = held ?? [];
        held = null;
        for (const line of waiting) this.deliver(line);
        this.markLive(session);
      }
    } catch (error) {
      this.lost(session, error as { code?: number; message?: string });
    }
  }

  private awaitAnswer(session: number): void {
    const ms = this.options.answerTimeoutMs ?? ANSWER_TIMEOUT_MS;
    const { endpoint } = this.options.target;
    const where = endpoint ? `${endpoint.host}:${endpoint.port}` : 'Cloud Logging';
    this.answerTimer = setTimeout(() => this.lost(session, { code: DEADLINE_EXCEEDED, message: `no answer from ${where} within ${ms / 1000} s` }), ms);
  }

  private clearAnswerTimer(): void {
    if (this.answerTimer) clearTimeout(this.answerTimer);
    this.answerTimer = null;
  }

  private markLive(session: number): void {
    if (session !== this.session || this.liveSession === session) return;
    this.clearAnswerTimer();
    this.lastFailure = null;
    this.liveSession = session;
    this.options.onState({ state: 'live' });
  }

  private async markLiveOnceConnected(client: LoggingServiceV2Client, session: number): Promise<void> {
    if (await channelReady(client, () => session !== this.session)) this.markLive(session);
  }

  private lost(session: number, error: { code?: number; details?: string; message?: string }): void {
    if (session !== this.session || this.stopped) return;
    this.session++;
    this.clearAnswerTimer();
    this.stream?.destroy();
    this.stream = null;
    if (this.options.shouldReconnect?.(error) === false) {
      this.stopped = true;
      return;
    }
    const expected = error.code === undefined || RECONNECT_CODES.has(error.code);
    const delay = Math.min(500 * 2 ** this.failures++, MAX_BACKOFF_MS);
    const reason = printable((error.details || error.message || 'disconnected').split('\n')[0]!);
    this.lastFailure = expected ? reason : `${reason} (will keep trying)`;
    this.options.onState({ state: 'reconnecting', reason: this.lastFailure, retryAt: Date.now() + delay });
    this.timer = setTimeout(() => void this.connect(), delay);
  }
}

/** grpc-js's connectivity states by number (grpc.connectivityState): google-gax is loaded only with the client. */
const CHANNEL_READY = 2;
const CHANNEL_SHUT_DOWN = 4;

interface GrpcChannel {
  getConnectivityState(tryToConnect: boolean): number;
  watchConnectivityState(current: number, deadline: number, callback: () => void): void;
}

/** Resolves true once the client's connection to its endpoint is up, false if `abandoned` first or the client closed. */
async function channelReady(client: LoggingServiceV2Client, abandoned: () => boolean): Promise<boolean> {
  const stub = (await client.loggingServiceV2Stub) as unknown as { getChannel(): GrpcChannel } | undefined;
  const channel = stub?.getChannel();
  if (!channel) return false;
  for (;;) {
    if (abandoned()) return false;
    const state = channel.getConnectivityState(false);
    if (state === CHANNEL_READY) return true;
    if (state === CHANNEL_SHUT_DOWN) return false;
    await new Promise<void>((resolve) => channel.watchConnectivityState(state, Number.POSITIVE_INFINITY, resolve));
  }
}

function suppressionNotice(info: { reason?: string | number; suppressedCount?: number }): NewLogLine {
  const reason = info.reason === 'RATE_LIMIT' || info.reason === 1 ? 'rate limit' : info.reason === 'NOT_CONSUMED' || info.reason === 2 ? 'not consumed' : printable(String(info.reason ?? 'unknown'));
  return {
    origin: 'notice',
    insertId: null,
    timestamp: new Date().toISOString(),
    source: 'cloud logging',
    severity: 'WARNING',
    message: `${info.suppressedCount ?? 0} entries suppressed: ${reason}`,
    detail: terminalJson(info),
  };
}
