import { spawn } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../..');
/** The pinned Node 24 (the system node may be too old for the CLI). */
export const NODE = realpathSync(join(ROOT, 'node_modules/.bin/node'));
export const CLI = join(ROOT, 'dist/cli.js');

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command with pipes for all three streams (so never a TTY); fails with its output if it hangs. */
export function runProcess(command: string, args: string[], opts: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<Run> {
  const timeoutMs = opts.timeoutMs ?? 30_000;
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${command} ${args.join(' ')} did not exit within ${timeoutMs} ms\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ code, stdout, stderr });
    });
    child.stdin.end();
  });
}

/** Builds dist/ from the current sources, as `npm run build` does; fails with the build's output. */
export async function buildCli(): Promise<void> {
  const built = await runProcess(NODE, ['scripts/build.mjs'], { cwd: ROOT, timeoutMs: 120_000 });
  if (built.code !== 0) throw new Error(`the build failed (exit ${built.code}): ${built.stderr || built.stdout}`);
}
