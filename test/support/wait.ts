/**
 * Polls until a predicate holds, for tests that watch real, asynchronous systems (a Docker engine, a store fed
 * by one). On timeout it fails with what was awaited and the last observed state, so a red test says why.
 */
export interface WaitOptions<S = unknown> {
  /** Give up after this long; generous by default, these are "eventually" waits, not timing assertions. */
  timeoutMs?: number;
  /** Poll interval. */
  intervalMs?: number;
  /** What is awaited, in words: "container web to be healthy". */
  what: string;
  /** Renders the last observed state for the failure message (default: JSON, truncated). */
  describe?: (state: S) => string;
}

export class WaitTimeoutError extends Error {
  override name = 'WaitTimeoutError';
}

/**
 * Waits for `predicate` to return a truthy value and resolves with it. The predicate may be async; a throw
 * counts as "not yet" (its message is reported if it never passes). `observe`, if given, supplies the state
 * shown on failure; otherwise the predicate's last non-truthy result is shown.
 */
export async function waitFor<T>(
  predicate: () => T | Promise<T>,
  options: WaitOptions & { observe?: () => unknown },
): Promise<NonNullable<T>> {
  const timeoutMs = options.timeoutMs ?? 20_000;
  const intervalMs = options.intervalMs ?? 100;
  const deadline = Date.now() + timeoutMs;
  let last: unknown = undefined;
  let lastError: unknown = undefined;
  for (;;) {
    try {
      const value = await predicate();
      if (value) return value as NonNullable<T>;
      last = value;
      lastError = undefined;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) break;
    await sleep(Math.min(intervalMs, Math.max(0, deadline - Date.now())));
  }
  let observed: unknown = last;
  if (options.observe) {
    try {
      observed = options.observe();
    } catch (error) {
      observed = `(observe() threw: ${String(error)})`;
    }
  }
  const describe = options.describe ?? defaultDescribe;
  const parts = [`timed out after ${timeoutMs} ms waiting for ${options.what}`, `last observed state: ${describe(observed)}`];
  if (lastError !== undefined) parts.push(`last error: ${lastError instanceof Error ? lastError.message : String(lastError)}`);
  throw new WaitTimeoutError(parts.join('\n'));
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function defaultDescribe(state: unknown): string {
  let text: string;
  try {
    text = typeof state === 'string' ? state : (JSON.stringify(state, null, 2) ?? String(state));
  } catch {
    text = String(state);
  }
  return text.length > 4_000 ? `${text.slice(0, 4_000)}… (${text.length} characters)` : text;
}
