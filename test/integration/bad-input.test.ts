/**
 * The bad-input corpus: flags, values, commands, config files, environment and terminal-injection payloads a user
 * (or a broken script) may give the CLI. Every case must be refused cleanly: exit 2, one to four lines on stderr
 * starting "netra-console: ", no stack trace, no control characters, nothing on stdout, and nothing written in
 * its home (which holds the config and state directories and is its working directory). The built CLI runs each
 * case in a home of its own, many at once.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync, lstatSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, runCli, type Run } from '../support/cli-process';

interface Case {
  /** What is wrong, as the test is named. */
  name: string;
  args: string[];
  env?: Record<string, string>;
  /** Makes the files the case needs in its home, before the home is listed. */
  setup?: (home: string) => void;
  /** What the first stderr line says, when the case checks more than that it is clean. */
  says?: RegExp;
}

const ESC = '\u001b';
const BEL = '\u0007';
const TITLE = `${ESC}]0;pwned${BEL}`;
const CLIPBOARD = `${ESC}]52;c;cHduZWQ=${BEL}`;
const CLEAR = `${ESC}[2J${ESC}[H`;
const RED = `${ESC}[31m`;

const cases: Case[] = [];
const add = (name: string, args: string[], more: Omit<Case, 'name' | 'args'> = {}) => cases.push({ name, args, ...more });

// ---- Commands and flags ----
add('unknown command', ['stats'], { says: /unknown command "stats"/ });
// ---- Stacks: switch, compare, demo ----
add('switch without --to', ['switch'], { says: /switch needs --to alpine or --to regular/ });
add('switch to an unknown variant', ['switch', '--to', 'musl'], { says: /is not a variant/ });
add('switch --stack with a slash', ['switch', '--to', 'alpine', '--stack', 'a/b'], { says: /is not a stack name/ });
add('switch to an unknown stack', ['switch', '--to', 'alpine', '--yes', '--stack', 'prod'], { says: /unknown stack "prod"; the configured stacks are: test, staging/ });
add('switch when the compose files are missing', ['switch', '--to', 'alpine', '--yes'], { says: /compose file .*docker-compose\.alpine-test\.yml does not exist/ });
add('switch with no compose CLI on PATH', ['switch', '--to', 'alpine', '--yes'], {
  env: { PATH: '/nonexistent' },
  setup: (home) => {
    for (const file of ['docker-compose.alpine-test.yml', 'docker-compose.test.yml']) writeFileSync(join(home, file), 'services: {}\n');
  },
  says: /no compose CLI found: install docker-compose/,
});
add('switch without --yes and no terminal', ['switch', '--to', 'regular'], { says: /refusing to switch without a confirmation/ });
add('switch in read-only', ['switch', '--to', 'regular', '--yes', '--read-only'], { says: /read-only/ });
add('compare --no-revert', ['compare', '--no-revert']);
add('compare in read-only', ['compare', '--yes', '--read-only'], { says: /read-only/ });
add('demo without up or down', ['demo'], { says: /demo needs up or down/ });
add('demo start', ['demo', 'start'], { says: /demo takes up or down/ });
add('demo down without --yes and no terminal', ['demo', 'down', '--docker-host', 'unix:///nonexistent/docker.sock'], { says: /refusing to stop test without a confirmation/ });
add('a command twice', ['status', 'status']);
add('misspelt command', ['rollbak']);
add('unknown long option', ['--verbose'], { says: /unknown option "--verbose"/ });
add('unknown short option', ['-x']);
add('option terminator', ['--']);
add('a switch given a value', ['status', '--json=false']);
add('--all given a value', ['--all=yes']);
add('--json for the console', ['--json']);
add('--json for the sandbox', ['sandbox', '--json']);
add('--port without the sandbox command', ['--port', '8085']);
add('--log-rate for status', ['status', '--log-rate', '5']);
add('--previous for logs', ['logs', '--previous']);
add('--service for status', ['status', '--service', 'netra-auth']);
add('--follow for status', ['status', '--follow']);
add('--container for rollback', ['rollback', '--service', 'netra-auth', '--container', 'web']);
add('--docker-host without a value', ['--docker-host']);
add('--docker-host= empty', ['--docker-host=']);
add('--config without a value', ['--config']);
add('--config followed by a flag', ['status', '--config', '--all']);
add('--project without a value', ['--project']);
add('--region followed by a flag', ['--region', '--json']);
add('--gcp-endpoint= empty', ['--gcp-endpoint=']);
add('--sandbox given a value', ['--sandbox=yes']);
add('--audit-log without a value', ['rollback', '--service', 'netra-auth', '--audit-log']);
add('--container without a value', ['logs', '--container', '']);
add('the console without a terminal', [], { says: /needs a terminal/ });
add('the console without a terminal, with flags', ['--all', '--read-only']);

