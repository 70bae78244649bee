import { createAppStore, type AppStore } from '../store/store';
import { cloudRunEndpointLabel } from './cloud-run-settings';
import type { Settings } from './settings';

export type StoreSettings = Pick<Settings, 'config' | 'endpoint' | 'showAll' | 'cloudRun' | 'readOnly' | 'auditPath'> & Partial<Pick<Settings, 'stacks'>>;

/** The console's store as the settings make it: no source is loaded for it, so the first frame can come first. */
export function createConsoleStore(settings: StoreSettings): AppStore {
  const { config, endpoint, cloudRun, showAll } = settings;
  return createAppStore({
    host: endpoint.display,
    thresholds: config.thresholds,
    images: config.images,
    historyLength: config.ui.historyLength,
    showAll,
    cloudRun: { mode: cloudRun.mode, project: cloudRun.project, region: cloudRun.region, endpoint: cloudRunEndpointLabel(cloudRun) },
    readOnly: settings.readOnly,
    rollbackOrder: cloudRun.rollbackOrder,
    auditPath: settings.auditPath,
    stacks: settings.stacks,
  });
}
