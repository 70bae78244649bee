/** Esc followed quickly by a key arrives in one read ("\x1bj"), which Ink reports as Meta-j: it must act as Esc, then j. */
import { render } from 'ink-testing-library';
import { createElement } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import type { Key } from 'ink';
import { LogRing } from '../../src/store/log-ring';
import { AppProvider, type AppActions } from '../../src/ui/context';
import { isEscapeThenKey } from '../../src/ui/key-burst';
import { useKeyHandler } from '../../src/ui/use-key-handler';
import { appStore, container } from './support';
import { waitFor } from '../support/wait';

const NO_KEY = { meta: false, ctrl: false } as Key;

function KeysOnly() {
  useKeyHandler();
  return null;
}

const mounted: Array<{ unmount(): void }> = [];
afterEach(() => {
  for (const m of mounted.splice(0)) m.unmount();
});

/** Waits for Ink to take the input in (it reads stdin on the next turns of the event loop). */
const until = (condition: () => boolean) => waitFor(condition, { what: 'Esc, then j, to take effect', timeoutMs: 2_000, intervalMs: 5 });

describe('Esc followed quickly by a key', () => {
  it('is read as Esc then the key, not as Meta-key', async () => {
    const store = appStore();
    store.setState((s) => ({
      docker: { ...s.docker, containers: { a: container({ id: 'a' }), b: container({ id: 'b' }) } },
      ui: { ...s.ui, overlay: 'help' },
    }));
    const app = render(createElement(AppProvider, { store, actions: {} as AppActions, logRing: new LogRing(1), children: createElement(KeysOnly) }));
    mounted.push(app);
    app.stdin.write('\x1bj');
    // Esc closed the help overlay, and j then moved the selection from the first container to the second.
    await until(() => store.getState().ui.overlay === null && store.getState().ui.selectedId.health === 'b');
  });

  it('is told apart from a plain key, an arrow with Meta, and Esc alone', () => {
    expect(isEscapeThenKey('j', { ...NO_KEY, meta: true })).toBe(true);
    expect(isEscapeThenKey('j', NO_KEY)).toBe(false);
    expect(isEscapeThenKey('\x1b', { ...NO_KEY, meta: true })).toBe(false);
    expect(isEscapeThenKey('c', { ...NO_KEY, meta: true, ctrl: true })).toBe(false);
    expect(isEscapeThenKey('', { ...NO_KEY, meta: true, upArrow: true })).toBe(false);
  });
});
