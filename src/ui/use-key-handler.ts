import { useApp, useInput, usePaste, useWindowSize, type Key } from 'ink';
import { useActions, useAppStore, useLogRing } from './context';
import { dispatchKey, dispatchPaste, type KeyContext } from './keys/bindings';
import { activeSets, pageRows } from './keys/modes';
import { isEscapeThenKey, isNewline, splitKeyBurst } from './key-burst';
import { dialogOpen } from './registry';

/** Routes key presses and pasted text to the bindings of the modes that are active (see keys/modes.ts). */
export function useKeyHandler(): void {
  const store = useAppStore();
  const actions = useActions();
  const logRing = useLogRing();
  const { exit } = useApp();
  const { rows } = useWindowSize();
  const context = (): KeyContext => ({ store, actions, logRing, exit, pageRows: pageRows(store.getState(), rows) });
  const handleKey = (input: string, key: Key): void => dispatchKey(context(), activeSets(store.getState()), input, key);

  /** While text is being typed (a search, a rollback confirmation), a run of text is taken whole. */
  const typingText = () => activeSets(store.getState()).some((set) => set.text);
  const inDialog = () => dialogOpen(store.getState().ui.overlay);

  useInput((input, key) => {
    if (isEscapeThenKey(input, key)) {
      handleKey('', { ...key, meta: false, escape: true });
      return handleKey(input, { ...key, meta: false });
    }
    if (input.length <= 1 || key.ctrl || key.meta) return handleKey(input, key);
    // Keys faster than the console reads them arrive as one string; a terminal without bracketed paste sends
    // pastes the same way. Each part is handled as if typed, but a dialog never goes ahead on a newline in it.
    for (const part of splitKeyBurst(input)) {
      if (isNewline(part)) {
        if (!inDialog()) handleKey('', { ...key, return: true });
      } else if (typingText()) handleKey(part, key);
      else for (const char of part) handleKey(char, key);
    }
  });
  // Bracketed paste: pasted text is told apart from typed keys exactly, and is only ever text.
  usePaste((text) => dispatchPaste(context(), activeSets(store.getState()), text));
}
