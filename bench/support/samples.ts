// Summaries of timing samples, as the bench prints them.

/** The value below which `p` (0..1) of the samples lie (nearest rank). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}

export const median = (values: readonly number[]): number => percentile(values, 0.5);

/** "p50 12.3 ms, p95 20.1 ms, max 31.0 ms (n=160)" */
export function spread(values: readonly number[]): string {
  const ms = (v: number) => `${v.toFixed(1)} ms`;
  return `p50 ${ms(percentile(values, 0.5))}, p95 ${ms(percentile(values, 0.95))}, max ${ms(Math.max(...values))} (n=${values.length})`;
}

/** Every sample, rounded, in the order taken: "[412, 398, …]". */
export const raw = (values: readonly number[], digits = 0): string => `[${values.map((v) => v.toFixed(digits)).join(', ')}]`;