// ---- rollback ----
add('rollback without --service', ['rollback'], { says: /rollback needs --service NAME/ });
add('rollback with --service and --all', ['rollback', '--service', 'netra-auth', '--all']);
add('rollback --all --to', ['rollback', '--all', '--to', '17']);
add('rollback with two targets', ['rollback', '--service', 'netra-auth', '--previous', '--to-regular']);
add('rollback with three targets', ['rollback', '--service', 'netra-auth', '--previous', '--to-regular', '--to', '5']);
add('--to without a value', ['rollback', '--service', 'netra-auth', '--to']);
add('--to= empty', ['rollback', '--service', 'netra-auth', '--to=']);
add('--to for logs', ['logs', '--to', '5']);
add('--dry-run for status', ['status', '--dry-run']);
add('--yes for logs', ['logs', '--yes']);
add('rollback without --yes and no terminal', ['rollback', '--service', 'netra-auth', '--sandbox'], { says: /without a confirmation/ });
add('rollback when read-only', ['rollback', '--service', 'netra-auth', '--sandbox', '--yes', '--read-only'], { says: /read-only/ });

// ---- --timeout, --port, --log-rate ----
for (const value of ['0', '-1', 'abc', '3601', 'Infinity', 'NaN', '1e9', '0.5']) add(`--timeout ${value}`, ['status', '--timeout', value]);
add('--timeout for logs', ['logs', '--timeout', '5']);
add('--timeout 1e9 for rollback', ['rollback', '--service', 'netra-auth', '--timeout', '1e9']);
for (const value of ['abc', '65536', '-1', '80.5', '1e6']) add(`--port ${value}`, ['sandbox', '--port', value]);
add('--port= empty', ['sandbox', '--port=']);
for (const value of ['fast', '100001', 'Infinity', '-5']) add(`--log-rate ${value}`, ['sandbox', '--log-rate', value]);

// ---- logs values ----
for (const value of ['5x', '-5m', '99999999999d', '3651d', '1e3s', '10min', 'NaN', `${'9'.repeat(400)}s`, ' ', '5 m', 'm']) {
  add(`--since ${JSON.stringify(value.slice(0, 20))}`, ['logs', '--since', value], { says: /^netra-console: --since / });
}
add('--since without a value', ['logs', '--since']);
for (const value of ['LOUD', 'ERROR;rm -rf /', '5000', 'warn ing']) add(`--severity ${JSON.stringify(value)}`, ['logs', '--severity', value], { says: /^netra-console: --severity / });
add('--severity= empty', ['logs', '--severity=']);
for (const value of ['(', '[a-', '*', '(?<x', '\\', 'a{2,1}', '+++']) add(`--filter ${JSON.stringify(value)}`, ['logs', '--filter', value], { says: /^netra-console: --filter / });
const serviceNames = ['../x', 'a/revisions/b', 'x"', 'x\nseverity>=ERROR', 'Netra-Auth', '1netra', 'netra-', 'a'.repeat(60), 'netra_auth', 'x" OR "1"="1', '*'];
for (const name of serviceNames) add(`logs --service ${JSON.stringify(name.slice(0, 20))}`, ['logs', '--service', name], { says: /is not a Cloud Run service name/ });
add('rollback --service ../x', ['rollback', '--service', '../x', '--yes'], { says: /is not a Cloud Run service name/ });
add('rollback --service a/revisions/b', ['rollback', '--service', 'a/revisions/b', '--dry-run'], { says: /is not a Cloud Run service name/ });
add('--service= empty', ['logs', '--service=']);

