import type { ClientOptions } from 'google-gax';
import type { RunRevisionPayload, RunServicePayload } from '../../domain/cloud-run';

export interface CloudRunTarget {
  project: string;
  region: string;
  /** A plaintext endpoint (the sandbox, or any compatible server); null = Google with Application Default Credentials. */
  endpoint: { host: string; port: number } | null;
}

/** What the console needs from Cloud Run; implemented with the official v2 clients. */
export interface CloudRunApi {
  listServices(): Promise<RunServicePayload[]>;
  listRevisions(serviceName: string): Promise<RunRevisionPayload[]>;
  close(): Promise<void>;
}

export const GOOGLE_ENDPOINT = 'run.googleapis.com:443';

export function endpointLabel(target: CloudRunTarget): string {
  return target.endpoint ? `${target.endpoint.host}:${target.endpoint.port}` : GOOGLE_ENDPOINT;
}

const CALL_TIMEOUT_MS = 10_000;

/** Loads the Google client modules on demand: they are heavy and must not delay the first frame. */
export async function createCloudRunApi(target: CloudRunTarget): Promise<CloudRunApi> {
  const [{ ServicesClient, RevisionsClient }, options] = await Promise.all([import('@google-cloud/run'), clientOptions(target)]);
  const services = new ServicesClient(options);
  const revisions = new RevisionsClient(options);
  const parent = `projects/${target.project}/locations/${target.region}`;
  const call = { timeout: CALL_TIMEOUT_MS, retry: null };
  return {
    async listServices() {
      const [list] = await services.listServices({ parent }, call);
      return list as RunServicePayload[];
    },
    async listRevisions(serviceName) {
      const [list] = await revisions.listRevisions({ parent: serviceName }, call);
      return list as RunRevisionPayload[];
    },
    async close() {
      await Promise.all([services.close(), revisions.close()]);
    },
  };
}

/** Client options shared by every Google client of the console (Cloud Run and Logging). */
export async function clientOptions(target: CloudRunTarget): Promise<ClientOptions> {
  if (!target.endpoint) return { projectId: target.project };
  const [{ grpc }, { OAuth2Client }] = await Promise.all([import('google-gax'), import('google-auth-library')]);
  return {
    projectId: target.project,
    apiEndpoint: target.endpoint.host,
    port: target.endpoint.port,
    sslCreds: grpc.credentials.createInsecure(),
    // A plaintext endpoint needs no Google credentials; an empty client keeps ADC lookups off the network.
    authClient: new OAuth2Client(),
  };
}
