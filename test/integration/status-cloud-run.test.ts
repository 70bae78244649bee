/**
 * `status --json` reading Cloud Run from a sandbox served by ANOTHER process (`netra-console sandbox`), as an
 * on-call engineer would run them in two terminals; then an endpoint where nothing listens, and the in-process
 * sandbox when no project or endpoint is given. All through the built CLI (dist/cli.js) and the pinned Node 24.
 */
import { mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildCli, cliEnv, runCli as runCliIn, type Run } from '../support/cli-process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { providedEngine } from '../support/engine-context';
import { sandboxClients } from '../support/sandbox-clients';
import { startSandboxProcess, type SandboxProcess } from '../support/sandbox-process';

const engine = providedEngine();
/** The sandbox's services as ListServices returns them: what shows when cloudRun.services names none. */
const REGION_SERVICES = ['netra-auth', 'netra-backend-staging', 'netra-frontend-staging'];

// The `status --json` schema of the README.
const CLOUD_RUN_KEYS = ['mode', 'project', 'region', 'endpoint', 'reachable', 'error', 'services'].sort();
const SERVICE_KEYS = ['name', 'uri', 'ready', 'latestReadyRevision', 'latestCreatedRevision', 'reconciling', 'traffic', 'revisions'].sort();
const TRAFFIC_KEYS = ['revision', 'percent', 'tag', 'latest'].sort();
const REVISION_KEYS = ['name', 'ready', 'state', 'message', 'createTime', 'image', 'variant'].sort();

interface Traffic {
  revision: string | null;
  percent: number;
  tag: string | null;
  latest: boolean;
}
interface Revision {
  name: string;
  ready: boolean;
  state: string;
  message: string | null;
  createTime: string | null;
  image: string;
  variant: string;
}
interface Service {
  name: string;
  uri: string;
  ready: boolean;
  latestReadyRevision: string | null;
  latestCreatedRevision: string | null;
  reconciling: boolean;
  traffic: Traffic[];
  revisions: Revision[];
}
interface StatusJson {
  docker: { host: string; reachable: boolean; error: string | null; containers: unknown[] };
  cloudRun: {
    mode: string;
    project: string;
    region: string;
    endpoint: string;
    reachable: boolean;
    error: string | null;
    services: Service[];
  };
  alerts: Array<{ level: string; source: string; kind: string; service?: string; container?: string; message: string }>;
}


let cwd = '';

/** Runs the CLI in the temp working directory; its environment names no project, endpoint, region or engine. */
function runCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return runCliIn(args, { cwd, env, timeoutMs: 45_000 });
}

function statusJson(run: Run): StatusJson {
  try {
    return JSON.parse(run.stdout) as StatusJson;
  } catch {
    throw new Error(`status --json printed no JSON (exit ${run.code})\nstdout: ${run.stdout}\nstderr: ${run.stderr}`);
  }
}

/** The sandbox in its own process: `netra-console sandbox --port 0 --log-rate 0`. */
let sandboxProcess: SandboxProcess | null = null;
let endpoint = '';

beforeAll(async () => {
  cwd = realpathSync(mkdtempSync(join(tmpdir(), 'netra-status-cloud-run-')));
  await buildCli();
  sandboxProcess = await startSandboxProcess({ cwd, env: cliEnv(cwd) });
  endpoint = sandboxProcess.endpoint;
});

afterAll(async () => {
  await sandboxProcess?.stop('SIGKILL');
  if (cwd) rmSync(cwd, { recursive: true, force: true });
});

const revisionNumber = (name: string | null) => Number(/-(\d{5})-[a-z0-9]+$/.exec(name ?? '')?.[1]);

