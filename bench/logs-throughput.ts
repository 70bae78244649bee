// Logs panel benchmarks, measured in one run on this machine (issue: live log tailing):
//  1. sustained lines/s through the panel from a container writing as fast as it can, next to
//     `docker logs -f > /dev/null` on the same container;
//  2. keystroke-to-screen latency p50/p95 in a real pty (tmux) while ~10,000 lines/s arrive;
//  3. RSS of the console over BENCH_FLOOD_SECONDS (default 600) of that flood, sampled every 30 s;
//  4. the same three for the Cloud Logging tail from the sandbox; the throughput baseline is the official client
//     reading the tail without showing it, with the sandbox generating as much as it can serve.
// The sandbox runs in a process of its own (as Cloud Logging runs elsewhere), and screens are read through one
// tmux control client, so neither the entry generator nor the polling takes CPU from the process that times.
// Run: npm run bench:logs   (starts and removes a private dockerd; needs root or an installed docker.io)
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { dockerOk, ensureFixtureImages, FIXTURE_IMAGES, runContainer, startPrivateEngine } from '../test/support/docker-engine';
import { startSandboxProcess } from '../test/support/sandbox-process';
import { sleep } from '../test/support/wait';
import { TmuxControl } from './support/tmux-control';

const FLOOD_SECONDS = Number(process.env.BENCH_FLOOD_SECONDS ?? 600);
const FLOOD_RATE = 10_000;
/** The most the sandbox generates and serves on this machine (2 cores); at 40,000/s it falls behind itself. */
const CLOUD_FAST_RATE = 20_000;
const RATE_SECONDS = 10;
const KEYSTROKES = 60;
const BIN = join(process.cwd(), 'node_modules/.bin');
const NODE = join(BIN, 'node');
// The console runs as users run it: dist/cli.js through its shebang (with its heap caps), Node 24 first on PATH.
const CLI = join(process.cwd(), 'dist/cli.js');

const workDir = mkdtempSync(join(tmpdir(), 'nlb-'));
const tmuxSocket = join(workDir, 'tmux.sock');
const tmux = (...args: string[]) => execFileSync('tmux', ['-S', tmuxSocket, ...args], { encoding: 'utf8' });
let control: TmuxControl | null = null;
const screen = (name: string) => control!.screen(name);

function rssMiB(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'))!;
  return Number(line.split(/\s+/)[1]) / 1024;
}

