// Measures, in one run on a private engine, the console's headless rebuild of the project's own Alpine test stack
// (docker-compose.alpine-test.yml, project netra-test, NETRA_BASE_PREFIX=netra-standin/) against the same compose
// build by hand, for three cases:
//   cached      nothing changed since the last build;
//   app-change  a comment line appended to docker/app/backend/app/main.py (a new one before every build);
//   clean       `--no-cache` (console) / `build --no-cache` (by hand).
// The two methods:
//  1. `node dist/cli.js rebuild --variant alpine --yes --json` (wall time of the process and its elapsedSeconds);
//  2. `docker-compose -p netra-test -f docker-compose.alpine-test.yml build [--no-cache]` with the same environment
//     (DOCKER_BUILDKIT=1, COMPOSE_DOCKER_CLI_BUILD=1, BUILDKIT_PROGRESS=plain, /usr/bin first on PATH).
// Both build a TEMP COPY of docker/ and the compose file (the repository is never modified). Within each round and
// case the method that goes first alternates, so load drift hits both alike. The console's fixed costs are timed
// apart (process start via `--version`, the compose probes, `compose config`), and one traced console run per case
// (docker and docker-compose wrapped by scripts that log each call's start and end) splits its time into process
// start → first compose call, probes, `compose config` before the build, the build, and what follows it (a second
// `compose config`, image inspect/history, build history and audit writes, exit).
// Run: npm run bench:rebuild [-- --rounds N (default 3)]
// (starts and removes a private dockerd; needs root or an installed docker.io and docker-compose).
import { appendFileSync, chmodSync, copyFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI, NODE, ROOT, runCli } from '../test/support/cli-process';
import { DOCKER_BIN, dockerOk, type PrivateEngine } from '../test/support/docker-engine';
import { benchEngine } from './support/bench-engine';
import { COMPOSE_BIN, composeEnv, run, STACK_FILES, STANDIN_PREFIX, TEST_PROJECT } from '../test/support/netra-stack';

function flag(name: string, fallback: number): number {
  const args = process.argv.slice(2);
  const i = args.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (i < 0) return fallback;
  const raw = args[i]!.includes('=') ? args[i]!.split('=')[1] : args[i + 1];
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} needs a positive number, got ${String(raw)}`);
  return value;
}

const ROUNDS = Math.round(flag('rounds', 3));
const BUILD_TIMEOUT_MS = 900_000;
const GOAL = 1.05;
const CASES = ['cached', 'app-change', 'clean'] as const;
type Case = (typeof CASES)[number];
type Method = 'console' | 'by hand';

const median = (values: number[]): number => {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};
const sec = (ms: number, digits = 2) => (ms / 1000).toFixed(digits);
const log = (line: string) => process.stderr.write(`[bench:rebuild ${new Date().toISOString().slice(11, 19)}] ${line}\n`);

// ---------------------------------------------------------------------------------------------
// The temp copy of the stack (docker/ + the compose file) and the console's home

let work = '';
let stackDir = '';
let stackFile = '';
let home = '';
let traceDir = '';
let traceLog = '';
let edits = 0;

function makeWorkspace(): void {
  work = mkdtempSync(join(tmpdir(), 'nrb-'));
  stackDir = join(work, 'stack');
  home = join(work, 'home');
  traceDir = join(work, 'trace');
  traceLog = join(work, 'trace.log');
  mkdirSync(stackDir);
  mkdirSync(home);
  mkdirSync(traceDir);
  cpSync(join(ROOT, 'docker'), join(stackDir, 'docker'), { recursive: true });
  stackFile = join(stackDir, STACK_FILES.alpineTest);
  copyFileSync(join(ROOT, STACK_FILES.alpineTest), stackFile);
  // Wrappers for the traced runs: log `<start ns> <end ns> <exit> <name> <args>` per call, then exit as the real one.
  for (const [name, real] of [['docker', DOCKER_BIN], ['docker-compose', COMPOSE_BIN]] as const) {
    const script = join(traceDir, name);
    writeFileSync(
      script,
      `#!/bin/bash\ns=$(date +%s%N)\n${real} "$@"\nrc=$?\necho "$s $(date +%s%N) $rc ${name} $*" >>${traceLog}\nexit $rc\n`,
    );
    chmodSync(script, 0o755);
  }
}

