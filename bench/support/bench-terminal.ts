// The bench's terminals: one private tmux server (no status line, so a pane is exactly COLS×ROWS), driven through one
// control client, so starting a program, polling its screen every millisecond or sending a key starts no process
// and takes next to no CPU from the program measured.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sleep } from '../../test/support/wait';
import { isRunning } from './proc-stats';
import { TmuxControl } from './tmux-control';

export const COLS = 140;
export const ROWS = 40;
const TMUX_ENV = { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8' };
const EXIT_WAIT_MS = 5_000;

export class BenchTerminal {
  readonly socket: string;
  private readonly control: TmuxControl;
  private scripts = 0;

  constructor(private readonly dir: string) {
    this.socket = join(dir, 'tmux.sock');
    const conf = join(dir, 'tmux.conf');
    writeFileSync(conf, 'set -g status off\nset -g history-limit 100\n');
    // The keeper holds the server up between the sessions timed, and carries the control client.
    this.tmux('-f', conf, 'new-session', '-d', '-s', 'keeper', '-x', String(COLS), '-y', String(ROWS), 'sleep 1000000');
    this.control = new TmuxControl(this.socket, 'keeper');
  }

  private tmux(...args: string[]): string {
    return execFileSync('tmux', ['-u', '-S', this.socket, ...args], { encoding: 'utf8', env: TMUX_ENV });
  }

  /**
   * Starts `argv` (run with exactly `env`) in a new session; resolves with the pid of the program (the script
   * `exec`s it). The script keeps quoting out of tmux's command parser.
   */
  async start(session: string, argv: readonly string[], env: Record<string, string>): Promise<number> {
    const script = join(this.dir, `run-${++this.scripts}.sh`);
    const quote = (w: string) => `'${w.replace(/'/g, `'\\''`)}'`;
    // Its stderr goes to a file: a program that exits early takes its pane with it, and the file says why.
    const stderr = quote(this.stderrFile(session));
    writeFileSync(script, `exec env -i ${Object.entries(env).map(([k, v]) => quote(`${k}=${v}`)).join(' ')} ${argv.map(quote).join(' ')} 2>>${stderr}\n`);
    const pid = await this.control.command('new-session', '-d', '-P', '-F', '#{pane_pid}', '-s', session, '-x', String(COLS), '-y', String(ROWS), `sh ${script}`);
    return Number(pid.trim());
  }

  private stderrFile(session: string): string {
    return join(this.dir, `${session}.stderr`);
  }

  screen(session: string): Promise<string> {
    return this.control.screen(session);
  }

  async keys(session: string, ...keys: string[]): Promise<void> {
    await this.control.command('send-keys', '-t', session, ...keys);
  }

  /** Polls the screen until `test` holds; resolves with performance.now() of the reply that showed it. */
  async waitFor(session: string, test: (screen: string) => boolean, what: string, timeoutMs = 30_000): Promise<number> {
    const deadline = performance.now() + timeoutMs;
    while (performance.now() < deadline) {
      const shown = await this.screen(session).catch((error: Error) => {
        if (!/can't find (pane|session)/.test(error.message)) throw error;
        const said = existsSync(this.stderrFile(session)) ? readFileSync(this.stderrFile(session), 'utf8').trim().split('\n').slice(-5).join(' | ') : '';
        throw new Error(`${session} exited while waiting for ${what}${said ? `; its stderr: ${said}` : ''}`);
      });
      if (test(shown)) return performance.now();
      await sleep(1);
    }
    throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; the screen of ${session}:\n${await this.screen(session)}`);
  }

  /** Ends the session (its program gets SIGHUP) and waits until `pid` has exited, so it takes no CPU from what comes next. */
  async end(session: string, pid: number): Promise<void> {
    await this.control.command('kill-session', '-t', session);
    const deadline = performance.now() + EXIT_WAIT_MS;
    while (isRunning(pid) && performance.now() < deadline) await sleep(10);
    if (!isRunning(pid)) return;
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // exited meanwhile
    }
  }

  /** A control client of its own attached to `session`, for what the session's pane prints (see TmuxControl). */
  attach(session: string, onNotice: (line: string) => void): TmuxControl {
    return new TmuxControl(this.socket, session, onNotice);
  }

  close(): void {
    this.control.close();
    spawnSync('tmux', ['-S', this.socket, 'kill-server']);
  }
}
