import { UsageError } from '../config/errors';
import { describeCloudError } from '../domain/cloud-run-errors';
import { printable } from '../domain/printable';
import { VERSION } from '../version';
import { helpText, parseArgs } from './args';
import { resolveSettings } from './settings';

/** Runs one invocation and returns the exit code: 0 ok, 1 failure, 2 bad usage or input. */
export async function main(argv: readonly string[]): Promise<number> {
  try {
    const options = parseArgs(argv);
    if (options.command === 'help') return print(helpText(options.helpTopic));
    if (options.command === 'version') return print(VERSION);
    if (options.command === 'sandbox') {
      const { runSandboxCommand } = await import('../sandbox/cli');
      return await runSandboxCommand({ port: options.port, logRate: options.logRate });
    }
    const settings = resolveSettings(options, userDirectory(process.env), process.env);
    if (options.command === 'rollback') {
      const { runRollbackCommand } = await import('./rollback');
      return await runRollbackCommand(settings, options);
    }
    if (options.command === 'logs') {
      const { runLogsCommand } = await import('./logs');
      return await runLogsCommand(settings, options);
    }
    if (options.command === 'switch' || options.command === 'compare') {
      const { runSwitchCommand, runCompareCommand } = await import('./switch');
      return await (options.command === 'switch' ? runSwitchCommand : runCompareCommand)(settings, options);
    }
    if (options.command === 'rebuild') {
      const { runRebuildCommand } = await import('./rebuild');
      return await runRebuildCommand(settings, options);
    }
    if (options.command === 'demo') {
      const { runDemoCommand } = await import('./demo');
      return await runDemoCommand(settings, options);
    }
    if (options.command === 'doctor') {
      const { runDoctorCommand } = await import('./doctor');
      return await runDoctorCommand(settings, options);
    }
    if (options.command === 'alerts') {
      const { runAlertsCommand } = await import('./alerts');
      return await runAlertsCommand(settings, options.json);
    }
    if (options.command === 'status') {
      const { runStatus } = await import('./status');
      return await runStatus(settings, options.json, options.timeout);
    }
    if (!process.stdout.isTTY || !process.stdin.isTTY) {
      throw new UsageError(
        `the console needs a terminal (${process.stdout.isTTY ? 'stdin' : 'stdout'} is not a TTY); for scripts and pipes use: netra-console status --json`,
      );
    }
    const { runConsole } = await import('./console');
    return await runConsole(settings);
  } catch (error) {
    if (error instanceof UsageError) {
      // Messages quote what was typed or read (flags, env, config keys): its control characters must not reach the terminal.
      process.stderr.write(`netra-console: ${printable(error.message)}\n`);
      return 2;
    }
    if ((error as Error).name === 'MissingCredentialsError') {
      // Nothing was sent: the credentials lookup failed before any client was made.
      process.stderr.write(`netra-console: Cloud Run: ${describeCloudError(error, { project: '', region: '', endpoint: '' }).message}; nothing was sent\n`);
      return 1;
    }
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`netra-console: unexpected error: ${printable(message.split('\n')[0]!)} (set NETRA_DEBUG=1 for details)\n`);
    if (process.env.NETRA_DEBUG) process.stderr.write(`${(error as Error).stack ?? ''}\n`);
    return 1;
  }
}

/**
 * `npm start` runs us in the checkout; INIT_CWD is where the user typed it. Only for `npm start`: processes started
 * from other npm scripts (a test run) inherit INIT_CWD too, and their own working directory is the one meant.
 */
function userDirectory(env: NodeJS.ProcessEnv): string {
  return env.npm_lifecycle_event === 'start' && env.INIT_CWD ? env.INIT_CWD : process.cwd();
}

function print(text: string): number {
  process.stdout.write(`${text}\n`);
  return 0;
}
