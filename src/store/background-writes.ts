import { EarliestTimer } from './earliest-timer';
import type { AppState, AppStore } from './store';

/** Long enough to take in a burst of one stream's updates, short enough that nobody sees the wait. */
export const BACKGROUND_WINDOW_MS = 50;

type Update = (state: AppState) => Partial<AppState>;

export interface BackgroundTiming {
  /** How long a write waits for others while somebody is watching for it (see hurry). */
  windowMs: number;
  /**
   * How long a write waits otherwise: the console flushes on its clock's tick (each second), so background news is
   * drawn in the frame the ages are drawn in anyway; this is the most it waits if the clock stops.
   */
  idleWaitMs: number;
}

/**
 * Store updates from background sources (Cloud Run's refreshes, the Cloud tail's state) applied together, in order: a
 * refresh that starts and fails 10 ms later, or a retry of an endpoint that is down, costs no frame of its own. Key
 * presses write to the store directly, and a key that asks for background news (a refresh) hurries it.
 */
export class BackgroundWrites {
  private pending: Update[] = [];
  private readonly timer = new EarliestTimer(() => this.flush());
  private hurriedUntil = 0;

  constructor(
    private readonly store: AppStore,
    private readonly timing: BackgroundTiming,
  ) {}

  write(update: Update): void {
    this.pending.push(update);
    this.timer.within(Date.now() < this.hurriedUntil ? this.timing.windowMs : this.timing.idleWaitMs);
  }

  /** Somebody asked (a key) and watches: what is pending is applied now, and writes for the next `forMs` within windowMs. */
  hurry(forMs: number): void {
    this.hurriedUntil = Date.now() + forMs;
    this.flush();
  }

  flush(): void {
    this.timer.cancel();
    const updates = this.pending;
    this.pending = [];
    if (updates.length > 0) this.store.setState((state) => updates.reduce<AppState>((next, update) => ({ ...next, ...update(next) }), state));
  }

  /** Applies what is pending and stops. */
  dispose(): void {
    this.flush();
  }
}
