import { useApp, useInput, type Key } from 'ink';
import {
  cycleFocus,
  editFilter,
  endFilter,
  focusPanel,
  moveSelection,
  openSelection,
  setOverlay,
  setShowAll,
  startFilter,
} from '../store/ui-actions';
import type { AppStore, Overlay } from '../store/store';
import { useActions, useAppStore } from './context';
import { actionFor, type Action } from './keymap';

const PAGE = 10;
const MOVES: Action[] = ['up', 'down', 'pageUp', 'pageDown', 'top', 'bottom'];
/** What still works while an overlay covers the panels. */
const OVERLAY_ACTIONS: Record<NonNullable<Overlay>, Action[]> = {
  help: ['quit', 'help', 'close'],
  details: ['quit', 'help', 'close', 'details'],
  revisions: ['quit', 'help', 'close', 'refresh', ...MOVES],
};

function handleFilterTyping(store: AppStore, input: string, key: Key): void {
  if (key.return) return endFilter(store, true);
  if (key.escape) return endFilter(store, false);
  if (key.backspace || key.delete) return editFilter(store, (text) => text.slice(0, -1));
  if (input && !key.ctrl && !key.meta && !key.tab) editFilter(store, (text) => text + input);
}

/** Turns key presses into store changes, following the keymap table. */
export function useKeyHandler(): void {
  const store = useAppStore();
  const actions = useActions();
  const { exit } = useApp();

  const run = (action: Action): void => {
    const { ui } = store.getState();
    if (ui.overlay && !OVERLAY_ACTIONS[ui.overlay].includes(action)) return;
    switch (action) {
      case 'quit':
        return exit();
      case 'help':
        return setOverlay(store, ui.overlay === 'help' ? null : 'help');
      case 'close':
        if (ui.overlay) return setOverlay(store, null);
        return endFilter(store, false);
      case 'details':
        if (ui.overlay === 'details') return setOverlay(store, null);
        return ui.overlay ? undefined : openSelection(store);
      case 'nextPanel':
        return cycleFocus(store, 1);
      case 'prevPanel':
        return cycleFocus(store, -1);
      case 'focusPanel1':
        return focusPanel(store, 'health');
      case 'focusPanel2':
        return focusPanel(store, 'stats');
      case 'focusPanel3':
        return focusPanel(store, 'cloudrun');
      case 'refresh':
        return actions.refreshCloudRun();
      case 'down':
        return moveSelection(store, 1);
      case 'up':
        return moveSelection(store, -1);
      case 'pageDown':
        return moveSelection(store, PAGE);
      case 'pageUp':
        return moveSelection(store, -PAGE);
      case 'top':
        return moveSelection(store, -Infinity);
      case 'bottom':
        return moveSelection(store, Infinity);
      case 'filter':
        return startFilter(store);
      case 'toggleAll': {
        const showAll = !ui.showAll;
        setShowAll(store, showAll);
        return actions.setShowAll(showAll);
      }
    }
  };

  useInput((input, key) => {
    if (store.getState().ui.filterEditing && !(key.ctrl && input === 'c')) return handleFilterTyping(store, input, key);
    const action = actionFor(input, key);
    if (action) run(action);
  });
}
