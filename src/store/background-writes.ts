import type { AppState, AppStore } from './store';

/** Long enough to take in a burst of one stream's updates, short enough that nobody sees the wait. */
export const BACKGROUND_WINDOW_MS = 50;

type Update = (state: AppState) => Partial<AppState>;

/**
 * Store updates from a background source (Cloud Run's refreshes) that land within `windowMs` of each other are
 * applied together, in order: a refresh that starts and fails 10 ms later costs one render instead of two. Key
 * presses write to the store directly.
 */
export class BackgroundWrites {
  private pending: Update[] = [];
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly store: AppStore,
    private readonly windowMs = BACKGROUND_WINDOW_MS,
  ) {}

  write(update: Update): void {
    this.pending.push(update);
    this.timer ??= setTimeout(() => this.flush(), this.windowMs);
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const updates = this.pending;
    this.pending = [];
    if (updates.length > 0) this.store.setState((state) => updates.reduce<AppState>((next, update) => ({ ...next, ...update(next) }), state));
  }

  /** Applies what is pending and stops. */
  dispose(): void {
    this.flush();
  }
}
