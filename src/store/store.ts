import { createStore, type StoreApi } from 'zustand/vanilla';
import type { AnyAuditEntry } from '../domain/audit';
import type { ConnectionState, ContainerInfo, ContainerStats, DockerAlert, EngineAlert } from '../domain/types';
import type { Thresholds } from '../domain/thresholds';
import { DEFAULT_IMAGES } from '../domain/alerts';
import type { ImagesConfig } from '../domain/build-analysis';

import type { RollbackFlow } from '../flows/rollback-machine';
import type { SwitchFlow } from '../flows/switch-machine';
import type { RebuildFlow } from '../flows/rebuild-machine';
import type { StackDefinition, StackMeasurements } from '../domain/stacks';
import { initialLogsState, type LogsState } from './logs-state';
import { initialCloudRunState, type CloudRunMode, type CloudRunState } from './cloud-run-state';
import type { CheckResult } from '../domain/checks/types';
import type { AlertBook } from '../domain/alert-lifecycle-types';

export type PanelId = 'health' | 'stats' | 'cloudrun' | 'logs' | 'stacks';
/** Lists that keep a selection: the panels, and the revisions of the selected Cloud Run service. */
export type ListId = PanelId | 'revisions';

export interface StatsEntry {
  latest: ContainerStats;
  /** When the latest frame reached the store (epoch ms): a running container's figures older than a few seconds are stale. */
  receivedAt: number;
  /** Most recent CPU % samples, oldest first, bounded by the configured history length. */
  cpuHistory: number[];
}

export interface DockerState {
  host: string;
  connection: ConnectionState;
  containers: Record<string, ContainerInfo>;
  stats: Record<string, StatsEntry>;
  /** While the engine cannot be read: the engine alert and the container alerts as last known. */
  alerts: Array<DockerAlert | EngineAlert>;
}

/** The id of the overlay or dialog over the panels (see the ui registry), or null. */
export type Overlay = string | null;

/** Severity: the worst alert first (the default), so what needs attention is at the top. */
export type ContainerSort = 'severity' | 'name';
export type StatsSort = 'severity' | 'memory' | 'cpu' | 'name';

export interface UiState {
  focus: PanelId;
  selectedId: Record<ListId, string | null>;
  filters: Record<PanelId, string>;
  /** True while the user types a filter for the focused panel. */
  filterEditing: boolean;
  overlay: Overlay;
  /** The overlay the help was opened over: the help lists its keys, and closing the help goes back to it. */
  under: Overlay;
  showAll: boolean;
  /** A one-line answer to the last key, e.g. why it was refused. */
  notice: string | null;
  /** The focused panel fills the window. */
  zoom: boolean;
  sort: { health: ContainerSort; stats: StatsSort };
}

/** The configured stacks, their last measurements, and the switch (or compare) in progress or just finished. */
export interface StacksState {
  definitions: StackDefinition[];
  measurements: StackMeasurements;
  flow: SwitchFlow | null;
  /** The rebuild dialog's flow (options, confirmation, live build, report). */
  rebuild: RebuildFlow | null;
}

/** What the runbooks ran last (or are running): one result per check and target, live. */
export interface DoctorState {
  results: CheckResult[];
  running: boolean;
  /** What the run was asked to check, shown as the view's title, e.g. "stack test" or "everything". */
  scope: string;
  startedAt: number | null;
  finishedAt: number | null;
  /** The result Enter opened in the Runbooks view (code + target), or null. */
  openKey: string | null;
}

export interface AppState {
  docker: DockerState;
  cloudRun: CloudRunState;
  /** The rollback in progress (or just finished), and what this session did. */
  rollback: RollbackFlow | null;
  audit: AnyAuditEntry[];
  auditPath: string;
  stacks: StacksState;
  logs: LogsState;
  /** Alerts with their lifecycle (pending → firing → resolved), acks, silences and recent history. */
  alertBook: AlertBook;
  doctor: DoctorState;
  readOnly: boolean;
  ui: UiState;
  settings: { thresholds: Thresholds; images: ImagesConfig; historyLength: number; rollbackOrder: string[] };
}

export type AppStore = StoreApi<AppState>;

export interface StoreInit {
  host: string;
  thresholds: Thresholds;
  /** Image budgets for the image-size alerts; the config's defaults when absent. */
  images?: ImagesConfig;
  historyLength: number;
  showAll: boolean;
  cloudRun: { mode: CloudRunMode; project: string; region: string; endpoint: string };
  readOnly?: boolean;
  rollbackOrder?: string[];
  auditPath?: string;
  stacks?: StackDefinition[];
}

export function createAppStore(init: StoreInit): AppStore {
  return createStore<AppState>()(() => ({
    docker: { host: init.host, connection: { state: 'connecting' }, containers: {}, stats: {}, alerts: [] },
    cloudRun: initialCloudRunState(init.cloudRun),
    rollback: null,
    audit: [],
    logs: initialLogsState(),
    alertBook: { active: {}, history: [], silences: [] },
    doctor: { results: [], running: false, scope: '', startedAt: null, finishedAt: null, openKey: null },
    auditPath: init.auditPath ?? '',
    stacks: { definitions: init.stacks ?? [], measurements: {}, flow: null, rebuild: null },
    readOnly: init.readOnly ?? false,
    ui: {
      focus: 'health',
      selectedId: { health: null, stats: null, cloudrun: null, logs: null, stacks: null, revisions: null },
      filters: { health: '', stats: '', cloudrun: '', logs: '', stacks: '' },
      filterEditing: false,
      overlay: null,
      under: null,
      showAll: init.showAll,
      notice: null,
      zoom: false,
      sort: { health: 'severity', stats: 'severity' },
    },
    settings: { thresholds: init.thresholds, images: init.images ?? DEFAULT_IMAGES, historyLength: init.historyLength, rollbackOrder: init.rollbackOrder ?? [] },
  }));
}
