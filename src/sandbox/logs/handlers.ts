import { createHash } from 'node:crypto';
import type { grpc } from 'google-gax';
import { checkLogResources, checkProject } from '../names';
import { decodePageToken, encodePageToken, pageSizeOf } from '../paging';
import { unary, type CallEnv } from '../rpc';
import { invalidArgument } from '../rpc-error';
import { fromTimestamp, nowNanos, toTimestamp } from '../time';
import type * as w from '../wire';
import type { LogBook } from './book';
import { compileFilter } from './filter';
import type { Tails } from './tail';

const service = 'google.logging.v2.LoggingServiceV2';

interface EntriesToken {
  time: string;
  seq: number;
  maxSeq: number;
  /** The request the listing belongs to: resource names, filter and order. */
  scope: string;
}

/** WriteLogEntries, ListLogEntries and TailLogEntries; the other methods answer UNIMPLEMENTED. */
export function loggingHandlers(
  book: LogBook,
  tails: Tails,
  env: CallEnv,
  pageSize: number,
): grpc.UntypedServiceImplementation {
  return {
    WriteLogEntries: unary(
      { service, method: 'WriteLogEntries' },
      env,
      (request: w.WriteLogEntriesRequest): w.WriteLogEntriesResponse => {
        write(book, request);
        return {};
      },
    ),
    ListLogEntries: unary(
      { service, method: 'ListLogEntries' },
      env,
      (request: w.ListLogEntriesRequest): w.ListLogEntriesResponse => list(book, request, pageSize),
    ),
    TailLogEntries: tails.handle,
  };
}

function list(book: LogBook, request: w.ListLogEntriesRequest, defaultPageSize: number): w.ListLogEntriesResponse {
  const names = request.resourceNames ?? [];
  checkLogResources(names);
  const order = parseOrder(request.orderBy ?? '');
  const filterText = request.filter ?? '';
  const filter = compileFilter(filterText);
  const scope = createHash('sha256')
    .update(JSON.stringify([names, filterText, order]))
    .digest('base64url')
    .slice(0, 16);
  const token = request.pageToken
    ? decodePageToken(request.pageToken, (s): s is EntriesToken => isEntriesToken(s) && s.scope === scope)
    : null;
  const maxSeq = token?.maxSeq ?? book.latestSeq;
  const { entries, more } = book.history.query({
    filter,
    order,
    after: token && { time: BigInt(token.time), seq: token.seq },
    maxSeq,
    limit: pageSizeOf(request.pageSize, defaultPageSize),
  });
  const last = entries.at(-1);
  const next: EntriesToken | null = more && last ? { time: String(last.time), seq: last.seq, maxSeq, scope } : null;
  return { entries: entries.map((s) => s.entry), nextPageToken: next ? encodePageToken(next) : '' };
}

function parseOrder(orderBy: string): 'asc' | 'desc' {
  if (orderBy.trim() === '') return 'asc';
  const match = /^\s*timestamp(?:\s+(asc|desc))?\s*$/i.exec(orderBy);
  if (!match) throw invalidArgument(`Unsupported order_by '${orderBy}': use "timestamp asc" or "timestamp desc".`);
  return (match[1]?.toLowerCase() ?? 'asc') as 'asc' | 'desc';
}

function write(book: LogBook, request: w.WriteLogEntriesRequest): void {
  const entries = (request.entries ?? []).map((entry, i): w.LogEntry => {
    const logName = entry.logName || request.logName || '';
    const match = /^projects\/([^/]+)\/logs\/[^/]+$/.exec(logName);
    if (!match) {
      throw invalidArgument(`entries[${i}]: log_name must be projects/netra-staging/logs/LOG_ID, got '${logName}'.`);
    }
    checkProject(match[1] ?? '');
    return {
      ...entry,
      logName,
      resource: entry.resource ?? request.resource ?? { type: 'global', labels: {} },
      labels: { ...request.labels, ...entry.labels },
    };
  });
  if (entries.length === 0) throw invalidArgument('entries must contain at least one log entry.');
  if (request.dryRun) return;
  for (const entry of entries) {
    const seq = book.nextSeq();
    const time = fromTimestamp(entry.timestamp) ?? book.nextTime();
    const insertId = entry.insertId || `w${seq.toString(16).padStart(12, '0')}`;
    book.record(seq, time, {
      ...entry,
      timestamp: toTimestamp(time),
      receiveTimestamp: toTimestamp(nowNanos()),
      insertId,
    });
  }
}

function isEntriesToken(state: unknown): state is EntriesToken {
  const s = state as EntriesToken | null | undefined;
  return (
    typeof s?.time === 'string' &&
    /^\d+$/.test(s.time) &&
    typeof s.seq === 'number' &&
    typeof s.maxSeq === 'number' &&
    typeof s.scope === 'string'
  );
}