/** A new comment line at the end of the temp copy's backend main.py: the backend's COPY of app/ misses the cache. */
function changeAppCode(): void {
  edits += 1;
  appendFileSync(join(stackDir, 'docker', 'app', 'backend', 'app', 'main.py'), `# bench:rebuild change ${edits} at ${new Date().toISOString()}\n`);
}

function writeConfig(engine: PrivateEngine, cli: string): void {
  const config = {
    docker: { cli, host: engine.host },
    stacks: { test: { project: TEST_PROJECT, alpine: [stackFile], regular: [stackFile], env: { NETRA_BASE_PREFIX: STANDIN_PREFIX } } },
  };
  writeFileSync(join(home, '.netra-console.yaml'), JSON.stringify(config, null, 2));
}

// ---------------------------------------------------------------------------------------------
// The two methods

interface Sample {
  method: Method;
  kase: Case;
  wallMs: number;
  /** console: its elapsedSeconds ×1000 */
  reportedMs: number | null;
  /** console: Σ cachedSteps / Σ cacheableSteps of its report; by hand: `#n CACHED` lines of BuildKit's output */
  cached: string;
  /** console: per service seconds of its report */
  services: Record<string, number | null>;
}

interface RebuildDoc {
  result: string;
  elapsedSeconds: number;
  noCache: boolean;
  error: string | null;
  services: Array<{ service: string; seconds: number | null; cachedSteps: number; cacheableSteps: number; imageSizeBytes: number | null }>;
}

async function consoleRebuild(kase: Case): Promise<Sample & { doc: RebuildDoc }> {
  const args = ['rebuild', '--variant', 'alpine', '--yes', '--json', ...(kase === 'clean' ? ['--no-cache'] : [])];
  const t0 = performance.now();
  const res = await runCli(args, { cwd: home, timeoutMs: BUILD_TIMEOUT_MS });
  const wallMs = performance.now() - t0;
  let doc: RebuildDoc;
  try {
    doc = JSON.parse(res.stdout) as RebuildDoc;
  } catch {
    throw new Error(`console rebuild (${kase}): not JSON (exit ${res.code})\nstdout: ${res.stdout}\nstderr: ${res.stderr}`);
  }
  if (res.code !== 0 || doc.result !== 'built') throw new Error(`console rebuild (${kase}) failed (exit ${res.code}, ${doc.result}): ${doc.error ?? ''}\n${res.stderr}`);
  const cachedSteps = doc.services.reduce((n, s) => n + s.cachedSteps, 0);
  const cacheable = doc.services.reduce((n, s) => n + s.cacheableSteps, 0);
  return {
    method: 'console',
    kase,
    wallMs,
    reportedMs: doc.elapsedSeconds * 1000,
    cached: `${cachedSteps}/${cacheable}`,
    services: Object.fromEntries(doc.services.map((s) => [s.service, s.seconds])),
    doc,
  };
}

async function handBuild(engine: PrivateEngine, kase: Case): Promise<Sample> {
  const args = ['-p', TEST_PROJECT, '-f', stackFile, 'build', ...(kase === 'clean' ? ['--no-cache'] : [])];
  const t0 = performance.now();
  const res = await run(COMPOSE_BIN, args, { env: composeEnv(engine), cwd: stackDir, timeoutMs: BUILD_TIMEOUT_MS });
  const wallMs = performance.now() - t0;
  const cachedLines = `${res.stdout}\n${res.stderr}`.split('\n').filter((l) => /^#\d+ CACHED/.test(l)).length;
  return { method: 'by hand', kase, wallMs, reportedMs: null, cached: String(cachedLines), services: {} };
}

// ---------------------------------------------------------------------------------------------
// The console's fixed costs

async function timeIt(times: number, fn: () => Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < times; i++) {
    const t0 = performance.now();
    await fn();
    out.push(performance.now() - t0);
  }
  return out;
}

interface TraceCall {
  startMs: number;
  endMs: number;
  code: number;
  name: string;
  args: string;
}

interface TracedSplit {
  wallMs: number;
  elapsedMs: number;
  /** process start → first docker / docker-compose call (Node start-up, config, settings) */
  startMs: number;
  /** `docker compose version` + `docker-compose version` (which compose the machine has) */
  probeMs: number;
  /** `compose config` before the build (the services to build) */
  configBeforeMs: number;
  /** the `compose build` process */
  buildMs: number;
  /** `compose config` after the build (measure) */
  configAfterMs: number;
  /** after the last compose call → exit: image inspect + history, build history, audit, JSON, exit */
  tailMs: number;
  /** what is left: gaps between the calls */
  gapsMs: number;
  calls: number;
}

