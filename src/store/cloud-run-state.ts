import type { CloudError } from '../domain/cloud-run-errors';
import { cloudRunAlerts, missingServiceAlerts, type CloudRunService, type CloudRunUpdate } from '../domain/cloud-run';
import type { CloudRunAlert } from '../domain/types';

/** sandbox: served in-process; endpoint: a plaintext server given by --gcp-endpoint; google: the real API. */
export type CloudRunMode = 'sandbox' | 'endpoint' | 'google';

export interface CloudRunState {
  mode: CloudRunMode;
  project: string;
  region: string;
  endpoint: string;
  /** False until the first answer (data or error) arrives. */
  loaded: boolean;
  refreshing: boolean;
  error: CloudError | null;
  retryAt: number | null;
  updatedAt: number | null;
  services: CloudRunService[];
  alerts: CloudRunAlert[];
}

export function initialCloudRunState(init: { mode: CloudRunMode; project: string; region: string; endpoint: string }): CloudRunState {
  return { ...init, loaded: false, refreshing: false, error: null, retryAt: null, updatedAt: null, services: [], alerts: [] };
}

/** Folds a poller update in; on error the last good services stay visible, marked stale by the error. */
export function reduceCloudRun(state: CloudRunState, update: CloudRunUpdate): CloudRunState {
  switch (update.kind) {
    case 'refreshing':
      return { ...state, refreshing: true };
    case 'data':
      return {
        ...state,
        loaded: true,
        refreshing: false,
        error: null,
        retryAt: null,
        updatedAt: update.at,
        services: update.services,
        alerts: [
          ...cloudRunAlerts(update.services),
          ...missingServiceAlerts(update.missing ?? [], update.available ?? [], `${state.project} (${state.region})`),
          // Error rates come from the logs, once a second (see publishErrorRates), not from this refresh.
          ...state.alerts.filter((a) => a.kind === 'error-rate'),
        ],
      };
    case 'error':
      return { ...state, loaded: true, refreshing: false, error: update.error, retryAt: update.retryAt };
  }
}
