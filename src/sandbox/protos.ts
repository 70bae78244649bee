import { createRequire } from 'node:module';
import { grpc, GrpcClient, protobuf } from 'google-gax';
import type { Any } from './wire';

// The protos the official clients are generated from, so both ends of the wire agree field for field.
// The Logging protos ship in @google-cloud/logging-api, a dependency of @google-cloud/logging: resolve it from there.
const require = createRequire(import.meta.url);
const runJson = require('@google-cloud/run/build/protos/protos.json') as protobuf.INamespace;
const requireFromLogging = createRequire(require.resolve('@google-cloud/logging'));
const loggingJson = requireFromLogging('@google-cloud/logging-api/build/protos/protos.json') as protobuf.INamespace;

// Loaded as google-gax loads the clients' protos, through its cache: requests reach the handlers shaped as the
// clients build them, and an in-process sandbox and its clients share one copy of each bundle (~3 MiB less RSS).
const gax = new GrpcClient();
const runPackage = gax.loadProtoJSON(runJson);
const loggingPackage = gax.loadProtoJSON(loggingJson);
const runRoot = protobuf.Root.fromJSON(runJson);

export type SandboxServiceName =
  | 'google.cloud.run.v2.Services'
  | 'google.cloud.run.v2.Revisions'
  | 'google.longrunning.Operations'
  | 'google.logging.v2.LoggingServiceV2';

export function serviceDefinition(name: SandboxServiceName): grpc.ServiceDefinition {
  // Operations is in both bundles; the Cloud Run one serves it (a server registers each service once).
  let node: unknown = name === 'google.logging.v2.LoggingServiceV2' ? loggingPackage : runPackage;
  for (const part of name.split('.')) node = (node as grpc.GrpcObject)[part];
  return (node as grpc.ServiceClientConstructor).service;
}

/** Packs a message into a google.protobuf.Any (whose field, alone in the bundles, is spelled `type_url`). */
export function packAny(typeName: string, value: object): Any {
  const type = runRoot.lookupType(typeName);
  return {
    type_url: `type.googleapis.com/${typeName}`,
    value: Buffer.from(type.encode(type.fromObject(value)).finish()),
  };
}

/** Encodes a message of the Cloud Run bundle (google.rpc.Status for error details). */
export function encodeMessage(typeName: string, value: object): Buffer {
  const type = runRoot.lookupType(typeName);
  return Buffer.from(type.encode(type.fromObject(value)).finish());
}

/**
 * Round-trips a value through its message type so that it has the exact shape a decoded request has (every field,
 * defaults filled in): seeded data and what clients send can then be compared directly.
 */
export function normalize<T extends object>(typeName: string, value: T): T {
  const type = runRoot.lookupType(typeName);
  return type.toObject(type.fromObject(value), { longs: String, enums: String, defaults: true, oneofs: true }) as T;
}
