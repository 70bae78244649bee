import { revisionNumber } from './cloud-run';
import { boundedLine, MAX_LINE_BYTES, printable, terminalJson } from './printable';
/** Cloud Logging severities, lowest first. */
export const SEVERITIES = ['DEFAULT', 'DEBUG', 'INFO', 'NOTICE', 'WARNING', 'ERROR', 'CRITICAL', 'ALERT', 'EMERGENCY'] as const;
export type Severity = (typeof SEVERITIES)[number];

export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}

export function parseSeverity(value: unknown): Severity | null {
  const upper = typeof value === 'string' ? value.toUpperCase() : '';
  if (upper === 'WARN') return 'WARNING';
  if (upper === 'FATAL') return 'CRITICAL';
  return (SEVERITIES as readonly string[]).includes(upper) ? (upper as Severity) : null;
}

/** One line of the logs panel, from Cloud Logging, a container, or the console itself (notices). */
export interface LogLine {
  /** Order of arrival in this console; the view anchors on it. */
  seq: number;
  origin: 'cloud' | 'container' | 'notice';
  /** Cloud Logging's insertId, used to drop duplicates after a reconnect. */
  insertId: string | null;
  /** RFC 3339. */
  timestamp: string;
  /** service/revision, or the container name (with the stream for stderr). */
  source: string;
  severity: Severity;
  message: string;
  /**
   * What a container's line said beyond its message (the original JSON line), or a notice's details; null
   * otherwise. Cloud lines keep none: Enter fetches the whole entry by insertId, because holding 10,000 entries
   * under a flood doubled the console's CPU and added ~20 MB.
   */
  detail: string | null;
}

export type NewLogLine = Omit<LogLine, 'seq'>;

/** The subset of google.logging.v2.LogEntry the console reads (as the official client returns it). */
export interface CloudEntryPayload {
  insertId?: string | null;
  timestamp?: { seconds?: number | string | null; nanos?: number | null } | null;
  receiveTimestamp?: { seconds?: number | string | null; nanos?: number | null } | null;
  severity?: string | number | null;
  resource?: { type?: string | null; labels?: Record<string, string> | null } | null;
  textPayload?: string | null;
  /** Which payload is set: protobufjs adds the oneof's name (`oneofs: true`); not part of the entry. */
  payload?: string | null;
  jsonPayload?: { fields?: Record<string, StructValue> } | null;
  httpRequest?: { requestMethod?: string | null; requestUrl?: string | null; status?: number | null; latency?: { seconds?: number | string | null; nanos?: number | null } | null } | null;
  labels?: Record<string, string> | null;
  logName?: string | null;
}

interface StructValue {
  stringValue?: string;
  numberValue?: number;
  boolValue?: boolean;
  nullValue?: unknown;
  structValue?: { fields?: Record<string, StructValue> };
  listValue?: { values?: StructValue[] };
  kind?: string;
}

/** google.protobuf.Struct → plain JSON. */
export function structToJson(fields: Record<string, StructValue> | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields ?? {})) out[key] = valueToJson(value);
  return out;
}

function valueToJson(value: StructValue): unknown {
  if (value.stringValue !== undefined && (value.kind === undefined || value.kind === 'stringValue')) return value.stringValue;
  if (value.numberValue !== undefined && (value.kind === undefined || value.kind === 'numberValue')) return value.numberValue;
  if (value.boolValue !== undefined && (value.kind === undefined || value.kind === 'boolValue')) return value.boolValue;
  if (value.structValue) return structToJson(value.structValue.fields);
  if (value.listValue) return (value.listValue.values ?? []).map(valueToJson);
  return null;
}

function timestampIso(ts: CloudEntryPayload['timestamp']): string {
  if (!ts || ts.seconds === undefined || ts.seconds === null) return new Date(0).toISOString();
  const ms = Number(ts.seconds) * 1000 + Math.floor((ts.nanos ?? 0) / 1e6);
  return new Date(ms).toISOString();
}