async function tracedRebuild(kase: Case): Promise<TracedSplit> {
  writeFileSync(traceLog, '');
  const startEpoch = Date.now();
  const s = await consoleRebuild(kase);
  const endEpoch = startEpoch + s.wallMs;
  const calls: TraceCall[] = readFileSync(traceLog, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [a, b, c, name, ...rest] = line.split(' ');
      return { startMs: Number(a) / 1e6, endMs: Number(b) / 1e6, code: Number(c), name: name!, args: rest.join(' ') };
    })
    .sort((x, y) => x.startMs - y.startMs);
  // Top-level calls only (compose v1 runs `docker build` per service inside its build).
  const top: TraceCall[] = [];
  for (const call of calls) if (!top.some((t) => call.startMs >= t.startMs && call.endMs <= t.endMs)) top.push(call);
  const isProbe = (c: TraceCall) => / version$/.test(c.args) || c.args === 'version' || c.args === 'compose version';
  const probes = top.filter(isProbe);
  const build = top.find((c) => c.name === 'docker-compose' && / build( |$)/.test(` ${c.args}`));
  const configs = top.filter((c) => c.name === 'docker-compose' && / config$/.test(c.args));
  if (!build || top.length === 0) throw new Error(`traced rebuild (${kase}): no compose build in the trace:\n${readFileSync(traceLog, 'utf8')}`);
  const before = configs.filter((c) => c.endMs <= build.startMs);
  const after = configs.filter((c) => c.startMs >= build.endMs);
  const sum = (list: TraceCall[]) => list.reduce((n, c) => n + (c.endMs - c.startMs), 0);
  const first = top[0]!;
  const last = top[top.length - 1]!;
  const split = {
    wallMs: s.wallMs,
    elapsedMs: s.reportedMs ?? NaN,
    startMs: first.startMs - startEpoch,
    probeMs: sum(probes),
    configBeforeMs: sum(before),
    buildMs: build.endMs - build.startMs,
    configAfterMs: sum(after),
    tailMs: endEpoch - last.endMs,
    gapsMs: 0,
    calls: top.length,
  };
  split.gapsMs = split.wallMs - split.startMs - sum(top) - split.tailMs;
  return split;
}

// ---------------------------------------------------------------------------------------------

const bench = benchEngine(log);
const cleanUp = bench.cleanUp;
let engine: PrivateEngine | null = null;