// ---- config files ----
const config = (name: string, text: string | Buffer, says?: RegExp) =>
  add(`config: ${name}`, ['status'], { setup: (home) => writeFileSync(join(home, '.netra-console.yaml'), text), says });
config('unknown top-level key', 'colour: true\n', /unknown key "colour"/);
config('a stack without its files', 'stacks:\n  test: { project: netra-test }\n', /"stacks\.test\.alpine"/);
config('a stack name with a slash', 'stacks:\n  "a/b": { project: x, alpine: [a.yml], regular: [b.yml] }\n', /a stack name is lowercase letters/);
config('unknown nested key', 'docker:\n  cmd: docker\n', /unknown key "docker.cmd"/);
config('wrong type', 'ui:\n  maxFps: fast\n');
config('number too big', 'ui:\n  maxFps: 500\n');
config('negative threshold', 'thresholds:\n  memory: { warning: -5 }\n');
config('projects not a list', 'docker:\n  projects: 5\n');
config('readOnly as a string', 'readOnly: "yes"\n');
config('unclosed bracket', 'docker:\n  projects: [netra\n', /invalid YAML/);
config('unclosed quote', 'cloudRun:\n  project: "netra\n');
config('tab indentation', 'docker:\n\tprojects: [netra]\n');
config('bad indentation', 'docker:\n  projects: [a]\n    host: x\n');
config('duplicate key', 'ui:\n  maxFps: 5\nui:\n  maxFps: 6\n', /duplicate key/);
config('unknown alias', 'docker:\n  projects: *nope\n');
config('alias bomb', aliasBomb(), /Excessive alias count/);
config('a list, not a mapping', '- docker\n- ui\n', /must be a mapping/);
config('a scalar, not a mapping', 'just some words\n');
config('binary garbage', Buffer.from([0x00, 0xff, 0xfe, 0x1b, 0x5b, 0x32, 0x4a, 0x00, 0x0a]));
config('docker.host with a bad scheme', 'docker:\n  host: ftp://h:21\n', /docker\.host/);
config('cloudRun.endpoint not HOST:PORT', 'cloudRun:\n  endpoint: localhost\n');
config('cloudRun.services not names', 'cloudRun:\n  services: [{ name: x }]\n');
config('a key with a terminal title sequence', `${TITLE}: 1\n`);
config('a value with a clipboard sequence', `docker:\n  host: "${CLIPBOARD}"\n`);
config('over 1 MiB', `docker: {projects: [${'netra,'.repeat(200_000)}]}\n`, /over the 1 MiB/);
add('config: a FIFO at the default path', ['status'], { setup: (home) => fifo(join(home, '.netra-console.yaml')), says: /is a FIFO, not a regular file/ });
add('--config a FIFO', ['status', '--config', 'netra.fifo'], { setup: (home) => fifo(join(home, 'netra.fifo')), says: /is a FIFO, not a regular file/ });
add('--config a directory', ['status', '--config', '.'], { says: /is a directory, not a regular file/ });
add('--config /dev/zero', ['status', '--config', '/dev/zero'], { says: /is a device, not a regular file/ });
add('--config /dev/null', ['status', '--config', '/dev/null'], { says: /is a device, not a regular file/ });
add('--config a symlink loop', ['status', '--config', 'loop-a'], {
  setup: (home) => {
    symlinkSync(join(home, 'loop-b'), join(home, 'loop-a'));
    symlinkSync(join(home, 'loop-a'), join(home, 'loop-b'));
  },
  says: /ELOOP/,
});
add('--config a missing file', ['status', '--config', 'nope.yaml'], { says: /ENOENT/ });
add('--config a path with escapes', ['status', '--config', `${CLEAR}.yaml`]);
add('config in $XDG_CONFIG_HOME with an unknown key', ['logs'], {
  setup: (home) => {
    mkdirSync(join(home, 'config/netra-console'), { recursive: true });
    writeFileSync(join(home, 'config/netra-console/config.yaml'), 'logs:\n  colour: true\n');
  },
  says: /unknown key "logs.colour"/,
});