/** google.protobuf.Timestamp as its JSON form, to the nanosecond Cloud Logging orders by. */
function preciseIso(ts: NonNullable<CloudEntryPayload['timestamp']>): string {
  const whole = new Date(Number(ts.seconds ?? 0) * 1000).toISOString().slice(0, 19);
  const fraction = String(ts.nanos ?? 0).padStart(9, '0').replace(/(000)+$/, '');
  return `${whole}${fraction ? `.${fraction}` : ''}Z`;
}

/** google.protobuf.Duration as its JSON form, e.g. "0.139s". */
function durationText(duration: { seconds?: number | string | null; nanos?: number | null }): string {
  return `${Number(duration.seconds ?? 0) + (duration.nanos ?? 0) / 1e9}s`;
}

/** Proto3 JSON leaves default values out; the client fills them in (nulls, empty strings, false). */
function withoutDefaults(value: unknown): unknown {
  if (value === null || value === undefined || value === '' || value === false) return undefined;
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (Array.isArray(value)) {
    const items = value.map(withoutDefaults).filter((item) => item !== undefined);
    return items.length > 0 ? items : undefined;
  }
  if (typeof value !== 'object') return value;
  let out: Record<string, unknown> | undefined;
  for (const [key, item] of Object.entries(value)) {
    const kept = withoutDefaults(item);
    if (kept !== undefined) (out ??= {})[key] = kept;
  }
  return out;
}

/** The entry as Cloud Logging's JSON view shows it: defaults left out, times in RFC 3339, the payload as JSON. */
export function cloudEntryDetail(entry: CloudEntryPayload): string {
  const { jsonPayload: struct, payload: _oneofName, ...rest } = entry;
  const json = struct ? structToJson(struct.fields) : null;
  const http = entry.httpRequest;
  const shown = withoutDefaults({
    ...rest,
    timestamp: entry.timestamp ? preciseIso(entry.timestamp) : undefined,
    receiveTimestamp: entry.receiveTimestamp ? preciseIso(entry.receiveTimestamp) : undefined,
    httpRequest: http ? { ...http, latency: http.latency ? durationText(http.latency) : undefined } : undefined,
  }) as Record<string, unknown>;
  // The application's own values are shown as written, defaults and all.
  return terminalJson(json ? { ...shown, jsonPayload: json } : shown);
}

function latencyMs(latency: { seconds?: number | string | null; nanos?: number | null } | null | undefined): string {
  if (!latency) return '';
  return ` ${Math.round(Number(latency.seconds ?? 0) * 1000 + (latency.nanos ?? 0) / 1e6)}ms`;
}

/** The service's own host adds nothing on a line that already names the service. */
function urlPath(url: string | null | undefined): string {
  if (!url) return '';
  try {
    const parsed = new URL(url);
    return parsed.pathname + parsed.search;
  } catch {
    return url;
  }
}


/** A Cloud Logging entry as a panel line: JSON payloads show their message field, request logs a summary. */
export function lineFromCloudEntry(entry: CloudEntryPayload): NewLogLine {
  const labels = entry.resource?.labels ?? {};
  const json = entry.jsonPayload ? structToJson(entry.jsonPayload.fields) : null;
  const http = entry.httpRequest;
  const message =
    (json && typeof json.message === 'string' ? json.message : null) ??
    entry.textPayload ??
    (http ? `${http.requestMethod ?? ''} ${urlPath(http.requestUrl)} ${http.status ?? ''}${latencyMs(http.latency)}`.trim() : null) ??
    (json ? JSON.stringify(json) : '');
  const severity = parseSeverity(typeof entry.severity === 'string' ? entry.severity : SEVERITIES[Number(entry.severity ?? 0) / 100] ?? null);
  const source = [labels.service_name, labels.revision_name ? (revisionNumber(labels.revision_name) ?? labels.revision_name) : undefined].filter(Boolean).join('/');
  return {
    origin: 'cloud',
    insertId: entry.insertId ?? null,
    timestamp: timestampIso(entry.timestamp),
    source: printable(source || (entry.resource?.type ?? 'cloud')),
    severity: severity ?? 'DEFAULT',
    message: shownText(message, 'Cloud Logging'),
    detail: null,
  };
}

