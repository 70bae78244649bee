/**
 * Ctrl-C, SIGTERM or a hang-up while something is half done (a stack between variants, a build): `run` gets an
 * aborted signal (its waits end and the compose behind them is killed) and reports how it ended, audited, instead
 * of the process dying half-way.
 */
export async function interruptible<T>(what: string, run: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const stop = () => {
    process.stderr.write(`netra-console: interrupted; stopping the ${what} and reading what it left…\n`);
    controller.abort();
  };
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  for (const signal of signals) process.on(signal, stop);
  try {
    return await run(controller.signal);
  } finally {
    for (const signal of signals) process.off(signal, stop);
  }
}
