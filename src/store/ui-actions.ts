import { activeList, listRowIds, selectedRowId } from './selectors';
import type { AppStore, PanelId, UiState } from './store';

export const PANEL_ORDER: readonly PanelId[] = ['health', 'stats', 'cloudrun', 'logs', 'stacks'];

function setUi(store: AppStore, patch: Partial<UiState>): void {
  store.setState((s) => ({ ui: { ...s.ui, ...patch } }));
}

export function focusPanel(store: AppStore, panel: PanelId): void {
  setUi(store, { focus: panel, filterEditing: false });
}

export function cycleFocus(store: AppStore, step: 1 | -1): void {
  const index = PANEL_ORDER.indexOf(store.getState().ui.focus);
  focusPanel(store, PANEL_ORDER[(index + step + PANEL_ORDER.length) % PANEL_ORDER.length]!);
}

/** Moves the active list's selection by `delta` rows, or to an end with ±Infinity. */
export function moveSelection(store: AppStore, delta: number): void {
  const state = store.getState();
  const list = activeList(state);
  const ids = listRowIds(state, list);
  if (ids.length === 0) return;
  const current = Math.max(0, ids.indexOf(state.ui.selectedId[list] ?? ''));
  const next = Math.min(ids.length - 1, Math.max(0, current + delta));
  setUi(store, { selectedId: { ...state.ui.selectedId, [list]: ids[next]! } });
}

/** Opens details for the focused panel's selection: a container's details, or a service's revisions. */
export function openSelection(store: AppStore): void {
  const state = store.getState();
  const id = selectedRowId(state, activeList(state));
  if (!id) return;
  const { ui } = state;
  const overlay = ui.focus === 'cloudrun' ? 'revisions' : 'details';
  setUi(store, { selectedId: { ...ui.selectedId, [ui.focus]: id, ...(overlay === 'revisions' ? { revisions: null } : {}) }, overlay });
}

export function startFilter(store: AppStore): void {
  setUi(store, { filterEditing: true });
}

export function editFilter(store: AppStore, edit: (text: string) => string): void {
  const { ui } = store.getState();
  setUi(store, { filters: { ...ui.filters, [ui.focus]: edit(ui.filters[ui.focus]) } });
}

export function endFilter(store: AppStore, keep: boolean): void {
  const { ui } = store.getState();
  setUi(store, { filterEditing: false, filters: keep ? ui.filters : { ...ui.filters, [ui.focus]: '' } });
}

export function setOverlay(store: AppStore, overlay: UiState['overlay']): void {
  setUi(store, { overlay, under: null });
}

/** Opens `overlay` over the one open now, which it returns to when it closes (the help over a view). */
export function openOver(store: AppStore, overlay: string): void {
  const { ui } = store.getState();
  setUi(store, { overlay, under: ui.overlay === overlay ? ui.under : ui.overlay });
}

/** Closes the overlay, back to the one it was opened over, if any. */
export function closeOverlay(store: AppStore): void {
  setUi(store, { overlay: store.getState().ui.under, under: null });
}

export function setShowAll(store: AppStore, showAll: boolean): void {
  setUi(store, { showAll });
}

export function setNotice(store: AppStore, notice: string | null): void {
  setUi(store, { notice });
}

export function setZoom(store: AppStore, zoom: boolean): void {
  setUi(store, { zoom });
}

const SORT_CYCLE = {
  health: ['severity', 'name'],
  stats: ['severity', 'memory', 'cpu', 'name'],
} as const;

/** The next sort order of the focused list (Containers or Stats); other panels keep their own order. */
export function cycleSort(store: AppStore): void {
  const { ui } = store.getState();
  if (ui.focus !== 'health' && ui.focus !== 'stats') return;
  const cycle: readonly string[] = SORT_CYCLE[ui.focus];
  const next = cycle[(cycle.indexOf(ui.sort[ui.focus]) + 1) % cycle.length];
  setUi(store, { sort: { ...ui.sort, [ui.focus]: next } });
}
