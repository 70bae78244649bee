import type { ClientOptions } from 'google-gax';
import type { RunRevisionPayload, RunServicePayload, TrafficTarget } from '../../domain/cloud-run';

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
  getService(serviceName: string): Promise<RunServicePayload>;
  /** Starts a traffic-only update (update_mask traffic, guarded by etag); resolves with the operation's name. */
  updateTraffic(serviceName: string, traffic: readonly TrafficTarget[], etag: string): Promise<string>;
  /** Whether the operation finished; rejects with the operation's error when it failed. */
  operationDone(operationName: string): Promise<boolean>;
  close(): Promise<void>;
}

export const GOOGLE_ENDPOINT = 'run.googleapis.com:443';

export function endpointLabel(target: CloudRunTarget): string {
  return target.endpoint ? `${target.endpoint.host}:${target.endpoint.port}` : GOOGLE_ENDPOINT;
}

const CALL_TIMEOUT_MS = 10_000;

/**
 * Loads the Google client modules on demand: they are heavy and must not delay the first frame. The two clients'
 * own modules of @google-cloud/run (the classes its index exports), not the index, which loads all eight of its clients.
 */
export async function createCloudRunApi(target: CloudRunTarget): Promise<CloudRunApi> {
  const [{ ServicesClient }, { RevisionsClient }, options] = await Promise.all([
    import('@google-cloud/run/build/src/v2/services_client.js'),
    import('@google-cloud/run/build/src/v2/revisions_client.js'),
    clientOptions(target),
  ]);
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
    async getService(serviceName) {
      const [service] = await services.getService({ name: serviceName }, call);
      return service as RunServicePayload;
    },
    async updateTraffic(serviceName, traffic, etag) {
      const [operation] = await services.updateService(
        { service: { name: serviceName, etag, traffic: traffic.map(toTrafficPayload) }, updateMask: { paths: ['traffic'] } },
        call,
      );
      return operation.name ?? '';
    },
    async operationDone(operationName) {
      const operation = await services.checkUpdateServiceProgress(operationName);
      if (operation.done && operation.error) throw operation.error;
      return Boolean(operation.done);
    },
    async close() {
      await Promise.all([services.close(), revisions.close()]);
    },
  };
}

function toTrafficPayload(target: TrafficTarget) {
  return target.latest
    ? { type: 'TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST' as const, percent: target.percent, tag: target.tag ?? '' }
    : { type: 'TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION' as const, revision: target.revision ?? '', percent: target.percent, tag: target.tag ?? '' };
}

/** Client options shared by every Google client of the console (Cloud Run and Logging). */
export async function clientOptions(target: CloudRunTarget): Promise<ClientOptions> {
  if (!target.endpoint) return { projectId: target.project, auth: await googleCredentials(target.project) };
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

/** Thrown when Application Default Credentials cannot be found; the message says how to sign in. */
export class MissingCredentialsError extends Error {
  override readonly name = 'MissingCredentialsError';
}

const CLOUD_PLATFORM_SCOPE = 'https://www.googleapis.com/auth/cloud-platform';

/**
 * Application Default Credentials, looked up before any client is made: a client left to look them up itself
 * rejects inside gax where nobody listens, and the unhandled rejection ends the whole process.
 */
async function googleCredentials(project: string) {
  const { GoogleAuth } = await import('google-auth-library');
  const auth = new GoogleAuth({ projectId: project, scopes: [CLOUD_PLATFORM_SCOPE] });
  try {
    await auth.getClient();
  } catch (error) {
    const reason = ((error as Error).message ?? String(error)).split('\n')[0] ?? '';
    throw new MissingCredentialsError(`no Google credentials (${reason.replace(/\. Browse to .*$/, '')})`);
  }
  return auth;
}
