import type { PanelId } from '../store/store';
import type { OverlaySpec, PanelSpec } from './keys/view-spec';
import { ALERTS_OVERLAYS } from './panels/AlertsOverlay';
import { AUDIT_OVERLAY } from './panels/AuditOverlay';
import { CLOUD_RUN_PANEL } from './panels/CloudRunPanel';
import { DETAILS_OVERLAY } from './panels/DetailsOverlay';
import { CONTAINERS_PANEL } from './panels/HealthPanel';
import { HELP_OVERLAY } from './panels/HelpOverlay';
import { LOG_ENTRY_OVERLAY } from './panels/LogEntryOverlay';
import { LOGS_PANEL } from './panels/LogsPanel';
import { REVISIONS_OVERLAY } from './panels/RevisionsOverlay';
import { ROLLBACK_DIALOG } from './panels/RollbackDialog';
import { STACKS_PANEL } from './panels/StacksPanel';
import { STATS_PANEL } from './panels/StatsPanel';
import { SWITCH_DIALOG } from './panels/SwitchDialog';
import { REBUILD_DIALOG } from './panels/RebuildDialog';
import { RUNBOOKS_OVERLAYS } from './panels/RunbooksOverlay';

/** Every panel of the main screen, in focus order (Tab); each brings its number key, title, view and keys. */
export const PANELS: readonly PanelSpec[] = [CONTAINERS_PANEL, STATS_PANEL, CLOUD_RUN_PANEL, LOGS_PANEL, STACKS_PANEL];

/** Every overlay and dialog; one with an opener gets its key among the global keys. */
export const OVERLAYS: readonly OverlaySpec[] = [
  HELP_OVERLAY,
  DETAILS_OVERLAY,
  REVISIONS_OVERLAY,
  ROLLBACK_DIALOG,
  AUDIT_OVERLAY,
  LOG_ENTRY_OVERLAY,
  ...ALERTS_OVERLAYS,
  SWITCH_DIALOG,
  REBUILD_DIALOG,
  ...RUNBOOKS_OVERLAYS,
];

export function panelSpec(id: PanelId): PanelSpec {
  return PANELS.find((p) => p.id === id)!;
}

export function overlaySpec(id: string): OverlaySpec | undefined {
  return OVERLAYS.find((o) => o.id === id);
}

/** A dialog is open: it takes every key, and notices belong to it. */
export function dialogOpen(overlay: string | null): boolean {
  return overlay !== null && overlaySpec(overlay)?.dialog === true;
}
