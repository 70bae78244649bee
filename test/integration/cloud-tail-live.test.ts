/**
 * When the logs panel says the Cloud tail is live (CloudTail's states), through the official Logging client over real
 * gRPC: only once its endpoint is reached. An endpoint that takes the connection and never answers (a proxy or
 * firewall that swallows it) must leave the tail "connecting", never "live" with nothing to show.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index';
import { CloudTail, type TailState } from '../../src/sources/logs/cloud-tail';
import { waitFor } from '../support/wait';

const FILTER = 'resource.type="cloud_run_revision"';
/** What an HTTP/2 client sends first on a new connection (RFC 9113 §3.4). */
const HTTP2_PREFACE = 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ logRatePerSecond: 20 });
});
afterAll(() => sandbox.stop());

/** A TCP server that accepts connections and never answers; it keeps what each sent. */
async function silentServer(): Promise<{ port: number; received: () => string; close: () => Promise<void> }> {
  let received = '';
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('data', (chunk) => (received += chunk.toString('latin1')));
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    port,
    received: () => received,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}

function tailTo(port: number, states: TailState[], lines: string[], answerTimeoutMs?: number): CloudTail {
  return new CloudTail({
    target: { project: sandbox.project, region: sandbox.region, endpoint: { host: '127.0.0.1', port } },
    filter: FILTER,
    onLine: (line) => lines.push(line.message),
    onState: (state) => states.push(state),
    ...(answerTimeoutMs ? { answerTimeoutMs } : {}),
  });
}

describe('the Cloud tail says it is live', () => {
  it('once the sandbox answers, and its entries arrive', async () => {
    const states: TailState[] = [];
    const lines: string[] = [];
    const tail = tailTo(sandbox.port, states, lines);
    tail.start();
    try {
      await waitFor(() => lines.length > 0 && states.at(-1)?.state === 'live', { what: 'a live tail with lines' });
      expect(states[0]).toEqual({ state: 'connecting' });
      expect(states.filter((s) => s.state === 'live')).toHaveLength(1);
    } finally {
      await tail.stop();
    }
  });

  it('never, while its endpoint takes the connection and does not answer', async () => {
    const silent = await silentServer();
    const states: TailState[] = [];
    const tail = tailTo(silent.port, states, []);
    tail.start();
    try {
      // The client has connected and is waiting for the server's HTTP/2 settings: the tail request went out long ago.
      await waitFor(() => silent.received().startsWith(HTTP2_PREFACE), { what: 'the client to open its HTTP/2 connection' });
      expect(states).toEqual([{ state: 'connecting' }]);
    } finally {
      await tail.stop();
      await silent.close();
    }
  });

  it('and once its endpoint has not answered in time, it says so and tries again', async () => {
    const silent = await silentServer();
    const states: TailState[] = [];
    const tail = tailTo(silent.port, states, [], 1_000);
    tail.start();
    try {
      const retrying = await waitFor(() => states.find((s): s is Extract<TailState, { state: 'reconnecting' }> => s.state === 'reconnecting'), {
        what: 'the tail to give up on the silent endpoint',
      });
      expect(retrying).toMatchObject({ reason: `no answer from 127.0.0.1:${silent.port} within 1 s` });
      const again = await waitFor(() => states.filter((s) => s.state === 'connecting')[1], { what: 'a second attempt' });
      // The second attempt still says why the first failed.
      expect(again).toEqual({ state: 'connecting', lastError: retrying.reason });
      expect(states.some((s) => s.state === 'live')).toBe(false);
    } finally {
      await tail.stop();
      await silent.close();
    }
  });
});
