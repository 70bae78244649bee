import { describeCloudError, type CloudError } from '../domain/cloud-run-errors';
import { missingServiceAlerts, type CloudRunService, type CloudRunUpdate } from '../domain/cloud-run';
import type { CloudRunAlert } from '../domain/types';
import { createCloudRunApi, endpointLabel, type CloudRunApi, type CloudRunTarget } from '../sources/cloud-run/client';
import { CloudRunPoller } from '../sources/cloud-run/poller';
import { readCloudRun, readService } from '../sources/cloud-run/read';
import type { RollbackPort } from '../flows/rollback-port';
import type { CloudRunSettings } from './cloud-run-settings';

/** A running Cloud Run source: the poller, and the in-process sandbox when the console serves its own. */
export interface CloudRunRuntime {
  target: CloudRunTarget;
  poller: CloudRunPoller;
  /** Cloud Run for the rollback flow, through a client of its own (created on first use). */
  rollbackPort(): RollbackPort;
  stop(): Promise<void>;
}

/** The target to talk to, with the in-process sandbox started first when the settings ask for it. */
export async function openTarget(settings: CloudRunSettings): Promise<{ target: CloudRunTarget; stopSandbox(): Promise<void> }> {
  const base = { project: settings.project, region: settings.region };
  if (settings.mode !== 'sandbox') return { target: { ...base, endpoint: settings.endpoint }, stopSandbox: async () => {} };
  const { startSandbox } = await import('../sandbox/index');
  const sandbox = await startSandbox({ port: 0 });
  return { target: { ...base, endpoint: { host: sandbox.host, port: sandbox.port } }, stopSandbox: () => sandbox.stop() };
}

/** Starts polling Cloud Run; the Google and sandbox modules load only here, after the first frame. */
export async function startCloudRun(settings: CloudRunSettings, onUpdate: (update: CloudRunUpdate) => void): Promise<CloudRunRuntime> {
  const { target, stopSandbox } = await openTarget(settings);
  const poller = new CloudRunPoller({
    target,
    services: settings.services,
    intervalMs: settings.refreshMs,
    createApi: createCloudRunApi,
    onUpdate,
  });
  poller.start();
  let rollbackApi: Promise<CloudRunApi> | null = null;
  const api = () =>
    (rollbackApi ??= createCloudRunApi(target).catch((error: unknown) => {
      rollbackApi = null;
      throw error;
    }));
  return {
    target,
    poller,
    rollbackPort: () => rollbackPort(api),
    async stop() {
      await poller.stop();
      await (await rollbackApi?.catch(() => null))?.close();
      await stopSandbox();
    },
  };
}

export interface CloudRunReading {
  endpoint: string;
  services: CloudRunService[];
  /** Alerts for configured services the region does not have. */
  missingAlerts: CloudRunAlert[];
  error: CloudError | null;
}

/** One reading for `status`: the services with their revisions, or the error explained. */
export async function readCloudRunOnce(settings: CloudRunSettings): Promise<CloudRunReading> {
  const { target, stopSandbox } = await openTarget(settings);
  let api: CloudRunApi | null = null;
  try {
    api = await createCloudRunApi(target);
    const read = await readCloudRun(api, settings.services);
    const missingAlerts = missingServiceAlerts(read.missing, read.available, `${target.project} (${target.region})`);
    return { endpoint: endpointLabel(target), services: read.services, missingAlerts, error: null };
  } catch (error) {
    return { endpoint: endpointLabel(target), services: [], missingAlerts: [], error: describeCloudError(error, { ...target, endpoint: endpointLabel(target) }) };
  } finally {
    await api?.close();
    await stopSandbox();
  }
}

/** The rollback flow's view of Cloud Run, through the official client (`api` may create it on first use). */
export function rollbackPort(api: () => Promise<CloudRunApi>): RollbackPort {
  return {
    readService: async (fullName) => readService(await api(), fullName),
    updateTraffic: async (fullName, traffic, etag) => (await api()).updateTraffic(fullName, traffic, etag),
    operationDone: async (operation) => (await api()).operationDone(operation),
  };
}
