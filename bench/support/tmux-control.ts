// One tmux control-mode client (`tmux -C`) for the benchmarks: screens are read and keys sent over its pipe, so
// polling a screen every few milliseconds costs no process start and takes no CPU from the console measured.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';

interface Pending {
  resolve(output: string): void;
  reject(error: Error): void;
}

export class TmuxControl {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly pending: Pending[] = [];
  private partial = '';
  private block: string[] | null = null;

  /**
   * Attaches to `session`, which must exist. Its output is not read unless `onNotice` is given: that gets every
   * notification line (`%output %PANE …` for what the session's panes print), in the order tmux sent it.
   */
  constructor(socket: string, session: string, private readonly onNotice?: (line: string) => void) {
    this.child = spawn('tmux', ['-S', socket, '-C', 'attach', '-t', session], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stdout.setEncoding('utf8');
    this.child.stdout.on('data', (chunk: string) => this.read(chunk));
    this.child.on('exit', () => {
      for (const waiting of this.pending.splice(0)) waiting.reject(new Error('tmux control client exited'));
    });
  }

  /** Runs one tmux command and resolves with its output. */
  command(...args: string[]): Promise<string> {
    const line = args.map((a) => (/^[\w.:/=-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
    return new Promise((resolve, reject) => {
      this.pending.push({ resolve, reject });
      this.child.stdin.write(`${line}\n`);
    });
  }

  screen(target: string): Promise<string> {
    return this.command('capture-pane', '-p', '-t', target);
  }

  close(): void {
    this.child.stdin.end();
    this.child.kill();
  }

  /**
   * Replies come framed as %begin … %end (or %error); other % lines are notifications. The last field of %begin and
   * %end is 1 for a command this client sent: the block of the attach itself (0) answers no command and is skipped,
   * or a command sent before it arrives would get its empty output and every later one the reply before its own.
   */
  private read(chunk: string): void {
    const lines = (this.partial + chunk).split('\n');
    this.partial = lines.pop()!;
    for (const line of lines) {
      if (this.block === null) {
        if (line.startsWith('%begin ')) this.block = [];
        else this.onNotice?.(line);
        continue;
      }
      if (line.startsWith('%end ') || line.startsWith('%error ')) {
        const output = this.block.join('\n');
        this.block = null;
        if (line.endsWith(' 0')) continue;
        const waiting = this.pending.shift();
        if (line.startsWith('%end ')) waiting?.resolve(output);
        else waiting?.reject(new Error(`tmux: ${output}`));
        continue;
      }
      this.block.push(line);
    }
  }
}
