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
  const isInspect = (url = '') => new RegExp(`/containers/${containerId}/json(\\?|$)`).test(url);

  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const hold = !held && isInspect(req.url);
    if (hold) held = true;
    const upstream = request({ socketPath: engine.socketPath, path: req.url, method: req.method, headers: req.headers }, (answer) => {
      if (!hold) {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
        return;
      }
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
    const upstream = request({ socketPath: engine.socketPath, path: req.url, method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  return { ...(await listen(server, dir, socketPath)), counter };
}
