import { printable } from '../domain/printable';

/** Leaves the terminal as the console found it: bracketed paste off, main screen back, cursor shown. */
export const RESTORE_TERMINAL = '\x1b[?2004l\x1b[?1049l\x1b[?25h';

/** The parts of `process` a fatal exit uses (a test passes a stand-in). */
export interface FatalHost {
  on(event: 'uncaughtException' | 'unhandledRejection', listener: (error: unknown) => void): unknown;
  off(event: 'uncaughtException' | 'unhandledRejection', listener: (error: unknown) => void): unknown;
  stdin: { isTTY?: boolean; setRawMode?: (raw: boolean) => unknown };
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  env: NodeJS.ProcessEnv;
  exit(code: number): never;
}

/**
 * On an uncaught exception or unhandled rejection, restores the terminal first and then says what happened: Node's
 * own report would be printed on the alternate screen and wiped with it, leaving a raw, cursorless terminal.
 * Returns what removes the handlers.
 */
export function exitCleanlyOnFatal(host: FatalHost = process as unknown as FatalHost): () => void {
  const onFatal = (error: unknown) => {
    if (host.stdin.isTTY) host.stdin.setRawMode?.(false);
    host.stdout.write(RESTORE_TERMINAL);
    const message = error instanceof Error ? error.message : String(error);
    host.stderr.write(`netra-console: fatal error: ${printable(message.split('\n')[0]!)} (set NETRA_DEBUG=1 for details)\n`);
    if (host.env.NETRA_DEBUG) host.stderr.write(`${printable((error as Error)?.stack ?? '')}\n`);
    host.exit(1);
  };
  host.on('uncaughtException', onFatal);
  host.on('unhandledRejection', onFatal);
  return () => {
    host.off('uncaughtException', onFatal);
    host.off('unhandledRejection', onFatal);
  };
}
