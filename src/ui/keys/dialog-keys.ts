import type { AppStore } from '../../store/store';
import { setOverlay } from '../../store/ui-actions';
import type { Binding, BindingSet } from './bindings';

// The keys the dialogs share; each passes what closing it or editing its typed text does.

export const QUIT_NOTHING_CHANGES: Binding = { keys: [{ input: 'c', ctrl: true }], label: 'Ctrl-C', description: 'Quit the console (nothing changes)', run: ({ exit }) => exit() };

/** The dialog is open with nothing in it (it should not be): Esc still gets out. */
export const CLOSE_EMPTY: Binding = { keys: [{ key: 'escape' }], label: 'Esc', description: 'Close', hint: 'close', run: ({ store }) => setOverlay(store, null) };

export function cancelKey(run: Binding['run']): Binding {
  return { keys: [{ key: 'escape' }], label: 'Esc', description: 'Cancel: nothing changes', hint: 'cancel (nothing changes)', run };
}

export function closeDoneKey(run: Binding['run']): Binding {
  return { keys: [{ key: 'return' }, { key: 'escape' }], label: 'Enter, Esc', description: 'Close', hint: 'close', run };
}

/** Changes the text typed into a dialog's confirmation (in the store). */
export type EditTyped = (store: AppStore, change: (typed: string) => string) => void;

/** Backspace in a typed confirmation. */
export function eraseKey(edit: EditTyped): Binding {
  return { keys: [{ key: 'backspace' }, { key: 'delete' }], label: 'Backspace', description: 'Delete the last typed character', run: ({ store }) => edit(store, (t) => t.slice(0, -1)) };
}

/** A typed confirmation takes the text no binding took (not Ctrl or Meta keys), and pasted text. */
export function typedText(edit: EditTyped): NonNullable<BindingSet['text']> {
  return ({ store }, input, key) => {
    if (!input || key.ctrl || key.meta) return false;
    edit(store, (typed) => typed + input);
    return true;
  };
}
