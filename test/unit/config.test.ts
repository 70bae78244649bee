import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { defaultOptions, type CliOptions } from '../../src/cli/args';
import { resolveSettings } from '../../src/cli/settings';
import { DEFAULT_DOCKER_HOST, parseDockerHost } from '../../src/config/docker-host';
import { findConfigFile, loadConfig, LOCAL_CONFIG_NAME, MAX_CONFIG_BYTES, parseConfigText } from '../../src/config/load';
import { DEFAULT_STACKS } from '../../src/config/schema';
import { usageError } from './support';

const FILE = '/home/oncall/.netra-console.yaml';

const DEFAULTS = {
  readOnly: false,
  docker: { projects: ['netra*'], showAllContainers: false, cli: 'docker' },
  images: { warningMB: 250, criticalMB: 500, budgetsMB: { backend: 500, frontend: 200 } },
  doctor: { exclude: [] },
  thresholds: { memory: { warning: 80, high: 90, critical: 95 }, cpu: { warning: 80 } },
  cloudRun: {
    services: [],
    refreshSeconds: 10,
    rollbackOrder: ['netra-frontend-staging', 'netra-auth', 'netra-backend-staging'],
  },
  logs: { bufferLines: 10_000, cloudFilter: 'resource.type="cloud_run_revision"' },
  ui: { maxFps: 60, historyLength: 30 },
};

