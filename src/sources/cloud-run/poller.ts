import { describeCloudError } from '../../domain/cloud-run-errors';
import type { CloudRunUpdate } from '../../domain/cloud-run';
import { endpointLabel, type CloudRunApi, type CloudRunTarget } from './client';
import { readCloudRun } from './read';

export interface PollerOptions {
  target: CloudRunTarget;
  services: readonly string[];
  intervalMs: number;
  /** Longest wait between attempts while errors repeat. */
  maxBackoffMs?: number;
  createApi(target: CloudRunTarget): Promise<CloudRunApi>;
  onUpdate(update: CloudRunUpdate): void;
}

/**
 * Refreshes Cloud Run on an interval. Never two refreshes in flight: a refresh asked for meanwhile runs right
 * after the current one. Errors back off exponentially from one second up to `maxBackoffMs`.
 */
export class CloudRunPoller {
  private api: Promise<CloudRunApi> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private inFlight: Promise<void> | null = null;
  private pending = false;
  private failures = 0;
  private stopped = true;

  constructor(private readonly options: PollerOptions) {}

  start(): void {
    this.stopped = false;
    this.refreshNow();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.inFlight;
    const api = await this.api?.catch(() => null);
    await api?.close();
  }

  /** Refreshes at once, or right after the refresh in flight. */
  refreshNow(): void {
    if (this.stopped) return;
    if (this.inFlight) {
      this.pending = true;
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.inFlight = this.refresh().finally(() => {
      this.inFlight = null;
      if (this.pending) {
        this.pending = false;
        this.refreshNow();
      }
    });
  }

  /** The client, made on first use; made again after a failure (e.g. no credentials yet: sign in, and it recovers). */
  private openApi(): Promise<CloudRunApi> {
    this.api ??= this.options.createApi(this.options.target).catch((error: unknown) => {
      this.api = null;
      throw error;
    });
    return this.api;
  }

  private async refresh(): Promise<void> {
    const { target, onUpdate } = this.options;
    onUpdate({ kind: 'refreshing' });
    let delay = this.options.intervalMs;
    try {
      const read = await readCloudRun(await this.openApi(), this.options.services);
      this.failures = 0;
      if (!this.stopped) onUpdate({ kind: 'data', ...read, at: Date.now() });
    } catch (error) {
      this.failures++;
      delay = Math.min(1000 * 2 ** (this.failures - 1), this.options.maxBackoffMs ?? 60_000);
      const described = describeCloudError(error, { project: target.project, region: target.region, endpoint: endpointLabel(target) });
      if (!this.stopped) onUpdate({ kind: 'error', error: described, retryAt: Date.now() + delay });
    }
    if (!this.stopped && !this.pending) this.timer = setTimeout(() => this.refreshNow(), delay);
  }
}
