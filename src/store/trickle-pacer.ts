/**
 * Paces a trickle of updates into frames. Drawing a frame costs the same whether it shows one new log line or
 * fifty (Ink re-renders the whole screen), so a few lines a second wait for the next 1 Hz clock frame (at most
 * `maxDelayMs`) instead of costing a frame each; a burst (`burstSize` or more held) is published at once, as before.
 */
export class TricklePacer {
  private held = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly publish: () => void,
    private readonly options: { burstSize: number; maxDelayMs: number },
  ) {}

  /** `count` more updates are ready. */
  add(count: number): void {
    this.held += count;
    if (this.held >= this.options.burstSize) return this.flush();
    this.timer ??= setTimeout(() => this.flush(), this.options.maxDelayMs);
  }

  /** Publishes what is held (on the clock's tick, so both land in one frame). */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.held === 0) return;
    this.held = 0;
    this.publish();
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.held = 0;
  }
}
