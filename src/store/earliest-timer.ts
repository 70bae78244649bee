/** One timer that runs `run` at the earliest time asked for: asking for a later time never postpones it. */
export class EarliestTimer {
  private timer: NodeJS.Timeout | null = null;
  private dueAt = 0;

  constructor(private readonly run: () => void) {}

  /** Runs within `delayMs`, or sooner if an earlier time was asked for. */
  within(delayMs: number): void {
    const dueAt = Date.now() + delayMs;
    if (this.timer && this.dueAt <= dueAt) return;
    this.cancel();
    this.dueAt = dueAt;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.run();
    }, delayMs);
  }

  cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
