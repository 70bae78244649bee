import type { Key } from 'ink';
import type { LogRing } from '../../store/log-ring';
import type { AppStore } from '../../store/store';
import { setNotice } from '../../store/ui-actions';
import type { AppActions } from '../context';

type NamedKey = 'tab' | 'return' | 'escape' | 'upArrow' | 'downArrow' | 'pageUp' | 'pageDown' | 'home' | 'end' | 'backspace' | 'delete';

export interface KeySpec {
  input?: string;
  key?: NamedKey;
  shift?: boolean;
  ctrl?: boolean;
}

/** What a binding's handler may use. */
export interface KeyContext {
  store: AppStore;
  actions: AppActions;
  logRing: LogRing;
  /** Rows of the focused list on screen: the page keys move by this many. */
  pageRows: number;
  exit(): void;
}

/** A key, how help and hints write it, and what it does: the handler travels with the binding. */
export interface Binding {
  keys: readonly KeySpec[];
  label: string;
  description: string;
  /** The word shown in the footer (or a dialog's hint line); bindings without one are listed in the help only. */
  hint?: string;
  /** The change it makes outside the console (e.g. "rollback"): hidden and refused in a read-only console. */
  mutating?: string;
  run(ctx: KeyContext): void;
}

/** The keys of one mode: the global keys, a panel, an overlay, a dialog or a prompt. */
export interface BindingSet {
  /** The heading of these keys in the help overlay. */
  title: string;
  bindings: readonly Binding[];
  /** A prompt or dialog that takes text gets the keys no binding took, and pasted text; true when it used them. */
  text?(ctx: KeyContext, input: string, key: Key): boolean;
  /** While this set is active, the sets after it get no keys (a dialog, a prompt). */
  modal?: boolean;
}

function matches(spec: KeySpec, input: string, key: Key): boolean {
  if (spec.key) {
    if (!key[spec.key]) return false;
    return spec.shift === undefined || spec.shift === key.shift;
  }
  if (Boolean(spec.ctrl) !== key.ctrl) return false;
  return spec.input === input;
}

export function bindingFor(set: BindingSet, input: string, key: Key): Binding | undefined {
  return set.bindings.find((b) => b.keys.some((spec) => matches(spec, input, key)));
}

/** The bindings a console shows: a read-only one hides the mutating ones. */
export function shownBindings(set: BindingSet, readOnly: boolean): Binding[] {
  return set.bindings.filter((b) => !(readOnly && b.mutating));
}

/** "Enter continue · Esc cancel": the hint words of the bindings that have one. */
export function hintLine(bindings: readonly Binding[], separator = ' · '): string {
  return bindings
    .filter((b) => b.hint)
    .map((b) => `${b.label.split(', ')[0]} ${b.hint}`)
    .join(separator);
}

/**
 * Runs the first binding of the active sets (in order: dialog → overlay → panel → global) that takes the key; a
 * set that takes text gets what its bindings did not, and a modal set lets nothing through to the sets after it.
 */
export function dispatchKey(ctx: KeyContext, sets: readonly BindingSet[], input: string, key: Key): void {
  const { readOnly, ui } = ctx.store.getState();
  for (const set of sets) {
    const binding = bindingFor(set, input, key);
    if (binding) {
      if (readOnly && binding.mutating) return setNotice(ctx.store, `read-only console: ${binding.mutating} refused`);
      if (ui.notice) setNotice(ctx.store, null);
      return binding.run(ctx);
    }
    if (set.text?.(ctx, input, key) || set.modal) return;
  }
}

/** Pasted text goes to the prompt or dialog that takes text, as text: a newline in it never presses Enter. */
export function dispatchPaste(ctx: KeyContext, sets: readonly BindingSet[], text: string): void {
  const typing = sets.find((set) => set.text);
  if (!typing) return;
  const plain = text.replace(/[\r\n]+/g, ' ').trim();
  if (plain) typing.text!(ctx, plain, NO_KEY);
}

export const NO_KEY: Key = {
  upArrow: false,
  downArrow: false,
  leftArrow: false,
  rightArrow: false,
  pageDown: false,
  pageUp: false,
  home: false,
  end: false,
  return: false,
  escape: false,
  ctrl: false,
  shift: false,
  tab: false,
  backspace: false,
  delete: false,
  meta: false,
  super: false,
  hyper: false,
  capsLock: false,
  numLock: false,
};
