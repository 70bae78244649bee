// The floor under the console's idle figures: the least a Node process can do to show what the console shows. It
// reads the same containers' stats streams through dockerode (one per running container, each frame JSON-parsed)
// and, once a second, has Ink draw a 140×40 screen of bordered rows where the rows of containers whose figures moved
// change, as the console's do. No store, no alerts, no logs, no Cloud. With `--cloud HOST:PORT` it also tails Cloud
// Logging there through the official client, as the console does, and shows the last lines; with `--google` it only
// loads the Google clients the console must load (not connected), for the RSS floor. Built like the console
// (support/floor.ts).
import Docker from 'dockerode';
import { Box, render, Text } from 'ink';
import { useEffect, useState } from 'react';
import { computeStats, hasPreviousSample, type EngineStats } from '../../src/domain/stats-math';
import { onJsonLines } from '../../src/sources/docker/json-lines';

const [host = ''] = process.argv.slice(2);
const flag = (name: string) => process.argv[process.argv.indexOf(name) + 1];
const docker = new Docker({ socketPath: host.replace(/^unix:\/\//, '') });
const shown = new Map<string, string>();
const cloudLines: string[] = [];
const CLOUD_LINES = 8;

async function followStats(): Promise<void> {
  for (const info of await docker.listContainers()) {
    const stream = (await docker.getContainer(info.Id).stats({ stream: true })) as NodeJS.ReadableStream;
    // The console's own reader and arithmetic: the floor differs from it only in what it does with the figures.
    onJsonLines(stream, (frame) => {
      const raw = frame as EngineStats;
      if (!hasPreviousSample(raw)) return;
      const stats = computeStats(raw);
      shown.set(info.Names[0] ?? info.Id, `${stats.cpuPercent.toFixed(1).padStart(6)}%  ${String(stats.memUsageBytes).padStart(10)}`);
    });
  }
}

/** The Google clients the console loads (its Cloud Run and Logging clients, and the credentials library). */
async function loadGoogleClients() {
  const [, , logging, auth, gax] = await Promise.all([
    import('@google-cloud/run/build/src/v2/services_client.js'),
    import('@google-cloud/run/build/src/v2/revisions_client.js'),
    import('@google-cloud/logging-api/build/src/v2/logging_service_v2_client.js'),
    import('google-auth-library'),
    import('google-gax'),
  ]);
  return { LoggingServiceV2Client: logging.LoggingServiceV2Client, OAuth2Client: auth.OAuth2Client, grpc: gax.grpc };
}

async function tailCloud(endpoint: string): Promise<void> {
  const { LoggingServiceV2Client, OAuth2Client, grpc } = await loadGoogleClients();
  const [apiEndpoint, port] = endpoint.split(':');
  const client = new LoggingServiceV2Client({ apiEndpoint, port: Number(port), sslCreds: grpc.credentials.createInsecure(), authClient: new OAuth2Client(), projectId: 'netra-staging' });
  const stream = client.tailLogEntries();
  stream.on('data', (response: { entries?: Array<{ timestamp?: { seconds?: unknown }; textPayload?: string; jsonPayload?: unknown; logName?: string }> }) => {
    for (const entry of response.entries ?? []) {
      cloudLines.push(`cloud│ ${entry.logName?.split('%2F').pop() ?? ''} ${entry.textPayload ?? JSON.stringify(entry.jsonPayload ?? {})}`.slice(0, 130));
      if (cloudLines.length > CLOUD_LINES) cloudLines.shift();
    }
  });
  stream.write({ resourceNames: ['projects/netra-staging'], filter: 'resource.type="cloud_run_revision"', bufferWindow: { seconds: 0 } });
}

function Screen() {
  const [, setTick] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => setTick((t) => t + 1), 1000);
    return () => clearInterval(timer);
  }, []);
  const rows = [...shown].sort(([a], [b]) => a.localeCompare(b));
  return (
    <Box flexDirection="column" width={140} height={39} borderStyle="round" paddingX={1}>
      <Text bold>{`stats · ${new Date().toISOString().slice(11, 19)}`}</Text>
      {rows.map(([name, figures]) => (
        <Text key={name} wrap="truncate">
          <Text color="cyan">{name.padEnd(40)}</Text>
          <Text>{figures}</Text>
        </Text>
      ))}
      {cloudLines.map((line, i) => (
        <Text key={i} wrap="truncate" dimColor>{line}</Text>
      ))}
    </Box>
  );
}

if (process.argv.includes('--cloud')) await tailCloud(flag('--cloud') ?? '');
else if (process.argv.includes('--google')) await loadGoogleClients();
render(<Screen />);
await followStats();
