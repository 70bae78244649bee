import type { AppActions } from '../ui/context';

type AnyAction = (...args: unknown[]) => unknown;

/**
 * The views' actions before the sources are loaded: each call waits for them, in the order made, so a key pressed
 * while the first frame is on screen does what it says a moment later instead of nothing. Once loaded, calls go
 * straight through.
 */
export function actionsOnceLoaded(sources: Promise<{ actions: AppActions }>): AppActions {
  let loaded: AppActions | null = null;
  void sources.then(
    (s) => (loaded = s.actions),
    () => undefined,
  );
  return new Proxy({} as AppActions, {
    get: (_, name: keyof AppActions) =>
      (...args: unknown[]) => (loaded ? (loaded[name] as AnyAction)(...args) : sources.then((s) => (s.actions[name] as AnyAction)(...args))),
  });
}
