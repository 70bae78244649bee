import { PROJECT, REGION } from '../names';
import type { Random } from '../random';
import type { FailingRevision, ServingRevision } from '../run/state';
import { msToNanos, nowNanos, toDuration, toTimestamp } from '../time';
import type { LogEntry } from '../wire';
import type { LogBook } from './book';
import { toStruct, type JsonObject } from './struct';

/** What is running, as the generator needs it (CloudRun provides it). */
export interface Workload {
  servingRevisions(): ServingRevision[];
  failingRevisions(): FailingRevision[];
}

type Severity = 'DEBUG' | 'INFO' | 'WARNING' | 'ERROR';

interface Route {
  method: string;
  path: () => string;
  statuses: readonly (readonly [number, number])[];
  latencyMs: readonly [number, number];
  weight: number;
}

interface AppLog {
  severity: Severity;
  message: string;
  fields?: () => JsonObject;
  weight: number;
}

interface Component {
  routes: Route[];
  logs: AppLog[];
  /** Next.js writes plain text; the Python services write structured JSON. */
  text: boolean;
  /** Share of the platform's traffic. */
  weight: number;
}

const LOG = (name: string) => `projects/${PROJECT}/logs/run.googleapis.com%2F${name}`;
const TICK_MS = 100;
const USER_AGENTS = [
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0',
  'GoogleHC/1.0',
  'python-httpx/0.27.2',
];

/**
 * Cloud Run-shaped log entries for the serving revisions, at a steady rate: request logs, structured (JSON) and
 * text application logs, and the failed startup probes of a revision that does not start. Every entry carries its
 * sandbox sequence number (label `seq`, `seq` in the JSON payload or `seq=N` at the end of the text, and the last 10
 * hex digits of the insertId) so that tests can prove nothing is lost or repeated.
 */
export class LogGenerator {
  private timer: NodeJS.Timeout | null = null;
  private readonly instances = new Map<string, string[]>();
  private readonly components: Record<string, Component>;

  constructor(
    private readonly book: LogBook,
    private readonly workload: Workload,
    private readonly random: Random,
  ) {
    this.components = components(random);
  }

  /** Fills the history with `count` entries spread over the `minutes` before now. */
  backfill(count: number, minutes: number): void {
    const start = nowNanos() - msToNanos(minutes * 60_000);
    const step = msToNanos((minutes * 60_000) / count);
    for (let i = 0; i < count; i++) {
      const jitter = msToNanos(this.random.next() * 0.8 * Number(step / 1_000_000n));
      this.emitOne(this.book.nextTime(start + step * BigInt(i) + jitter));
    }
  }

  /** Generates `count` entries now. */
  emit(count: number): void {
    for (let i = 0; i < count; i++) this.emitOne(this.book.nextTime());
  }

