/**
 * A real, private Docker engine for integration and e2e tests.
 *
 * Each engine is its own `dockerd` with its own socket, data-root and exec-root inside one short temp
 * directory, no bridge and no iptables changes, so tests never touch the machine's own engine (if any)
 * and containers can only use `--network none` or `--network host`. Fixture images are built locally
 * from the busybox-static binary; nothing is pulled from a registry.
 *
 * Only the Debian 20.10 CLI at /usr/bin/docker is used (a newer CLI may be first on PATH).
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, readdirSync } from 'node:fs';
import { chmod, copyFile, mkdir, mkdtemp, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sleep } from './wait';

export const DOCKERD_BIN = '/usr/sbin/dockerd';
export const DOCKER_BIN = '/usr/bin/docker' as const;
export const BUSYBOX_BIN = '/bin/busybox';
export const DEBIAN_PACKAGES = ['docker.io', 'docker-compose', 'busybox-static', 'musl', 'tmux'] as const;
export const INSTALL_COMMAND = `apt-get update && apt-get install -y ${DEBIAN_PACKAGES.join(' ')}`;

export const FIXTURE_IMAGES = {
  /** `docker import` of the busybox rootfs; CMD ["sh"], no labels. */
  base: 'netra-fixture-base:latest',
  /** LABEL com.netra.variant=alpine */
  alpine: 'netra-fixture:alpine',
  /** LABEL com.netra.variant=regular */
  regular: 'netra-fixture:regular',
  /** No variant label: the variant must be inferred from the image name. */
  unlabelledAlpine: 'netra-backend-alpine:test',
} as const;

const PING_TIMEOUT_MS = 60_000;
const STOP_GRACE_MS = 20_000;
const DEFAULT_DOCKER_TIMEOUT_MS = 60_000;
/** sun_path is 108 bytes on Linux; leave room for the longest socket dockerd/containerd put under DIR. */
const MAX_SOCKET_PATH = 100;
const LONGEST_SOCKET_SUFFIX = '/exec/containerd/containerd.sock.ttrpc';

export interface PrivateEngine {
  /** `unix:///…/docker.sock` */
  host: string;
  socketPath: string;
  dir: string;
  dockerBin: typeof DOCKER_BIN;
  /** process.env plus DOCKER_HOST=host (and without DOCKER_CONTEXT / TLS settings that would redirect the CLI). */
  env: NodeJS.ProcessEnv;
  /** SIGTERM the daemon, wait for it to exit; SIGKILL after 20 s. No-op when it is not running. */
  stop(): Promise<void>;
  /** Start the daemon again with the same data-root and wait for /_ping. No-op when it already answers. */
  start(): Promise<void>;
  /** Remove all containers (if the engine answers), stop it, unmount leftovers and remove `dir`. */
  destroy(): Promise<void>;
}

export interface DockerResult {
  stdout: string;
  stderr: string;
  code: number;
}

export interface DockerOptions {
  input?: Buffer | string;
  timeoutMs?: number;
}

export interface ContainerSpec {
  name: string;
  image: string;
  cmd: string[];
  labels?: Record<string, string>;
  /** Sets the com.docker.compose.project label. */
  project?: string;
  /** Sets the com.docker.compose.service label. */
  service?: string;
  restart?: string;
  /** Also sets --memory-swap to the same value. */
  memory?: string;
  health?: { cmd: string; interval?: string; retries?: number; startPeriod?: string; timeout?: string };
  /** Only `none` (default) or `host`: tests never use bridge networks. */
  network?: 'none' | 'host';
  /** Extra `docker run` arguments, placed before the image. */
  extraArgs?: string[];
}

// ---------------------------------------------------------------------------------------------
// Installing the Debian packages

function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

function missingTools(): string[] {
  return [DOCKERD_BIN, DOCKER_BIN, BUSYBOX_BIN].filter((p) => !existsSync(p));
}

