// The baseline for the Cloud tail's throughput, as `docker logs -f > /dev/null` is for containers: the official
// Logging client's TailLogEntries stream, read and counted without showing anything. Prints the total every 100 ms.
import { configSchema } from '../../src/config/schema';
import { PROJECT as project, REGION as region } from '../../src/sandbox/names';
import { createLoggingClient } from '../../src/sources/logs/cloud-tail';

const [host, port] = process.argv.at(-1)!.split(':');
const client = await createLoggingClient({ project, region, endpoint: { host: host!, port: Number(port) } });
const stream = client.tailLogEntries();
let entries = 0;
stream.on('data', (response: { entries?: unknown[] }) => (entries += response.entries?.length ?? 0));
stream.on('error', (error: Error) => {
  process.stderr.write(`tail-counter: ${error.message}\n`);
  process.exit(1);
});
stream.write({ resourceNames: [`projects/${project}`], filter: configSchema.parse({}).logs.cloudFilter, bufferWindow: { seconds: 1 } });
setInterval(() => process.stdout.write(`${entries}\n`), 100);
