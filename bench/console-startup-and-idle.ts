// Measures, in one run on this machine: the console's time to first frame and to showing 20 containers, and its
// idle CPU and memory while following 20 running containers, next to `docker stats` streaming the same 20.
// Run: npm run bench (starts and removes a private dockerd; needs root or an installed docker.io).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dockerOk, ensureFixtureImages, FIXTURE_IMAGES, runContainer, startPrivateEngine } from '../test/support/docker-engine';
import { sleep } from '../test/support/wait';

const CONTAINERS = 20;
const STARTS = 5;
const IDLE_SECONDS = Number(process.env.BENCH_IDLE_SECONDS ?? 30);
const BIN = join(process.cwd(), 'node_modules/.bin');
const NODE = join(BIN, 'node');
// The console runs as users run it: dist/cli.js through its shebang (with its heap caps), Node 24 first on PATH.
const CLK_TCK = 100;

const workDir = mkdtempSync(join(tmpdir(), 'ncb-'));
const tmuxSocket = join(workDir, 'tmux.sock');
const tmux = (...args: string[]) => execFileSync('tmux', ['-S', tmuxSocket, ...args], { encoding: 'utf8' });

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function cpuTicks(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return Number(fields[11]) + Number(fields[12]); // utime + stime
}

function rssMiB(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'))!;
  return Number(line.split(/\s+/)[1]) / 1024;
}

function startWindow(name: string, command: string): number {
  tmux('new-session', '-d', '-s', name, '-x', '140', '-y', '40', command);
  return Number(tmux('list-panes', '-t', name, '-F', '#{pane_pid}').trim());
}

async function waitForScreen(name: string, pattern: RegExp, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (pattern.test(tmux('capture-pane', '-p', '-t', name))) return;
    await sleep(2);
  }
  throw new Error(`screen of ${name} never matched ${pattern}:\n${tmux('capture-pane', '-p', '-t', name)}`);
}

const engine = await startPrivateEngine();
try {
  startWindow('keeper', 'sleep 100000'); // keeps the tmux server up between the timed sessions
  await ensureFixtureImages(engine);
  for (let i = 0; i < CONTAINERS; i++) {
    await runContainer(engine, {
      name: `bench-${String(i).padStart(2, '0')}`,
      image: FIXTURE_IMAGES.alpine,
      cmd: ['sleep', '1000000'],
      project: 'netra-bench',
      service: `svc${i}`,
      health: i % 2 === 0 ? { cmd: 'true', interval: '5s' } : undefined,
    });
  }
  writeFileSync(join(workDir, '.netra-console.yaml'), 'docker:\n  projects: [netra-bench]\n');
  const consoleCommand = `cd ${workDir} && exec env TERM=xterm-256color PATH=${BIN}:$PATH ${join(process.cwd(), 'dist/cli.js')} --docker-host ${engine.host}`;

  const firstFrame: number[] = [];
  const allShown: number[] = [];
  for (let run = 0; run < STARTS; run++) {
    const started = performance.now();
    startWindow(`start${run}`, consoleCommand);
    await waitForScreen(`start${run}`, /\[1\] Containers/);
    firstFrame.push(performance.now() - started);
    await waitForScreen(`start${run}`, new RegExp(`${CONTAINERS} containers`));
    allShown.push(performance.now() - started);
    tmux('kill-session', '-t', `start${run}`);
  }

  const consolePid = startWindow('idle', consoleCommand);
  await waitForScreen('idle', new RegExp(`TOTAL \\(${CONTAINERS}\\)`));
  const names = Array.from({ length: CONTAINERS }, (_, i) => `bench-${String(i).padStart(2, '0')}`);
  const statsPid = startWindow('dockerstats', `exec env DOCKER_HOST=${engine.host} /usr/bin/docker stats ${names.join(' ')}`);
  await waitForScreen('dockerstats', /bench-19/);
  await sleep(3_000); // let both settle
  const before = { console: cpuTicks(consolePid), stats: cpuTicks(statsPid) };
  await sleep(IDLE_SECONDS * 1000);
  const after = { console: cpuTicks(consolePid), stats: cpuTicks(statsPid) };
  const percent = (ticks: number) => ((ticks / CLK_TCK / IDLE_SECONDS) * 100).toFixed(2);

  const engineVersion = await dockerOk(engine, ['version', '--format', '{{.Server.Version}}']);
  console.log(`netra-console bench — ${new Date().toISOString()}, Node ${execFileSync(NODE, ['-v'], { encoding: 'utf8' }).trim()}, dockerd ${engineVersion}, ${CONTAINERS} running containers`);
  console.log(`time to first frame (tmux, ${STARTS} starts): median ${median(firstFrame).toFixed(0)} ms [${firstFrame.map((t) => t.toFixed(0)).join(', ')}]`);
  console.log(`time to all ${CONTAINERS} containers on screen: median ${median(allShown).toFixed(0)} ms [${allShown.map((t) => t.toFixed(0)).join(', ')}]`);
  console.log(`idle CPU over ${IDLE_SECONDS}s (share of one core): netra-console ${percent(after.console - before.console)}%, docker stats ${percent(after.stats - before.stats)}%`);
  console.log(`RSS: netra-console ${rssMiB(consolePid).toFixed(0)} MiB, docker stats ${rssMiB(statsPid).toFixed(0)} MiB`);
} finally {
  spawnSync('tmux', ['-S', tmuxSocket, 'kill-server']);
  await engine.destroy();
  rmSync(workDir, { recursive: true, force: true });
}