  start(ratePerSecond: number): void {
    if (ratePerSecond <= 0) return;
    let due = 0;
    let last = Date.now();
    this.timer = setInterval(() => {
      const now = Date.now();
      due += ((now - last) / 1000) * ratePerSecond;
      last = now;
      const count = Math.floor(due);
      due -= count;
      this.emit(count);
    }, TICK_MS);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private emitOne(time: bigint): void {
    const build = this.pickEntry();
    if (!build) return;
    const seq = this.book.nextSeq();
    this.book.record(seq, time, build(seq, time));
  }

  private pickEntry(): ((seq: number, time: bigint) => LogEntry) | null {
    const failing = this.workload.failingRevisions();
    if (failing.length > 0 && this.random.next() < 0.03) {
      const revision = this.random.pick(failing);
      return (seq, time) => this.probeFailure(seq, time, revision);
    }
    const serving = this.workload.servingRevisions();
    if (serving.length === 0) return null;
    const target = this.random.weighted(serving.map((s) => [s, s.percent * this.component(s.service).weight] as const));
    const build = this.random.next() < 0.45 ? this.request : this.appLog;
    return (seq, time) => build.call(this, seq, time, target);
  }

  private request(seq: number, time: bigint, target: ServingRevision): LogEntry {
    const route = this.random.weighted(this.component(target.service).routes.map((r) => [r, r.weight] as const));
    const status = this.random.weighted(route.statuses);
    const latencyMs = this.random.int(...route.latencyMs) + this.random.next();
    return {
      ...this.base(seq, time, target, 'requests'),
      severity: status >= 500 ? 'ERROR' : status >= 400 ? 'WARNING' : 'INFO',
      httpRequest: {
        requestMethod: route.method,
        requestUrl: `${target.uri}${route.path()}`,
        requestSize: String(this.random.int(200, 2_000)),
        status,
        responseSize: String(status === 304 ? 0 : this.random.int(120, 48_000)),
        userAgent: this.random.pick(USER_AGENTS),
        remoteIp: `203.0.113.${this.random.int(1, 254)}`,
        serverIp: '216.239.32.53',
        latency: toDuration(latencyMs),
        protocol: 'HTTP/1.1',
      },
      trace: `projects/${PROJECT}/traces/${this.random.hex(32)}`,
      spanId: this.random.hex(16),
      traceSampled: this.random.next() < 0.1,
    };
  }

  private appLog(seq: number, time: bigint, target: ServingRevision): LogEntry {
    const component = this.component(target.service);
    const log = this.random.weighted(component.logs.map((l) => [l, l.weight] as const));
    const stream = log.severity === 'ERROR' || log.severity === 'WARNING' ? 'stderr' : 'stdout';
    if (component.text) {
      return {
        ...this.base(seq, time, target, stream),
        severity: log.severity,
        textPayload: `${log.message} seq=${seq}`,
      };
    }
    const payload: JsonObject = { message: log.message, seq, ...log.fields?.() };
    return { ...this.base(seq, time, target, 'stdout'), severity: log.severity, jsonPayload: toStruct(payload) };
  }

  private probeFailure(seq: number, time: bigint, failing: FailingRevision): LogEntry {
    return {
      ...this.base(seq, time, { ...failing, percent: 0, uri: '' }, 'varlog%2Fsystem'),
      severity: 'ERROR',
      textPayload: `Default STARTUP TCP probe failed 1 time consecutively for container "${failing.container}" on port 8080. The instance was not started. seq=${seq}`,
    };
  }

  private base(seq: number, time: bigint, target: ServingRevision, log: string): LogEntry {
    return {
      logName: LOG(log),
      resource: {
        type: 'cloud_run_revision',
        labels: {
          service_name: target.service,
          revision_name: target.revision,
          configuration_name: target.service,
          location: REGION,
          project_id: PROJECT,
        },
      },
      timestamp: toTimestamp(time),
      receiveTimestamp: toTimestamp(time + msToNanos(this.random.int(3, 40))),
      insertId: `${(time / 1_000_000_000n).toString(16)}${seq.toString(16).padStart(10, '0')}`,
      labels: { instanceId: this.instance(target.revision), seq: String(seq) },
    };
  }

  /** One of a few instance ids per revision, as a scaled-out revision logs from several instances. */
  private instance(revision: string): string {
    let ids = this.instances.get(revision);
    if (!ids) {
      ids = [0, 1, 2].map(() => `00f46b9285${this.random.hex(118)}`);
      this.instances.set(revision, ids);
    }
    return this.random.pick(ids);
  }

  private component(service: string): Component {
    const key = Object.keys(this.components).find((name) => service.includes(name)) ?? 'backend';
    return this.components[key] as Component;
  }
}

function components(random: Random): Record<string, Component> {
  const id = (prefix: string, length: number) => () => `${prefix}${random.hex(length)}`;
  const thread = id('thr_', 12);
  const user = id('usr_', 10);
  const ok = [[200, 1]] as const;
  return {
    backend: {
      text: false,
      weight: 5,
      routes: [
        { method: 'GET', path: () => '/health', statuses: ok, latencyMs: [1, 6], weight: 3 },
        {
          method: 'POST',
          path: () => '/api/agents/run',
          statuses: [
            [200, 90],
            [500, 6],
            [503, 4],
          ],
          latencyMs: [350, 4_200],
          weight: 3,
        },
        {
          method: 'GET',
          path: () => '/api/threads',
          statuses: [
            [200, 95],
            [401, 5],
          ],
          latencyMs: [18, 120],
          weight: 3,
        },
        {
          method: 'GET',
          path: () => `/api/threads/${thread()}/messages`,
          statuses: [
            [200, 92],
            [404, 8],
          ],
          latencyMs: [25, 260],
          weight: 2,
        },
        { method: 'GET', path: () => '/ws', statuses: [[101, 1]], latencyMs: [2, 15], weight: 1 },
      ],
      logs: [
        {
          severity: 'INFO',
          message: 'Agent run completed',
          weight: 5,
          fields: () => ({
            agent: random.pick(['supervisor', 'triage', 'data', 'optimizations']),
            threadId: thread(),
            durationMs: random.int(300, 4_000),
          }),
        },
        {
          severity: 'DEBUG',
          message: 'Loaded thread context from cache',
          weight: 4,
          fields: () => ({ threadId: thread(), cache: 'redis' }),
        },
        {
          severity: 'INFO',
          message: 'WebSocket connection established',
          weight: 3,
          fields: () => ({ connectionId: id('ws_', 8)(), userId: user() }),
        },
        {
          severity: 'WARNING',
          message: 'Slow database query',
          weight: 2,
          fields: () => ({ table: random.pick(['messages', 'threads', 'runs']), durationMs: random.int(800, 3_000) }),
        },
        {
          severity: 'WARNING',
          message: 'WebSocket client went away without a close frame',
          weight: 1,
          fields: () => ({ userId: user() }),
        },
        {
          severity: 'ERROR',
          message: 'LLM request failed with 429 Too Many Requests; retrying',
          weight: 1,
          fields: () => ({ provider: 'gemini', attempt: random.int(1, 3) }),
        },
      ],
    },
    auth: {
      text: false,
      weight: 2,
      routes: [
        { method: 'GET', path: () => '/health', statuses: ok, latencyMs: [1, 5], weight: 3 },
        {
          method: 'POST',
          path: () => '/auth/token',
          statuses: [
            [200, 88],
            [401, 12],
          ],
          latencyMs: [30, 180],
          weight: 3,
        },
        {
          method: 'GET',
          path: () => '/auth/verify',
          statuses: [
            [200, 93],
            [401, 7],
          ],
          latencyMs: [3, 25],
          weight: 4,
        },
        {
          method: 'POST',
          path: () => '/auth/refresh',
          statuses: [
            [200, 85],
            [401, 15],
          ],
          latencyMs: [20, 90],
          weight: 2,
        },
        { method: 'GET', path: () => '/auth/config', statuses: ok, latencyMs: [2, 12], weight: 1 },
      ],
      logs: [
        {
          severity: 'INFO',
          message: 'Token issued',
          weight: 5,
          fields: () => ({ userId: user(), grantType: 'authorization_code' }),
        },
        { severity: 'DEBUG', message: 'JWKS cache hit', weight: 3, fields: () => ({ keyId: random.hex(8) }) },
        {
          severity: 'WARNING',
          message: 'Refresh token rejected: expired',
          weight: 2,
          fields: () => ({ userId: user() }),
        },
        {
          severity: 'ERROR',
          message: 'Redis connection reset; reconnecting',
          weight: 1,
          fields: () => ({ attempt: random.int(1, 5) }),
        },
      ],
    },
    frontend: {
      text: true,
      weight: 3,
      routes: [
        { method: 'GET', path: () => '/', statuses: ok, latencyMs: [20, 140], weight: 3 },
        { method: 'GET', path: () => '/chat', statuses: ok, latencyMs: [30, 220], weight: 3 },
        {
          method: 'GET',
          path: () => `/_next/static/chunks/main-${random.hex(16)}.js`,
          statuses: [
            [200, 40],
            [304, 60],
          ],
          latencyMs: [1, 9],
          weight: 4,
        },
        {
          method: 'GET',
          path: () => '/favicon.ico',
          statuses: [
            [200, 90],
            [404, 10],
          ],
          latencyMs: [1, 4],
          weight: 1,
        },
      ],
      logs: [
        { severity: 'INFO', message: 'GET /chat 200 in 43ms', weight: 4 },
        { severity: 'DEBUG', message: 'Prefetched route /chat', weight: 2 },
        { severity: 'WARNING', message: 'Warning: Extra attributes from the server: data-theme', weight: 1 },
        { severity: 'ERROR', message: 'Error: Failed to fetch thread list: 503 Service Unavailable', weight: 1 },
      ],
    },
  };
}
