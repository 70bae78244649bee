// Logs panel benchmarks, measured in one run on this machine (issue: live log tailing):
//  1. sustained lines/s through the panel from a container writing as fast as it can, next to
//     `docker logs -f > /dev/null` on the same container;
//  2. keystroke-to-screen latency p95 in a real pty (tmux) while ~10,000 lines/s arrive;
//  3. RSS of the console over BENCH_FLOOD_SECONDS (default 600) of that flood, sampled every 30 s;
//  4. the same three for the Cloud Logging tail from the sandbox.
// Run: npm run bench:logs   (starts and removes a private dockerd; needs root or an installed docker.io)
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox } from '../src/sandbox/index';
import { dockerOk, ensureFixtureImages, FIXTURE_IMAGES, runContainer, startPrivateEngine } from '../test/support/docker-engine';

const FLOOD_SECONDS = Number(process.env.BENCH_FLOOD_SECONDS ?? 600);
const RATE_SECONDS = 10;
const KEYSTROKES = 40;
const BIN = join(process.cwd(), 'node_modules/.bin');
const NODE = join(BIN, 'node');
// The console runs as users run it: dist/cli.js through its shebang (with its heap caps), Node 24 first on PATH.
const CLI = join(process.cwd(), 'dist/cli.js');

const workDir = mkdtempSync(join(tmpdir(), 'nlb-'));
const tmuxSocket = join(workDir, 'tmux.sock');
const tmux = (...args: string[]) => execFileSync('tmux', ['-S', tmuxSocket, ...args], { encoding: 'utf8' });
const screen = (name: string) => tmux('capture-pane', '-p', '-t', name);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function rssMiB(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'))!;
  return Number(line.split(/\s+/)[1]) / 1024;
}

/** The console's own count of lines received, from the logs panel header. */
function panelLines(name: string): number {
  const match = /\[4\] Logs .*?· ([\d,]+) lines/.exec(screen(name));
  return match ? Number(match[1]!.replace(/,/g, '')) : NaN;
}

async function waitFor(name: string, test: (s: string) => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (test(screen(name))) return;
    await sleep(5);
  }
  throw new Error(`timed out waiting for ${what}:\n${screen(name)}`);
}

async function panelRate(name: string): Promise<number> {
  const before = panelLines(name);
  const started = performance.now();
  await sleep(RATE_SECONDS * 1000);
  return ((panelLines(name) - before) / (performance.now() - started)) * 1000;
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

/** Time from a key press (toggle timestamps) to the screen showing its effect, p50/p95 over many presses. */
async function keystrokeLatency(name: string): Promise<{ p50: number; p95: number }> {
  const timestamped = (s: string) => /│ \d\d:\d\d:\d\d\.\d{3} /.test(s.split('\n').slice(4).join('\n'));
  const samples: number[] = [];
  for (let i = 0; i < KEYSTROKES; i++) {
    const want = !timestamped(screen(name));
    const started = performance.now();
    tmux('send-keys', '-t', name, 't');
    await waitFor(name, (s) => timestamped(s) === want, 'the timestamp toggle', 5_000);
    samples.push(performance.now() - started);
    await sleep(100);
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

const report: string[] = [];
const engine = await startPrivateEngine();
const sandbox = await startSandbox({ logRatePerSecond: 0 });
try {
  tmux('new-session', '-d', '-s', 'keeper', 'sleep 100000');
  await ensureFixtureImages(engine);
  writeFileSync(join(workDir, '.netra-console.yaml'), 'docker:\n  projects: [netra-bench]\n');
  const consoleArgs = ['--docker-host', engine.host, '--gcp-endpoint', sandbox.endpoint];

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
  await runContainer(engine, { ...fast, name: 'bench-flood-writer', image: FIXTURE_IMAGES.base, cmd: ['sh', '-c', 'while :; do seq 1 1000; sleep 0.1; done'] });
  await sleep(3000);
  tmux('send-keys', '-t', 'flood', '4');
  const floodRate = await panelRate('flood');
  const latency = await keystrokeLatency('flood');
  const rss = await rssOverTime(floodPid);
  report.push(`container flood at ${Math.round(floodRate)} lines/s: keystroke→screen p50 ${latency.p50.toFixed(0)} ms, p95 ${latency.p95.toFixed(0)} ms`);
  report.push(`container flood RSS over ${FLOOD_SECONDS}s (MiB, every 30 s): ${rss.map((r) => r.toFixed(0)).join(' ')}`);
  tmux('kill-session', '-t', 'flood');
  await dockerOk(engine, ['rm', '-f', 'bench-flood-writer']);

  // 4. Cloud Logging tail from the sandbox (no rate limit on the tail), flat out and at ~10,000 lines/s.
  sandbox.faults.rateLimitTails(null);
  writeFileSync(join(workDir, '.netra-console.yaml'), 'docker:\n  projects: [none]\n');
  const cloudPid = startConsole('cloud', consoleArgs);
  await waitFor('cloud', (s) => s.includes('● cloud live'), 'the live tail');
  const burst = setInterval(() => sandbox.emitLogs(1000), 100);
  await sleep(3000);
  tmux('send-keys', '-t', 'cloud', '4');
  const cloudRate = await panelRate('cloud');
  const cloudLatency = await keystrokeLatency('cloud');
  const cloudRss = await rssOverTime(cloudPid);
  clearInterval(burst);
  report.push(`cloud tail at ${Math.round(cloudRate)} lines/s (sandbox asked for 10,000): keystroke→screen p50 ${cloudLatency.p50.toFixed(0)} ms, p95 ${cloudLatency.p95.toFixed(0)} ms`);
  report.push(`cloud tail RSS over ${FLOOD_SECONDS}s (MiB, every 30 s): ${cloudRss.map((r) => r.toFixed(0)).join(' ')}`);

  console.log(`netra-console logs bench — ${new Date().toISOString()}, Node ${execFileSync(NODE, ['-v'], { encoding: 'utf8' }).trim()}`);
  for (const line of report) console.log(line);
} finally {
  spawnSync('tmux', ['-S', tmuxSocket, 'kill-server']);
  await sandbox.stop();
  await engine.destroy();
  rmSync(workDir, { recursive: true, force: true });
}
