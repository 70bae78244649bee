import { UsageError } from '../config/errors';
import type { Config } from '../config/schema';
import type { CloudRunMode } from '../store/cloud-run-state';

export interface CloudRunSettings {
  mode: CloudRunMode;
  project: string;
  region: string;
  /** Plaintext endpoint for mode 'endpoint'; filled in once the in-process sandbox listens for mode 'sandbox'. */
  endpoint: { host: string; port: number } | null;
  services: string[];
  refreshMs: number;
  /** Order of `rollback --all` (and R in the console). */
  rollbackOrder: string[];
}

export interface CloudRunFlags {
  project?: string;
  region?: string;
  gcpEndpoint?: string;
  sandbox: boolean;
}

/** The sandbox serves this project and region (see src/sandbox). */
export const SANDBOX_PROJECT = 'netra-staging';
export const SANDBOX_REGION = 'us-central1';

/** `HOST:PORT` of a plaintext gRPC endpoint; `origin` names where it came from for the error. */
export function parseGcpEndpoint(value: string, origin: string): { host: string; port: number } {
  const match = /^(\[[0-9a-f:]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/.exec(value.trim());
  const port = Number(match?.[2]);
  if (!match || port < 1 || port > 65_535) {
    throw new UsageError(`${origin} "${value}" is not HOST:PORT: use e.g. 127.0.0.1:8085 (the address "netra-console sandbox" prints)`);
  }
  return { host: match[1]!.replace(/^\[|\]$/g, ''), port };
}

/**
 * Project: --project, config, GOOGLE_CLOUD_PROJECT. Region: --region, config, CLOUDSDK_RUN_REGION, us-central1.
 * With no project and no endpoint at all, the console runs against its built-in sandbox so it works offline.
 */
export function resolveCloudRun(flags: CloudRunFlags, config: Config, env: NodeJS.ProcessEnv, configPath: string | null): CloudRunSettings {
  const endpointText = flags.gcpEndpoint ?? env.NETRA_GCP_ENDPOINT ?? config.cloudRun.endpoint;
  const endpointOrigin = flags.gcpEndpoint ? '--gcp-endpoint' : env.NETRA_GCP_ENDPOINT ? 'NETRA_GCP_ENDPOINT' : `${configPath}: cloudRun.endpoint`;
  const endpoint = endpointText ? parseGcpEndpoint(endpointText, endpointOrigin) : null;
  const project = flags.project ?? config.cloudRun.project ?? env.GOOGLE_CLOUD_PROJECT;
  const region = flags.region ?? config.cloudRun.region ?? env.CLOUDSDK_RUN_REGION ?? 'us-central1';
  const common = {
    services: config.cloudRun.services,
    refreshMs: config.cloudRun.refreshSeconds * 1000,
    rollbackOrder: config.cloudRun.rollbackOrder,
  };
  if (flags.sandbox || (!project && !endpoint)) {
    return { mode: 'sandbox', project: SANDBOX_PROJECT, region: SANDBOX_REGION, endpoint: null, ...common };
  }
  if (endpoint) return { mode: 'endpoint', project: project ?? SANDBOX_PROJECT, region, endpoint, ...common };
  return { mode: 'google', project: project!, region, endpoint: null, ...common };
}

/** Where Cloud Run data comes from, as the status bar and the audit log name it. */
export function cloudRunEndpointLabel(settings: Pick<CloudRunSettings, 'mode' | 'endpoint'>): string {
  if (settings.mode === 'sandbox') return 'in-process sandbox';
  return settings.endpoint ? `${settings.endpoint.host}:${settings.endpoint.port}` : 'run.googleapis.com';
}
