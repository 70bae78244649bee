import { useSyncExternalStore } from 'react';

// One shared 1 Hz clock: every component showing an age or a countdown updates in the same tick, so a second
// costs one render pass, not one per component.
const TICK_MS = 1000;
const listeners = new Set<() => void>();
let now = Date.now();
let timer: NodeJS.Timeout | null = null;

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  timer ??= setInterval(() => {
    now = Date.now();
    for (const notify of listeners) notify();
  }, TICK_MS);
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer) {
      clearInterval(timer);
      timer = null;
    }
  };
}

/** The current time, refreshed once a second; for ages and countdowns. */
export function useNow(): number {
  return useSyncExternalStore(subscribe, () => now);
}