describe('status --json against a sandbox in another process', () => {
  let run: Run;
  let doc: StatusJson;

  beforeAll(async () => {
    run = await runCli(['status', '--json', '--gcp-endpoint', endpoint, '--docker-host', engine.host]);
    doc = statusJson(run);
  });
  const service = (name: string) => doc.cloudRun.services.find((s) => s.name === name)!;

  it('exits 0 with both the engine and Cloud Run read', () => {
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toBe('');
    expect(Object.keys(doc).sort()).toEqual(['alerts', 'cloudRun', 'docker']);
    expect(doc.docker).toMatchObject({ host: engine.host, reachable: true, error: null });
    expect(Array.isArray(doc.docker.containers)).toBe(true);
  });

  it('says it read Netra staging at that endpoint', () => {
    expect(Object.keys(doc.cloudRun).sort()).toEqual(CLOUD_RUN_KEYS);
    expect(doc.cloudRun).toMatchObject({
      mode: 'endpoint',
      project: 'netra-staging',
      region: 'us-central1',
      endpoint,
      reachable: true,
      error: null,
    });
  });

  it('lists every service of the region, in the order the API gives, with the documented keys', () => {
    expect(doc.cloudRun.services.map((s) => s.name)).toEqual(REGION_SERVICES);
    for (const s of doc.cloudRun.services) {
      expect(Object.keys(s).sort()).toEqual(SERVICE_KEYS);
      for (const t of s.traffic) expect(Object.keys(t).sort()).toEqual(TRAFFIC_KEYS);
      for (const r of s.revisions) {
        expect(Object.keys(r).sort()).toEqual(REVISION_KEYS);
        // Short names, as gcloud shows them.
        expect(r.name).toMatch(new RegExp(`^${s.name}-\\d{5}-[a-z0-9]+$`));
        expect(['alpine', 'regular', '?']).toContain(r.variant);
        expect(['ready', 'failed', 'pending']).toContain(r.state);
      }
      const numbers = s.revisions.map((r) => revisionNumber(r.name));
      expect(numbers).toEqual([...numbers].sort((a, b) => b - a));
      const times = s.revisions.map((r) => Date.parse(r.createTime ?? ''));
      expect(times).toEqual([...times].sort((a, b) => b - a));
      expect(s.uri).toMatch(new RegExp(`^https://${s.name}-[a-z0-9]{10}-uc\\.a\\.run\\.app$`));
    }
  });

  it('shows the backend not ready, its newest revision failed, traffic pinned to the one before with `stable` at 0 %', () => {
    const backend = service('netra-backend-staging');
    const [newest, previous] = backend.revisions;
    expect(backend.revisions).toHaveLength(25);
    expect(backend).toMatchObject({ ready: false, reconciling: false, latestCreatedRevision: newest!.name, latestReadyRevision: previous!.name });
    expect(newest).toMatchObject({ ready: false, state: 'failed', variant: 'alpine' });
    expect(newest!.message).toContain('failed to start and listen on the port');
    expect(previous).toMatchObject({ ready: true, state: 'ready', message: null });
    const stable = backend.revisions.find((r) => revisionNumber(r.name) === 17)!;
    expect(stable).toMatchObject({ variant: 'regular', image: expect.stringMatching(/\/backend:v1\.17$/) });
    expect(backend.traffic).toEqual([
      { revision: previous!.name, percent: 100, tag: null, latest: false },
      { revision: stable.name, percent: 0, tag: 'stable', latest: false },
    ]);
  });

  it('shows netra-auth at 90/10 with the canary tag', () => {
    const auth = service('netra-auth');
    expect(auth.revisions).toHaveLength(6);
    expect(auth).toMatchObject({ ready: true, latestReadyRevision: auth.revisions[0]!.name, latestCreatedRevision: auth.revisions[0]!.name });
    expect(auth.traffic).toEqual([
      { revision: auth.revisions[0]!.name, percent: 90, tag: null, latest: false },
      { revision: auth.revisions[1]!.name, percent: 10, tag: 'canary', latest: false },
    ]);
    expect(auth.revisions.map((r) => r.variant)).toEqual(['alpine', 'regular', 'regular', 'regular', 'regular', 'regular']);
  });

  it('resolves the frontend LATEST target to its latest ready revision', () => {
    const frontend = service('netra-frontend-staging');
    expect(frontend.revisions).toHaveLength(5);
    expect(frontend.latestReadyRevision).toBe(frontend.revisions[0]!.name);
    expect(frontend.traffic).toEqual([{ revision: frontend.revisions[0]!.name, percent: 100, tag: null, latest: true }]);
  });

  it('raises the Cloud Run alerts of the backend, one line each', () => {
    const cloud = doc.alerts.filter((a) => a.source === 'cloudrun');
    expect(cloud.map((a) => `${a.level} ${a.kind} ${a.service}`)).toEqual([
      'critical service-not-ready netra-backend-staging',
      'warning revision-failed netra-backend-staging',
    ]);
    for (const a of cloud) expect(a.message).not.toContain('\n');
    expect(doc.alerts[0]!.level).toBe('critical');
  });

  it('matches what the official client reads from the same sandbox', async () => {
    const clients = sandboxClients({ port: Number(endpoint.split(':')[1]) });
    try {
      const [services] = await clients.services.listServices({ parent: 'projects/netra-staging/locations/us-central1' });
      const uris = new Map(services.map((s) => [s.name?.split('/').at(-1), s.uri]));
      for (const s of doc.cloudRun.services) expect(s.uri).toBe(uris.get(s.name));
    } finally {
      await clients.close();
    }
  });

  it('takes the endpoint from NETRA_GCP_ENDPOINT too, and prints it for people without --json', async () => {
    const human = await runCli(['status', '--docker-host', engine.host], { NETRA_GCP_ENDPOINT: endpoint });
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toContain(`Cloud Run netra-staging us-central1 via ${endpoint}: 3 services`);
    expect(human.stdout).toContain('netra-backend-staging  NOT READY');
    expect(human.stdout).not.toContain('(SANDBOX)');
  });
});

