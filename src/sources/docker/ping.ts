import type Docker from 'dockerode';

/** The engine accepted the connection but did not answer in time: overloaded or hung, not gone. */
export class EngineSlowError extends Error {
  override readonly name = 'EngineSlowError';
}

export interface PingBudget {
  /** The first attempt's wait; each retry waits one more of these. */
  attemptMs: number;
  /** The whole time the ping may take, retries included. */
  budgetMs: number;
}

/** For one-off commands: a busy machine (or this process busy loading modules) is retried, not called unreachable. */
export const ONE_OFF_PING: PingBudget = { attemptMs: 2_000, budgetMs: 10_000 };

/**
 * Pings the engine, aborting each attempt that takes too long so that requests never pile up on a hung engine.
 * Resolves with the milliseconds it took; rejects with the connection error at once (refused, no socket), or with
 * EngineSlowError when no attempt answered within the budget.
 */
export async function pingEngine(docker: Docker, budget: PingBudget): Promise<number> {
  const started = Date.now();
  for (let attempt = 1; ; attempt++) {
    const remaining = budget.budgetMs - (Date.now() - started);
    if (remaining <= 0) {
      throw new EngineSlowError(`no answer to ping within ${budget.budgetMs / 1000} s (${attempt - 1} tries): the engine is overloaded or hung`);
    }
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), Math.min(budget.attemptMs * attempt, remaining));
    try {
      await pingWithSignal(docker, controller.signal);
      return Date.now() - started;
    } catch (error) {
      if (!controller.signal.aborted) throw error;
    } finally {
      clearTimeout(timer);
    }
  }
}

/** dockerode passes `abortSignal` through to the request; its type definitions do not list the option. */
function pingWithSignal(docker: Docker, signal: AbortSignal): Promise<unknown> {
  return (docker.ping as unknown as (options: { abortSignal: AbortSignal }) => Promise<unknown>).call(docker, { abortSignal: signal });
}
