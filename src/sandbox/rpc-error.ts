import { grpc, protobuf } from 'google-gax';
import { encodeMessage } from './protos';

/** google.rpc.ErrorInfo: Google attaches one to most errors; gax surfaces it as error.reason / domain / metadata. */
export interface ErrorInfo {
  reason: string;
  domain: string;
  metadata?: Record<string, string>;
}

/** A failure to answer with a gRPC status, thrown by handlers and turned into the call's status by rpc.ts. */
export class RpcError extends Error {
  override name = 'RpcError';
  constructor(
    readonly code: grpc.status,
    message: string,
    readonly errorInfo?: ErrorInfo,
  ) {
    super(message);
  }
}

export const invalidArgument = (message: string) => new RpcError(grpc.status.INVALID_ARGUMENT, message);
export const notFound = (message: string) => new RpcError(grpc.status.NOT_FOUND, message);

// ErrorInfo is not in the clients' proto bundles; its three fields are those of google/rpc/error_details.proto.
const errorInfoType = protobuf.Root.fromJSON({
  nested: {
    ErrorInfo: {
      fields: {
        reason: { type: 'string', id: 1 },
        domain: { type: 'string', id: 2 },
        metadata: { keyType: 'string', type: 'string', id: 3 } as protobuf.IField,
      },
    },
  },
}).lookupType('ErrorInfo');

/** The status a call ends with for `error`; anything that is not an RpcError is a sandbox bug, reported as INTERNAL. */
export function toStatus(error: unknown): grpc.StatusObject {
  if (!(error instanceof RpcError)) {
    const message = error instanceof Error ? error.message : String(error);
    return { code: grpc.status.INTERNAL, details: `sandbox internal error: ${message}`, metadata: new grpc.Metadata() };
  }
  const metadata = new grpc.Metadata();
  if (error.errorInfo) {
    // Real Google errors carry google.rpc.Status with the details in this trailer.
    const info = Buffer.from(errorInfoType.encode(errorInfoType.fromObject(error.errorInfo)).finish());
    const status = {
      code: error.code,
      message: error.message,
      details: [{ type_url: 'type.googleapis.com/google.rpc.ErrorInfo', value: info }],
    };
    metadata.set('grpc-status-details-bin', encodeMessage('google.rpc.Status', status));
  }
  return { code: error.code, details: error.message, metadata };
}