/** Installs docker.io, docker-compose, busybox-static and tmux when the engine, CLI or busybox is missing. */
export async function ensureDockerInstalled(): Promise<void> {
  const missing = missingTools();
  if (missing.length === 0) return;
  if (!isRoot()) {
    throw new Error(
      `Integration tests need a Docker engine (${missing.join(', ')} missing). Install it as root with:\n  ${INSTALL_COMMAND}`,
    );
  }
  console.log(`[docker-engine] ${missing.join(', ')} missing; running: ${INSTALL_COMMAND}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  // Keep the package scripts from starting the system docker service (bridge, iptables).
  const policy = '/usr/sbin/policy-rc.d';
  const addPolicy = !existsSync(policy);
  if (addPolicy) await writeFile(policy, '#!/bin/sh\nexit 101\n', { mode: 0o755 });
  try {
    await runInherited('apt-get', ['update'], env);
    await runInherited('apt-get', ['install', '-y', ...DEBIAN_PACKAGES], env);
  } finally {
    if (addPolicy) await rm(policy, { force: true });
  }
  const still = missingTools();
  if (still.length > 0) throw new Error(`${still.join(', ')} still missing after: ${INSTALL_COMMAND}`);
}

function runInherited(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'], env });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`${cmd} ${args.join(' ')} failed (${signal ?? `exit ${code}`})`));
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Processes

/** True while `pid` exists and is not a zombie. */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // "pid (comm) S ..." — comm may contain spaces and parentheses, the state follows the last ')'.
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

function cmdline(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  } catch {
    return [];
  }
}

/** Pids of live processes whose command line mentions `dir` (dockerd, its containerd, shims). */
function processesUnder(dir: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (pid === process.pid) continue;
    const args = cmdline(pid);
    if (args.some((a) => a === dir || a.startsWith(`${dir}/`) || a.includes(`=${dir}/`) || a.includes(`://${dir}/`))) {
      if (isAlive(pid)) pids.push(pid);
    }
  }
  return pids;
}

async function waitForExit(pids: number[], timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (!pids.some(isAlive)) return true;
    if (Date.now() >= deadline) return false;
    await sleep(100);
  }
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
}

// ---------------------------------------------------------------------------------------------
// The engine

function shortTempBase(): string {
  const base = tmpdir();
  // mkdtemp adds 7 characters ("nde-XXXXXX" → prefix + 6).
  return base.length + '/nde-XXXXXX'.length + LONGEST_SOCKET_SUFFIX.length <= MAX_SOCKET_PATH ? base : '/tmp';
}

function engineEnv(host: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, DOCKER_HOST: host };
  delete env.DOCKER_CONTEXT;
  delete env.DOCKER_TLS_VERIFY;
  delete env.DOCKER_CERT_PATH;
  delete env.DOCKER_TLS;
  return env;
}

function ping(socketPath: string, timeoutMs = 2_000): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ socketPath, path: '/_ping', method: 'GET', timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve(res.statusCode === 200 && body.trim() === 'OK'));
      res.on('error', () => resolve(false));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
    req.end();
  });
}

async function logTail(logPath: string, lines = 40): Promise<string> {
  try {
    const text = await readFile(logPath, 'utf8');
    return text.trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no dockerd log)';
  }
}

/** Mount points strictly below `dir`, deepest first. */
function mountsUnder(dir: string): string[] {
  let info: string;
  try {
    info = readFileSync('/proc/self/mountinfo', 'utf8');
  } catch {
    return [];
  }
  const unescape = (s: string) => s.replace(/\\([0-7]{3})/g, (_, oct: string) => String.fromCharCode(parseInt(oct, 8)));
  return info
    .split('\n')
    .map((line) => line.split(' ')[4])
    .filter((p): p is string => p !== undefined)
    .map(unescape)
    .filter((p) => p.startsWith(`${dir}/`))
    .sort((a, b) => b.length - a.length);
}

class Engine implements PrivateEngine {
  readonly host: string;
  readonly socketPath: string;
  readonly dockerBin = DOCKER_BIN;
  readonly env: NodeJS.ProcessEnv;
  private readonly pidFile: string;
  private readonly logPath: string;

  readonly dir: string;

