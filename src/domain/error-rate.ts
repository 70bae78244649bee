/**
 * Error rate of log entries per source over a sliding window (guide 000, "Alert Thresholds": Error Rate > 1 % is
 * critical). Counts are kept in fixed time buckets, so memory stays bounded whatever the flood: a source costs its
 * buckets, and only the most recently heard sources are kept.
 */

export interface RateCount {
  errors: number;
  total: number;
}

/** Over this share of error entries is critical (guide 000: "Error Rate > 1%: Critical"). */
export const ERROR_RATE_CRITICAL = 0.01;

/**
 * Fewer entries than this in the window say nothing about a rate of 1 %: one entry of them is already more than 1 %.
 * Below it no alert is raised, so one error among a quiet service's three lines is not a critical.
 */
export const ERROR_RATE_MIN_SAMPLE = 100;

export const ERROR_RATE_WINDOW_MS = 5 * 60_000;
const BUCKET_MS = 10_000;
const MAX_SOURCES = 200;

/** True when the window holds enough entries to judge and over 1 % of them are errors. */
export function errorRateBreached(count: RateCount): boolean {
  return count.total >= ERROR_RATE_MIN_SAMPLE && count.errors > count.total * ERROR_RATE_CRITICAL;
}

/** `2.4% of its log entries in the last 5 min are errors (19 of 800)`. */
export function errorRateText(count: RateCount, windowMs = ERROR_RATE_WINDOW_MS): string {
  const percent = (100 * count.errors) / count.total;
  return `${percent.toFixed(1)}% of its log entries in the last ${windowMs / 60_000} min are errors (${count.errors} of ${count.total})`;
}

/** One source's buckets, as a ring: slot i holds the bucket whose number (time / bucketMs) is `numbers[i]`. */
interface Buckets {
  numbers: number[];
  errors: number[];
  totals: number[];
}

/**
 * Counts entries and error entries per source in the last `windowMs`, bucketed by `bucketMs`: an entry stays
 * counted until its bucket leaves the window. At most `maxSources` sources are kept; a new one makes the one heard
 * from least recently go.
 */
export class ErrorRateWindow {
  private readonly sources = new Map<string, Buckets>();
  private readonly slots: number;
  /** The source heard from last: a flood from one source does not reorder the map for every entry. */
  private newest: string | null = null;

  constructor(
    readonly windowMs = ERROR_RATE_WINDOW_MS,
    readonly bucketMs = BUCKET_MS,
    readonly maxSources = MAX_SOURCES,
  ) {
    this.slots = Math.max(1, Math.ceil(windowMs / bucketMs));
  }

  get size(): number {
    return this.sources.size;
  }

  add(source: string, isError: boolean, timestampMs: number): void {
    const buckets = this.touch(source);
    const number = Math.floor(timestampMs / this.bucketMs);
    const slot = ((number % this.slots) + this.slots) % this.slots;
    const held = buckets.numbers[slot]!;
    // A bucket older than what its slot holds has already left the window.
    if (number < held) return;
    if (number > held) {
      buckets.numbers[slot] = number;
      buckets.errors[slot] = 0;
      buckets.totals[slot] = 0;
    }
    buckets.totals[slot]!++;
    if (isError) buckets.errors[slot]!++;
  }

  rate(source: string, now: number): RateCount {
    const buckets = this.sources.get(source);
    const count = { errors: 0, total: 0 };
    if (!buckets) return count;
    const newest = Math.floor(now / this.bucketMs);
    for (let slot = 0; slot < this.slots; slot++) {
      const number = buckets.numbers[slot]!;
      if (number > newest - this.slots && number <= newest) {
        count.errors += buckets.errors[slot]!;
        count.total += buckets.totals[slot]!;
      }
    }
    return count;
  }

  /** Every source with entries in the window; sources without any are forgotten. */
  rates(now: number): Map<string, RateCount> {
    const rates = new Map<string, RateCount>();
    for (const source of [...this.sources.keys()]) {
      const count = this.rate(source, now);
      if (count.total > 0) rates.set(source, count);
      else this.forget(source);
    }
    return rates;
  }

  private forget(source: string): void {
    this.sources.delete(source);
    if (this.newest === source) this.newest = null;
  }

  /** The source's buckets, made the most recently heard (a Map iterates in insertion order). */
  private touch(source: string): Buckets {
    let buckets = this.sources.get(source);
    if (buckets && source === this.newest) return buckets;
    if (buckets) {
      this.sources.delete(source);
    } else {
      const empty = () => new Array<number>(this.slots).fill(0);
      buckets = { numbers: new Array<number>(this.slots).fill(Number.NEGATIVE_INFINITY), errors: empty(), totals: empty() };
      if (this.sources.size >= this.maxSources) this.forget(this.sources.keys().next().value!);
    }
    this.sources.set(source, buckets);
    this.newest = source;
    return buckets;
  }
}