/** The ```yaml block under "## Configuration" in the README, which documents every key with its default. */
function readmeConfigExample(): string {
  const readme = readFileSync(join(import.meta.dirname, '../../README.md'), 'utf8');
  const section = readme.split(/^## Configuration$/m)[1]?.split(/^## /m)[0] ?? '';
  const block = /^```yaml\n([\s\S]*?)^```$/m.exec(section)?.[1];
  if (!block) throw new Error('README.md has no ```yaml block under "## Configuration"');
  return block;
}

const tempDirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'netra-config-test-'));
  tempDirs.push(dir);
  return dir;
}
function writeFile(path: string, text: string): string {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, text);
  return path;
}
/** A named pipe nobody writes to: opening it for reading the usual way blocks until a writer comes. */
function fifo(): string {
  const path = join(tempDir(), 'config.fifo');
  execFileSync('mkfifo', [path]);
  return path;
}
afterAll(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

describe('parseConfigText', () => {
  it.each([
    ['an empty file', ''],
    ['only comments', '# nothing configured yet\n'],
    ['an empty document', '---\n'],
  ])('gives the platform defaults for %s', (_, text) => {
    const config = parseConfigText(text, FILE);
    expect(config).toEqual(DEFAULTS);
    expect(config.docker.host).toBeUndefined();
  });

  it('fills in defaults around the keys that are set', () => {
    const config = parseConfigText(
      ['docker:', '  host: tcp://10.0.0.5:2375', '  projects: [netra*, payments]', 'thresholds:', '  memory:', '    warning: 70', 'ui: { maxFps: 10 }'].join('\n'),
      FILE,
    );
    expect(config).toEqual({
      ...DEFAULTS,
      docker: { ...DEFAULTS.docker, host: 'tcp://10.0.0.5:2375', projects: ['netra*', 'payments'] },
      thresholds: { memory: { warning: 70, high: 90, critical: 95 }, cpu: { warning: 80 } },
      ui: { maxFps: 10, historyLength: 30 },
    });
  });

  it('accepts the example from the README, whose values are the defaults', () => {
    const example = readmeConfigExample();
    // Keys that have no default are shown with example values.
    expect(parseConfigText(example, FILE)).toEqual({
      ...DEFAULTS,
      docker: { ...DEFAULTS.docker, host: 'unix:///var/run/docker.sock' },
      cloudRun: { ...DEFAULTS.cloudRun, project: 'netra-staging', region: 'us-central1', endpoint: '127.0.0.1:8085' },
      // The README shows the default stacks (which, absent, are the same files relative to the working directory).
      stacks: DEFAULT_STACKS,
    });
  });

  it('documents every key of the schema in the README example', () => {
    const documented = (value: unknown, path: string): string[] =>
      value && typeof value === 'object' && !Array.isArray(value)
        ? Object.entries(value).flatMap(([key, inner]) => [`${path}${key}`, ...documented(inner, `${path}${key}.`)])
        : [];
    const fromReadme = documented(parseYaml(readmeConfigExample()), '');
    for (const key of documented(DEFAULTS, '')) expect(fromReadme).toContain(key);
  });

  // [what is wrong, file text, line, key path named (null: none applies), words of the fix]
  it.each<[string, string, number, string | null, string]>([
    ['unknown top-level key', 'docker:\n  host: unix:///x\nthreshold:\n  cpu: { warning: 70 }\n', 3, '"threshold"', 'remove it (known keys here: readOnly, docker, stacks, images, doctor, thresholds, cloudRun, logs, ui)'],
    ['unknown nested key', 'thresholds:\n  memory:\n    warning: 80\n    warn: 85\n', 4, '"thresholds.memory.warn"', 'known keys here: warning, high, critical'],
    ['unknown docker key', 'docker:\n  hosts: tcp://x:2375\n', 2, '"docker.hosts"', 'known keys here: host, projects, showAllContainers, cli'],
    ['string for a number', 'ui:\n  historyLength: 30\n  maxFps: fast\n', 3, '"ui.maxFps"', 'expected number, received string'],
    ['number for a list', 'docker:\n  host: unix:///x\n  projects: 3\n', 3, '"docker.projects"', 'expected array, received number'],
    ['number inside a list', 'cloudRun:\n  services:\n    - netra-auth\n    - 3\n', 4, '"cloudRun.services.1"', 'expected string, received number'],
    ['string for a boolean', 'docker:\n  showAllContainers: "yes"\n', 2, '"docker.showAllContainers"', 'expected boolean'],
    ['empty project list', 'docker:\n  projects: []\n', 2, '"docker.projects"', '>=1'],
    ['percent above 100', 'thresholds:\n  cpu:\n    warning: 120\n', 3, '"thresholds.cpu.warning"', '<=100'],
    ['negative percent', 'thresholds:\n  memory: { warning: -5 }\n', 2, '"thresholds.memory.warning"', '>=0'],
    ['fractional history length', 'ui:\n  historyLength: 2.5\n', 2, '"ui.historyLength"', 'expected int'],
    // The mapping's values start on line 3, below the `memory:` key.
    ['warning above high', 'thresholds:\n  memory:\n    warning: 92\n    high: 90\n', 3, '"thresholds.memory"', 'must satisfy warning <= high <= critical'],
    ['high above the default critical', 'thresholds:\n  memory: { high: 96 }\n', 2, '"thresholds.memory"', 'must satisfy warning <= high <= critical'],
    ['unclosed bracket', 'docker:\n  projects: [netra*\n', 2, null, 'invalid YAML'],
    ['unclosed bracket before more keys', 'ui:\n  maxFps: 20\ndocker:\n  projects: [netra*, other\nlogs:\n  bufferLines: 500\n', 4, null, 'invalid YAML'],
    ['unclosed quote', 'docker:\n  host: "unix:///x\n  projects: [netra*]\n', 2, null, 'invalid YAML'],
    ['bad indentation', 'thresholds:\n  memory:\n    warning: 80\n   high: 90\n', 4, null, 'invalid YAML'],
    ['tab indentation', 'docker:\n\thost: unix:///x\n', 2, null, 'Tabs are not allowed'],
    ['duplicate key', 'docker:\n  host: unix:///a\n  projects: [a]\n  host: unix:///b\n', 4, '"docker.host"', 'keep only one of them'],
    ['duplicate top-level key', 'ui:\n  maxFps: 5\ndocker: {}\nui:\n  maxFps: 6\n', 4, '"ui"', 'keep only one of them'],
    ['top-level list', '- docker\n- thresholds\n', 1, null, 'the config must be a mapping of keys'],
    ['top-level scalar', 'netra\n', 1, null, 'the config must be a mapping of keys'],
    // Keys of older versions that nothing read: an unknown key like any other, not silently ignored.
    ['the old services', 'readOnly: true\nservices: [backend, auth]\n', 2, '"services"', 'remove it (known keys here: readOnly, docker, stacks, images, doctor, thresholds, cloudRun, logs, ui)'],
    ['a stack without its regular files', 'stacks:\n  test: { project: netra-test, alpine: [a.yml] }\n', 2, '"stacks.test.regular"', 'expected array'],
    ['a stack name with a slash', 'stacks:\n  "a/b": { project: x, alpine: [a.yml], regular: [b.yml] }\n', 2, '"stacks.a/b"', 'a stack name is lowercase letters'],
    ['an unknown stack key', 'stacks:\n  test: { project: netra-test, alpine: [a.yml], regular: [b.yml], files: [] }\n', 2, '"stacks.test.files"', 'remove it'],
    ['the old compose', 'ui: { maxFps: 30 }\ncompose:\n  alpine: [docker-compose.alpine.yml]\n', 2, '"compose"', 'remove it'],
  ])('reports %s as one line with file, line, key and fix', (_, text, line, key, fix) => {
    const message = usageError(() => parseConfigText(text, FILE));
    expect(message).not.toContain('\n');
    expect(message.startsWith(`${FILE}:${line}: `)).toBe(true);
    if (key) expect(message).toContain(key);
    expect(message).toContain(fix);
  });
});

describe('findConfigFile and loadConfig', () => {
  it('prefers .netra-console.yaml in the working directory over $XDG_CONFIG_HOME', () => {
    const cwd = tempDir();
    const xdg = tempDir();
    const user = writeFile(join(xdg, 'netra-console', 'config.yaml'), 'ui: { maxFps: 5 }\n');
    expect(findConfigFile(cwd, { XDG_CONFIG_HOME: xdg })).toBe(user);
    const local = writeFile(join(cwd, LOCAL_CONFIG_NAME), 'ui: { maxFps: 7 }\n');
    expect(findConfigFile(cwd, { XDG_CONFIG_HOME: xdg })).toBe(local);
    expect(loadConfig(undefined, cwd, { XDG_CONFIG_HOME: xdg })).toMatchObject({ path: local, config: { ui: { maxFps: 7 } } });
  });

  it('falls back to ~/.config when XDG_CONFIG_HOME is unset', () => {
    const home = tempDir();
    const user = writeFile(join(home, '.config', 'netra-console', 'config.yaml'), 'ui: { maxFps: 9 }\n');
    expect(findConfigFile(tempDir(), { HOME: home })).toBe(user);
    expect(findConfigFile(tempDir(), { HOME: home, XDG_CONFIG_HOME: '' })).toBe(user);
    expect(loadConfig(undefined, tempDir(), { HOME: home }).config.ui.maxFps).toBe(9);
  });

  it('uses the defaults when there is no file anywhere', () => {
    const env = { XDG_CONFIG_HOME: tempDir(), HOME: tempDir() };
    const cwd = tempDir();
    expect(findConfigFile(cwd, env)).toBeNull();
    expect(loadConfig(undefined, cwd, env)).toEqual({ path: null, config: DEFAULTS });
  });

  it('reads an explicit --config path relative to the working directory, ignoring the lookup', () => {
    const cwd = tempDir();
    writeFile(join(cwd, LOCAL_CONFIG_NAME), 'ui: { maxFps: 7 }\n');
    const explicit = writeFile(join(cwd, 'conf', 'netra.yaml'), 'ui: { maxFps: 3 }\n');
    expect(loadConfig('conf/netra.yaml', cwd, {})).toMatchObject({ path: explicit, config: { ui: { maxFps: 3 } } });
  });

  it('reads an empty file as the defaults', () => {
    const cwd = tempDir();
    const local = writeFile(join(cwd, LOCAL_CONFIG_NAME), '');
    expect(loadConfig(undefined, cwd, {})).toEqual({ path: local, config: DEFAULTS });
  });

  it('names the file it read in validation errors', () => {
    const cwd = tempDir();
    const local = writeFile(join(cwd, LOCAL_CONFIG_NAME), 'ui:\n  maxFps: 500\n');
    expect(usageError(() => loadConfig(undefined, cwd, {}))).toMatch(new RegExp(`^${local}:2: "ui.maxFps" too big`));
  });

  it.each([
    ['a missing file', 'missing.yaml', 'ENOENT'],
    ['a symlink loop', 'loop-a', 'ELOOP'],
  ])('reports an unreadable --config path (%s) in one line', (_, given, code) => {
    const cwd = tempDir();
    symlinkSync(join(cwd, 'loop-b'), join(cwd, 'loop-a'));
    symlinkSync(join(cwd, 'loop-a'), join(cwd, 'loop-b'));
    const message = usageError(() => loadConfig(given, cwd, {}));
    expect(message).toBe(`cannot read config file ${join(cwd, given)}: ${code}; check the path given to --config`);
  });

  // /dev/zero used to be read until memory ran out, and a FIFO blocked for ever.
  it.each([
    ['a directory', () => tempDir(), 'a directory'],
    ['/dev/zero', () => '/dev/zero', 'a device'],
    ['a FIFO with no writer', () => fifo(), 'a FIFO'],
  ])('refuses %s at once: only a regular file is read', (_, make, kind) => {
    const path = make();
    expect(usageError(() => loadConfig(path, '/', {}))).toBe(`config file ${path} is ${kind}, not a regular file; give --config the path of a YAML file`);
  });

  it('refuses a file over 1 MiB before parsing it (a 6 MB one-line config took 38 s and 3 GB)', () => {
    const path = writeFile(join(tempDir(), 'huge.yaml'), `docker: {projects: [${'netra,'.repeat(200_000)}]}\n`);
    expect(usageError(() => loadConfig(path, '/', {}))).toBe(`config file ${path} is ${statSync(path).size} bytes, over the 1 MiB a config may have; check the path given to --config`);
  });

  it('reads a file of just under 1 MiB', () => {
    const path = writeFile(join(tempDir(), 'long.yaml'), `logs: {cloudFilter: "${'a'.repeat(MAX_CONFIG_BYTES - 40)}"}\n`);
    expect(loadConfig(path, '/', {}).config.logs.cloudFilter).toHaveLength(MAX_CONFIG_BYTES - 40);
  });
});

describe('alias bombs', () => {
  const levels = ['a: &a [x, x, x, x, x, x, x, x, x]'];
  for (const name of 'bcdefgh') levels.push(`${name}: &${name} [${Array(9).fill(`*${String.fromCharCode(name.charCodeAt(0) - 1)}`).join(', ')}]`);

  it('refuses nested aliases that expand beyond reason, in one line, without expanding them', () => {
    expect(usageError(() => parseConfigText(levels.join('\n'), FILE))).toBe(
      `${FILE}: invalid YAML: Excessive alias count indicates a resource exhaustion attack; use fewer aliases (*name), write the values out`,
    );
  });

  it('still accepts a few plain aliases', () => {
    expect(parseConfigText('docker:\n  projects: &p [netra*]\ncloudRun:\n  services: *p\n', FILE).cloudRun.services).toEqual(['netra*']);
  });
});

describe('parseDockerHost', () => {
  it.each([
    ['unix:///var/run/docker.sock', { kind: 'socket', socketPath: '/var/run/docker.sock' }],
    ['unix:///tmp/nd/docker.sock', { kind: 'socket', socketPath: '/tmp/nd/docker.sock' }],
    ['tcp://h:2375', { kind: 'tcp', protocol: 'http', host: 'h', port: 2375 }],
    ['tcp://10.0.0.5:2376/', { kind: 'tcp', protocol: 'http', host: '10.0.0.5', port: 2376 }],
    ['tcp://docker.internal', { kind: 'tcp', protocol: 'http', host: 'docker.internal', port: 2375 }],
    ['http://h', { kind: 'tcp', protocol: 'http', host: 'h', port: 2375 }],
    ['https://h', { kind: 'tcp', protocol: 'https', host: 'h', port: 2376 }],
    ['https://h:8443', { kind: 'tcp', protocol: 'https', host: 'h', port: 8443 }],
  ])('accepts %s', (value, endpoint) => {
    expect(parseDockerHost(value, '--docker-host')).toEqual({ ...endpoint, display: value });
  });

  it('accepts the default host', () => {
    expect(parseDockerHost(DEFAULT_DOCKER_HOST, 'default docker host')).toMatchObject({ kind: 'socket', socketPath: '/var/run/docker.sock' });
  });

  it.each([
    ['unix://relative', 'needs an absolute socket path'],
    ['unix://', 'needs an absolute socket path'],
    ['ftp://x', 'has unsupported scheme "ftp"'],
    ['ssh://me@build-host', 'has unsupported scheme "ssh"'],
    ['not a url', 'is not a URL'],
    ['/var/run/docker.sock', 'is not a URL'],
    ['tcp://host/path', 'must not have a path'],
  ])('rejects %s, naming where it came from and how to fix it', (value, why) => {
    for (const origin of ['--docker-host', 'DOCKER_HOST', '/home/oncall/.netra-console.yaml: docker.host']) {
      const message = usageError(() => parseDockerHost(value, origin));
      expect(message).toBe(`${origin} "${value}" ${why}: use unix:///path/to/docker.sock or tcp://HOST:PORT`);
    }
  });
});

describe('resolveSettings', () => {
  const options = (extra: Partial<CliOptions> = {}): CliOptions => ({ ...defaultOptions(), ...extra });

  function withConfig(text: string) {
    const cwd = tempDir();
    const path = writeFile(join(cwd, LOCAL_CONFIG_NAME), text);
    return { cwd, path };
  }

  it('takes the engine from --docker-host, then DOCKER_HOST, then the config, then the default', () => {
    const { cwd } = withConfig('docker:\n  host: tcp://from-config:2375\n');
    const env = { DOCKER_HOST: 'tcp://from-env:2375' };
    expect(resolveSettings(options({ dockerHost: 'tcp://from-flag:2375' }), cwd, env).endpoint).toMatchObject({ host: 'from-flag' });
    expect(resolveSettings(options(), cwd, env).endpoint).toMatchObject({ host: 'from-env' });
    expect(resolveSettings(options(), cwd, {}).endpoint).toMatchObject({ host: 'from-config' });
    expect(resolveSettings(options(), tempDir(), { HOME: tempDir() }).endpoint).toMatchObject({ socketPath: '/var/run/docker.sock' });
  });

  it('names the config file and key when docker.host there is wrong', () => {
    const { cwd, path } = withConfig('docker:\n  host: localhost:2375\n');
    expect(usageError(() => resolveSettings(options(), cwd, {}))).toContain(`${path}: docker.host "localhost:2375" has unsupported scheme "localhost"`);
  });

  it('shows all containers with --all or showAllContainers', () => {
    const { cwd } = withConfig('docker:\n  showAllContainers: true\n');
    expect(resolveSettings(options(), cwd, {}).showAll).toBe(true);
    const plain = tempDir();
    expect(resolveSettings(options(), plain, { HOME: tempDir() }).showAll).toBe(false);
    expect(resolveSettings(options({ all: true }), plain, { HOME: tempDir() }).showAll).toBe(true);
  });
});