  constructor(dir: string) {
    this.dir = dir;
    this.socketPath = join(dir, 'docker.sock');
    this.host = `unix://${this.socketPath}`;
    this.env = engineEnv(this.host);
    this.pidFile = join(dir, 'docker.pid');
    this.logPath = join(dir, 'dockerd.log');
  }

  /** The daemon's pid from its pid file, if that process is alive and really is our dockerd. */
  private daemonPid(): number | undefined {
    let pid: number;
    try {
      pid = Number(readFileSync(this.pidFile, 'utf8').trim());
    } catch {
      return undefined;
    }
    if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return undefined;
    const args = cmdline(pid);
    const i = args.indexOf('--data-root');
    return i >= 0 && args[i + 1] === join(this.dir, 'data') ? pid : undefined;
  }

  async start(): Promise<void> {
    if (this.daemonPid() !== undefined && (await ping(this.socketPath))) return;
    await mkdir(this.dir, { recursive: true });
    const d = this.dir;
    const args = [
      '--host', `unix://${d}/docker.sock`,
      '--data-root', `${d}/data`,
      '--exec-root', `${d}/exec`,
      '--pidfile', `${d}/docker.pid`,
      '--bridge=none',
      '--iptables=false',
      '--ip-forward=false',
      '--ip-masq=false',
    ];
    const log = openSync(this.logPath, 'a');
    let exited: string | undefined;
    try {
      const child = spawn(DOCKERD_BIN, args, { detached: true, stdio: ['ignore', log, log], env: process.env });
      child.on('error', (err) => (exited = `could not start: ${err.message}`));
      child.on('exit', (code, sig) => (exited = `exited early (${sig ?? `code ${code}`})`));
      child.unref();
    } finally {
      closeSync(log);
    }
    const deadline = Date.now() + PING_TIMEOUT_MS;
    while (!(await ping(this.socketPath))) {
      if (exited !== undefined || Date.now() >= deadline) {
        const why = exited ?? `did not answer /_ping within ${PING_TIMEOUT_MS / 1000} s`;
        if (exited === undefined) await this.stop().catch(() => undefined);
        throw new Error(`dockerd in ${d} ${why}. Tail of ${this.logPath}:\n${await logTail(this.logPath)}`);
      }
      await sleep(100);
    }
  }

  async stop(): Promise<void> {
    const pid = this.daemonPid();
    if (pid !== undefined) {
      signal(pid, 'SIGTERM');
      if (!(await waitForExit([pid], STOP_GRACE_MS))) {
        signal(pid, 'SIGKILL');
        if (!(await waitForExit([pid], 10_000))) throw new Error(`dockerd ${pid} (${this.dir}) survived SIGKILL`);
      }
    }
    // A killed dockerd can leave its containerd and shims behind: they all name paths under dir.
    const leftovers = processesUnder(this.dir);
    if (leftovers.length > 0) {
      leftovers.forEach((p) => signal(p, 'SIGTERM'));
      if (!(await waitForExit(leftovers, 5_000))) leftovers.forEach((p) => signal(p, 'SIGKILL'));
      await waitForExit(leftovers, 5_000);
    }
  }

  async destroy(): Promise<void> {
    if (this.daemonPid() !== undefined && (await ping(this.socketPath))) {
      await removeAllContainers(this).catch(() => undefined);
    }
    await this.stop();
    for (const mountPoint of mountsUnder(this.dir)) {
      const plain = await runCommand('umount', [mountPoint]);
      if (plain.code !== 0) await runCommand('umount', ['-l', mountPoint]);
    }
    const removed = await runCommand('rm', ['-rf', '--one-file-system', this.dir]);
    if (removed.code !== 0 || existsSync(this.dir)) {
      throw new Error(`could not remove ${this.dir}: ${removed.stderr.trim()}`);
    }
  }
}

/**
 * Starts a private dockerd (installing Debian's docker.io first when running as root and it is missing).
 * `dir`: use this directory (created if needed) instead of a fresh short temp dir; keep it short, the
 * socket paths under it must fit in ~100 characters.
 */
