import { grpc } from 'google-gax';
import type { FaultState, MethodRef, TailEndCode } from '../faults';
import { checkLogResources } from '../names';
import { admit, type CallEnv } from '../rpc';
import { invalidArgument, RpcError, toStatus } from '../rpc-error';
import { durationMs, msToNanos, nowNanos } from '../time';
import type { TailLogEntriesRequest, TailLogEntriesResponse } from '../wire';
import type { LogBook } from './book';
import { compileFilter, type EntryFilter } from './filter';
import { compareCursor, type StoredEntry } from './history';

type TailCall = grpc.ServerDuplexStream<TailLogEntriesRequest, TailLogEntriesResponse>;

const REF: MethodRef = { service: 'google.logging.v2.LoggingServiceV2', method: 'TailLogEntries' };
const TICK_MS = 100;
/** Logging's default buffer window, and its upper bound. */
const DEFAULT_BUFFER_WINDOW_MS = 2_000;
const MAX_BUFFER_WINDOW_MS = 60_000;
/** Entries held for a client that does not read; past this the oldest are dropped as NOT_CONSUMED. */
const MAX_PENDING = 10_000;
const MAX_ENTRIES_PER_RESPONSE = 1_000;

const END_MESSAGES: Record<TailEndCode, string> = {
  OUT_OF_RANGE: 'The tail session reached its maximum duration; start a new one to keep tailing.',
  UNAVAILABLE: 'The service is currently unavailable.',
  DEADLINE_EXCEEDED: 'Deadline exceeded while tailing log entries.',
};

interface Session {
  call: TailCall;
  filter: EntryFilter;
  bufferWindow: bigint;
  startedAt: number;
  pending: StoredEntry[];
  /** Entries left out since the last response, by reason. */
  rateLimited: number;
  notConsumed: number;
  /** Token bucket of the rate limit: entries it may still pass. */
  allowance: number;
  refilledAt: number;
  /** The client's receive buffer is full; wait for 'drain'. */
  blocked: boolean;
  unsubscribe: () => void;
}

/**
 * TailLogEntries: the first request opens a session (resource names, filter, buffer window); matching entries are
 * then streamed as they are recorded, held back by the buffer window so they go out in timestamp order. Entries
 * over the rate limit are left out and counted in suppression_info, as Logging does.
 */
export class Tails {
  private readonly sessions = new Set<Session>();
  private ticker: NodeJS.Timeout | null = null;

  constructor(
    private readonly book: LogBook,
    private readonly faults: FaultState,
    private readonly env: CallEnv,
  ) {}

  readonly handle = (call: TailCall): void => {
    let session: Session | null = null;
    call.on('data', (request: TailLogEntriesRequest) => {
      if (session || call.cancelled) return; // later requests change nothing
      try {
        admit(REF, this.env, request);
        session = this.open(call, request);
      } catch (error) {
        call.emit('error', toStatus(error));
      }
    });
    call.on('end', () => {
      // The client half-closed: send what is due and finish cleanly.
      if (session) this.end(session, null);
      else call.end();
    });
    call.on('cancelled', () => {
      if (session) this.close(session);
    });
  };

  stop(): void {
    for (const session of this.sessions)
      this.end(session, new RpcError(grpc.status.UNAVAILABLE, 'The sandbox is shutting down.'));
    if (this.ticker) clearInterval(this.ticker);
    this.ticker = null;
  }

