import { createStore, type StoreApi } from 'zustand/vanilla';
import type { ConnectionState, ContainerInfo, ContainerStats, DockerAlert } from '../domain/types';
import type { Thresholds } from '../domain/thresholds';

import { initialCloudRunState, type CloudRunMode, type CloudRunState } from './cloud-run-state';

export type PanelId = 'health' | 'stats' | 'cloudrun';
/** Lists that keep a selection: the panels, and the revisions of the selected Cloud Run service. */
export type ListId = PanelId | 'revisions';

export interface StatsEntry {
  latest: ContainerStats;
  /** Most recent CPU % samples, oldest first, bounded by the configured history length. */
  cpuHistory: number[];
}

export interface DockerState {
  host: string;
  connection: ConnectionState;
  containers: Record<string, ContainerInfo>;
  stats: Record<string, StatsEntry>;
  alerts: DockerAlert[];
}

export type Overlay = 'help' | 'details' | 'revisions' | null;

export interface UiState {
  focus: PanelId;
  selectedId: Record<ListId, string | null>;
  filters: Record<PanelId, string>;
  /** True while the user types a filter for the focused panel. */
  filterEditing: boolean;
  overlay: Overlay;
  showAll: boolean;
}

export interface AppState {
  docker: DockerState;
  cloudRun: CloudRunState;
  ui: UiState;
  settings: { thresholds: Thresholds; historyLength: number };
}

export type AppStore = StoreApi<AppState>;

export interface StoreInit {
  host: string;
  thresholds: Thresholds;
  historyLength: number;
  showAll: boolean;
  cloudRun: { mode: CloudRunMode; project: string; region: string; endpoint: string };
}

export function createAppStore(init: StoreInit): AppStore {
  return createStore<AppState>()(() => ({
    docker: { host: init.host, connection: { state: 'connecting' }, containers: {}, stats: {}, alerts: [] },
    cloudRun: initialCloudRunState(init.cloudRun),
    ui: {
      focus: 'health',
      selectedId: { health: null, stats: null, cloudrun: null, revisions: null },
      filters: { health: '', stats: '', cloudrun: '' },
      filterEditing: false,
      overlay: null,
      showAll: init.showAll,
    },
    settings: { thresholds: init.thresholds, historyLength: init.historyLength },
  }));
}