const LEVEL_WORDS: Array<[RegExp, Severity]> = [
  [/\b(CRITICAL|FATAL|PANIC)\b/i, 'CRITICAL'],
  [/\bERROR\b/i, 'ERROR'],
  [/\bWARN(ING)?\b/i, 'WARNING'],
  [/\bDEBUG\b/i, 'DEBUG'],
  [/\bINFO\b/i, 'INFO'],
];

/**
 * A copy of a short piece of a long string. V8 keeps a slice as a view of its parent, so a 30-character timestamp
 * sliced from a 100 KB line would keep the whole line alive in the ring (a flood of such lines exhausted the heap).
 */
function detached(piece: string): string {
  return Buffer.from(piece, 'utf8').toString('utf8');
}

/** A container line's source names the container, and the stream when it is stderr. */
function containerSource(container: string, stream: 'stdout' | 'stderr'): string {
  return stream === 'stderr' ? `${printable(container)} (stderr)` : printable(container);
}

/**
 * Foreign text as the ring holds it: bounded where it enters (the whole stays with its source, `wholeIn`) and with
 * its control characters made visible, so neither a flood of long lines nor escape sequences get any further.
 */
function shownText(text: string, wholeIn: string): string {
  return printable(boundedLine(text, wholeIn));
}

/** The container and stream of a container line, read back from its source (container names have no spaces). */
export function containerOfLine(line: Pick<LogLine, 'source'>): { container: string; stream: 'stdout' | 'stderr' } {
  const stderr = line.source.endsWith(' (stderr)');
  return { container: stderr ? line.source.slice(0, -' (stderr)'.length) : line.source, stream: stderr ? 'stderr' : 'stdout' };
}

/**
 * A container log line (docker prefixes each with an RFC 3339 timestamp when asked). JSON lines give their own
 * level and message; plain lines are classified by their level word. A line without one is DEFAULT (no level),
 * on stderr too: programs write progress and banners there, and calling them warnings cries wolf.
 */
export function lineFromContainer(container: string, stream: 'stdout' | 'stderr', text: string): NewLogLine {
  const space = text.indexOf(' ');
  const hasTime = space > 0 && /^\d{4}-\d\d-\d\dT/.test(text);
  const timestamp = hasTime ? detached(text.slice(0, space)) : new Date().toISOString();
  const body = hasTime ? text.slice(space + 1) : text;
  let message = body;
  let severity: Severity | null = null;
  if (body.startsWith('{')) {
    try {
      const json = JSON.parse(body) as Record<string, unknown>;
      severity = parseSeverity(json.severity ?? json.level);
      if (typeof json.message === 'string') message = json.message;
      else if (typeof json.msg === 'string') message = json.msg;
    } catch {
      // Not JSON after all; keep the text.
    }
  }
  // Classified by what a cut line keeps: scanning 100 KB lines for level words doubled the cost of a flood.
  const head = body.slice(0, MAX_LINE_BYTES);
  severity ??= LEVEL_WORDS.find(([pattern]) => pattern.test(head))?.[1] ?? 'DEFAULT';
  return {
    origin: 'container',
    insertId: null,
    timestamp,
    source: containerSource(container, stream),
    severity,
    message: shownText(message, `\`docker logs ${container}\``),
    detail: message === body ? null : shownText(body, `\`docker logs ${container}\``),
  };
}

/** A line as plain text for a terminal or a file (`logs`, saved logs): time, source, severity, message. */
export function plainLogLine(line: Pick<LogLine, 'timestamp' | 'source' | 'severity' | 'message'>): string {
  return `${printable(`${line.timestamp} ${line.source} ${line.severity} ${line.message}`)}\n`;
}
