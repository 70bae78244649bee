import { createStore, type StoreApi } from 'zustand/vanilla';
import type { Alert, ConnectionState, ContainerInfo, ContainerStats } from '../domain/types';
import type { Thresholds } from '../domain/thresholds';

export type PanelId = 'health' | 'stats';

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
  alerts: Alert[];
}

export type Overlay = 'help' | 'details' | null;

export interface UiState {
  focus: PanelId;
  selectedId: Record<PanelId, string | null>;
  filters: Record<PanelId, string>;
  /** True while the user types a filter for the focused panel. */
  filterEditing: boolean;
  overlay: Overlay;
  showAll: boolean;
}

export interface AppState {
  docker: DockerState;
  ui: UiState;
  settings: { thresholds: Thresholds; historyLength: number };
}

export type AppStore = StoreApi<AppState>;

export function createAppStore(init: { host: string; thresholds: Thresholds; historyLength: number; showAll: boolean }): AppStore {
  return createStore<AppState>()(() => ({
    docker: { host: init.host, connection: { state: 'connecting' }, containers: {}, stats: {}, alerts: [] },
    ui: {
      focus: 'health',
      selectedId: { health: null, stats: null },
      filters: { health: '', stats: '' },
      filterEditing: false,
      overlay: null,
      showAll: init.showAll,
    },
    settings: { thresholds: init.thresholds, historyLength: init.historyLength },
  }));
}
