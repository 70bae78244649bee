import { useStore } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { AppStore } from '../../store/store';
import { useAppStore } from '../context';

/**
 * A view's own state (its cursor, a line being typed): kept beside the console's store, one per store, because
 * nothing but the view and its keys reads it. The keys reach it through their context's store.
 */
export function viewState<T extends object>(initial: () => T): { of(store: AppStore): StoreApi<T>; use<U>(select: (state: T) => U): U } {
  const states = new WeakMap<AppStore, StoreApi<T>>();
  const of = (store: AppStore): StoreApi<T> => {
    let state = states.get(store);
    if (!state) {
      state = createStore<T>()(initial);
      states.set(store, state);
    }
    return state;
  };
  return {
    of,
    use: (select) => useStore(of(useAppStore()), useShallow(select)),
  };
}
