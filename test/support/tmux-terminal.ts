/**
 * A real pseudo-terminal for end-to-end tests: one program running in a private tmux server.
 *
 * The server has its own socket in a temp directory, no config file of the user, no status line (so the
 * pane is exactly cols×rows) and `remain-on-exit on`. The program runs under `sh -c '…; echo <marker>$?;
 * exec sleep'`, so after it exits the pane stays alive and shows what the program left on the terminal,
 * followed by its exit code; `terminalState()` then tells whether the alternate screen was left and the
 * cursor shown again. Keys go in through `send-keys`, the screen comes out through `capture-pane -p`.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { homeEnv } from './cli-process';
import { sleep } from './wait';

export const TMUX_BIN = '/usr/bin/tmux';
const SESSION = 'e2e';
const EXIT_MARKER = '__E2E_EXIT__:';
/** A terminal reads ESC followed quickly by a key as Alt+key; a person's keystrokes are further apart. */
const ESCAPE_GAP_MS = 150;
/** Between ordinary keys, so that each arrives as its own keypress. */
const KEY_GAP_MS = 40;

export interface StartOptions {
  cols: number;
  rows: number;
  cwd: string;
  /** The program's whole environment (nothing else is inherited from the test process or tmux). */
  env: Record<string, string>;
}

export interface TerminalState {
  /** The pane shows the alternate screen. */
  alternateScreen: boolean;
  cursorVisible: boolean;
  cols: number;
  rows: number;
}

function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

export class TmuxTerminal {
  private dir: string | null = null;
  private started = false;

  private get socket(): string {
    if (!this.dir) throw new Error('TmuxTerminal: start() was not called');
    return join(this.dir, 'tmux.sock');
  }