/** A bench helper (bench/support/*.ts) in its own process, with its stdout as lines. */
function startHelper(file: string, ...args: string[]) {
  const child = spawn(NODE, ['scripts/run-ts.mjs', `./bench/support/${file}`, ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const nextLine = async () => {
    const { value, done } = await lines.next();
    if (done) throw new Error(`${file} exited`);
    return value as string;
  };
  return { child, nextLine };
}

/** The console's own count of lines received, from the logs panel header. */
async function panelLines(name: string): Promise<number> {
  const match = /\[4\] Logs .*?· ([\d,]+) lines/.exec(await screen(name));
  return match ? Number(match[1]!.replace(/,/g, '')) : NaN;
}

async function waitFor(name: string, test: (s: string) => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (test(await screen(name))) return;
    await sleep(2);
  }
  throw new Error(`timed out waiting for ${what}:\n${await screen(name)}`);
}

async function panelRate(name: string): Promise<number> {
  const before = await panelLines(name);
  const started = performance.now();
  await sleep(RATE_SECONDS * 1000);
  return ((await panelLines(name)) - before) / (performance.now() - started) * 1000;
}

/** Lines/s that `docker logs -f` reads from the container, counted without printing them. */
async function dockerLogsRate(host: string, container: string): Promise<number> {
  const child = spawn('/usr/bin/docker', ['-H', host, 'logs', '-f', '--tail', '0', container], { stdio: ['ignore', 'pipe', 'pipe'] });
  let lines = 0;
  const count = (chunk: Buffer) => {
    for (const byte of chunk) if (byte === 10) lines++;
  };
  child.stdout.on('data', count);
  child.stderr.on('data', count);
  await sleep(1000);
  const before = lines;
  const started = performance.now();
  await sleep(RATE_SECONDS * 1000);
  const rate = ((lines - before) / (performance.now() - started)) * 1000;
  child.kill();
  return rate;
}

/** Entries/s the official Logging client alone reads from the sandbox's tail. */
async function officialClientRate(endpoint: string): Promise<number> {
  const counter = startHelper('tail-counter.ts', endpoint);
  let latest = Number(await counter.nextLine());
  void (async () => {
    for (;;) latest = Number(await counter.nextLine());
  })().catch(() => {});
  await sleep(3000);
  const before = latest;
  const started = performance.now();
  await sleep(RATE_SECONDS * 1000);
  const rate = ((latest - before) / (performance.now() - started)) * 1000;
  counter.child.kill();
  return rate;
}

/** Time from a key press (toggle timestamps) to the screen showing its effect, p50/p95 over many presses. */
async function keystrokeLatency(name: string): Promise<{ p50: number; p95: number }> {
  const timestamped = (s: string) => /│ \d\d:\d\d:\d\d\.\d{3} /.test(s.split('\n').slice(4).join('\n'));
  const samples: number[] = [];
  for (let i = 0; i < KEYSTROKES; i++) {
    const want = !timestamped(await screen(name));
    const started = performance.now();
    await control!.command('send-keys', '-t', name, 't');
    await waitFor(name, (s) => timestamped(s) === want, 'the timestamp toggle', 5_000);
    samples.push(performance.now() - started);
    await sleep(100 + Math.random() * 50);
  }
  samples.sort((a, b) => a - b);
  return { p50: samples[Math.floor(samples.length * 0.5)]!, p95: samples[Math.floor(samples.length * 0.95)]! };
}

async function rssOverTime(pid: number): Promise<number[]> {
  const samples = [rssMiB(pid)];
  for (let t = 30; t <= FLOOD_SECONDS; t += 30) {
    await sleep(30_000);
    samples.push(rssMiB(pid));
  }
  return samples;
}

function startConsole(name: string, args: string[]): number {
  tmux('new-session', '-d', '-s', name, '-x', '150', '-y', '45', `cd ${workDir} && exec env TERM=xterm-256color HOME=${workDir} PATH=${BIN}:$PATH ${CLI} ${args.join(' ')}`);
  return Number(tmux('list-panes', '-t', name, '-F', '#{pane_pid}').trim());
}

const latencyText = (l: { p50: number; p95: number }) => `keystroke→screen p50 ${l.p50.toFixed(0)} ms, p95 ${l.p95.toFixed(0)} ms`;
const rssText = (samples: number[]) => `${samples.map((r) => r.toFixed(0)).join(' ')} MiB (max ${(Math.max(...samples) * 1.048576).toFixed(0)} MB)`;

const report: string[] = [];
const engine = await startPrivateEngine();
const sandbox = await startSandboxProcess({ program: ['scripts/run-ts.mjs', './bench/support/flood-sandbox.ts'], cwd: process.cwd(), keepStdinOpen: true });
const sandboxSay = async (command: string) => {
  const answered = sandbox.printed(new RegExp(`^ok ${command}$`, 'm'), `the sandbox to take "${command}"`);
  sandbox.child.stdin.write(`${command}\n`);
  await answered;
};
try {
  const { endpoint } = sandbox;
  tmux('new-session', '-d', '-s', 'keeper', 'sleep 100000');
  control = new TmuxControl(tmuxSocket, 'keeper');
  await ensureFixtureImages(engine);
  writeFileSync(join(workDir, '.netra-console.yaml'), 'docker:\n  projects: [netra-bench]\n');
  const consoleArgs = ['--docker-host', engine.host, '--gcp-endpoint', endpoint];

  // 1. Containers: a writer as fast as it can (log files capped so the disk stays small).
  const fast = { project: 'netra-bench', service: 'writer', extraArgs: ['--log-opt', 'max-size=50m', '--log-opt', 'max-file=2'] };
  startConsole('fast', consoleArgs);
  await waitFor('fast', (s) => s.includes('[4] Logs'), 'the logs panel');
  await runContainer(engine, { ...fast, name: 'bench-fast-writer', image: FIXTURE_IMAGES.base, cmd: ['sh', '-c', 'while :; do seq 1 1000000; done'] });
  await sleep(3000);
  const docker = await dockerLogsRate(engine.host, 'bench-fast-writer');
  const panel = await panelRate('fast');
  report.push(`container, writer flat out: panel ${Math.round(panel)} lines/s, docker logs -f ${Math.round(docker)} lines/s (ratio ${(panel / docker).toFixed(2)})`);
  tmux('kill-session', '-t', 'fast');
  await dockerOk(engine, ['rm', '-f', 'bench-fast-writer']);

  // 2 + 3. Containers: ~10,000 lines/s, keystrokes and memory.
  const floodPid = startConsole('flood', consoleArgs);
  await waitFor('flood', (s) => s.includes('[4] Logs'), 'the logs panel');
  await runContainer(engine, { ...fast, name: 'bench-flood-writer', image: FIXTURE_IMAGES.base, cmd: ['sh', '-c', `while :; do seq 1 ${FLOOD_RATE / 10}; sleep 0.1; done`] });
  await sleep(3000);
  await control!.command('send-keys', '-t', 'flood', '4');
  const floodRate = await panelRate('flood');
  const latency = await keystrokeLatency('flood');
  const rss = await rssOverTime(floodPid);
  report.push(`container flood at ${Math.round(floodRate)} lines/s: ${latencyText(latency)}`);
  report.push(`container flood RSS over ${FLOOD_SECONDS} s, every 30 s: ${rssText(rss)}`);
  tmux('kill-session', '-t', 'flood');
  await dockerOk(engine, ['rm', '-f', 'bench-flood-writer']);

  // 4. Cloud Logging tail from the sandbox (no rate limit on the tail): as fast as the sandbox goes, then at ~10,000 lines/s.
  writeFileSync(join(workDir, '.netra-console.yaml'), 'docker:\n  projects: [none]\n');
  await sandboxSay(`flood ${CLOUD_FAST_RATE}`);
  const official = await officialClientRate(endpoint);
  startConsole('cloud-fast', consoleArgs);
  await waitFor('cloud-fast', (s) => s.includes('● cloud live'), 'the live tail');
  await sleep(3000);
  const cloudPanel = await panelRate('cloud-fast');
  report.push(`cloud tail, sandbox at ${CLOUD_FAST_RATE} entries/s (its most): panel ${Math.round(cloudPanel)} lines/s, official client alone ${Math.round(official)} entries/s (ratio ${(cloudPanel / official).toFixed(2)})`);
  tmux('kill-session', '-t', 'cloud-fast');

  await sandboxSay(`flood ${FLOOD_RATE}`);
  const cloudPid = startConsole('cloud', consoleArgs);
  await waitFor('cloud', (s) => s.includes('● cloud live'), 'the live tail');
  await sleep(3000);
  await control!.command('send-keys', '-t', 'cloud', '4');
  const cloudRate = await panelRate('cloud');
  const cloudLatency = await keystrokeLatency('cloud');
  const cloudRss = await rssOverTime(cloudPid);
  await sandboxSay('quiet');
  report.push(`cloud tail at ${Math.round(cloudRate)} lines/s: ${latencyText(cloudLatency)}`);
  report.push(`cloud tail RSS over ${FLOOD_SECONDS} s, every 30 s: ${rssText(cloudRss)}`);

  console.log(`netra-console logs bench — ${new Date().toISOString()}, Node ${execFileSync(NODE, ['-v'], { encoding: 'utf8' }).trim()}`);
  for (const line of report) console.log(line);
} finally {
  control?.close();
  spawnSync('tmux', ['-S', tmuxSocket, 'kill-server']);
  sandbox.child.stdin.end();
  await sandbox.stop();
  await engine.destroy();
  rmSync(workDir, { recursive: true, force: true });
}
