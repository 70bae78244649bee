/**
 * The sandbox in a process of its own, as an on-call engineer runs `netra-console sandbox` in another terminal
 * (tests), or as Cloud Logging runs on other machines (bench/, where generating entries must not take CPU from the
 * process that times). Either program prints `127.0.0.1:PORT` at the end of a line once it listens.
 */
import { CLI, NODE, startProcess, type ProcessOptions, type Run, type RunningProcess } from './cli-process';
import { waitFor } from './wait';

export interface SandboxProcess extends RunningProcess {
  endpoint: string;
  port: number;
  /** Resolves with the first match of `pattern` in what it prints on stdout from now on. */
  printed(pattern: RegExp, what: string): Promise<RegExpExecArray>;
  /** Signals it (SIGTERM unless told) and resolves with its exit and output. */
  stop(signal?: NodeJS.Signals): Promise<Run>;
}

/** `netra-console sandbox` with a free port and no generated log entries. */
const CLI_SANDBOX = [CLI, 'sandbox', '--port', '0', '--log-rate', '0'];
/** Generous: these are "eventually" waits; a failure shows what it printed. */
const OUTPUT_WAIT_MS = 20_000;

export async function startSandboxProcess(opts: Omit<ProcessOptions, 'timeoutMs'> & { program?: readonly string[] }): Promise<SandboxProcess> {
  const running = startProcess(NODE, opts.program ?? CLI_SANDBOX, opts);
  const printed = (pattern: RegExp, what: string) => {
    const from = running.stdout().length;
    return waitFor(() => pattern.exec(running.stdout().slice(from)), {
      what,
      timeoutMs: OUTPUT_WAIT_MS,
      intervalMs: 10,
      observe: () => `stdout: ${running.stdout()}\nstderr: ${running.stderr()}`,
    });
  };
  const listening = await printed(/(127\.0\.0\.1:(\d+))\n/, 'the sandbox to say where it listens');
  return {
    ...running,
    endpoint: listening[1]!,
    port: Number(listening[2]),
    printed,
    stop: (signal = 'SIGTERM') => {
      if (running.child.exitCode === null && running.child.signalCode === null) running.child.kill(signal);
      return running.done;
    },
  };
}
