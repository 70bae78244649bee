/** The key sets: each mode's bindings, the order they are searched in, read-only, and the registry. */
import type { Key } from 'ink';
import { describe, expect, it } from 'vitest';
import { LogRing } from '../../src/store/log-ring';
import { PANEL_ORDER } from '../../src/store/ui-actions';
import type { AppActions } from '../../src/ui/context';
import { bindingFor, dispatchKey, dispatchPaste, NO_KEY, shownBindings, type BindingSet, type KeyContext, type KeySpec } from '../../src/ui/keys/bindings';
import { activeSets, setsBeneath } from '../../src/ui/keys/modes';
import { OVERLAYS, PANELS } from '../../src/ui/registry';
import { appStore, container } from './support';

/** The (input, key) pair Ink hands to useInput for a key press. */
function press(spec: KeySpec): [string, Key] {
  if (spec.key) return ['', { ...NO_KEY, [spec.key]: true, shift: spec.shift ?? false }];
  const input = spec.input!;
  return [input, { ...NO_KEY, ctrl: spec.ctrl ?? false, shift: /^[A-Z]$/.test(input) }];
}
const signature = (spec: KeySpec) => (spec.key ? `key:${spec.key}${spec.shift ? '+shift' : ''}` : `input:${spec.ctrl ? 'ctrl+' : ''}${spec.input}`);

function context(store = appStore()): KeyContext & { calls: string[] } {
  const calls: string[] = [];
  const actions = new Proxy({} as AppActions, { get: (_, name) => (...args: unknown[]) => void calls.push(`${String(name)}${args.length ? `(${String(args[0])})` : ''}`) });
  return { store, actions, logRing: new LogRing(10), pageRows: 7, exit: () => calls.push('exit'), calls };
}

function focused(panel: (typeof PANEL_ORDER)[number]) {
  const store = appStore();
  store.setState((s) => ({ ui: { ...s.ui, focus: panel } }));
  return store;
}

describe('binding sets', () => {
  it.each(PANEL_ORDER)('with %s focused: the panel keys come before the global ones, and no key is bound twice', (panel) => {
    const sets = activeSets(focused(panel).getState());
    expect(sets.map((s) => s.title)).toEqual([PANELS.find((p) => p.id === panel)!.keys.title, 'Global']);
    const keys = sets.flatMap((set) => set.bindings.flatMap((b) => b.keys.map(signature)));
    expect(keys.filter((k, i) => keys.indexOf(k) !== i)).toEqual([]);
  });

  it('every binding is documented for the help: keys, a label and a description', () => {
    const all = [...PANELS.map((p) => p.keys), ...OVERLAYS.map((o) => (typeof o.keys === 'function' ? o.keys(appStore().getState()) : o.keys))];
    for (const binding of all.flatMap((set) => set.bindings)) {
      expect(binding.keys.length).toBeGreaterThan(0);
      expect(binding.label.trim()).not.toBe('');
      expect(binding.description.trim()).not.toBe('');
    }
  });

  it('tells Tab from Shift-Tab, g from G, and quits on q and Ctrl-C but not on a plain c', () => {
    const global = activeSets(appStore().getState())[1]!;
    const description = (input: string, key: Partial<Key> = {}) => bindingFor(global, input, { ...NO_KEY, ...key })?.description ?? null;
    expect(description('', { tab: true })).toBe('Focus the next panel');
    expect(description('', { tab: true, shift: true })).toBe('Focus the previous panel');
    expect(description('q')).toMatch(/^Quit/);
    expect(description('c', { ctrl: true })).toMatch(/^Quit/);
    expect(description('c')).toBeNull();
    const list = activeSets(appStore().getState())[0]!;
    expect(bindingFor(list, 'g', NO_KEY)?.description).toBe('First row');
    expect(bindingFor(list, 'G', { ...NO_KEY, shift: true })?.description).toBe('Last row');
    expect(bindingFor(list, '', { ...NO_KEY, leftArrow: true })).toBeUndefined();
  });

  it('the number keys focus the panels the registry lists, in the focus order of Tab', () => {
    expect(PANELS.map((p) => p.id)).toEqual(PANEL_ORDER);
    const ctx = context();
    for (const panel of [...PANELS].reverse()) {
      dispatchKey(ctx, activeSets(ctx.store.getState()), String(panel.number), NO_KEY);
      expect(ctx.store.getState().ui.focus).toBe(panel.id);
    }
  });

  it('page keys move by the rows on screen', () => {
    const ctx = context();
    const store = ctx.store;
    const ids = Array.from({ length: 30 }, (_, i) => `c${String(i).padStart(2, '0')}`);
    store.setState((s) => ({ docker: { ...s.docker, containers: Object.fromEntries(ids.map((id) => [id, container({ id, name: id })])) } }));
    dispatchKey(ctx, activeSets(store.getState()), ...press({ key: 'pageDown' }));
    expect(store.getState().ui.selectedId.health).toBe(ids[7]);
  });

  it('overlay ids are unique and every opener key is free among the global keys', () => {
    expect(new Set(OVERLAYS.map((o) => o.id)).size).toBe(OVERLAYS.length);
    const global = activeSets(appStore().getState())[1]!;
    for (const overlay of OVERLAYS.filter((o) => o.opener)) {
      const [input, key] = press(overlay.opener!.keys[0]!);
      dispatchKey(context(), [global], input, key);
      expect(bindingFor(global, input, key)?.description).toBe(overlay.opener!.description);
    }
  });
});

