// Which Cloud Run the console talks to: flags, config, environment and the built-in sandbox (README, "Command line").
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseArgs } from '../../src/cli/args';
import { parseGcpEndpoint, resolveCloudRun, type CloudRunFlags, type CloudRunSettings } from '../../src/cli/cloud-run-settings';
import { resolveSettings } from '../../src/cli/settings';
import { parseConfigText } from '../../src/config/load';
import { usageError } from './support';

const FILE = '/home/oncall/.netra-console.yaml';
/** None named: every service of the region, so a project whose services are named otherwise shows them too. */
const DEFAULT_SERVICES: string[] = [];

const config = (cloudRun: string[] = []) => parseConfigText(cloudRun.length ? `cloudRun:\n${cloudRun.map((l) => `  ${l}`).join('\n')}\n` : '', FILE);
const flags = (extra: Partial<CloudRunFlags> = {}): CloudRunFlags => ({ sandbox: false, ...extra });

/** Project, region and endpoint settings from config lines of `cloudRun:` plus flags and environment. */
function resolve(extra: Partial<CloudRunFlags>, cloudRun: string[], env: NodeJS.ProcessEnv = {}): CloudRunSettings {
  return resolveCloudRun(flags(extra), config(cloudRun), env, FILE);
}

const tempDirs: string[] = [];
afterAll(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

describe('resolveCloudRun: project', () => {
  const fromConfig = ['project: from-config'];
  const env = { GOOGLE_CLOUD_PROJECT: 'from-env' };

  it('takes --project over the config and the environment', () => {
    expect(resolve({ project: 'from-flag' }, fromConfig, env)).toMatchObject({ mode: 'google', project: 'from-flag' });
  });

  it('takes cloudRun.project over GOOGLE_CLOUD_PROJECT', () => {
    expect(resolve({}, fromConfig, env)).toMatchObject({ mode: 'google', project: 'from-config' });
  });

  it('takes GOOGLE_CLOUD_PROJECT when nothing else names one', () => {
    expect(resolve({}, [], env)).toMatchObject({ mode: 'google', project: 'from-env' });
  });

  it('talks to Google (no endpoint) when a project is given', () => {
    expect(resolve({ project: 'netra-prod' }, [])).toEqual({
      mode: 'google',
      project: 'netra-prod',
      region: 'us-central1',
      endpoint: null,
      services: DEFAULT_SERVICES,
      refreshMs: 10_000,
      rollbackOrder: ['netra-frontend-staging', 'netra-auth', 'netra-backend-staging'],
    });
  });
});

describe('resolveCloudRun: region', () => {
  const fromConfig = ['region: europe-west1'];
  const env = { GOOGLE_CLOUD_PROJECT: 'p', CLOUDSDK_RUN_REGION: 'asia-east1' };

  it.each<[string, Partial<CloudRunFlags>, string[], NodeJS.ProcessEnv, string]>([
    ['--region first', { region: 'us-east4' }, fromConfig, env, 'us-east4'],
    ['then cloudRun.region', {}, fromConfig, env, 'europe-west1'],
    ['then CLOUDSDK_RUN_REGION', {}, [], env, 'asia-east1'],
    ['then us-central1', {}, [], { GOOGLE_CLOUD_PROJECT: 'p' }, 'us-central1'],
  ])('%s', (_, given, cloudRun, environment, region) => {
    expect(resolve(given, cloudRun, environment).region).toBe(region);
  });
});

describe('resolveCloudRun: endpoint', () => {
  const fromConfig = ['endpoint: 127.0.0.1:7001'];
  const env = { NETRA_GCP_ENDPOINT: '127.0.0.1:7002' };

  it('takes --gcp-endpoint over NETRA_GCP_ENDPOINT and the config', () => {
    expect(resolve({ gcpEndpoint: '127.0.0.1:7003' }, fromConfig, env)).toMatchObject({ mode: 'endpoint', endpoint: { host: '127.0.0.1', port: 7003 } });
  });

  it('takes NETRA_GCP_ENDPOINT over cloudRun.endpoint', () => {
    expect(resolve({}, fromConfig, env)).toMatchObject({ mode: 'endpoint', endpoint: { host: '127.0.0.1', port: 7002 } });
  });

  it('takes cloudRun.endpoint when nothing else names one', () => {
    expect(resolve({}, fromConfig)).toMatchObject({ mode: 'endpoint', endpoint: { host: '127.0.0.1', port: 7001 } });
  });

  it('serves the sandbox project at an endpoint when no project is named', () => {
    expect(resolve({ gcpEndpoint: 'localhost:8085' }, [])).toMatchObject({
      mode: 'endpoint',
      project: 'netra-staging',
      region: 'us-central1',
      endpoint: { host: 'localhost', port: 8085 },
    });
  });

  it('uses the named project and region at an endpoint', () => {
    expect(resolve({ gcpEndpoint: '127.0.0.1:8085', project: 'netra-prod', region: 'europe-west1' }, [])).toMatchObject({
      mode: 'endpoint',
      project: 'netra-prod',
      region: 'europe-west1',
    });
  });
});

describe('resolveCloudRun: sandbox', () => {
  it('runs the sandbox in-process with neither a project nor an endpoint', () => {
    expect(resolve({}, [])).toEqual({
      mode: 'sandbox',
      project: 'netra-staging',
      region: 'us-central1',
      endpoint: null,
      services: DEFAULT_SERVICES,
      refreshMs: 10_000,
      rollbackOrder: ['netra-frontend-staging', 'netra-auth', 'netra-backend-staging'],
    });
  });

  it('serves the sandbox project and region whatever region is asked for', () => {
    expect(resolve({ region: 'europe-west1' }, [], { CLOUDSDK_RUN_REGION: 'asia-east1' })).toMatchObject({
      mode: 'sandbox',
      project: 'netra-staging',
      region: 'us-central1',
    });
  });

  it('--sandbox wins over a project and an endpoint from anywhere', () => {
    const settings = resolve(
      { sandbox: true, project: 'netra-prod', gcpEndpoint: '127.0.0.1:7003' },
      ['project: from-config', 'endpoint: 127.0.0.1:7001'],
      { GOOGLE_CLOUD_PROJECT: 'from-env', NETRA_GCP_ENDPOINT: '127.0.0.1:7002' },
    );
    expect(settings).toMatchObject({ mode: 'sandbox', project: 'netra-staging', region: 'us-central1', endpoint: null });
  });

  it('ignores empty environment variables', () => {
    expect(resolve({}, [], { GOOGLE_CLOUD_PROJECT: '', NETRA_GCP_ENDPOINT: '' }).mode).toBe('sandbox');
  });
});

describe('resolveCloudRun: services and refresh', () => {
  it('takes the services, refresh interval and rollback order from the config', () => {
    const settings = resolve({ project: 'p' }, ['services: [netra-auth]', 'refreshSeconds: 2.5', 'rollbackOrder: [netra-auth]']);
    expect(settings).toMatchObject({ services: ['netra-auth'], refreshMs: 2_500, rollbackOrder: ['netra-auth'] });
  });

  it('keeps an empty service list: every service of the region', () => {
    expect(resolve({}, ['services: []']).services).toEqual([]);
  });
});

describe('parseGcpEndpoint', () => {
  it.each([
    ['127.0.0.1:8085', { host: '127.0.0.1', port: 8085 }],
    ['localhost:1', { host: 'localhost', port: 1 }],
    ['sandbox.internal:65535', { host: 'sandbox.internal', port: 65_535 }],
    ['[::1]:8085', { host: '::1', port: 8085 }],
    [' 127.0.0.1:8085 ', { host: '127.0.0.1', port: 8085 }],
  ])('accepts %j', (value, endpoint) => {
    expect(parseGcpEndpoint(value, '--gcp-endpoint')).toEqual(endpoint);
  });

  it.each(['localhost', 'h:99999', 'h:0', ':8085', 'http://127.0.0.1:8085', '127.0.0.1:80a', '::1:8085', 'h:'])('rejects %j in one line naming it and the fix', (value) => {
    const message = usageError(() => parseGcpEndpoint(value, '--gcp-endpoint'));
    expect(message).toBe(`--gcp-endpoint "${value}" is not HOST:PORT: use e.g. 127.0.0.1:8085 (the address "netra-console sandbox" prints)`);
  });

  it.each<[string, Partial<CloudRunFlags>, string[], NodeJS.ProcessEnv, string]>([
    ['--gcp-endpoint', { gcpEndpoint: 'localhost' }, [], {}, '--gcp-endpoint "localhost"'],
    ['NETRA_GCP_ENDPOINT', {}, [], { NETRA_GCP_ENDPOINT: 'h:99999' }, 'NETRA_GCP_ENDPOINT "h:99999"'],
    ['the config file', {}, ['endpoint: localhost'], {}, `${FILE}: cloudRun.endpoint "localhost"`],
  ])('names where a bad endpoint came from: %s', (_, given, cloudRun, env, origin) => {
    const message = usageError(() => resolve(given, cloudRun, env));
    expect(message.startsWith(`${origin} is not HOST:PORT`)).toBe(true);
    expect(message).not.toContain('\n');
  });
});

describe('resolveSettings: from the command line to Cloud Run settings', () => {
  function cwdWith(config: string): string {
    const dir = mkdtempSync(join(tmpdir(), 'netra-cloud-run-settings-'));
    tempDirs.push(dir);
    writeFileSync(join(dir, '.netra-console.yaml'), config);
    return dir;
  }

  it('passes the parsed flags through', () => {
    const cwd = cwdWith('cloudRun:\n  project: from-config\n  region: europe-west1\n');
    const options = parseArgs(['status', '--json', '--project', 'netra-prod', '--gcp-endpoint', '127.0.0.1:9999']);
    expect(resolveSettings(options, cwd, {}).cloudRun).toMatchObject({
      mode: 'endpoint',
      project: 'netra-prod',
      region: 'europe-west1',
      endpoint: { host: '127.0.0.1', port: 9999 },
    });
    expect(resolveSettings(parseArgs(['--sandbox']), cwd, {}).cloudRun.mode).toBe('sandbox');
    expect(resolveSettings(parseArgs([]), cwd, {}).cloudRun).toMatchObject({ mode: 'google', project: 'from-config' });
  });

  it('names the config file and key of a bad cloudRun.endpoint', () => {
    const cwd = cwdWith('cloudRun:\n  endpoint: localhost\n');
    const message = usageError(() => resolveSettings(parseArgs([]), cwd, {}));
    expect(message).toBe(
      `${join(cwd, '.netra-console.yaml')}: cloudRun.endpoint "localhost" is not HOST:PORT: use e.g. 127.0.0.1:8085 (the address "netra-console sandbox" prints)`,
    );
  });
});