export async function startPrivateEngine(opts: { dir?: string } = {}): Promise<PrivateEngine> {
  await ensureDockerInstalled();
  const dir = opts.dir ?? (await mkdtemp(join(shortTempBase(), 'nde-')));
  if ((dir + LONGEST_SOCKET_SUFFIX).length > MAX_SOCKET_PATH) {
    throw new Error(`engine dir ${dir} is too long for unix socket paths; use a shorter one`);
  }
  const engine = new Engine(dir);
  try {
    await engine.start();
  } catch (err) {
    if (opts.dir === undefined) await rm(dir, { recursive: true, force: true }).catch(() => undefined);
    throw err;
  }
  return engine;
}

/**
 * A handle on an engine started elsewhere (e.g. by the vitest globalSetup in another process), so a test
 * can stop() and start() it. Everything derives from `dir`; `host`/`socketPath`, if given, must agree.
 */
export function attachEngine(info: { dir: string; host?: string; socketPath?: string }): PrivateEngine {
  const engine = new Engine(info.dir);
  if (info.socketPath !== undefined && info.socketPath !== engine.socketPath) {
    throw new Error(`socket ${info.socketPath} does not belong to engine dir ${info.dir}`);
  }
  if (info.host !== undefined && info.host !== engine.host) {
    throw new Error(`host ${info.host} does not belong to engine dir ${info.dir}`);
  }
  return engine;
}

// ---------------------------------------------------------------------------------------------
// The CLI

function runCommand(
  cmd: string,
  args: string[],
  opts: DockerOptions & { env?: NodeJS.ProcessEnv } = {},
): Promise<DockerResult> {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_DOCKER_TIMEOUT_MS;
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'], env: opts.env ?? process.env });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.stdin.on('error', () => undefined); // EPIPE when the command does not read its input
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(
          `${cmd} ${args.join(' ')} timed out after ${timeoutMs} ms\nstdout: ${Buffer.concat(out).toString()}\nstderr: ${Buffer.concat(err).toString()}`,
        ),
      );
    }, timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, sig) => {
      clearTimeout(timer);
      resolve({
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        code: code ?? (sig ? 128 : 1),
      });
    });
    child.stdin.end(opts.input ?? '');
  });
}

/** Runs `/usr/bin/docker -H <engine.host> …args`. Resolves with the exit code; rejects only on timeout. */
export function docker(engine: PrivateEngine, args: string[], opts: DockerOptions = {}): Promise<DockerResult> {
  return runCommand(engine.dockerBin, ['-H', engine.host, ...args], { ...opts, env: engine.env });
}

/** Like docker() but throws on a non-zero exit; returns trimmed stdout. */
export async function dockerOk(engine: PrivateEngine, args: string[], opts: DockerOptions = {}): Promise<string> {
  const res = await docker(engine, args, opts);
  if (res.code !== 0) {
    throw new Error(`docker ${args.join(' ')} failed (exit ${res.code}): ${res.stderr.trim() || res.stdout.trim()}`);
  }
  return res.stdout.trim();
}

// ---------------------------------------------------------------------------------------------
// Fixture images

const REQUIRED_APPLETS = [
  'sh', 'sleep', 'echo', 'cat', 'head', 'tail', 'tr', 'dd', 'yes', 'true', 'false', 'ls', 'date', 'seq',
  'printf', 'kill', 'wc', 'env', 'rm', 'mkdir', 'cp',
];
/** Linked too when this busybox has them; handy for fixtures, none of them networked. */
const OPTIONAL_APPLETS = [
  'grep', 'sed', 'awk', 'mv', 'ln', 'touch', 'chmod', 'id', 'hostname', 'uname', 'pwd', 'test', '[', 'ps',
  'xargs', 'timeout', 'usleep', 'stat', 'find', 'sort', 'uniq', 'md5sum', 'base64', 'expr', 'basename',
];

async function labelsOf(engine: PrivateEngine, image: string): Promise<Record<string, string> | undefined> {
  const res = await docker(engine, ['image', 'inspect', '--format', '{{json .Config.Labels}}', image]);
  if (res.code !== 0) return undefined;
  return (JSON.parse(res.stdout.trim() || 'null') as Record<string, string> | null) ?? {};
}