  /** Runs `tmux -S <socket> args…` and returns its stdout. */
  tmux(args: string[]): Promise<string> {
    const socket = this.socket;
    return new Promise((resolve, reject) => {
      execFile(
        TMUX_BIN,
        ['-u', '-S', socket, ...args],
        // The tmux client itself needs a UTF-8 locale, or it replaces non-ASCII cells with '_'.
        { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8', HOME: this.dir! }, timeout: 10_000 },
        (error, stdout, stderr) => {
          if (error) reject(new Error(`tmux ${args.join(' ')} failed: ${stderr.trim() || error.message}`));
          else resolve(stdout);
        },
      );
    });
  }

  /** Starts `command` (argv, run without a shell's word splitting) in a fresh cols×rows terminal. */
  async start(command: readonly string[], options: StartOptions): Promise<void> {
    if (this.started) throw new Error('TmuxTerminal: already started');
    if (!existsSync(TMUX_BIN)) throw new Error(`${TMUX_BIN} is missing; install the Debian package tmux`);
    this.dir = await mkdtemp(join(tmpdir(), 'e2e-tmux-'));
    const conf = join(this.dir, 'tmux.conf');
    await writeFile(conf, ['set -g status off', 'set -g remain-on-exit on', 'set -g history-limit 2000', ''].join('\n'));
    const envWords = Object.entries(options.env).map(([k, v]) => shellQuote(`${k}=${v}`));
    const program = ['env', '-i', ...envWords, ...command.map(shellQuote)].join(' ');
    const script = `${program}; echo "${EXIT_MARKER}$?"; exec sleep 3600`;
    await this.tmux([
      '-f', conf,
      'new-session', '-d', '-s', SESSION, '-x', String(options.cols), '-y', String(options.rows), '-c', options.cwd,
      `exec sh -c ${shellQuote(script)}`,
    ]);
    this.started = true;
  }

  /** The visible screen as plain text, one line per row, trailing blanks trimmed. */
  async screen(): Promise<string> {
    const text = await this.tmux(['capture-pane', '-p', '-t', SESSION]);
    return text.replace(/[ \t]+$/gm, '');
  }

  /** The screen with colours and attributes as escape sequences (capture-pane -e). */
  screenWithAttributes(): Promise<string> {
    return this.tmux(['capture-pane', '-p', '-e', '-t', SESSION]);
  }

  /**
   * Sends keys one by one, as a person types them: tmux key names (`Enter`, `Escape`, `Tab`, `BTab`, `Down`,
   * `C-c`, …) or literal text with `{ text: '…' }` (sent one character at a time).
   */
  async send(...keys: Array<string | { text: string }>): Promise<void> {
    for (const key of keys) {
      if (typeof key === 'string') {
        await this.tmux(['send-keys', '-t', SESSION, key]);
        await sleep(key === 'Escape' ? ESCAPE_GAP_MS : KEY_GAP_MS);
      } else {
        for (const char of key.text) {
          await this.tmux(['send-keys', '-t', SESSION, '-l', char]);
          await sleep(KEY_GAP_MS);
        }
      }
    }
  }

  /** Sends text in one write, the way a paste or keys sent faster than the program reads them arrive. */
  async burst(text: string): Promise<void> {
    await this.tmux(['send-keys', '-t', SESSION, '-l', text]);
    await sleep(KEY_GAP_MS);
  }

  /** Types text one character at a time. */
  type(text: string): Promise<void> {
    return this.send({ text });
  }

  /**
   * Polls the screen until `expected` holds: a substring, a RegExp, or a predicate on the screen text.
   * Resolves with that screen; on timeout fails with the last screen in the message.
   */
  async waitForText(
    expected: string | RegExp | ((screen: string) => boolean),
    timeoutMs = 20_000,
    what?: string,
  ): Promise<string> {
    const test =
      typeof expected === 'string'
        ? (s: string) => s.includes(expected)
        : expected instanceof RegExp
          ? (s: string) => expected.test(s)
          : expected;
    const label = what ?? (typeof expected === 'function' ? 'the screen condition' : String(expected));
    return this.poll(() => this.screen(), test, timeoutMs, label);
  }

  /** Like waitForText, on the screen with escape codes (`screenWithAttributes()`), e.g. to see colours. */
  waitForAttributes(predicate: (screen: string) => boolean, timeoutMs = 20_000, what = 'the screen condition'): Promise<string> {
    return this.poll(() => this.screenWithAttributes(), predicate, timeoutMs, what);
  }

  private async poll(read: () => Promise<string>, test: (screen: string) => boolean, timeoutMs: number, what: string): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    let last = '';
    for (;;) {
      last = await read();
      if (test(last)) return last;
      if (Date.now() >= deadline) break;
      await sleep(100);
    }
    throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last screen:\n${frame(last)}`);
  }

  /** Waits until `unexpected` is no longer on screen. */
  waitForNoText(unexpected: string | RegExp, timeoutMs = 20_000): Promise<string> {
    const present = (s: string) => (typeof unexpected === 'string' ? s.includes(unexpected) : unexpected.test(s));
    return this.waitForText((s) => !present(s), timeoutMs, `${String(unexpected)} to disappear`);
  }

  /** The program's exit code once it has exited, otherwise null. */
  async exitCode(): Promise<number | null> {
    const match = new RegExp(`${EXIT_MARKER}(\\d+)`).exec(await this.screen());
    return match ? Number(match[1]) : null;
  }

  async isAlive(): Promise<boolean> {
    return (await this.exitCode()) === null;
  }

  /** Waits for the program to exit and returns its exit code. */
  async waitForExit(timeoutMs = 20_000): Promise<number> {
    const screen = await this.waitForText(new RegExp(`${EXIT_MARKER}\\d+`), timeoutMs, 'the program to exit');
    return Number(new RegExp(`${EXIT_MARKER}(\\d+)`).exec(screen)![1]);
  }

  async terminalState(): Promise<TerminalState> {
    const out = await this.tmux(['display-message', '-p', '-t', SESSION, '#{alternate_on} #{cursor_flag} #{pane_width} #{pane_height}']);
    const [alt, cursor, cols, rows] = out.trim().split(' ').map(Number);
    return { alternateScreen: alt === 1, cursorVisible: cursor === 1, cols: cols!, rows: rows! };
  }

  /** Resizes the window (and pane); the program gets SIGWINCH like in a real terminal. */
  async resize(cols: number, rows: number): Promise<void> {
    await this.tmux(['resize-window', '-t', SESSION, '-x', String(cols), '-y', String(rows)]);
  }

  /** Kills the tmux server (and with it the program) and removes the temp directory. Safe to call twice. */
  async close(): Promise<void> {
    if (!this.dir) return;
    if (this.started) await this.tmux(['kill-server']).catch(() => undefined);
    await rm(this.dir, { recursive: true, force: true });
    this.dir = null;
    this.started = false;
  }
}

/** The screen with a ruler, for failure messages. */
export function frame(screen: string): string {
  return screen
    .split('\n')
    .map((line, i) => `${String(i).padStart(2)}|${line}`)
    .join('\n');
}

/**
 * A person's terminal for the CLI under test, and nothing of the test process: no CI=true (which turns colours
 * off), no Google project, endpoint or credentials. HOME and the XDG directories point into `home`.
 */
export function terminalEnv(home: string, extra: Record<string, string> = {}): Record<string, string> {
  return { ...homeEnv(home), TERM: 'xterm-256color', ...extra };
}

/** The screen line that holds a panel's or an overlay's title. */
export function titleLine(screen: string, title: string): string {
  return screen.split('\n').find((l) => l.includes(title)) ?? '';
}

/**
 * The lines inside the bordered panel whose title line contains `title` (e.g. "[1] Containers"): from the
 * line under the title to the line above the bottom border, without the side borders.
 */
export function panelLines(screen: string, title: string): string[] {
  const lines = screen.split('\n');
  const start = lines.findIndex((l) => l.includes(title));
  if (start < 0) return [];
  const out: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (/^\s*[╰╚]/.test(line)) break;
    out.push(line.replace(/^\s*[│║] ?/, '').replace(/ ?[│║]\s*$/, ''));
  }
  return out;
}

/** A binding is shown when its keys and (the start of, if the column cuts it) its description sit together on a line. */
export function helpShows(lines: string[], b: { label: string; description: string }): boolean {
  const shownAt = (l: string, at: number) => {
    if (at > 0 && l[at - 1] !== ' ' && l[at - 1] !== '…') return false;
    const rest = l.slice(at + b.label.length).trimStart();
    const shown = rest.split('…')[0]!;
    return rest.startsWith(b.description) || (shown.length >= 20 && b.description.startsWith(shown) && rest.startsWith(`${shown}…`));
  };
  // Every place the keys appear: a short label like "s" also ends words of the other column ("Focus the …").
  return lines.some((l) => {
    for (let at = l.indexOf(`${b.label} `); at >= 0; at = l.indexOf(`${b.label} `, at + 1)) if (shownAt(l, at)) return true;
    return false;
  });
}