  private open(call: TailCall, request: TailLogEntriesRequest): Session {
    checkLogResources(request.resourceNames ?? []);
    const windowMs = durationMs(request.bufferWindow) ?? DEFAULT_BUFFER_WINDOW_MS;
    if (windowMs < 0 || windowMs > MAX_BUFFER_WINDOW_MS) {
      throw invalidArgument(
        `buffer_window must be between 0 and ${MAX_BUFFER_WINDOW_MS / 1000} seconds, got ${windowMs} ms.`,
      );
    }
    const session: Session = {
      call,
      filter: compileFilter(request.filter ?? ''),
      bufferWindow: msToNanos(windowMs),
      startedAt: Date.now(),
      pending: [],
      rateLimited: 0,
      notConsumed: 0,
      allowance: this.faults.tailRateLimit ?? Number.POSITIVE_INFINITY,
      refilledAt: Date.now(),
      blocked: false,
      unsubscribe: () => undefined,
    };
    session.unsubscribe = this.book.subscribe((stored) => this.offer(session, stored));
    call.on('drain', () => {
      session.blocked = false;
    });
    this.sessions.add(session);
    this.ticker ??= setInterval(() => this.tick(), TICK_MS);
    return session;
  }

  private offer(session: Session, stored: StoredEntry): void {
    if (!session.filter(stored)) return;
    const limit = this.faults.tailRateLimit;
    if (limit !== null) {
      const now = Date.now();
      session.allowance = Math.min(limit, session.allowance + ((now - session.refilledAt) / 1000) * limit);
      session.refilledAt = now;
      if (session.allowance < 1) {
        session.rateLimited++;
        return;
      }
      session.allowance--;
    }
    session.pending.push(stored);
    // Only a client that stops reading loses entries; the buffer window alone may hold any number of them.
    if (session.blocked && session.pending.length > MAX_PENDING) {
      session.pending.shift();
      session.notConsumed++;
    }
  }

  private tick(): void {
    const now = Date.now();
    const end = this.faults.tailEnd;
    for (const session of this.sessions) {
      if (end && now >= Math.max(session.startedAt, end.since) + end.seconds * 1000) {
        this.end(session, new RpcError(grpc.status[end.code], END_MESSAGES[end.code]));
      } else {
        // grpc-js does not always emit 'drain' on server streams; the stream's own flag says when it has room.
        if (session.blocked && !(session.call as { writableNeedDrain?: boolean }).writableNeedDrain) session.blocked = false;
        if (!session.blocked) this.flush(session, nowNanos() - session.bufferWindow);
      }
    }
  }

  /** Sends the pending entries stamped at or before `upTo` (all of them when null), with the suppression counts. */
  private flush(session: Session, upTo: bigint | null): void {
    session.pending.sort(compareCursor);
    const cut = upTo === null ? session.pending.length : session.pending.findIndex((s) => s.time > upTo);
    const ready = session.pending.splice(0, cut < 0 ? session.pending.length : cut);
    const suppressionInfo: NonNullable<TailLogEntriesResponse['suppressionInfo']> = [];
    if (session.rateLimited > 0) suppressionInfo.push({ reason: 'RATE_LIMIT', suppressedCount: session.rateLimited });
    if (session.notConsumed > 0) suppressionInfo.push({ reason: 'NOT_CONSUMED', suppressedCount: session.notConsumed });
    if (ready.length === 0 && suppressionInfo.length === 0) return;
    session.rateLimited = 0;
    session.notConsumed = 0;
    // Cloud Logging sends large amounts in several responses (a client takes messages of at most 4 MiB).
    for (let i = 0; i === 0 || i < ready.length; i += MAX_ENTRIES_PER_RESPONSE) {
      const entries = ready.slice(i, i + MAX_ENTRIES_PER_RESPONSE).map((s) => s.entry);
      if (!session.call.write({ entries, suppressionInfo: i === 0 ? suppressionInfo : [] })) session.blocked = true;
    }
  }

  /** Ends a session: what is pending goes out first, then the status (OK when `error` is null). */
  private end(session: Session, error: RpcError | null): void {
    this.close(session);
    if (session.call.cancelled) return;
    this.flush(session, null);
    if (error) session.call.emit('error', toStatus(error));
    else session.call.end();
  }

  private close(session: Session): void {
    session.unsubscribe();
    this.sessions.delete(session);
    if (this.sessions.size === 0 && this.ticker) {
      clearInterval(this.ticker);
      this.ticker = null;
    }
  }
}
