// An in-process, wire-compatible stand-in for the Cloud Run Admin API v2 and Cloud Logging v2 of "Netra staging",
// served over real gRPC (plaintext, loopback only) to the official Google clients. For tests and demos of the console.
import { isIPv4 } from 'node:net';
import { grpc } from 'google-gax';
import { FaultState, type SandboxFaults } from './faults';
import { LogBook } from './logs/book';
import { LogGenerator } from './logs/generator';
import { loggingHandlers } from './logs/handlers';
import { Tails } from './logs/tail';
import { PROJECT, REGION } from './names';
import { serviceDefinition } from './protos';
import { Random } from './random';
import type { CallEnv } from './rpc';
import { operationsHandlers, revisionsHandlers, servicesHandlers } from './run/handlers';
import { Operations } from './run/operations';
import { seedServices } from './run/seed';
import { CloudRun } from './run/state';
import type { Service } from './wire';

export type { SandboxApi, SandboxFaults, TailEndCode } from './faults';

export interface SandboxOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Loopback only: 127.0.0.1 (default), another 127.x address, ::1 or localhost. */
  host?: string;
  /** Generated log entries per second; 0 generates none (the history is seeded either way). Default 5. */
  logRatePerSecond?: number;
  /** GetOperation answers done:false this many times before an operation completes. Default 2. */
  operationPolls?: number;
  /** Page size of list calls that send none. Default 10. */
  pageSize?: number;
}

export interface Sandbox {
  /** host:port, for the clients' apiEndpoint + port or for NETRA_GCP_ENDPOINT. */
  endpoint: string;
  host: string;
  port: number;
  project: typeof PROJECT;
  region: typeof REGION;
  faults: SandboxFaults;
  /** How many calls of `method` (e.g. 'ListRevisions') arrived, failed ones included. */
  calls(method: string): number;
  /** The most unary calls of `method` the sandbox was answering at once (see `faults.slowCalls`). */
  maxInFlight(method: string): number;
  /** The service (short name, e.g. 'netra-auth') as GetService would return it now; undefined if there is none. */
  service(name: string): Service | undefined;
  /** Generates `count` log entries at once, as the generator would over time. */
  emitLogs(count: number): void;
  /** The sequence number of the newest log entry. */
  lastLogSeq(): number;
  stop(): Promise<void>;
}

const BACKFILL_ENTRIES = 600;
const BACKFILL_MINUTES = 5;
const SHUTDOWN_GRACE_MS = 2_000;

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const host = options.host ?? '127.0.0.1';
  if (!isLoopback(host)) {
    throw new Error(`sandbox: refusing to listen on '${host}', which is not a loopback address; use 127.0.0.1 or ::1`);
  }
  const pageSize = options.pageSize ?? 10;
  const faults = new FaultState();
  const calls = new Map<string, number>();
  const inFlight = new Map<string, number>();
  const peaks = new Map<string, number>();
  const env: CallEnv = {
    faults,
    count: (method) => calls.set(method, (calls.get(method) ?? 0) + 1),
    begin: (method) => {
      const now = (inFlight.get(method) ?? 0) + 1;
      inFlight.set(method, now);
      peaks.set(method, Math.max(peaks.get(method) ?? 0, now));
      return () => inFlight.set(method, (inFlight.get(method) ?? 1) - 1);
    },
  };

  // Separate seeds keep the seeded names the same however many log entries or updates come before.
  const operations = new Operations(options.operationPolls ?? 2);
  const run = new CloudRun(seedServices(Date.now(), new Random(1)), faults, operations, new Random(2));
  const book = new LogBook();
  const generator = new LogGenerator(book, run, new Random(3));
  generator.backfill(BACKFILL_ENTRIES, BACKFILL_MINUTES);
  const tails = new Tails(book, faults, env);

  // gRPC's own log lines (e.g. "No address added" for a port in use) would reach the terminal as raw stderr;
  // every failure reaches the caller as an error, said once in the console's words.
  grpc.setLogVerbosity(grpc.logVerbosity.NONE);
  const server = new grpc.Server();
  server.addService(serviceDefinition('google.cloud.run.v2.Services'), servicesHandlers(run, env, pageSize));
  server.addService(serviceDefinition('google.cloud.run.v2.Revisions'), revisionsHandlers(run, env, pageSize));
  server.addService(serviceDefinition('google.longrunning.Operations'), operationsHandlers(operations, env));
  server.addService(
    serviceDefinition('google.logging.v2.LoggingServiceV2'),
    loggingHandlers(book, tails, env, pageSize),
  );
  const address = host.includes(':') ? `[${host}]` : host;
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync(`${address}:${options.port ?? 0}`, grpc.ServerCredentials.createInsecure(), (error, bound) =>
      error ? reject(error) : resolve(bound),
    );
  });
  generator.start(options.logRatePerSecond ?? 5);

  return {
    endpoint: `${address}:${port}`,
    host,
    port,
    project: PROJECT,
    region: REGION,
    faults,
    calls: (method) => calls.get(method) ?? 0,
    maxInFlight: (method) => peaks.get(method) ?? 0,
    service: (name) => run.peek(name),
    emitLogs: (count) => generator.emit(count),
    lastLogSeq: () => book.latestSeq,
    stop: async () => {
      generator.stop();
      tails.stop();
      operations.stop();
      await new Promise<void>((resolve) => {
        // Graceful first; clients that keep streams open do not get to hold the shutdown up.
        const force = setTimeout(() => server.forceShutdown(), SHUTDOWN_GRACE_MS);
        server.tryShutdown(() => {
          clearTimeout(force);
          resolve();
        });
      });
    },
  };
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || (isIPv4(host) && host.startsWith('127.'));
}
