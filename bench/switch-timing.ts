// Measures, in one run on a private engine, confirmation → every service healthy for the Alpine ⇄ regular switch of
// the project's own test stack (docker-compose.alpine-test.yml / docker-compose.test.yml, project netra-test), each
// way, two ways:
//  1. the console's headless switch, `node dist/cli.js switch --to regular|alpine --yes --json` (wall time of the
//     process and the elapsedSeconds it prints);
//  2. the same by hand: `docker-compose down --remove-orphans`, `docker-compose up -d --no-build`, then `docker
//     inspect` every 250 ms until every long-running service is healthy and the migration exited 0.
// The methods alternate within each round (console →regular, console →alpine, by hand →regular, by hand →alpine),
// so load drift hits both alike. A `docker events` stream of the project, read during every switch, splits each
// into phases (before down, down, up → last healthy, noticing it and exiting) from the engine's own clock.
// Run: npm run bench:switch [-- --rounds N (default 3)] [-- --scale S (NETRA_START_SCALE, default 100; 10 = quick)]
// (starts and removes a private dockerd; needs root or an installed docker.io and docker-compose).
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI, NODE, ROOT, runCli } from '../test/support/cli-process';
import { DOCKER_BIN, docker, dockerOk, type PrivateEngine } from '../test/support/docker-engine';
import { benchEngine } from './support/bench-engine';
import {
  COMPOSE_BIN,
  composeEnv,
  ONE_SHOT_SERVICES,
  run,
  serviceOf,
  STACK_FILES,
  STACK_SERVICES,
  stackContainers,
  STANDIN_PREFIX,
  TEST_PROJECT,
} from '../test/support/netra-stack';
import { sleep } from '../test/support/wait';

// netra-stack.ts's REPO_ROOT (and so ensureNetraBases, buildStack, composeUp, composeDown) derives from its own
// import.meta.url, which points into node_modules/.cache once scripts/run-ts.mjs has bundled this file; ROOT from
// cli-process.ts looks for the checkout upwards, so the compose files and make-bases.sh are named from it here.
const FILES = { alpine: join(ROOT, STACK_FILES.alpineTest), regular: join(ROOT, STACK_FILES.test) } as const;
type Variant = keyof typeof FILES;
const POLL_MS = 250;
const SWITCH_TIMEOUT_MS = 600_000;

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
const SCALE = String(flag('scale', 100));
const ENV_EXTRA = { NETRA_START_SCALE: SCALE };

const median = (values: number[]): number => {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};
const sec = (ms: number) => (ms / 1000).toFixed(1);
const log = (line: string) => process.stderr.write(`[bench:switch ${new Date().toISOString().slice(11, 19)}] ${line}\n`);

function compose(engine: PrivateEngine, variant: Variant, args: string[], timeoutMs = SWITCH_TIMEOUT_MS) {
  return run(COMPOSE_BIN, ['-p', TEST_PROJECT, '-f', FILES[variant], ...args], { env: composeEnv(engine, ENV_EXTRA), cwd: ROOT, timeoutMs });
}

// ---------------------------------------------------------------------------------------------
// Engine events of the project during one switch (phases from the engine's clock)

interface EngineEvent {
  ms: number; // epoch ms
  action: string;
  id: string;
  service: string;
}