try {
  const started = Date.now();
  engine = await bench.start();
  makeWorkspace();
  bench.removeWith(work);
  log(`engine ${engine.host}; ${ROUNDS} round(s); stack copy ${stackDir}`);
  await run('bash', [join(ROOT, 'docker', 'make-bases.sh')], { env: { ...engine.env, DOCKER: DOCKER_BIN }, timeoutMs: 120_000 });
  writeConfig(engine, DOCKER_BIN);

  // Warm-up, untimed: the first build fills the cache; a console and a by-hand cached build warm the rest.
  log('warm-up: first build by hand, then a cached console and by-hand build');
  const firstT0 = performance.now();
  await handBuild(engine, 'cached');
  const firstBuildMs = performance.now() - firstT0;
  await consoleRebuild('cached');
  await handBuild(engine, 'cached');

  // Fixed costs, apart.
  log('fixed costs: --version, compose probes, compose config');
  const cEnv = composeEnv(engine, { NETRA_BASE_PREFIX: STANDIN_PREFIX });
  const versionMs = await timeIt(5, async () => {
    const r = await runCli(['--version'], { cwd: home, timeoutMs: 30_000 });
    if (r.code !== 0) throw new Error(`--version: exit ${r.code} ${r.stderr}`);
  });
  const probeV2Ms = await timeIt(3, () => run(DOCKER_BIN, ['compose', 'version'], { env: cEnv, cwd: stackDir }).catch(() => null));
  const probeV1Ms = await timeIt(3, () => run(COMPOSE_BIN, ['version'], { env: cEnv, cwd: stackDir }));
  const configMs = await timeIt(3, () => run(COMPOSE_BIN, ['-p', TEST_PROJECT, '-f', stackFile, 'config'], { env: cEnv, cwd: stackDir }));
  const images = ['postgres', 'redis', 'migration', 'backend', 'auth', 'frontend'].map((s) => `netra-alpine-test-${s}:latest`);
  const inspectCliMs = await timeIt(3, async () => {
    await dockerOk(engine!, ['image', 'inspect', ...images]);
    await Promise.all(images.map((i) => dockerOk(engine!, ['history', '--no-trunc', i])));
  });

  const samples: Sample[] = [];
  const record = (s: Sample) => {
    samples.push(s);
    log(`${s.kase.padEnd(10)} ${s.method.padEnd(7)} wall ${sec(s.wallMs)} s${s.reportedMs === null ? '' : `, elapsedSeconds ${sec(s.reportedMs)}`}, cached ${s.cached}`);
  };
  for (let r = 1; r <= ROUNDS; r++) {
    log(`round ${r}/${ROUNDS}`);
    const order: Method[] = r % 2 ? ['console', 'by hand'] : ['by hand', 'console'];
    for (const kase of CASES) {
      for (const method of order) {
        if (kase === 'app-change') changeAppCode();
        record(method === 'console' ? await consoleRebuild(kase) : await handBuild(engine, kase));
      }
    }
  }

  // One traced console run per case (not in the medians): where its time goes.
  log('traced console runs (docker and docker-compose wrapped)');
  writeConfig(engine, join(traceDir, 'docker'));
  const traced: Partial<Record<Case, TracedSplit>> = {};
  for (const kase of CASES) {
    if (kase === 'app-change') changeAppCode();
    traced[kase] = await tracedRebuild(kase);
  }
  writeConfig(engine, DOCKER_BIN);

  // ---- report
  const [nodeVersion, engineVersion, composeVersion] = await Promise.all([
    run(NODE, ['-v']).then((x) => x.stdout.trim()),
    dockerOk(engine, ['version', '--format', '{{.Server.Version}}']),
    run(COMPOSE_BIN, ['version', '--short']).then((x) => x.stdout.trim()),
  ]);
  const pick = (method: Method, kase: Case) => samples.filter((s) => s.method === method && s.kase === kase);
  const med = (list: Sample[], f: (s: Sample) => number | null) => median(list.map(f).filter((v): v is number => typeof v === 'number'));
  console.log(
    `\nnetra-console rebuild bench — ${new Date().toISOString()}, Node ${nodeVersion}, dockerd ${engineVersion}, docker-compose ${composeVersion}, ` +
      `${ROUNDS} round(s), ${Math.round((Date.now() - started) / 1000)} s in all`,
  );
  console.log(`CLI: ${CLI}; stack: a temp copy of docker/ + ${STACK_FILES.alpineTest}, project ${TEST_PROJECT}; first (uncached) build by hand ${sec(firstBuildMs)} s\n`);

  const head = ['case', 'method', 'wall s', 'elapsedSeconds', 'cached steps', 'runs (wall)'];
  const rows: string[][] = [];
  const summary: Record<string, unknown> = {};
  for (const kase of CASES) {
    const c = pick('console', kase);
    const h = pick('by hand', kase);
    rows.push([kase, 'console', sec(med(c, (s) => s.wallMs)), sec(med(c, (s) => s.reportedMs)), c.map((s) => s.cached).join(' '), c.map((s) => sec(s.wallMs)).join(' ')]);
    rows.push([kase, 'by hand', sec(med(h, (s) => s.wallMs)), '-', h.map((s) => s.cached).join(' '), h.map((s) => sec(s.wallMs)).join(' ')]);
    const cw = med(c, (s) => s.wallMs);
    const ce = med(c, (s) => s.reportedMs);
    const hw = med(h, (s) => s.wallMs);
    summary[kase] = {
      consoleWallS: +sec(cw),
      consoleElapsedS: +sec(ce),
      byHandS: +sec(hw),
      overheadWallS: +sec(cw - hw),
      ratioWall: +(cw / hw).toFixed(3),
      ratioElapsed: +(ce / hw).toFixed(3),
      goalMetWall: cw / hw <= GOAL,
      goalMetElapsed: ce / hw <= GOAL,
    };
  }
  const widths = head.map((hd, i) => Math.max(hd.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[], left: number[]) => cells.map((cell, i) => (left.includes(i) ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
  const leftCols = [0, 1, 4, 5];
  console.log(line(head, leftCols).trimEnd());
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  rows.forEach((r) => console.log(line(r, leftCols).trimEnd()));
  console.log(
    '\nwall: process start → exit (console) / `docker-compose build` start → exit (by hand); elapsedSeconds: what the console reports\n' +
      '(from its confirmation: build + measuring, not its start-up, compose probe or first `compose config`). Medians.\n' +
      'cached steps: console Σ cachedSteps/Σ cacheableSteps of its report; by hand: `#n CACHED` lines in BuildKit output.\n',
  );
  for (const kase of CASES) {
    const s = summary[kase] as { ratioWall: number; ratioElapsed: number; overheadWallS: number; goalMetWall: boolean; goalMetElapsed: boolean };
    console.log(
      `${kase.padEnd(10)}: console / by hand = ${s.ratioWall.toFixed(3)} wall (${s.overheadWallS >= 0 ? '+' : ''}${s.overheadWallS.toFixed(2)} s), ` +
        `${s.ratioElapsed.toFixed(3)} elapsedSeconds — goal ≤ ${GOAL.toFixed(2)}: ${s.goalMetWall ? 'MET' : 'NOT met'} (wall), ${s.goalMetElapsed ? 'MET' : 'NOT met'} (elapsedSeconds)`,
    );
  }
  const cachedSummary = summary.cached as { consoleWallS: number; consoleElapsedS: number };
  console.log(`console's cached rebuild of the whole stack: ${cachedSummary.consoleWallS.toFixed(2)} s wall, ${cachedSummary.consoleElapsedS.toFixed(2)} s elapsedSeconds (median)`);

  const fixed = {
    versionS: +sec(median(versionMs)),
    probeV2S: +sec(median(probeV2Ms)),
    probeV1S: +sec(median(probeV1Ms)),
    composeConfigS: +sec(median(configMs)),
    inspectHistoryCliS: +sec(median(inspectCliMs)),
  };
  console.log(
    `\nfixed costs apart (medians): node dist/cli.js --version ${fixed.versionS.toFixed(2)} s [${versionMs.map((v) => sec(v)).join(', ')}]; ` +
      `\`docker compose version\` (v2 probe, fails here) ${fixed.probeV2S.toFixed(2)} s; \`docker-compose version\` (v1 probe) ${fixed.probeV1S.toFixed(2)} s; ` +
      `\`docker-compose config\` ${fixed.composeConfigS.toFixed(2)} s; docker image inspect + 6× history (CLI; the console uses the API) ${fixed.inspectHistoryCliS.toFixed(2)} s`,
  );
  const tHead = ['traced case', 'wall', 'elapsed', 'start→1st call', 'probes', 'config before', 'build', 'config after', 'after→exit', 'gaps', 'calls'];
  const tRows = CASES.map((k) => {
    const t = traced[k]!;
    return [k, sec(t.wallMs), sec(t.elapsedMs), sec(t.startMs), sec(t.probeMs), sec(t.configBeforeMs), sec(t.buildMs), sec(t.configAfterMs), sec(t.tailMs), sec(t.gapsMs), String(t.calls)];
  });
  const tw = tHead.map((hd, i) => Math.max(hd.length, ...tRows.map((r) => r[i]!.length)));
  const tLine = (cells: string[]) => cells.map((cell, i) => (i === 0 ? cell.padEnd(tw[i]!) : cell.padStart(tw[i]!))).join('  ');
  console.log('\nwhere the console\'s time goes (one traced run per case, seconds; docker/docker-compose wrapped by logging scripts):');
  console.log(tLine(tHead));
  console.log(tw.map((w) => '-'.repeat(w)).join('  '));
  tRows.forEach((r) => console.log(tLine(r)));
  console.log(
    'start→1st call: Node start-up + config; probes: `docker compose version` + `docker-compose version`; config before/after: `compose config`\n' +
      '(services to build / measure); after→exit: image inspect + history via the API, build history + audit writes, JSON, exit.',
  );
  console.log(
    JSON.stringify({
      bench: 'rebuild-timing',
      at: new Date().toISOString(),
      node: nodeVersion,
      dockerd: engineVersion,
      compose: composeVersion,
      rounds: ROUNDS,
      goalRatio: GOAL,
      ...summary,
      fixed,
      traced: Object.fromEntries(
        CASES.map((k) => [k, Object.fromEntries(Object.entries(traced[k]!).map(([key, v]) => [key.replace(/Ms$/, 'S'), key === 'calls' ? v : +sec(v)]))]),
      ),
    }),
  );
} catch (error) {
  console.error(error);
  process.exitCode = 1;
} finally {
  await cleanUp();
}
