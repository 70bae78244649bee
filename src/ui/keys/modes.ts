import type { AppState } from '../../store/store';
import { CHROME_ROWS, layoutPanels } from '../layout';
import { overlaySpec, panelSpec } from '../registry';
import type { BindingSet } from './bindings';
import { FILTER_PROMPT } from './filter-prompt';
import { essentialKeys, globalKeys } from './global-keys';
import { overlayKeys } from './view-spec';

/** The key sets that take keys now, searched in this order: dialog → overlay → prompt → focused panel → global. */
export function activeSets(state: AppState): BindingSet[] {
  const overlay = state.ui.overlay ? overlaySpec(state.ui.overlay) : undefined;
  if (overlay?.dialog) return [overlayKeys(overlay, state)];
  if (overlay) return [overlayKeys(overlay, state), essentialKeys()];
  if (state.ui.filterEditing) return [FILTER_PROMPT];
  return [panelSpec(state.ui.focus).keys, globalKeys()];
}

/** The sets an overlay covers (what the help overlay lists): the view it was opened over, the focused panel's keys and the global ones. */
export function setsBeneath(state: AppState): BindingSet[] {
  const under = state.ui.under ? overlaySpec(state.ui.under) : undefined;
  const panels = activeSets({ ...state, ui: { ...state.ui, overlay: null, under: null, filterEditing: false } });
  return under ? [overlayKeys(under, state), ...panels] : panels;
}

/** Borders, title and column header of a list; the page keys move by what is left. */
const LIST_CHROME_ROWS = 5;

/** Rows of the focused list on screen in a window `windowRows` high. */
export function pageRows(state: AppState, windowRows: number): number {
  const body = windowRows - CHROME_ROWS;
  const box = state.ui.overlay ? body : (layoutPanels(body, state.ui.focus, state.ui.zoom).find((b) => b.id === state.ui.focus)?.height ?? body);
  return Math.max(1, box - LIST_CHROME_ROWS);
}
