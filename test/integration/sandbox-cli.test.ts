// `netra-console sandbox` (runSandboxCommand) as a real process: it announces where it listens, serves the
// official clients, and stops cleanly with exit code 0 on SIGTERM.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandboxClients } from '../support/sandbox-clients';
import { waitFor } from '../support/wait';

const root = fileURLToPath(new URL('../..', import.meta.url));
// Inside the project so that the bundle's external imports resolve from its node_modules.
const outDir = `${root}/node_modules/.cache/netra-console-sandbox-cli-test`;
const script = `${outDir}/sandbox-command.mjs`;

interface Run {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exit: Promise<number | null>;
}

function runCommand(port: number): Run {
  const child = spawn(process.execPath, [script, String(port), '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, stdout: () => stdout, stderr: () => stderr, exit };
}

const running: ChildProcess[] = [];

beforeAll(async () => {
  mkdirSync(outDir, { recursive: true });
  await build({
    stdin: {
      contents: [
        `import { runSandboxCommand } from './src/sandbox/cli';`,
        `const [port, logRate] = process.argv.slice(2).map(Number);`,
        `process.exitCode = await runSandboxCommand({ port, logRate });`,
      ].join('\n'),
      resolveDir: root,
      loader: 'ts',
    },
    outfile: script,
    bundle: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    logLevel: 'warning',
  });
});

afterAll(() => {
  for (const child of running) if (child.exitCode === null) child.kill('SIGKILL');
});

describe('netra-console sandbox', () => {
  it('prints its endpoint, serves the clients, and exits 0 on SIGTERM', async () => {
    const run = runCommand(0);
    running.push(run.child);
    const banner = await waitFor(() => /on 127\.0\.0\.1:(\d+)\n/.exec(run.stdout()), {
      what: 'the sandbox banner',
      observe: () => run.stdout() + run.stderr(),
    });
    const port = Number(banner[1]);
    expect(run.stdout()).toContain(
      `netra-console sandbox: serving Cloud Run + Logging for project netra-staging (us-central1) on 127.0.0.1:${port}\n`,
    );
    expect(run.stdout()).toContain(`netra-console --gcp-endpoint 127.0.0.1:${port}`);
    expect(run.stdout()).toContain(`NETRA_GCP_ENDPOINT=127.0.0.1:${port}`);

    const clients = sandboxClients({ port });
    try {
      const [services] = await clients.services.listServices({
        parent: 'projects/netra-staging/locations/us-central1',
      });
      expect(services).toHaveLength(3);

      // A second one on the same port cannot listen and says so.
      const clash = runCommand(port);
      running.push(clash.child);
      expect(await clash.exit).toBe(1);
      // One line, the console's own: no gRPC log line ("E No address added …") before it.
      expect(clash.stderr()).toBe(
        `netra-console: sandbox: cannot listen on 127.0.0.1:${port}: the port is already in use; pick another with --port (0 takes any free port)\n`,
      );
    } finally {
      await clients.close();
    }

    run.child.kill('SIGTERM');
    expect(await run.exit).toBe(0);
    expect(run.stdout()).toContain('netra-console sandbox: stopped (SIGTERM)\n');
  });
});