async function buildBase(engine: PrivateEngine): Promise<void> {
  const work = await mkdtemp(join(tmpdir(), 'netra-rootfs-'));
  try {
    const root = join(work, 'root');
    for (const d of ['bin', 'etc', 'root', 'proc', 'sys', 'dev', 'var']) await mkdir(join(root, d), { recursive: true });
    await mkdir(join(root, 'tmp'));
    await chmod(join(root, 'tmp'), 0o1777);
    await copyFile(BUSYBOX_BIN, join(root, 'bin', 'busybox'));
    await chmod(join(root, 'bin', 'busybox'), 0o755);
    const list = await runCommand(BUSYBOX_BIN, ['--list']);
    const available = new Set(list.stdout.split('\n').map((s) => s.trim()));
    const missing = REQUIRED_APPLETS.filter((a) => !available.has(a));
    if (list.code !== 0 || missing.length > 0) {
      throw new Error(`${BUSYBOX_BIN} lacks applets ${missing.join(', ')} (is busybox-static installed?)`);
    }
    for (const applet of new Set([...REQUIRED_APPLETS, ...OPTIONAL_APPLETS.filter((a) => available.has(a))])) {
      await symlink('busybox', join(root, 'bin', applet));
    }
    await writeFile(join(root, 'etc', 'passwd'), 'root:x:0:0:root:/root:/bin/sh\n');
    await writeFile(join(root, 'etc', 'group'), 'root:x:0:\n');
    if (!(await stat(join(root, 'bin', 'sh'))).isFile()) throw new Error('rootfs /bin/sh is not usable');

    const archive = await tarBuffer(root);
    await dockerOk(engine, ['import', '--change', 'CMD ["sh"]', '-', FIXTURE_IMAGES.base], {
      input: archive,
      timeoutMs: 120_000,
    });
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

function tarBuffer(root: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn('tar', ['-C', root, '--numeric-owner', '--owner=0', '--group=0', '-c', '.'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(Buffer.concat(out)) : reject(new Error(`tar failed: ${err}`))));
  });
}

async function buildLabelled(engine: PrivateEngine, tag: string, labels: Record<string, string>): Promise<void> {
  const lines = [`FROM ${FIXTURE_IMAGES.base}`];
  const entries = Object.entries(labels);
  // A LABEL line keeps the derived image distinct from the base even when it has no variant label.
  lines.push(entries.length > 0 ? `LABEL ${entries.map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(' ')}` : 'LABEL com.netra.fixture=true');
  const res = await runCommand(engine.dockerBin, ['-H', engine.host, 'build', '-q', '-t', tag, '-'], {
    input: `${lines.join('\n')}\n`,
    env: { ...engine.env, DOCKER_BUILDKIT: '0' },
    timeoutMs: 120_000,
  });
  if (res.code !== 0) throw new Error(`docker build ${tag} failed (exit ${res.code}): ${res.stderr.trim()}`);
}

const fixtureBuilds = new Map<string, Promise<void>>();

/** Builds netra-fixture-base:latest and the three tagged fixture images if they are not there yet. */
export function ensureFixtureImages(engine: PrivateEngine): Promise<void> {
  let pending = fixtureBuilds.get(engine.host);
  if (pending === undefined) {
    pending = buildFixtures(engine).finally(() => fixtureBuilds.delete(engine.host));
    fixtureBuilds.set(engine.host, pending);
  }
  return pending;
}

async function buildFixtures(engine: PrivateEngine): Promise<void> {
  if ((await labelsOf(engine, FIXTURE_IMAGES.base)) === undefined) await buildBase(engine);
  const wanted: Array<[string, Record<string, string>, string | undefined]> = [
    [FIXTURE_IMAGES.alpine, { 'com.netra.variant': 'alpine' }, 'alpine'],
    [FIXTURE_IMAGES.regular, { 'com.netra.variant': 'regular' }, 'regular'],
    [FIXTURE_IMAGES.unlabelledAlpine, {}, undefined],
  ];
  for (const [tag, labels, variant] of wanted) {
    const have = await labelsOf(engine, tag);
    if (have !== undefined && have['com.netra.variant'] === variant) continue;
    await buildLabelled(engine, tag, labels);
  }
}

