// The console's start-up and idle cost (issue #16), every figure next to its baseline measured in the same run on
// this machine, in a real terminal (tmux):
//  - first frame and all 20 containers on screen, next to a bare `node -e 0` of the same Node started the same way;
//  - idle CPU with 20 running containers (10 health-checked), next to `docker stats` streaming the same 20, in CPU
//    ticks over the same window: with the default in-process sandbox's Cloud tail (~5 entries/s), with Cloud Run at
//    an endpoint in another process (`netra-console sandbox`), and Docker only (Cloud endpoint closed);
//  - RSS idle with 20 containers, next to docker stats';
//  - the floor under both: Node + Ink + dockerode showing the same stats and nothing else (support/floor-app.tsx);
//  - 200 containers in 50 compose services: j/k in the Containers panel timed from outside (key → frame written,
//    key → selection moved on screen), idle CPU next to `docker stats` on the same 200.
// `--profile` adds CPU profiles of the 20-container idle case and of the 200-container case (idle, then j/k).
// Run: npm run bench [-- --profile]   (starts and removes a private dockerd; needs root or an installed docker.io)
// BENCH_IDLE_SECONDS (default 25) sets each idle window, BENCH_STARTS (default 7) the timed starts.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { dockerOk, DOCKER_BIN, ensureFixtureImages, type PrivateEngine } from '../test/support/docker-engine';
import { startSandboxProcess } from '../test/support/sandbox-process';
import { sleep } from '../test/support/wait';
import { benchEngine } from './support/bench-engine';
import { BenchTerminal } from './support/bench-terminal';
import { bareNodeLaunch, cleanEnv, CLI, consoleLaunch, NODE, profiledLaunch, tracedLaunch } from './support/console-launch';
import { profileReport } from './support/cpu-profile';
import { figuresTable, missed, type Figure } from './support/figures';
import { floorLine, measureFloor } from './support/floor';
import { keyFramesFromTrace } from './support/frame-trace';
import { removeFleet, startMany, startTwenty, type Fleet } from './support/fleet';
import { idleLine, idleWindow, measureIdle, type IdleCase, type IdleResult } from './support/idle-phase';
import { profileConsole } from './support/profile-phase';
import { median, percentile, raw, spread } from './support/samples';
import { measureSelection } from './support/selection-phase';
import { allListed, measureStartup } from './support/startup-phase';

const IDLE_SECONDS = Number(process.env.BENCH_IDLE_SECONDS ?? 25);
const STARTS = Number(process.env.BENCH_STARTS ?? 7);
const PROFILE = process.argv.includes('--profile');
const PROFILE_SECONDS = 20;
const SETTLE_MS = 5_000;
/** j presses down the 200, then as many k back up. */
const PRESSES = 80;
const MANY = { services: 50, replicas: 4 };

const log = (line: string) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
const say = (line: string) => console.log(line);

const bench = benchEngine(log);
const workDir = bench.removeWith(mkdtempSync(join(tmpdir(), 'ncb-')));
// Before the engine: a missing tmux fails here, leaving nothing behind. Interrupted, the consoles go with the server.
const term = new BenchTerminal(workDir);
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => term.close());
let engine!: PrivateEngine;

const writeConfig = (fleet: Fleet) => writeFileSync(join(workDir, '.netra-console.yaml'), `docker:\n  projects: [${fleet.project}]\n`);
const dockerdPid = (e: PrivateEngine) => Number(readFileSync(join(e.dir, 'docker.pid'), 'utf8').trim());
const following = (count: number, cloud: boolean) => (s: string) => allListed(count)(s) && s.includes(`TOTAL (${count})`) && (!cloud || s.includes('● cloud live'));

/** host:port where nothing listens: a port the kernel just handed out and took back. */
function closedEndpoint(): Promise<string> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(`127.0.0.1:${port}`));
    });
    server.on('error', reject);
  });
}

/**
 * `docker stats NAME…` gives up when a container's first stats take over 2 s ("timeout waiting for stats"), as they
 * do with 200 containers on a slow engine. `docker stats` with no names follows every running container and does not
 * give up; the engine runs only the fleet, so it follows the same containers.
 */
async function startDockerStats(fleet: Fleet): Promise<number> {
  const env = { ...cleanEnv(workDir), DOCKER_HOST: engine.host };
  const shown = (s: string) => fleet.names.filter((name) => s.includes(name)).length >= Math.min(fleet.names.length, 30);
  const named = await term.start('dockerstats', [DOCKER_BIN, 'stats', ...fleet.names], env);
  try {
    await term.waitFor('dockerstats', shown, 'docker stats to show the containers');
    return named;
  } catch (error) {
    if (!/dockerstats exited/.test((error as Error).message)) throw error;
    const running = (await dockerOk(engine, ['ps', '-q'])).trim().split('\n').length;
    if (running !== fleet.names.length) throw new Error(`${(error as Error).message}; and the engine runs ${running} containers, not the fleet's ${fleet.names.length}`);
    log(`${(error as Error).message}; following every running container (the same ${running}) instead`);
    const all = await term.start('dockerstats', [DOCKER_BIN, 'stats'], env);
    await term.waitFor('dockerstats', shown, 'docker stats (every running container) to show them', 120_000);
    return all;
  }
}

