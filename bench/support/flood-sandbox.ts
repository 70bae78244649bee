// The sandbox in a process of its own for the benchmarks, as Cloud Logging is on other machines: generating and
// encoding 10,000 entries a second must not stall the bench process that times the console's screen.
// Prints its endpoint on the first line, then takes commands on stdin: `flood N` (N entries a second through a
// tail without its rate limit) and `quiet`. Stops when stdin closes.
import { createInterface } from 'node:readline';
import { startSandbox } from '../../src/sandbox/index';

const TICK_MS = 100;
const sandbox = await startSandbox({ logRatePerSecond: 0 });
let stopFlood = () => {};
process.stdout.write(`${sandbox.endpoint}\n`);

for await (const line of createInterface({ input: process.stdin })) {
  const [command, value] = line.trim().split(/\s+/);
  stopFlood();
  stopFlood = () => {};
  if (command === 'flood') {
    sandbox.faults.rateLimitTails(null);
    const perTick = Math.round((Number(value) * TICK_MS) / 1000);
    const timer = setInterval(() => sandbox.emitLogs(perTick), TICK_MS);
    stopFlood = () => clearInterval(timer);
  }
  process.stdout.write(`ok ${line}\n`);
}
stopFlood();
await sandbox.stop();