describe('search order', () => {
  it('an overlay takes its keys first; the panel keys below it do nothing; q still quits', () => {
    const ctx = context();
    ctx.store.setState((s) => ({ ui: { ...s.ui, overlay: 'audit' } }));
    dispatchKey(ctx, activeSets(ctx.store.getState()), 'j', NO_KEY);
    expect(ctx.store.getState().ui.selectedId.health).toBeNull();
    dispatchKey(ctx, activeSets(ctx.store.getState()), 'A', { ...NO_KEY, shift: true });
    expect(ctx.store.getState().ui.overlay).toBeNull();
    ctx.store.setState((s) => ({ ui: { ...s.ui, overlay: 'audit' } }));
    dispatchKey(ctx, activeSets(ctx.store.getState()), 'q', NO_KEY);
    expect(ctx.calls).toEqual(['exit']);
  });

  it('a prompt takes letters as text; only Ctrl-C gets past it', () => {
    const ctx = context();
    ctx.store.setState((s) => ({ ui: { ...s.ui, filterEditing: true } }));
    for (const char of 'q1z') dispatchKey(ctx, activeSets(ctx.store.getState()), char, NO_KEY);
    expect(ctx.store.getState().ui.filters.health).toBe('q1z');
    expect(ctx.calls).toEqual([]);
    dispatchKey(ctx, activeSets(ctx.store.getState()), 'c', { ...NO_KEY, ctrl: true });
    expect(ctx.calls).toEqual(['exit']);
  });

  it('pasted text goes to the prompt as text, its newlines never pressing Enter; with no prompt it is dropped', () => {
    const ctx = context();
    ctx.store.setState((s) => ({ ui: { ...s.ui, filterEditing: true } }));
    dispatchPaste(ctx, activeSets(ctx.store.getState()), 'web\r');
    expect(ctx.store.getState().ui).toMatchObject({ filterEditing: true, filters: expect.objectContaining({ health: 'web' }) });
    const idle = context();
    dispatchPaste(idle, activeSets(idle.store.getState()), 'q');
    expect(idle.calls).toEqual([]);
  });
});

describe('read-only', () => {
  const cloudRun = (readOnly: boolean) => {
    const store = focused('cloudrun');
    store.setState({ readOnly });
    return store;
  };
  const labels = (sets: BindingSet[], readOnly: boolean) => sets.flatMap((set) => shownBindings(set, readOnly).map((b) => b.label));

  it('hides the keys that change something, in the footer and the help, and refuses them with a notice', () => {
    const store = cloudRun(true);
    expect(labels(setsBeneath(store.getState()), true)).not.toEqual(expect.arrayContaining(['r']));
    expect(labels(setsBeneath(store.getState()), true)).not.toContain('b');
    expect(labels(setsBeneath(store.getState()), true)).not.toContain('R');
    expect(labels(setsBeneath(cloudRun(false).getState()), false)).toEqual(expect.arrayContaining(['r', 'b', 'R']));
    const ctx = context(store);
    dispatchKey(ctx, activeSets(store.getState()), 'r', NO_KEY);
    expect(store.getState().ui.notice).toBe('read-only console: rollback refused');
    expect(store.getState().ui.overlay).toBeNull();
  });
});