describe('status --json with an unreachable Cloud Run endpoint', () => {
  it('shows the configured services in their order, and names those the region does not have, with what it has, in an alert', async () => {
    const config = join(cwd, 'typo.yaml');
    writeFileSync(config, 'cloudRun:\n  services: [netra-frontend-staging, netra-backend-stagin, netra-auth]\n');
    const typo = statusJson(await runCli(['status', '--json', '--config', config, '--gcp-endpoint', endpoint, '--docker-host', engine.host]));
    expect(typo.cloudRun.services.map((s) => s.name)).toEqual(['netra-frontend-staging', 'netra-auth']);
    expect(typo.alerts.filter((a) => a.kind === 'service-missing')).toEqual([
      {
        level: 'warning',
        source: 'cloudrun',
        kind: 'service-missing',
        service: 'netra-backend-stagin',
        message: expect.stringMatching(/^netra-backend-stagin \(in cloudRun\.services\) does not exist in netra-staging \(us-central1\); services there: .*netra-backend-staging/),
        state: 'firing',
        since: expect.any(String),
        check: null,
        silenced: false,
        acked: false,
      },
    ]);
  });

  it('exits 1, says the endpoint is unreachable, and still reports the engine', async () => {
    const run = await runCli(['status', '--json', '--gcp-endpoint', '127.0.0.1:1', '--docker-host', engine.host]);
    expect(run.code, run.stderr).toBe(1);
    const doc = statusJson(run);
    expect(doc.cloudRun).toMatchObject({ mode: 'endpoint', project: 'netra-staging', endpoint: '127.0.0.1:1', reachable: false, services: [] });
    expect(doc.cloudRun.error).toMatch(/^Cloud Run endpoint 127\.0\.0\.1:1 unreachable/);
    expect(doc.cloudRun.error).not.toContain('\n');
    expect(doc.docker).toMatchObject({ host: engine.host, reachable: true, error: null });
    expect(doc.alerts.filter((a) => a.source === 'cloudrun')).toEqual([]);
  });

  it('refuses an endpoint that is not HOST:PORT with exit 2 and one line', async () => {
    const run = await runCli(['status', '--json', '--gcp-endpoint', 'localhost', '--docker-host', engine.host]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n')).toEqual([
      'netra-console: --gcp-endpoint "localhost" is not HOST:PORT: use e.g. 127.0.0.1:8085 (the address "netra-console sandbox" prints)',
    ]);
  });
});

describe('status --json with no project and no endpoint', () => {
  it('serves the in-process sandbox', async () => {
    const run = await runCli(['status', '--json', '--docker-host', engine.host]);
    expect(run.code, run.stderr).toBe(0);
    const doc = statusJson(run);
    expect(doc.cloudRun).toMatchObject({ mode: 'sandbox', project: 'netra-staging', region: 'us-central1', reachable: true, error: null });
    expect(doc.cloudRun.endpoint).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(doc.cloudRun.endpoint).not.toBe(endpoint);
    expect(doc.cloudRun.services.map((s) => [s.name, s.revisions.length])).toEqual([
      ['netra-auth', 6],
      ['netra-backend-staging', 25],
      ['netra-frontend-staging', 5],
    ]);
  });
});

describe('the sandbox process', () => {
  it('stops cleanly on SIGTERM with exit 0', async () => {
    expect(sandboxProcess?.child.exitCode).toBeNull();
    const stopped = await sandboxProcess!.stop('SIGTERM');
    expect(stopped.code).toBe(0);
    expect(stopped.stdout + stopped.stderr).toContain('netra-console sandbox: stopped (SIGTERM)\n');
  });
});