// ---------------------------------------------------------------------------------------------
// Containers

/**
 * `sh -c script` after half a second. Docker 20.10 drops an exit that comes before it has recorded the start,
 * and the container then shows "running" for ever: on a busy machine a process that ends at once can do that.
 */
export function shortLived(script: string): string[] {
  return ['sh', '-c', `sleep 0.5; ${script}`];
}

/** `docker run -d` (network none unless spec.network says host); returns the container id. */
export async function runContainer(engine: PrivateEngine, spec: ContainerSpec): Promise<string> {
  const args = ['run', '-d', '--name', spec.name, '--network', spec.network ?? 'none'];
  const labels: Record<string, string> = { ...spec.labels };
  if (spec.project !== undefined) labels['com.docker.compose.project'] = spec.project;
  if (spec.service !== undefined) labels['com.docker.compose.service'] = spec.service;
  for (const [k, v] of Object.entries(labels)) args.push('--label', `${k}=${v}`);
  if (spec.restart !== undefined) args.push('--restart', spec.restart);
  if (spec.memory !== undefined) args.push('--memory', spec.memory, '--memory-swap', spec.memory);
  if (spec.health !== undefined) {
    const h = spec.health;
    args.push('--health-cmd', h.cmd);
    if (h.interval !== undefined) args.push('--health-interval', h.interval);
    if (h.retries !== undefined) args.push('--health-retries', String(h.retries));
    if (h.startPeriod !== undefined) args.push('--health-start-period', h.startPeriod);
    if (h.timeout !== undefined) args.push('--health-timeout', h.timeout);
  }
  args.push(...(spec.extraArgs ?? []), spec.image, ...spec.cmd);
  const out = await dockerOk(engine, args);
  const id = out.split('\n').pop()?.trim() ?? '';
  if (!/^[0-9a-f]{64}$/.test(id)) throw new Error(`docker run ${spec.name} printed no container id: ${out}`);
  return id;
}

/**
 * Moves a running container's processes out of its pids cgroup into the host's root one, where they run on.
 * To the engine's stats the container then has no process while the engine says it runs: what a container
 * whose exit the engine lost looks like (Docker 20.10 drops an exit that comes before it has recorded the
 * start). Needs root, as the private engine does.
 */
export async function emptyContainerCgroup(engine: PrivateEngine, name: string): Promise<void> {
  const pid = Number(await dockerOk(engine, ['inspect', '--format', '{{.State.Pid}}', name]));
  const memberships = (await readFile(`/proc/${pid}/cgroup`, 'utf8')).split('\n').map((line) => line.split(':'));
  const v1 = memberships.find(([, controllers]) => controllers?.split(',').includes('pids'));
  const [root, path] = v1 ? ['/sys/fs/cgroup/pids', v1[2]] : ['/sys/fs/cgroup', memberships.find(([h]) => h === '0')?.[2]];
  if (path === undefined) throw new Error(`no pids cgroup for ${name} (pid ${pid}) in /proc/${pid}/cgroup`);
  // A process forked while others are moved is born inside: move until none is left.
  for (let round = 0; round < 20; round++) {
    const procs = (await readFile(join(root, path, 'cgroup.procs'), 'utf8')).split('\n').filter((p) => p !== '');
    if (procs.length === 0) return;
    for (const p of procs) await writeFile(join(root, 'cgroup.procs'), p).catch(() => undefined); // gone meanwhile
  }
  throw new Error(`${name}'s processes keep appearing in ${join(root, path)}`);
}

/** `docker rm -f -v` every container of the engine. */
export async function removeAllContainers(engine: PrivateEngine): Promise<void> {
  const ids = (await dockerOk(engine, ['ps', '-aq', '--no-trunc'])).split('\n').filter((s) => s.trim() !== '');
  if (ids.length === 0) return;
  await dockerOk(engine, ['rm', '-f', '-v', ...ids], { timeoutMs: 120_000 });
}
