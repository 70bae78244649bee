import { useApp, useInput, type Key } from 'ink';
import {
  cycleFocus,
  cycleSort,
  editFilter,
  endFilter,
  focusPanel,
  moveSelection,
  openSelection,
  setOverlay,
  setNotice,
  setShowAll,
  setZoom,
  startFilter,
} from '../store/ui-actions';
import type { AppStore, Overlay } from '../store/store';
import { useActions, useAppStore, useLogRing, type AppActions } from './context';
import { cycleOrigin, cycleSeverity, follow, jumpToMatch, moveLogCursor, openLogEntry, toggleLogFlag, togglePause } from '../store/log-actions';
import { isEscapeThenKey, isNewline, splitKeyBurst } from './key-burst';
import { actionFor, KEYMAP, type Action } from './keymap';
import {
  closeRollback,
  editConfirmation,
  moveTarget,
  openRollback,
  proceedToConfirm,
  submitConfirmation,
} from '../store/rollback-actions';

const PAGE = 10;
const MOVES: Action[] = ['up', 'down', 'pageUp', 'pageDown', 'top', 'bottom'];
/** What still works while an overlay covers the panels (the rollback dialog reads its keys itself). */
const OVERLAY_ACTIONS: Record<Exclude<Overlay, 'rollback' | null>, Action[]> = {
  help: ['quit', 'help', 'close'],
  details: ['quit', 'help', 'close', 'details'],
  revisions: ['quit', 'help', 'close', 'refresh', 'rollback', 'rollbackRegular', ...MOVES],
  audit: ['quit', 'help', 'close', 'audit'],
  logEntry: ['quit', 'help', 'close', 'details'],
  alerts: ['quit', 'help', 'close', 'alerts'],
};

/** Keys of the rollback dialog: pick, confirm by typing, cancel; nothing interrupts a rollback being sent. */
function handleRollbackKey(store: AppStore, actions: AppActions, input: string, key: Key): void {
  const flow = store.getState().rollback;
  if (!flow || flow.step === 'running') return;
  if (flow.step === 'done') {
    if (key.return || key.escape) closeRollback(store);
    return;
  }
  if (key.escape) return actions.cancelRollback();
  if (flow.step === 'choose') {
    const action = actionFor(input, key, store.getState().ui.focus);
    if (action === 'down') moveTarget(store, 1);
    if (action === 'up') moveTarget(store, -1);
    if (key.return) proceedToConfirm(store);
    return;
  }
  if (key.return) {
    if (submitConfirmation(store)) {
      setNotice(store, null);
      actions.runRollback();
    } else setNotice(store, `type ${flow.expected} exactly to confirm, or Esc to cancel`);
    return;
  }
  if (key.backspace || key.delete) return editConfirmation(store, (typed) => typed.slice(0, -1));
  if (input && !key.ctrl && !key.meta) editConfirmation(store, (typed) => typed + input);
}

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
  const logRing = useLogRing();
  const { exit } = useApp();

  /** Keys that mean something else in the logs panel; returns false for the ones handled like anywhere else. */
  const runLogAction = (action: Action): boolean => {
    const moves: Partial<Record<Action, number>> = { down: 1, up: -1, pageDown: PAGE, pageUp: -PAGE, top: -Infinity };
    const delta = moves[action];
    if (delta !== undefined) {
      moveLogCursor(store, logRing, delta === -Infinity ? -logRing.size : delta);
      return true;
    }
    switch (action) {
      case 'bottom':
        follow(store);
        return true;
      case 'details': {
        const cloudLine = openLogEntry(store, logRing);
        setOverlay(store, 'logEntry');
        if (cloudLine) actions.loadLogEntry(cloudLine);
        return true;
      }
      case 'pauseLogs':
        togglePause(store, logRing);
        return true;
      case 'nextMatch':
      case 'prevMatch':
        setNotice(store, jumpToMatch(store, logRing, action === 'nextMatch' ? 1 : -1));
        return true;
      case 'cycleSeverity':
        cycleSeverity(store);
        return true;
      case 'cycleOrigin':
        cycleOrigin(store);
        return true;
      case 'toggleTime':
      case 'toggleWrap':
      case 'toggleOnlyMatches':
        toggleLogFlag(store, action === 'toggleTime' ? 'showTime' : action === 'toggleWrap' ? 'wrap' : 'onlyMatches');
        return true;
      case 'saveLogs':
        void actions.saveLogs().then((notice) => setNotice(store, notice));
        return true;
      default:
        return false;
    }
  };

  const run = (action: Action): void => {
    const { ui, readOnly } = store.getState();
    if (ui.overlay && ui.overlay !== 'rollback' && !OVERLAY_ACTIONS[ui.overlay].includes(action)) return;
    if (readOnly && KEYMAP.find((b) => b.action === action)?.mutating) return setNotice(store, 'read-only console: rollback refused');
    if (ui.notice) setNotice(store, null);
    if (ui.focus === 'logs' && !ui.overlay && runLogAction(action)) return;
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
      case 'focusPanel4':
        return focusPanel(store, 'logs');
      case 'zoom':
        return setZoom(store, !ui.zoom);
      case 'refresh':
        return actions.refreshCloudRun();
      case 'rollback':
      case 'rollbackRegular':
      case 'rollbackAll': {
        const kind = action === 'rollbackAll' ? 'all' : action === 'rollback' ? 'previous' : 'regular';
        return setNotice(store, openRollback(store, kind));
      }
      case 'audit':
        return setOverlay(store, ui.overlay === 'audit' ? null : 'audit');
      case 'alerts':
        return setOverlay(store, ui.overlay === 'alerts' ? null : 'alerts');
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
      case 'cycleSort':
        return cycleSort(store);
      case 'toggleAll': {
        const showAll = !ui.showAll;
        setShowAll(store, showAll);
        return actions.setShowAll(showAll);
      }
    }
  };

  const handleKey = (input: string, key: Key): void => {
    if (store.getState().ui.overlay === 'rollback') {
      const running = store.getState().rollback?.step === 'running';
      if (key.ctrl && input === 'c' && !running) return exit();
      return handleRollbackKey(store, actions, input, key);
    }
    if (store.getState().ui.filterEditing && !(key.ctrl && input === 'c')) return handleFilterTyping(store, input, key);
    const action = actionFor(input, key, store.getState().ui.focus);
    if (action) run(action);
  };

  /** While text is being typed (a search, a rollback confirmation), a run of text is taken whole. */
  const typingText = () => store.getState().ui.filterEditing || store.getState().rollback?.step === 'confirm';

  useInput((input, key) => {
    if (isEscapeThenKey(input, key)) {
      handleKey('', { ...key, meta: false, escape: true });
      return handleKey(input, { ...key, meta: false });
    }
    if (input.length <= 1 || key.ctrl || key.meta) return handleKey(input, key);
    for (const part of splitKeyBurst(input)) {
      if (isNewline(part)) {
        // A rollback goes ahead on a pressed Enter only, never on a newline inside pasted text.
        if (store.getState().ui.overlay !== 'rollback') handleKey('', { ...key, return: true });
      } else if (typingText()) handleKey(part, key);
      else for (const char of part) handleKey(char, key);
    }
  });
}