// ---- environment ----
for (const host of ['ftp://h:21', 'ssh://user@host', 'npipe:////./pipe/docker_engine', 'unix://relative.sock', 'garbage', 'tcp://', 'http://h:2375/v1.41', `${TITLE}`]) {
  add(`DOCKER_HOST=${JSON.stringify(host.slice(0, 30))}`, ['status'], { env: { DOCKER_HOST: host }, says: /DOCKER_HOST/ });
}
add('--docker-host with a clipboard sequence', ['status', '--docker-host', CLIPBOARD], { says: /--docker-host/ });
add('--docker-host with a path', ['logs', '--docker-host', 'tcp://h:1/p']);
add('NETRA_GCP_ENDPOINT without a port', ['status'], { env: { NETRA_GCP_ENDPOINT: 'localhost' } });
add('--gcp-endpoint without a port', ['logs', '--gcp-endpoint', 'localhost']);
add('--gcp-endpoint with a title sequence', ['status', '--gcp-endpoint', TITLE]);

// ---- terminal-injection payloads in every kind of value ----
add('a command that sets the title', [TITLE]);
add('an option that clears the screen', [`--${CLEAR}`]);
add('--service that sets the title', ['logs', '--service', TITLE]);
add('--severity in red', ['logs', '--severity', `${RED}ERROR`]);
add('--since that clears the screen', ['logs', '--since', `${CLEAR}5m`]);
add('--filter that sets the clipboard', ['logs', '--filter', `(${CLIPBOARD}`]);
add('--timeout with C1 controls', ['status', '--timeout', '\u009b31m5']);
add('--port with a NUL-free escape', ['sandbox', '--port', `${ESC}[6n`]);

function aliasBomb(): string {
  const levels = ['a: &a [x, x, x, x, x, x, x, x, x]'];
  for (const name of 'bcdefghi') {
    const below = String.fromCharCode(name.charCodeAt(0) - 1);
    levels.push(`${name}: &${name} [${Array(9).fill(`*${below}`).join(', ')}]`);
  }
  return `${levels.join('\n')}\n`;
}

function fifo(path: string): void {
  execFileSync('mkfifo', [path]);
}

/** Every path under `dir` with its type, size and modification time: what a run must leave as it was. */
function listing(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((path) => {
      const stats = lstatSync(join(dir, path));
      return `${path} ${stats.mode} ${stats.size} ${stats.mtimeMs}`;
    })
    .sort();
}

/** Runs `work` over `items`, at most `limit` at a time. */
async function pooled<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: limit }, worker));
  return results;
}

interface Outcome {
  run: Run;
  before: string[];
  after: string[];
}

const root = realpathSync(mkdtempSync(join(tmpdir(), 'netra-bad-input-')));
const outcomes = new Map<string, Outcome>();

beforeAll(async () => {
  await buildCli();
  await pooled(cases, 16, async (badCase) => {
    const home = mkdtempSync(join(root, 'case-'));
    badCase.setup?.(home);
    const before = listing(home);
    const run = await runCli(badCase.args, { cwd: home, env: badCase.env, timeoutMs: 20_000 });
    outcomes.set(badCase.name, { run, before, after: listing(home) });
  });
}, 300_000);

afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Control characters other than the line ends: what would drive the terminal. */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

describe('bad input is refused cleanly', () => {
  it('the corpus has at least 100 cases, each named once', () => {
    expect(cases.length).toBeGreaterThanOrEqual(100);
    expect(new Set(cases.map((c) => c.name)).size).toBe(cases.length);
  });

  it.each(cases.map((badCase) => [badCase.name, badCase] as const))('%s', (_, badCase) => {
    const { run, before, after } = outcomes.get(badCase.name)!;
    const lines = run.stderr.split('\n').filter((line) => line !== '');
    const shown = `args ${JSON.stringify(badCase.args)}\nstdout: ${run.stdout}\nstderr: ${run.stderr}`;
    expect(run.code, shown).toBe(2);
    expect(run.stdout, shown).toBe('');
    expect(lines.length, shown).toBeGreaterThanOrEqual(1);
    expect(lines.length, shown).toBeLessThanOrEqual(4);
    expect(lines[0], shown).toMatch(/^netra-console: /);
    if (badCase.says) expect(lines[0], shown).toMatch(badCase.says);
    expect(run.stderr, shown).not.toMatch(/^\s+at /m);
    expect(run.stderr, shown).not.toMatch(CONTROL);
    expect(after, 'files in its home').toEqual(before);
  });
});
