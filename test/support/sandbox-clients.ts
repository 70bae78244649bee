/**
 * The official Google clients pointed at a sandbox, configured the way the console configures them: plaintext
 * gRPC to the sandbox's loopback port, and an OAuth2Client without credentials (it is never asked for a token:
 * with `sslCreds` set gax attaches no call credentials, and an explicit authClient spares the ADC lookup).
 */
import { v2 as logging } from '@google-cloud/logging';
// @google-cloud/logging types its `v2` export as `any`; the client's real type lives in @google-cloud/logging-api.
import type { LoggingServiceV2Client } from '@google-cloud/logging-api';
import { RevisionsClient, ServicesClient } from '@google-cloud/run';
import { OAuth2Client } from 'google-auth-library';
import { grpc } from 'google-gax';
import type { Sandbox } from '../../src/sandbox/index';

export interface SandboxClients {
  services: ServicesClient;
  revisions: RevisionsClient;
  logging: LoggingServiceV2Client;
  close(): Promise<void>;
}

export function sandboxClients(
  sandbox: Pick<Sandbox, 'port'>,
  authClient: OAuth2Client = new OAuth2Client(),
): SandboxClients {
  const options = {
    apiEndpoint: '127.0.0.1',
    port: sandbox.port,
    sslCreds: grpc.credentials.createInsecure(),
    authClient,
    projectId: 'netra-staging',
  };
  const services = new ServicesClient(options);
  const revisions = new RevisionsClient(options);
  const loggingClient: LoggingServiceV2Client = new logging.LoggingServiceV2Client(options);
  return {
    services,
    revisions,
    logging: loggingClient,
    close: async () => {
      await Promise.all([services.close(), revisions.close(), loggingClient.close()]);
    },
  };
}

/** The error a call fails with (gax errors carry the gRPC code, and ErrorInfo as reason/domain when sent). */
export async function rpcFailure(
  call: Promise<unknown>,
): Promise<Error & { code: number; details?: string; reason?: string }> {
  try {
    await call;
  } catch (error) {
    return error as Error & { code: number; details?: string; reason?: string };
  }
  throw new Error('expected the call to fail, but it succeeded');
}
