/**
 * A unix-socket HTTP proxy in front of the real test engine that can hold back the answer to one container's
 * first inspect: the engine reads the container when the request arrives, and the caller gets that (by then
 * old) answer only when the test releases it. Everything else, the events stream included, passes through.
 */
import { request, createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PrivateEngine } from './docker-engine';

export interface HeldInspect {
  /** The engine's answer, parsed: what the container looked like when the request arrived. */
  body: { State?: { Health?: { Status?: string } } };
  release(): void;
}

export interface SlowEngine {
  /** `unix:///…/proxy.sock` */
  host: string;
  /** Resolves with the first inspect of `containerId` once the engine has answered it (the caller has not). */
  firstInspect: Promise<HeldInspect>;
  close(): Promise<void>;
}

export async function startSlowEngine(engine: Pick<PrivateEngine, 'socketPath'>, containerId: string): Promise<SlowEngine> {
  const dir = await mkdtemp(join(tmpdir(), 'slow-engine-'));
  const socketPath = join(dir, 'proxy.sock');
  let held = false;
  let resolveHeld!: (held: HeldInspect) => void;
  const firstInspect = new Promise<HeldInspect>((resolve) => (resolveHeld = resolve));
  const isInspect = inspectOf(containerId);

  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (held || !isInspect(req.url)) return passThrough(engine, req, res);
    held = true;
    const upstream = request({ socketPath: engine.socketPath, path: req.url, method: req.method, headers: req.headers }, (answer) => {
      const chunks: Buffer[] = [];
      answer.on('data', (chunk: Buffer) => chunks.push(chunk));
      answer.on('end', () => {
        const raw = Buffer.concat(chunks);
        resolveHeld({
          body: JSON.parse(raw.toString()) as HeldInspect['body'],
          release: () => {
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            res.end(raw);
          },
        });
      });
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  return { ...(await listen(server, dir, socketPath)), firstInspect };
}

/** Sends the request on to the engine and its answer back, headers at once (an events stream has no body yet). */
function passThrough(engine: Pick<PrivateEngine, 'socketPath'>, req: IncomingMessage, res: ServerResponse, piped?: (answer: IncomingMessage) => void): void {
  const upstream = request({ socketPath: engine.socketPath, path: req.url, method: req.method, headers: req.headers }, (answer) => {
    res.writeHead(answer.statusCode ?? 502, answer.headers);
    res.flushHeaders();
    answer.pipe(res);
    piped?.(answer);
  });
  upstream.on('error', () => res.destroy());
  req.pipe(upstream);
}

/** Matches the URL of an inspect of this container. */
function inspectOf(containerId: string): (url?: string) => boolean {
  const pattern = new RegExp(`/containers/${containerId}/json(\\?|$)`);
  return (url = '') => pattern.test(url);
}

async function listen(server: Server, dir: string, socketPath: string): Promise<{ host: string; close(): Promise<void> }> {
  await new Promise<void>((resolve) => server.listen(socketPath, resolve));
  return {
    host: `unix://${socketPath}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** How many more requests to fail (set by the test), and how many were. */
export interface FailingRequests {
  left: number;
  failed: number;
}

/**
 * A proxy whose engine fails one container's reads while the test says so: each inspect (`inspects`) or stats
 * request (`stats`) is answered 500, as a busy engine answers "context deadline exceeded", while its `left` is
 * over zero. Everything else passes through.
 */
export interface FailingEngine {
  host: string;
  inspects: FailingRequests;
  stats: FailingRequests;
  close(): Promise<void>;
}

export async function startFailingEngine(engine: Pick<PrivateEngine, 'socketPath'>, containerId: string): Promise<FailingEngine> {
  const dir = await mkdtemp(join(tmpdir(), 'failing-engine-'));
  const socketPath = join(dir, 'proxy.sock');
  const inspects: FailingRequests = { left: 0, failed: 0 };
  const stats: FailingRequests = { left: 0, failed: 0 };
  const isInspect = inspectOf(containerId);
  const isStats = (url = '') => url.includes(`/containers/${containerId}/stats`);
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const failing = isInspect(req.url) ? inspects : isStats(req.url) ? stats : null;
    if (!failing || failing.left <= 0) return passThrough(engine, req, res);
    failing.left--;
    failing.failed++;
    res.writeHead(500, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ message: 'context deadline exceeded' }));
  });
  return { ...(await listen(server, dir, socketPath)), inspects, stats };
}

/**
 * A proxy that accepts the first `unanswered` pings and never answers them (an engine too busy to answer, the
 * connection open); later pings and every other request pass through. `pings` counts the pings received.
 */
export async function startUnansweredPingEngine(engine: Pick<PrivateEngine, 'socketPath'>, unanswered: number) {
  const dir = await mkdtemp(join(tmpdir(), 'ping-engine-'));
  const socketPath = join(dir, 'proxy.sock');
  const counter = { pings: 0 };
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (/^\/(v[\d.]+\/)?_ping/.test(req.url ?? '') && ++counter.pings <= unanswered) return;
    passThrough(engine, req, res);
  });
  return { ...(await listen(server, dir, socketPath)), counter };
}

/**
 * A proxy that can stall one container's stats as an engine that has fallen behind does: `stall()` stops the stats
 * streams open for it (their connections stay open, silent), and answers new ones with headers and nothing more.
 * `resume()` ends those silent streams and lets new ones through again. `statsRequests` counts its stats requests.
 */
export interface StallingEngine {
  host: string;
  statsRequests(): number;
  stall(): void;
  resume(): void;
  close(): Promise<void>;
}

export async function startStallingEngine(engine: Pick<PrivateEngine, 'socketPath'>, containerId: string): Promise<StallingEngine> {
  const dir = await mkdtemp(join(tmpdir(), 'stalling-engine-'));
  const socketPath = join(dir, 'proxy.sock');
  const isStats = (url = '') => url.includes(`/containers/${containerId}/stats`);
  const flowing = new Set<{ answer: IncomingMessage; res: ServerResponse }>();
  const silent = new Set<ServerResponse>();
  let stalled = false;
  let requests = 0;
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (!isStats(req.url)) return passThrough(engine, req, res);
    requests++;
    if (stalled) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.flushHeaders();
      silent.add(res);
      return;
    }
    passThrough(engine, req, res, (answer) => {
      const pipe = { answer, res };
      flowing.add(pipe);
      res.on('close', () => flowing.delete(pipe));
    });
  });
  const listening = await listen(server, dir, socketPath);
  return {
    host: listening.host,
    statsRequests: () => requests,
    stall() {
      stalled = true;
      for (const { answer, res } of flowing) {
        answer.unpipe(res);
        answer.destroy();
        silent.add(res);
      }
      flowing.clear();
    },
    resume() {
      stalled = false;
      for (const res of silent) res.end();
      silent.clear();
    },
    close: listening.close,
  };
}