const idleCase = (session: string, args: string[], count: number, cloud: boolean, what: string): IdleCase => ({
  session,
  launch: consoleLaunch(workDir, ['--docker-host', engine.host, ...args]),
  ready: following(count, cloud),
  what,
});

const idleFigure = (name: string, r: IdleResult, count: number, ratioAtMost: number): Figure => ({
  case: name,
  value: r.console.percent,
  unit: '%',
  baseline: { what: `docker stats, same ${count}`, value: r.dockerStats.percent },
  goal: { ratioAtMost },
});

const figures: Figure[] = [];
const profiles: string[] = [];
const loadAtStart = loadavg();
try {
  engine = await bench.start();
  await ensureFixtureImages(engine);
  log('starting 20 containers');
  const twenty = await startTwenty(engine);
  writeConfig(twenty);
  const dockerd = dockerdPid(engine);

  log(`start-up: ${STARTS} rounds of node -e 0 and the console`);
  const startup = await measureStartup(term, bareNodeLaunch(workDir), consoleLaunch(workDir, ['--docker-host', engine.host]), twenty.names.length, STARTS);
  say(`bare node -e 0, start to exit (ms): ${raw(startup.bareNodeMs)}`);
  say(`netra-console, start to first frame (ms): ${raw(startup.firstFrameMs)}`);
  say(`netra-console, start to all 20 containers on screen (ms): ${raw(startup.allShownMs)}`);
  const bareNode = { what: 'bare `node -e 0`, median', value: median(startup.bareNodeMs) };
  figures.push({ case: `first frame (median of ${STARTS} starts)`, value: median(startup.firstFrameMs), unit: 'ms', baseline: bareNode, goal: { ratioAtMost: 4 } });
  figures.push({ case: `all 20 containers on screen (median of ${STARTS})`, value: median(startup.allShownMs), unit: 'ms', baseline: bareNode, goal: { ratioAtMost: 6 } });

  const statsTwenty = await startDockerStats(twenty);
  const others = { dockerStats: statsTwenty, dockerd };

  log(`idle, 20 containers + in-process sandbox (${IDLE_SECONDS} s)`);
  const inProcess = idleCase('idle-sandbox', [], 20, true, 'the 20 containers and the live Cloud tail');
  const withSandbox = await measureIdle(term, inProcess, others, SETTLE_MS, IDLE_SECONDS);
  say(idleLine('idle, 20 containers + Cloud tail from the in-process sandbox', withSandbox));

  log(`idle, 20 containers + sandbox in another process (${IDLE_SECONDS} s)`);
  const sandbox = await startSandboxProcess({ program: [CLI, 'sandbox', '--port', '0'], cwd: workDir, env: cleanEnv(workDir) });
  const withEndpoint = await measureIdle(
    term,
    idleCase('idle-endpoint', ['--gcp-endpoint', sandbox.endpoint], 20, true, 'the 20 containers and the live Cloud tail'),
    { ...others, sandbox: sandbox.child.pid! },
    SETTLE_MS,
    IDLE_SECONDS,
  ).finally(() => sandbox.stop());
  say(idleLine('idle, 20 containers + Cloud tail from `netra-console sandbox` in another process', withEndpoint));

  log(`idle, Docker only (${IDLE_SECONDS} s)`);
  const closed = await closedEndpoint();
  const dockerOnly = await measureIdle(term, idleCase('idle-docker', ['--gcp-endpoint', closed], 20, false, 'the 20 containers'), others, SETTLE_MS, IDLE_SECONDS);
  say(idleLine(`idle, Docker only (Cloud endpoint ${closed} closed)`, dockerOnly));

  log(`floor: Node + Ink + dockerode showing the same stats, with and without a Cloud tail (${IDLE_SECONDS} s)`);
  const floorSandbox = await startSandboxProcess({ program: [CLI, 'sandbox', '--port', '0'], cwd: workDir, env: cleanEnv(workDir) });
  const floor = await measureFloor(term, workDir, engine.host, floorSandbox.endpoint, twenty.names, statsTwenty, SETTLE_MS, IDLE_SECONDS).finally(() => floorSandbox.stop());
  say(floorLine(floor));

  figures.push(idleFigure('idle CPU, 20 containers + Cloud tail ~5/s (in-process sandbox, the default)', withSandbox, 20, 1.5));
  figures.push(idleFigure('idle CPU, 20 containers + Cloud tail ~5/s (sandbox in another process)', withEndpoint, 20, 1.5));
  figures.push(idleFigure('idle CPU, 20 containers, Docker only (Cloud endpoint closed)', dockerOnly, 20, 1));
  figures.push({
    case: 'RSS idle, 20 containers + Cloud tail (in-process sandbox)',
    value: withSandbox.rssMiB,
    unit: 'MiB',
    baseline: { what: 'docker stats RSS', value: withSandbox.dockerStatsRssMiB },
    goal: { atMost: 100 },
  });
  // Context for the RSS goal: what of it is the console's own, and what the Node executable's pages shared with every
  // Node process; and the console alone when Cloud Run is elsewhere, as it is in production.
  const rssContext = (name: string, value: number, what: string, baseline: number): Figure => ({ case: `${name} (context)`, value, unit: 'MiB', baseline: { what, value: baseline }, goal: null });
  figures.push(
    rssContext('RSS idle, 20 + Cloud tail (in-process sandbox): own (anonymous) pages', withSandbox.rssSplitMiB.anon, 'docker stats, own pages', withSandbox.dockerStatsRssSplitMiB.anon),
    rssContext('RSS idle, 20 + Cloud tail (in-process sandbox): mapped files (the Node executable, shared)', withSandbox.rssSplitMiB.file, 'docker stats, mapped files', withSandbox.dockerStatsRssSplitMiB.file),
    rssContext('RSS idle, 20 + Cloud tail from the sandbox in another process', withEndpoint.rssMiB, 'docker stats RSS', withEndpoint.dockerStatsRssMiB),
  );
  // The floor: what Node + Ink + dockerode cost to show the same stats with nothing else (support/floor-app.tsx), with
  // the Cloud tail through the official client, and the memory the Google clients take. A goal below its floor cannot
  // be met with these parts.
  const floorCpu = (name: string, value: number): Figure => ({ case: `${name} (context)`, value, unit: '%', baseline: { what: 'docker stats, same 20', value: floor.dockerStats.percent }, goal: null });
  figures.push(
    floorCpu('floor, idle CPU, Docker only: Node + Ink + dockerode, the same 20 stats streams, one frame a second', floor.floor.percent),
    floorCpu('floor, idle CPU, the same + the Cloud tail ~5/s from the sandbox in another process (official client)', floor.withTail.percent),
    rssContext('floor, RSS: the same program, Docker only', floor.floorRssMiB, 'docker stats RSS', withSandbox.dockerStatsRssMiB),
    rssContext('floor, RSS: the same program with the Google clients loaded', floor.withGoogleRssMiB, 'docker stats RSS', withSandbox.dockerStatsRssMiB),
    { case: 'idle CPU, Docker only, next to the floor (context)', value: dockerOnly.console.percent, unit: '%', baseline: { what: 'the floor, same 20', value: floor.floor.percent }, goal: null },
    { case: 'idle CPU, Cloud tail from another process, next to the floor (context)', value: withEndpoint.console.percent, unit: '%', baseline: { what: 'the floor with the tail', value: floor.withTail.percent }, goal: null },
  );

  if (PROFILE) {
    log(`profiling the 20-container idle case (${PROFILE_SECONDS} s)`);
    const dir = mkdtempSync(join(tmpdir(), 'netra-profile-20-'));
    const profiled = { ...inProcess, session: 'profile-20', launch: profiledLaunch(workDir, ['--docker-host', engine.host], dir) };
    const { file, summaries } = await profileConsole(term, profiled, dir, SETTLE_MS, [{ label: 'idle', run: () => sleep(PROFILE_SECONDS * 1000) }]);
    profiles.push(profileReport(`profile, idle 20 containers + in-process sandbox tail (${file})`, summaries[0]!.summary));
  }

  await term.end('dockerstats', statsTwenty);
  await removeFleet(engine, twenty);
  log(`starting ${MANY.services * MANY.replicas} containers in ${MANY.services} services`);
  const many = await startMany(engine, MANY.services, MANY.replicas);
  const count = many.names.length;
  writeConfig(many);
  const statsMany = await startDockerStats(many);

  log(`${count} containers: idle (${IDLE_SECONDS} s), then ${PRESSES * 2} j/k presses`);
  // Traced: the presses' frames are also timed from inside the console (support/frame-trace.mjs).
  const traceFile = join(workDir, 'frame-trace.json');
  const manyCase = { ...idleCase('many', [], count, true, `the ${count} containers and the live Cloud tail`), launch: tracedLaunch(workDir, ['--docker-host', engine.host], traceFile) };
  const launched = performance.now();
  const manyPid = await term.start(manyCase.session, manyCase.launch.argv, manyCase.launch.env);
  const manyShownMs = (await term.waitFor(manyCase.session, allListed(count), `all ${count} containers`, 60_000)) - launched;
  await term.waitFor(manyCase.session, manyCase.ready, manyCase.what, 60_000);
  const manyIdle = await idleWindow(term, manyCase.session, manyPid, { dockerStats: statsMany, dockerd }, SETTLE_MS, IDLE_SECONDS);
  const selection = await measureSelection(term, manyCase.session, manyPid, PRESSES);
  await term.end(manyCase.session, manyPid);
  const inside = keyFramesFromTrace(traceFile, /^[jk]$/);
  say(`netra-console, start to all ${count} containers on screen: ${manyShownMs.toFixed(0)} ms`);
  say(idleLine(`idle, ${count} containers + Cloud tail from the in-process sandbox`, manyIdle));
  say(`j/k with ${count} containers, key → frame written (ms): ${spread(selection.keyToFrameMs)} ${raw(selection.keyToFrameMs, 1)}`);
  say(`j/k with ${count} containers, inside the console, key read → frame written (ms): ${spread(inside)} ${raw(inside, 1)}`);
  say(`j/k with ${count} containers, key → selection moved on screen (ms): ${spread(selection.keyToScreenMs)} ${raw(selection.keyToScreenMs, 1)}`);
  // What the presses cost the console on top of its idle rate, per press: CPU time, so other load barely moves it.
  const cpuPerPress = (selection.cpuMs - (manyIdle.console.percent / 100) * selection.seconds * 1000) / selection.keyToScreenMs.length;
  say(`j/k with ${count} containers: netra-console CPU ${selection.cpuMs.toFixed(0)} ms over ${selection.seconds.toFixed(1)} s of presses, ${cpuPerPress.toFixed(1)} ms a press above its idle rate`);

  figures.push({ case: `${count} containers / ${MANY.services} services: j/k key → frame written, p95 (from outside: an upper bound of the frame)`, value: percentile(selection.keyToFrameMs, 0.95), unit: 'ms', goal: { atMost: 16 } });
  figures.push({ case: `${count} containers: j/k key read → frame written, p95, inside the console (its work and any wait for a core; no tmux)`, value: percentile(inside, 0.95), unit: 'ms', goal: { atMost: 16 } });
  figures.push({ case: `${count} containers: j/k key → selection moved on screen, p95`, value: percentile(selection.keyToScreenMs, 0.95), unit: 'ms', goal: { atMost: 30 } });
  figures.push({ case: `${count} containers: CPU a j/k press costs the console, mean (context for the 16 ms frame)`, value: cpuPerPress, unit: 'ms', goal: null });
  figures.push(idleFigure(`idle CPU, ${count} containers + Cloud tail ~5/s (in-process sandbox)`, manyIdle, count, 3));
  figures.push({ case: `${count} containers: RSS idle (context)`, value: manyIdle.rssMiB, unit: 'MiB', baseline: { what: 'docker stats RSS', value: manyIdle.dockerStatsRssMiB }, goal: null });
  figures.push({ case: `${count} containers: all on screen after start, 1 run (context)`, value: manyShownMs, unit: 'ms', baseline: bareNode, goal: null });

  if (PROFILE) {
    log(`profiling the ${count}-container case (${PROFILE_SECONDS} s idle, then j/k)`);
    const dir = mkdtempSync(join(tmpdir(), 'netra-profile-many-'));
    const profiled = { ...manyCase, session: 'profile-many', launch: profiledLaunch(workDir, ['--docker-host', engine.host], dir) };
    const { file, summaries } = await profileConsole(term, profiled, dir, SETTLE_MS, [
      { label: 'idle', run: () => sleep(PROFILE_SECONDS * 1000) },
      { label: 'j/k', run: (pid) => measureSelection(term, profiled.session, pid, PRESSES / 2) },
    ]);
    for (const { label, summary } of summaries) profiles.push(profileReport(`profile, ${count} containers, ${label} (${file})`, summary));
  }
  await term.end('dockerstats', statsMany);

  const versions = `Node ${execFileSync(NODE, ['-v'], { encoding: 'utf8' }).trim()}, dockerd ${await dockerOk(engine, ['version', '--format', '{{.Server.Version}}'])}`;
  const load = (l: number[]) => l.map((v) => v.toFixed(2)).join(' ');
  for (const report of profiles) say(`\n${report}`);
  say(`\nnetra-console bench — ${new Date().toISOString()}, ${versions}, load average at start ${load(loadAtStart)}, at end ${load(loadavg())}\n`);
  say(figuresTable(figures));
  const failed = missed(figures);
  say(`\n${failed === 0 ? 'every goal met' : `${failed} goal(s) NOT met`}`);
} finally {
  term.close();
  await bench.cleanUp();
}
