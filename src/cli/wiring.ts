import type Docker from 'dockerode';
import { createDockerClient } from '../sources/docker/client';
import { DockerWatcher } from '../sources/docker/watcher';
import { DockerBatcher, STREAM_FLUSH_MS } from '../store/docker-batcher';
import type { AppStore } from '../store/store';
import { createConsoleStore, type StoreSettings } from './console-store';

/**
 * Stats frames arrive once a second per container, each at its own moment; held up to a second (or until the
 * clock's tick or another update draws a frame anyway), they cost no frame of their own.
 */
const STATS_HOLD_MS = 1_000;

/** The console's data path: the engine client, its watcher feeding the store through the batcher. */
export interface DockerWiring {
  store: AppStore;
  batcher: DockerBatcher;
  docker: Docker;
  watcher: DockerWatcher;
  /** Stops the watcher and drops pending batches; safe to call twice. */
  stop(): void;
}

/** Connects the engine to `store`, not started yet. */
export function connectDocker(store: AppStore, settings: StoreSettings): DockerWiring {
  const { config, endpoint, showAll } = settings;
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

/**
 * Creates the store and connects the engine to it, not started yet: the console and the tests that watch a real
 * engine through the store (test/support/live-store.ts) are wired the same way.
 */
export function wireDocker(settings: StoreSettings): DockerWiring {
  return connectDocker(createConsoleStore(settings), settings);
}
