import type { ConnectionState, ContainerInfo, ContainerStats } from './types';

/** Where the watcher delivers what it sees; the store's batcher implements it. */
export interface DockerSink {
  connection(state: ConnectionState): void;
  /** Replaces everything known, after a (re)connect or a scope change. */
  sync(containers: ContainerInfo[]): void;
  upsert(container: ContainerInfo): void;
  remove(id: string): void;
  stats(id: string, stats: ContainerStats): void;
}
