import type Docker from 'dockerode';
import { createDockerClient } from '../sources/docker/client';
import { DockerWatcher } from '../sources/docker/watcher';
import { DockerBatcher, STREAM_FLUSH_MS } from '../store/docker-batcher';

/**
 * Stats frames arrive once a second per container, each at its own moment; held up to a second (or until the
 * clock's tick or another update draws a frame anyway), they cost no frame of their own.
 */
const STATS_HOLD_MS = 1_000;
import { createAppStore, type AppStore } from '../store/store';
import { cloudRunEndpointLabel } from './cloud-run-settings';
import type { Settings } from './settings';

/** The console's data path: the engine client, its watcher feeding the store through the batcher. */
export interface DockerWiring {
  store: AppStore;
  batcher: DockerBatcher;
  docker: Docker;
  watcher: DockerWatcher;
  /** Stops the watcher and drops pending batches; safe to call twice. */
  stop(): void;
}

export type WiringSettings = Pick<Settings, 'config' | 'endpoint' | 'showAll' | 'cloudRun' | 'readOnly' | 'auditPath'> & Partial<Pick<Settings, 'stacks'>>;

/**
 * Creates the store and connects the engine to it, not started yet. One place, so that the console and the tests
 * that watch a real engine through the store (test/support/live-store.ts) are wired the same way.
 */
export function wireDocker(settings: WiringSettings): DockerWiring {
  const { config, endpoint, cloudRun, showAll } = settings;
  const store = createAppStore({
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
  const batcher = new DockerBatcher(store, STREAM_FLUSH_MS, STATS_HOLD_MS);
  const docker = createDockerClient(endpoint);
  // The stacks' projects are watched too, whatever docker.projects says: the Stacks panel must see what runs.
  const projects = [...new Set([...config.docker.projects, ...(settings.stacks ?? []).map((s) => s.project)])];
  const watcher = new DockerWatcher(docker, batcher, { scope: { projects, showAll } });
  return {
    store,
    batcher,
    docker,
    watcher,
    stop() {
      watcher.stop();
      batcher.dispose();
    },
  };
}
