import { useSyncExternalStore } from 'react';

// One shared 1 Hz clock: every component showing an age or a countdown updates in the same tick, so a second
// costs one render pass, not one per component.
const TICK_MS = 1000;
const listeners = new Set<() => void>();
let now = Date.now();
let timer: NodeJS.Timeout | null = null;

// Frame coalescing (see coalesceClockWith): a due tick waits for the next store update, at most `maxDelayMs`,
// so the ages move in a frame that is drawn anyway instead of costing a frame of their own.
let coalescing: { maxDelayMs: number } | null = null;
let pending: NodeJS.Timeout | null = null;
/** Updates that wait for the tick (a trickle of log lines): run as it comes due, so they share its frame. */
const riders = new Set<() => void>();

function fire(): void {
  if (pending) clearTimeout(pending);
  pending = null;
  now = Date.now();
  for (const notify of listeners) notify();
}

function tick(): void {
  if (!coalescing) return fire();
  pending ??= setTimeout(fire, coalescing.maxDelayMs);
  // A rider's store update fires the pending tick at once (coalesceClockWith): one frame for both.
  for (const ride of riders) ride();
}

/** Runs `ride` at each tick, before the tick's frame; returns the function that stops it. */
export function rideWithClock(ride: () => void): () => void {
  riders.add(ride);
  return () => riders.delete(ride);
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  timer ??= setInterval(tick, TICK_MS);
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer) {
      clearInterval(timer);
      timer = null;
      if (pending) clearTimeout(pending);
      pending = null;
    }
  };
}

/**
 * Lets each tick ride along with the next update of `subscribeToUpdates` (the store), so it renders in the same
 * frame; a tick never waits longer than `maxDelayMs`. Returns the function that undoes it.
 */
export function coalesceClockWith(subscribeToUpdates: (listener: () => void) => () => void, maxDelayMs = 250): () => void {
  coalescing = { maxDelayMs };
  const unsubscribe = subscribeToUpdates(() => {
    if (pending) fire();
  });
  return () => {
    unsubscribe();
    coalescing = null;
    if (pending) fire();
  };
}

/** The current time, refreshed once a second; for ages and countdowns. */
export function useNow(): number {
  return useSyncExternalStore(subscribe, () => now);
}