function followEvents(engine: PrivateEngine): { stop(): EngineEvent[]; ready: Promise<void> } {
  const child = spawn(
    DOCKER_BIN,
    ['events', '--filter', 'type=container', '--filter', `label=com.docker.compose.project=${TEST_PROJECT}`, '--format', '{{json .}}'],
    { env: engine.env, stdio: ['ignore', 'pipe', 'ignore'] },
  );
  const events: EngineEvent[] = [];
  let buffered = '';
  child.stdout.on('data', (b: Buffer) => {
    buffered += b.toString();
    let nl: number;
    while ((nl = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      try {
        const e = JSON.parse(line) as { timeNano: number; Action: string; id: string; Actor?: { Attributes?: Record<string, string> } };
        events.push({ ms: e.timeNano / 1e6, action: e.Action, id: e.id, service: e.Actor?.Attributes?.['com.docker.compose.service'] ?? '' });
      } catch {
        // not an event line
      }
    }
  });
  // `docker events` has no "subscribed" signal; its CLI start-up takes well under this.
  const ready = sleep(400);
  return {
    ready,
    stop: () => {
      child.kill('SIGTERM');
      return events;
    },
  };
}

interface Phases {
  /** start → first container of the old variant killed/stopped */
  beforeDown: number;
  /** first kill → last destroy of the old variant */
  down: number;
  /** last destroy → first create of the new variant */
  gap: number;
  /** first create → last service ready (health_status: healthy / migration die) */
  upToHealthy: number;
  /** last ready event → the method noticed it (console: printed its outcome and exited) */
  after: number;
  /** engine: start → last service ready */
  engineTotal: number;
}

function phasesOf(events: EngineEvent[], startMs: number, endMs: number): Phases | null {
  const firstDown = events.find((e) => e.action === 'kill' || e.action === 'stop');
  const firstCreate = events.find((e) => e.action === 'create');
  if (!firstDown || !firstCreate) return null;
  const destroys = events.filter((e) => e.action === 'destroy' && e.ms <= firstCreate.ms);
  const lastDestroy = destroys.length ? destroys[destroys.length - 1]! : firstDown;
  const created = new Set(events.filter((e) => e.action === 'create').map((e) => e.id));
  const oneShots = new Set<string>(ONE_SHOT_SERVICES);
  let lastReady = 0;
  for (const svc of STACK_SERVICES) {
    const want = oneShots.has(svc) ? (a: string) => a === 'die' : (a: string) => a === 'health_status: healthy';
    const ready = events.find((e) => e.service === svc && created.has(e.id) && want(e.action));
    if (!ready) return null;
    lastReady = Math.max(lastReady, ready.ms);
  }
  return {
    beforeDown: firstDown.ms - startMs,
    down: lastDestroy.ms - firstDown.ms,
    gap: firstCreate.ms - lastDestroy.ms,
    upToHealthy: lastReady - firstCreate.ms,
    after: endMs - lastReady,
    engineTotal: lastReady - startMs,
  };
}

// ---------------------------------------------------------------------------------------------
// The two methods

interface Sample {
  method: 'console' | 'by hand';
  to: Variant;
  wallMs: number;
  /** console: its elapsedSeconds ×1000 */
  reportedMs: number | null;
  phases: Phases | null;
  /** service → seconds (console: its healthySeconds; by hand: from `down` to first seen ready) */
  services: Record<string, number | null>;
}

interface SwitchDoc {
  result: string;
  from: string | null;
  to: string;
  elapsedSeconds: number;
  error: string | null;
  services: Array<{ service: string; healthySeconds: number | null }>;
}

async function consoleSwitch(engine: PrivateEngine, home: string, to: Variant): Promise<Sample> {
  const events = followEvents(engine);
  await events.ready;
  const startMs = Date.now();
  const t0 = performance.now();
  const res = await runCli(['switch', '--to', to, '--yes', '--json'], { cwd: home, timeoutMs: SWITCH_TIMEOUT_MS });
  const wallMs = performance.now() - t0;
  const endMs = Date.now();
  const seen = events.stop();
  let doc: SwitchDoc;
  try {
    doc = JSON.parse(res.stdout) as SwitchDoc;
  } catch {
    throw new Error(`console switch --to ${to}: not JSON (exit ${res.code})\nstdout: ${res.stdout}\nstderr: ${res.stderr}`);
  }
  if (res.code !== 0 || doc.result !== 'switched' || doc.to !== to) {
    throw new Error(`console switch --to ${to} did not switch (exit ${res.code}, result ${doc.result}): ${doc.error ?? ''}\n${res.stderr}`);
  }
  return {
    method: 'console',
    to,
    wallMs,
    reportedMs: doc.elapsedSeconds * 1000,
    phases: phasesOf(seen, startMs, endMs),
    services: Object.fromEntries(doc.services.map((s) => [s.service, s.healthySeconds])),
  };
}

/** Polls `docker ps` + `docker inspect` every 250 ms until the stack is up; per service, when first seen ready. */
async function waitByHand(engine: PrivateEngine, t0: number): Promise<Record<string, number>> {
  const oneShots = new Set<string>(ONE_SHOT_SERVICES);
  const readyAt: Record<string, number> = {};
  const deadline = t0 + SWITCH_TIMEOUT_MS;
  for (;;) {
    const containers = await stackContainers(engine, TEST_PROJECT);
    const seenAt = performance.now();
    for (const svc of STACK_SERVICES) {
      if (readyAt[svc] !== undefined) continue;
      const c = containers.find((x) => serviceOf(x) === svc);
      if (!c) continue;
      const health = c.State.Health?.Status;
      if (oneShots.has(svc) ? c.State.Status === 'exited' && c.State.ExitCode !== 0 : health === 'unhealthy' || (!c.State.Running && c.State.Status !== 'created')) {
        const logs = await docker(engine, ['logs', '--tail', '20', c.Id]);
        throw new Error(`by hand: ${svc} failed (${c.State.Status}, exit ${c.State.ExitCode}, health ${health ?? '-'})\n${logs.stdout}${logs.stderr}`);
      }
      const ready = oneShots.has(svc) ? c.State.Status === 'exited' : c.State.Running && health === 'healthy';
      if (ready) readyAt[svc] = (seenAt - t0) / 1000;
    }
    if (STACK_SERVICES.every((s) => readyAt[s] !== undefined)) return readyAt;
    if (performance.now() > deadline) throw new Error(`by hand: not healthy after ${SWITCH_TIMEOUT_MS / 1000} s: ${JSON.stringify(readyAt)}`);
    await sleep(POLL_MS);
  }
}

async function handSwitch(engine: PrivateEngine, from: Variant, to: Variant): Promise<Sample> {
  const events = followEvents(engine);
  await events.ready;
  const startMs = Date.now();
  const t0 = performance.now();
  await compose(engine, from, ['down', '--remove-orphans']);
  await compose(engine, to, ['up', '-d', '--no-build']);
  const readyAt = await waitByHand(engine, t0);
  const wallMs = performance.now() - t0;
  const seen = events.stop();
  return { method: 'by hand', to, wallMs, reportedMs: null, phases: phasesOf(seen, startMs, Date.now()), services: readyAt };
}

// ---------------------------------------------------------------------------------------------

const bench = benchEngine(log);
const cleanUp = bench.cleanUp;
let engine: PrivateEngine | null = null;
let home = '';

try {
  const started = Date.now();
  engine = await bench.start();
  home = bench.removeWith(mkdtempSync(join(tmpdir(), 'nsw-')));
  log(`engine ${engine.host}; ${ROUNDS} round(s), NETRA_START_SCALE=${SCALE}`);
  await run('bash', [join(ROOT, 'docker', 'make-bases.sh')], { env: { ...engine.env, DOCKER: DOCKER_BIN }, timeoutMs: 120_000 });
  for (const v of ['alpine', 'regular'] as const) {
    log(`building the ${v} images`);
    await compose(engine, v, ['build']);
    await compose(engine, v, ['down', '--remove-orphans', '-v']);
  }
  const config = {
    docker: { cli: DOCKER_BIN, host: engine.host },
    stacks: { test: { project: TEST_PROJECT, alpine: [FILES.alpine], regular: [FILES.regular], env: { NETRA_BASE_PREFIX: STANDIN_PREFIX, NETRA_START_SCALE: SCALE } } },
  };
  writeFileSync(join(home, '.netra-console.yaml'), JSON.stringify(config, null, 2));

  // Warm-up, untimed: both variants' data volumes made (first starts initialise them), caches warm; ends on Alpine.
  log('warm-up: alpine, regular, alpine by hand');
  await compose(engine, 'alpine', ['up', '-d', '--no-build']);
  await waitByHand(engine, performance.now());
  await handSwitch(engine, 'alpine', 'regular');
  await handSwitch(engine, 'regular', 'alpine');
  // The console's fixed cost: a switch to what already runs healthy ("unchanged": start-up, config, preflight).
  const noop: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    const res = await runCli(['switch', '--to', 'alpine', '--yes', '--json'], { cwd: home, timeoutMs: 60_000 });
    noop.push(performance.now() - t0);
    const doc = JSON.parse(res.stdout) as SwitchDoc;
    if (res.code !== 0 || doc.result !== 'unchanged') throw new Error(`no-op switch: exit ${res.code}, ${res.stdout} ${res.stderr}`);
  }

  const samples: Sample[] = [];
  const record = (s: Sample) => {
    samples.push(s);
    log(
      `${s.method.padEnd(7)} → ${s.to.padEnd(7)} wall ${sec(s.wallMs)} s${s.reportedMs === null ? '' : `, elapsedSeconds ${sec(s.reportedMs)}`}` +
        (s.phases ? ` | before down ${sec(s.phases.beforeDown)}, down ${sec(s.phases.down)}, up→healthy ${sec(s.phases.upToHealthy)}, after ${sec(s.phases.after)}` : ''),
    );
  };
  for (let r = 1; r <= ROUNDS; r++) {
    log(`round ${r}/${ROUNDS}`);
    record(await consoleSwitch(engine, home, 'regular'));
    record(await consoleSwitch(engine, home, 'alpine'));
    record(await handSwitch(engine, 'alpine', 'regular'));
    record(await handSwitch(engine, 'regular', 'alpine'));
  }

  // ---- report
  const [nodeVersion, engineVersion, composeVersion] = await Promise.all([
    run(NODE, ['-v']).then((r) => r.stdout.trim()),
    dockerOk(engine, ['version', '--format', '{{.Server.Version}}']),
    run(COMPOSE_BIN, ['version', '--short']).then((r) => r.stdout.trim()),
  ]);
  const pick = (method: Sample['method'], to: Variant) => samples.filter((s) => s.method === method && s.to === to);
  const med = (list: Sample[], f: (s: Sample) => number | null | undefined) => median(list.map(f).filter((v): v is number => typeof v === 'number'));
  console.log(
    `\nnetra-console switch bench — ${new Date().toISOString()}, Node ${nodeVersion}, dockerd ${engineVersion}, docker-compose ${composeVersion}, ` +
      `${ROUNDS} round(s), NETRA_START_SCALE=${SCALE}, ${Math.round((Date.now() - started) / 1000)} s in all`,
  );
  console.log(`CLI: ${CLI}; no-op switch (already healthy → "unchanged"): median ${sec(median(noop))} s [${noop.map(sec).join(', ')}]\n`);
  const head = ['direction', 'method', 'wall s', 'reported s', 'before down', 'down', 'gap', 'up→healthy', 'after', 'engine total', 'runs (wall)'];
  const rows: string[][] = [];
  const summary: Record<string, unknown> = {};
  for (const to of ['regular', 'alpine'] as const) {
    const dir = to === 'regular' ? 'alpine→regular' : 'regular→alpine';
    const c = pick('console', to);
    const h = pick('by hand', to);
    for (const [name, list] of [['console', c], ['by hand', h]] as const) {
      rows.push([
        dir,
        name,
        sec(med(list, (s) => s.wallMs)),
        name === 'console' ? sec(med(list, (s) => s.reportedMs)) : '-',
        sec(med(list, (s) => s.phases?.beforeDown)),
        sec(med(list, (s) => s.phases?.down)),
        sec(med(list, (s) => s.phases?.gap)),
        sec(med(list, (s) => s.phases?.upToHealthy)),
        sec(med(list, (s) => s.phases?.after)),
        sec(med(list, (s) => s.phases?.engineTotal)),
        list.map((s) => sec(s.wallMs)).join(' '),
      ]);
    }
    const cw = med(c, (s) => s.wallMs);
    const ce = med(c, (s) => s.reportedMs);
    const hw = med(h, (s) => s.wallMs);
    summary[dir] = {
      consoleWallS: +sec(cw),
      consoleElapsedS: +sec(ce),
      byHandS: +sec(hw),
      ratioWall: +(cw / hw).toFixed(2),
      ratioElapsed: +(ce / hw).toFixed(2),
      consoleHealthySeconds: Object.fromEntries(STACK_SERVICES.map((svc) => [svc, +med(c, (s) => s.services[svc]).toFixed(1)])),
      byHandSeenReadyS: Object.fromEntries(STACK_SERVICES.map((svc) => [svc, +med(h, (s) => s.services[svc]).toFixed(1)])),
    };
  }
  const widths = head.map((hd, i) => Math.max(hd.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((cell, i) => (i < 2 || i === cells.length - 1 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
  console.log(line(head).trimEnd());
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  rows.forEach((r) => console.log(line(r).trimEnd()));
  console.log(
    '\nwall: console = process start to exit; by hand = `down` to the poll that saw all ready. reported: the console\'s elapsedSeconds.\n' +
      'Phases from engine events (medians): before down = start → first kill; down = → last destroy; gap = → first create;\n' +
      'up→healthy = → last health_status: healthy / migration exit; after = → method done; engine total = start → last ready.',
  );
  for (const to of ['regular', 'alpine'] as const) {
    const dir = to === 'regular' ? 'alpine→regular' : 'regular→alpine';
    const s = summary[dir] as { ratioWall: number; ratioElapsed: number };
    console.log(`${dir}: console / by hand = ${s.ratioWall.toFixed(2)} (wall), ${s.ratioElapsed.toFixed(2)} (elapsedSeconds)`);
  }
  console.log(
    JSON.stringify({
      bench: 'switch-timing',
      at: new Date().toISOString(),
      node: nodeVersion,
      dockerd: engineVersion,
      compose: composeVersion,
      rounds: ROUNDS,
      startScale: Number(SCALE),
      noopWallS: +sec(median(noop)),
      ...summary,
    }),
  );
} catch (error) {
  console.error(error);
  process.exitCode = 1;
} finally {
  await cleanUp();
}
