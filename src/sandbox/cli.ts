import { startSandbox } from './index';

/**
 * `netra-console sandbox`: serves the sandbox until SIGINT or SIGTERM, then stops it cleanly. Returns the exit
 * code: 0 after a clean stop, 1 when it cannot listen.
 */
export async function runSandboxCommand(options: { port?: number; logRate?: number }): Promise<number> {
  const sandbox = await startSandbox({ port: options.port ?? 0, logRatePerSecond: options.logRate }).catch(
    (error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      const why = message.includes('EADDRINUSE')
        ? 'the port is already in use; pick another with --port (0 takes any free port)'
        : message.split('\n')[0];
      process.stderr.write(`netra-console: sandbox: cannot listen on 127.0.0.1:${options.port ?? 0}: ${why}\n`);
      return null;
    },
  );
  if (!sandbox) return 1;
  const { endpoint, project, region } = sandbox;
  process.stdout.write(
    `netra-console sandbox: serving Cloud Run + Logging for project ${project} (${region}) on ${endpoint}\n` +
      `point the console at it: netra-console --gcp-endpoint ${endpoint}   (or NETRA_GCP_ENDPOINT=${endpoint})\n` +
      'Ctrl-C stops it\n',
  );
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    const onSignal = (received: NodeJS.Signals) => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      resolve(received);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
  await sandbox.stop();
  process.stdout.write(`netra-console sandbox: stopped (${signal})\n`);
  return 0;
}
