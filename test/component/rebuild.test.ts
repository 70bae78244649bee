/** The rebuild dialog (B on the Stacks panel): every step of a rebuild, set in the store by hand. */
import { afterEach, describe, expect, it } from 'vitest';
import type { BuildStep, DiskUsage, PrunePlan, ServiceBuild } from '../../src/domain/build';
import type { StackDefinition } from '../../src/domain/stacks';
import type { RebuildFlow, RebuildOptions, RebuildReport, ServiceBuildReport } from '../../src/flows/rebuild-machine';
import type { SwitchOutcome } from '../../src/flows/switch-machine';
import type { AppStore } from '../../src/store/store';
import { cleanupApps, container, dockerWith, footerLine, KEY, renderApp, sgrAt, type RenderAppOptions } from '../support/render-app';

afterEach(cleanupApps);

const STACKS = '[5] Stacks';
/** The dialog's text with its border and line breaks gone, so that wrapped lines read as one. */
const dialogText = (frame: string) => frame.replace(/[║\s]+/g, ' ');

function stack(name: string, project = name): StackDefinition {
  return { name, project, files: { alpine: [`/stacks/${name}/docker-compose.alpine.yml`], regular: [`/stacks/${name}/docker-compose.yml`] }, env: {} };
}

const NETRA = stack('netra');
const SERVICES = ['backend', 'frontend', 'worker'];

function options(overrides: Partial<RebuildOptions> = {}): RebuildOptions {
  return { variant: 'alpine', services: SERVICES, noCache: false, restart: false, prune: false, pruneHours: 24, ...overrides };
}

const USAGE: DiskUsage = {
  images: { totalBytes: 4.2e9, reclaimableBytes: 1.1e9 },
  containers: { totalBytes: 12e6, reclaimableBytes: 3e6 },
  volumes: { totalBytes: 800e6, reclaimableBytes: 120e6 },
  buildCache: { totalBytes: 2.3e9, reclaimableBytes: 1.9e9 },
};

const PRUNE_PLAN: PrunePlan = {
  project: 'netra',
  danglingImages: [
    { id: 'sha256:aaa', sizeBytes: 300e6 },
    { id: 'sha256:bbb', sizeBytes: 112e6 },
  ],
  stoppedContainers: [{ id: 'c1', name: 'netra-migrate-1' }],
  cacheOlderThanHours: 24,
};

type Options = Extract<RebuildFlow, { step: 'options' }>;

function optionsFlow(overrides: Partial<Options> = {}): RebuildFlow {
  return { step: 'options', stack: NETRA, allServices: SERVICES, options: options(), cursor: 0, usage: null, prunePlan: null, notice: null, ...overrides };
}

/** Closing really closes (as the wiring does), so that tests see the dialog go. */
const closing = ({ store }: { store: AppStore }) => ({
  closeRebuild: () => store.setState((s) => ({ stacks: { ...s.stacks, rebuild: null }, ui: { ...s.ui, overlay: null } })),
});

/** The console with the rebuild dialog open on `flow`. */
async function dialog(flow: RebuildFlow, extra: RenderAppOptions = {}) {
  return renderApp({
    columns: 120,
    rows: 44,
    actions: closing,
    ...extra,
    state: { stacks: { definitions: [NETRA], measurements: {}, rebuild: flow }, ui: { overlay: 'rebuild' }, ...extra.state },
  });
}

const rebuildOf = (store: AppStore) => store.getState().stacks.rebuild!;

function step(overrides: Partial<BuildStep> & { vertex: number }): BuildStep {
  return { name: '', kind: 'step', stage: 'builder', index: null, total: null, instruction: null, state: 'done', seconds: null, output: [], error: null, ...overrides };
}

// ---------------------------------------------------------------------------------------------------------------

describe('rebuild dialog: options', () => {
  it('the variant, the services with a cursor, clean or cached, restart, prune; no disk usage yet', async () => {
    const app = await dialog(optionsFlow({ options: options({ services: ['backend', 'frontend'] }) }));
    const frame = await app.waitFor('Rebuild netra');
    expect(frame).toContain('Variant: alpine');
    expect(frame).toContain('Services (2 of 3 built):');
    expect(frame).toContain('▸ [x] backend');
    expect(frame).toMatch(/ {3}\[x\] frontend/);
    expect(frame).toMatch(/ {3}\[ \] worker/);
    expect(frame).toContain('Build: cached (unchanged layers are reused)');
    expect(frame).toContain('Restart afterwards: no');
    expect(frame).toContain('Prune first: no');
    expect(frame).toContain('docker system df: not known');
    expect(frame).not.toContain('The prune removes');
    const text = dialogText(frame);
    expect(text).toContain('Enter continue · Esc cancel (nothing changes) · j move · Space in/out · v variant regular · c clean · r restart · p prune');
  });

  it('with disk usage: what docker system df says; with prune on, what it removes and what survives', async () => {
    const app = await dialog(optionsFlow({ usage: USAGE, prunePlan: PRUNE_PLAN, options: options({ prune: true }) }));
    const frame = await app.waitFor('docker system df');
    expect(frame).toMatch(/docker system df\s+total\s+reclaimable/);
    expect(frame).toMatch(/images\s+4\.20 GB\s+1\.10 GB/);
    expect(frame).toMatch(/containers\s+12 MB\s+3 MB/);
    expect(frame).toMatch(/build cache\s+2\.30 GB\s+1\.90 GB/);
    expect(frame).toMatch(/volumes\s+800 MB\s+120 MB/);
    expect(frame).toContain('Prune first: yes, scoped to netra');
    expect(frame).toContain("The prune removes (images and containers of netra only; the cache is the engine's):");
    expect(frame).toContain('2 dangling images of netra (up to 412 MB: layers other images share stay)');
    expect(frame).toContain('1 stopped container: netra-migrate-1');
    expect(frame).toContain('builder cache older than 24 h');
    expect(frame).toContain('Images of other projects and every volume survive.');
    expect(frame).toContain('p no prune');
  });

  it('with prune off, the plan is not shown even when known', async () => {
    const app = await dialog(optionsFlow({ usage: USAGE, prunePlan: PRUNE_PLAN }));
    const frame = await app.waitFor('docker system df');
    expect(frame).not.toContain('dangling');
    expect(frame).not.toContain('survive');
  });

  it('j/k move the cursor, Space takes a service in and out, c r p toggle: the store changes', async () => {
    const app = await dialog(optionsFlow());
    await app.waitFor('▸ [x] backend');
    await app.press('j');
    await app.waitFor('▸ [x] frontend');
    expect((rebuildOf(app.store) as Options).cursor).toBe(1);
    await app.press(KEY.space);
    await app.waitFor('▸ [ ] frontend');
    expect(rebuildOf(app.store).options.services).toEqual(['backend', 'worker']);
    await app.press(KEY.down, 'k', 'k');
    await app.waitFor('▸ [x] backend');
    expect((rebuildOf(app.store) as Options).cursor).toBe(0);
    await app.press('c', 'r', 'p');
    const frame = await app.waitFor('Build: clean (--no-cache: every step runs again)');
    expect(frame).toContain('Restart afterwards: yes: up on the new images, then wait for health (as a switch does)');
    expect(frame).toContain('Prune first: yes, scoped to netra');
    expect(dialogText(frame)).toContain('c cached · r no restart · p no prune');
    expect(rebuildOf(app.store).options).toMatchObject({ noCache: true, restart: true, prune: true, services: ['backend', 'worker'] });
    await app.press('c');
    await app.waitFor('Build: cached');
    expect(rebuildOf(app.store).options.noCache).toBe(false);
  });

  it('Space on the last service left says so and keeps it', async () => {
    const app = await dialog(optionsFlow({ options: options({ services: ['backend'] }) }));
    await app.waitFor('▸ [x] backend');
    await app.press(KEY.space);
    await app.waitFor('at least one service must be built');
    expect(rebuildOf(app.store).options.services).toEqual(['backend']);
    expect(app.lastFrame()).toContain('▸ [x] backend');
  });

  it('v asks for the other variant (its services are read again)', async () => {
    const app = await dialog(optionsFlow());
    await app.waitFor('Variant: alpine');
    await app.press('v');
    expect(app.calls('startRebuild')).toEqual([['netra', undefined, 'regular']]);
  });

  it('Enter goes on to the confirmation with the options (nothing runs); Esc cancels', async () => {
    const app = await dialog(optionsFlow({ prunePlan: PRUNE_PLAN, options: options({ prune: true }) }));
    await app.waitFor('Rebuild netra');
    await app.press(KEY.enter);
    await app.waitFor('Type netra and press Enter to rebuild');
    expect(rebuildOf(app.store)).toMatchObject({ step: 'confirm', typed: '', prunePlan: PRUNE_PLAN });
    expect(app.calls('runRebuild')).toEqual([]);
    await app.press(KEY.esc);
    await app.waitFor((f) => !f.includes('Type netra'), 'closed');
    expect(app.calls('closeRebuild')).toHaveLength(1);
  });
});

describe('rebuild dialog: confirm', () => {
  const confirm = (overrides: Partial<Extract<RebuildFlow, { step: 'confirm' }>> = {}): RebuildFlow => ({
    step: 'confirm',
    stack: NETRA,
    options: options({ services: ['backend', 'worker'], noCache: true, restart: true, prune: true }),
    prunePlan: PRUNE_PLAN,
    typed: '',
    notice: null,
    ...overrides,
  });

  it('summarises what runs and asks for the name', async () => {
    const app = await dialog(confirm());
    const frame = await app.waitFor('Rebuild netra (alpine): confirm');
    const text = dialogText(frame);
    expect(text).toContain('Variant: alpine');
    expect(text).toContain('Services: backend, worker');
    expect(text).toContain('Build: clean (--no-cache: every step runs again)');
    expect(text).toContain('Restart afterwards: yes');
    expect(text).toContain('prune first: 2 dangling images (up to 412 MB), 1 stopped container, builder cache older than 24 h');
    expect(text).toContain('Images of other projects and every volume survive.');
    expect(text).toContain('Type netra and press Enter to rebuild; Esc cancels (nothing changes):');
  });

  it('cached, no restart, no prune say so', async () => {
    const app = await dialog(confirm({ options: options(), prunePlan: null }));
    const frame = await app.waitFor('Type netra');
    expect(frame).toContain('Build: cached');
    expect(frame).toContain('Restart afterwards: no');
    expect(frame).toContain('no prune');
    expect(frame).not.toContain('survive');
  });

  it('a wrong word says what to type and runs nothing; the right word runs the rebuild', async () => {
    const app = await dialog(confirm());
    await app.waitFor('Type netra');
    await app.type('nope');
    await app.waitFor('nope█');
    expect(rebuildOf(app.store)).toMatchObject({ typed: 'nope' });
    await app.press(KEY.enter);
    await app.waitFor('type netra exactly to rebuild, or Esc to cancel (nothing changes)');
    expect(app.calls('runRebuild')).toEqual([]);
    await app.press(KEY.backspace, KEY.backspace, KEY.backspace, KEY.backspace);
    // v, c, r and p are letters here, not option keys.
    await app.type('netra');
    await app.waitFor('netra█');
    expect(app.calls('startRebuild')).toEqual([]);
    await app.press(KEY.enter);
    expect(app.calls('runRebuild')).toHaveLength(1);
  });

  it('a read-only console hides and refuses Enter', async () => {
    const app = await dialog(confirm({ typed: 'netra' }), { state: { readOnly: true } });
    const frame = await app.waitFor('Type netra');
    expect(frame).not.toContain('Enter rebuild');
    await app.press(KEY.enter);
    await app.waitFor('read-only console: rebuild refused');
    expect(app.calls('runRebuild')).toEqual([]);
  });

  it('Esc cancels', async () => {
    const app = await dialog(confirm({ typed: 'net' }));
    await app.waitFor('net█');
    await app.press(KEY.esc);
    await app.waitFor((f) => !f.includes('Type netra'), 'closed');
    expect(app.calls('closeRebuild')).toHaveLength(1);
    expect(app.calls('runRebuild')).toEqual([]);
  });
});

describe('rebuild dialog: running', () => {
  const builds: ServiceBuild[] = [
    {
      service: 'backend',
      error: null,
      steps: [
        step({ vertex: 1, name: '[internal] load build definition from Dockerfile', kind: 'internal', stage: null, state: 'done', seconds: 0.1 }),
        step({ vertex: 2, name: '[builder 1/4] FROM python:3.12-alpine', kind: 'from', stage: 'builder', index: 1, total: 4, instruction: 'FROM python:3.12-alpine', state: 'done', seconds: 1.2 }),
        step({ vertex: 3, name: '[builder 2/4] COPY requirements.txt .', stage: 'builder', index: 2, total: 4, instruction: 'COPY requirements.txt .', state: 'cached' }),
        step({ vertex: 4, name: '[builder 3/4] RUN pip install -r requirements.txt', stage: 'builder', index: 3, total: 4, instruction: 'RUN pip install -r requirements.txt', state: 'done', seconds: 41.7 }),
        step({ vertex: 5, name: '[builder 4/4] COPY . .', stage: 'builder', index: 4, total: 4, instruction: 'COPY . .', state: 'running' }),
      ],
    },
    {
      service: 'worker',
      error: 'failed to solve: process "/bin/sh -c apk add gcc" did not complete successfully: exit code: 1',
      steps: [
        step({ vertex: 1, name: '[stage-0 2/3] RUN apk add gcc', stage: 'stage-0', index: 2, total: 3, instruction: 'WORKDIR /app', state: 'cached' }),
        step({ vertex: 2, name: '[stage-0 3/3] RUN apk add gcc', stage: 'stage-0', index: 3, total: 3, instruction: 'RUN apk add gcc', state: 'error', seconds: 3.4, error: 'exit code: 1' }),
      ],
    },
  ];
  const running = (overrides: Partial<Extract<RebuildFlow, { step: 'running' }>> = {}): RebuildFlow => ({
    step: 'running',
    stack: NETRA,
    options: options({ services: ['backend', 'worker'] }),
    phase: 'building',
    builds,
    restart: [],
    startedMs: Date.now() - 50_000,
    ...overrides,
  });

  it('the phase, a live step table per service, the progress and the slowest steps; no keys at all', async () => {
    const app = await dialog(running());
    const frame = await app.waitFor('Rebuilding netra (alpine) — do not close the console');
    expect(frame).toMatch(/building backend, worker \(alpine, cached\)… {2}\(\d+ s so far\)/);
    expect(frame).toMatch(/STAGE\s+STEP\s+INSTRUCTION\s+STATE/);
    expect(frame).toMatch(/builder\s+2\/4\s+COPY requirements\.txt \.\s+cached/);
    expect(frame).toMatch(/builder\s+3\/4\s+RUN pip install -r requirements\.txt\s+41\.7 s/);
    expect(frame).toMatch(/builder\s+4\/4\s+COPY \. \.\s+running/);
    expect(frame).toMatch(/internal\s+\[internal\] load build definition from Dockerfile\s+0\.1 s/);
    expect(frame).toContain('worker: failed to solve');
    expect(frame).toMatch(/stage-0\s+3\/3\s+RUN apk add gcc\s+error/);
    // Dockerfile steps only (internal and FROM are not): 5 seen, 3 done of which 2 cached.
    expect(frame).toContain('3 build steps done so far · 2 cache hits');
    expect(frame).toContain('Slowest steps so far');
    expect(frame).toMatch(/41\.7 s\s+backend\s+RUN pip install -r requirements\.txt/);
    expect(frame).toMatch(/1\.2 s\s+backend\s+FROM python/);
    // Internal steps are not among the slowest.
    expect(frame).not.toMatch(/0\.1 s\s+backend/);
    expect(frame).toContain('No keys work while it runs');
    const colours = app.colorFrame();
    expect(sgrAt(colours, 'cached', 'COPY requirements.txt')).toContain('36');
    expect(sgrAt(colours, '41.7 s', 'builder    3/4')).toContain('32');
    expect(sgrAt(colours, 'running', 'COPY . .')).toContain('33');
    expect(sgrAt(colours, 'error', 'RUN apk add gcc')).toContain('31');
    // Internal and FROM steps are dimmed; Dockerfile steps are not.
    expect(sgrAt(colours, '[internal] load')).toContain('2');
    expect(sgrAt(colours, 'FROM python')).toContain('2');
    expect(sgrAt(colours, 'COPY requirements.txt')).not.toContain('2');
    await app.press(KEY.esc, KEY.enter, KEY.ctrlC, 'q');
    expect(app.exited()).toBe(false);
    expect(app.calls('closeRebuild')).toEqual([]);
    expect(app.lastFrame()).toContain('Rebuilding netra');
  });

  it('a long build shows the newest steps of each service that fit', async () => {
    const many: ServiceBuild = {
      service: 'backend',
      error: null,
      steps: Array.from({ length: 60 }, (_, i) => step({ vertex: i + 1, index: i + 1, total: 60, instruction: `RUN step-${i + 1}`, state: i < 59 ? 'cached' : 'running' })),
    };
    const app = await dialog(running({ builds: [many] }), { rows: 30 });
    const frame = await app.waitFor('RUN step-60');
    expect(frame).toMatch(/… \d+ earlier steps/);
    expect(frame).not.toContain('RUN step-1 ');
    expect(frame).toContain('59 build steps done so far · 59 cache hits');
  });

  it('pruning and measuring say what they do', async () => {
    const app = await dialog(running({ phase: 'pruning', builds: [] }));
    await app.waitFor("pruning netra's dangling images and stopped containers, builder cache older than 24 h…");
    expect(app.lastFrame()).toContain('no build steps yet…');
    app.store.setState((s) => ({ stacks: { ...s.stacks, rebuild: { ...(s.stacks.rebuild as Extract<RebuildFlow, { step: 'running' }>), phase: 'measuring' } } }));
    await app.waitFor('measuring the new images (sizes, layers)…');
  });

  it('restarting: one row per service as in a switch', async () => {
    const now = Date.now();
    const app = await dialog(
      running({
        phase: 'restarting',
        restart: [
          { service: 'backend', state: 'ready', startedMs: now - 9_000, readySeconds: 6.4, detail: null },
          { service: 'worker', state: 'starting', startedMs: now - 3_000, readySeconds: null, detail: 'health starting' },
          { service: 'frontend', state: 'failed', startedMs: now - 3_000, readySeconds: null, detail: 'frontend exited with code 1' },
        ],
      }),
    );
    const frame = await app.waitFor('restarting netra on the new images (up, then wait for health)…');
    expect(frame).toMatch(/✔ backend\s+6\.4 s {2}ready/);
    expect(frame).toMatch(/◌ worker\s+\d s {2}health starting/);
    expect(sgrAt(app.colorFrame(), '✘ frontend')).toContain('31');
  });
});

describe('rebuild dialog: done', () => {
  function service(overrides: Partial<ServiceBuildReport> & { service: string }): ServiceBuildReport {
    return {
      image: `netra-${overrides.service}:alpine`,
      imageSizeBytes: 186e6,
      budgetBytes: 500e6,
      overBudget: false,
      level: 'ok',
      seconds: 42.1,
      notBuilt: false,
      cacheableSteps: 6,
      cachedSteps: 4,
      cacheHitRatio: 4 / 6,
      steps: [],
      largestLayers: [],
      previous: null,
      failure: null,
      ...overrides,
    };
  }

  const switched: SwitchOutcome = {
    result: 'switched',
    from: 'alpine',
    to: 'alpine',
    elapsedSeconds: 14.2,
    services: [],
    previous: null,
    error: null,
    failure: null,
    runningNow: 'alpine',
  };

  function report(overrides: Partial<RebuildReport> = {}): RebuildReport {
    return { stack: 'netra', variant: 'alpine', noCache: false, result: 'built', elapsedSeconds: 84.2, services: [], slowestSteps: [], pruned: null, restart: null, error: null, ...overrides };
  }

  const done = (r: RebuildReport, opts: Partial<RebuildOptions> = {}): RebuildFlow => ({ step: 'done', stack: NETRA, options: options(opts), report: r });

  it('per service: image, size against its budget in colour, seconds, cache hits, and the previous build', async () => {
    const services = [
      service({
        service: 'backend',
        imageSizeBytes: 612e6,
        level: 'over',
        overBudget: true,
        steps: [
          { name: '[builder 3/5] RUN pip install -r requirements.txt', cached: false, seconds: 61.3, error: null },
          { name: '[builder 2/5] COPY requirements.txt .', cached: true, seconds: null, error: null },
          { name: '[stage-1 4/4] COPY --from=builder /app /app', cached: false, seconds: 2.5, error: null },
        ],
        previous: { secondsDelta: 38.2, sizeDeltaBytes: 12e6, ratioDelta: -0.5, firstBroken: { name: '[builder 2/5] COPY requirements.txt .', reason: 'requirements.txt changed' } },
        largestLayers: [
          { sizeBytes: 20e6, createdBy: 'COPY . /app # buildkit' },
          { sizeBytes: 410e6, createdBy: 'RUN /bin/sh -c pip install -r requirements.txt # buildkit' },
          { sizeBytes: 5e6, createdBy: 'RUN /bin/sh -c adduser -D app # buildkit' },
          { sizeBytes: 180e6, createdBy: '/bin/sh -c #(nop) ADD file:abc in /' },
        ],
      }),
      service({ service: 'frontend', imageSizeBytes: 290e6, level: 'warning', seconds: 12, cacheableSteps: 4, cachedSteps: 4, previous: { secondsDelta: -3, sizeDeltaBytes: -4e6, ratioDelta: 0.25, firstBroken: null } }),
      service({ service: 'worker', imageSizeBytes: 90e6, seconds: 8.5, cacheableSteps: 3, cachedSteps: 0 }),
    ];
    const app = await dialog(done(report({ services, pruned: { reclaimedBytes: 1.35e9, errors: ['container netra-migrate-1 kept: it is running now'] }, slowestSteps: [{ service: 'backend', name: '[builder 4/5] RUN pip install -r requirements.txt', seconds: 41.7 }, { service: 'backend', name: 'exporting to image', seconds: 20.5 }], restart: switched }), { restart: true, prune: true }));
    const frame = await app.waitFor('✔ built backend, frontend, worker (alpine, cached) in 84.2 s');
    expect(frame).toMatch(/SERVICE\s+IMAGE\s+SIZE \/ BUDGET\s+TIME\s+CACHED/);
    expect(frame).toMatch(/backend\s+netra-backend:alpine\s+✘ 612 MB \/ 500 MB\s+42\.1 s\s+4\/6 \(67 %\)/);
    expect(frame).toMatch(/frontend\s+netra-frontend:alpine\s+! 290 MB \/ 500 MB\s+12\.0 s\s+4\/4 \(100 %\)/);
    expect(frame).toMatch(/worker\s+netra-worker:alpine\s+90 MB \/ 500 MB\s+8\.5 s\s+0\/3 \(0 %\)/);
    const colours = app.colorFrame();
    expect(sgrAt(colours, '✘ 612 MB')).toContain('31');
    expect(sgrAt(colours, '! 290 MB')).toContain('33');
    expect(sgrAt(colours, '90 MB / 500 MB', 'netra-worker')).not.toContain('31');
    expect(sgrAt(colours, '90 MB / 500 MB', 'netra-worker')).not.toContain('33');
    const text = dialogText(frame);
    expect(frame).toContain('vs previous: +38.2 s · +12 MB · cache -50 pp');
    expect(text).toContain('cache first broke at [builder 2/5] COPY requirements.txt .: requirements.txt changed');
    expect(text.match(/cache first broke/g)).toHaveLength(1);
    expect(text).toContain('vs previous: -3.0 s · -4 MB · cache +25 pp');
    expect(text).toContain('no previous build to compare with');
    expect(frame).toContain('✔ restarted on the new images: alpine healthy in 14.2 s');
    expect(frame).toContain('pruned first: 1.35 GB reclaimed');
    expect(frame).toContain('not pruned: container netra-migrate-1 kept: it is running now');
    // The report's slowest vertices, the export included (guide 003: "export 20 s").
    expect(frame).toContain('Slowest steps');
    expect(frame).toMatch(/41\.7 s\s+backend\s+\[builder 4\/5\] RUN pip install/);
    expect(frame).toMatch(/20\.5 s\s+backend\s+exporting to image/);
    expect(frame).toContain('Largest layers');
    expect(frame).toMatch(/410 MB\s+RUN \/bin\/sh -c pip install -r requirements\.txt/);
    expect(frame).toMatch(/180 MB\s+\/bin\/sh -c #\(nop\) ADD file:abc in \//);
    expect(frame).toMatch(/20 MB\s+COPY \. \/app/);
    // At most three layers per image, the largest.
    expect(frame).not.toContain('adduser');
    expect(frame).toContain('Enter close');
  });

  it('a failed build: the failing step, its newest lines (bounded), the hints; Enter closes', async () => {
    const lines = Array.from({ length: 12 }, (_, i) => `#9 ${((i + 1) / 10).toFixed(1)} line ${i + 1}${i === 11 ? ': ERROR: could not find a version that satisfies psycopg2==9.9' : ''}`);
    const failed = service({
      service: 'backend',
      imageSizeBytes: null,
      seconds: null,
      failure: {
        step: '[builder 3/5] RUN pip install -r requirements.txt',
        lines,
        hints: ['a pinned version that does not exist: check requirements.txt', 'no network in the build? Pull the base image first'],
      },
    });
    const r = report({ result: 'failed', services: [failed], error: 'backend: exit code 1' });
    const app = await dialog(done(r, { restart: true }));
    const frame = await app.waitFor('✘ rebuilding netra failed after 84.2 s: backend: exit code 1');
    expect(frame).toContain('✘ backend failed at [builder 3/5] RUN pip install -r requirements.txt');
    expect(frame).toContain('last lines (8 of 12):');
    expect(frame).not.toContain('line 4\n');
    expect(frame).not.toMatch(/line 4\b/);
    expect(frame).toMatch(/line 5\b/);
    expect(frame).toContain('line 12: ERROR: could not find a version that satisfies psycopg2==9.9');
    const text = dialogText(frame);
    expect(text).toContain('hint: a pinned version that does not exist: check requirements.txt');
    expect(text).toContain('hint: no network in the build? Pull the base image first');
    expect(frame).toContain('not restarted: the build failed; what ran before still runs');
    expect(frame).toMatch(/backend\s+netra-backend:alpine\s+- \/ 500 MB\s+-/);
    await app.press(KEY.enter);
    await app.waitFor((f) => !f.includes('rebuilding netra failed'), 'closed');
    expect(app.calls('closeRebuild')).toHaveLength(1);
  });

  it('a service compose never got to is said to be not built, not shown with its old image', async () => {
    const r = report({ result: 'failed', error: 'backend failed', services: [service({ service: 'worker', notBuilt: true, imageSizeBytes: null, cacheableSteps: 0, cachedSteps: 0, cacheHitRatio: null })] });
    const app = await dialog(done(r));
    const frame = await app.waitFor('not built: compose stopped before it (its image is unchanged)');
    expect(frame).not.toContain('netra-worker:alpine');
  });

  it('a restart that failed says what runs now; Esc closes', async () => {
    const r = report({ services: [service({ service: 'backend' })], restart: { ...switched, result: 'failed', error: 'backend is unhealthy', runningNow: null } });
    const app = await dialog(done(r, { restart: true }));
    const frame = await app.waitFor('✘ restart failed: backend is unhealthy; runs now: nothing');
    expect(frame).not.toContain('pruned');
    expect(sgrAt(app.colorFrame(), '✘ restart failed')).toContain('31');
    await app.press(KEY.esc);
    expect(app.calls('closeRebuild')).toHaveLength(1);
  });
});

describe('B on the Containers panel', () => {
  it("rebuilds the selected container's service, in the stack of its compose project", async () => {
    const docker = dockerWith([container({ id: 'api', project: 'netra', service: 'backend' }), container({ id: 'loose', name: 'loose', project: null, service: null })]);
    const app = await renderApp({ state: { docker, stacks: { definitions: [NETRA], measurements: {} } } });
    await app.waitFor('[1] Containers');
    expect(footerLine(app.lastFrame())).toContain('B rebuild');
    await app.press('B');
    expect(app.calls('startRebuild')).toEqual([['netra', 'backend']]);
    await app.press('j', 'B');
    await app.waitFor('the selected container is not a service of a configured stack (stacks:)');
    expect(app.calls('startRebuild')).toHaveLength(1);
  });
});

describe('B on the Stacks panel', () => {
  const state = (extra: RenderAppOptions['state'] = {}) => ({ stacks: { definitions: [NETRA, stack('lab')], measurements: {} }, ui: { focus: 'stacks' as const }, ...extra });

  it('rebuilds the selected stack', async () => {
    const app = await renderApp({ state: state() });
    await app.waitFor(STACKS);
    expect(footerLine(app.lastFrame())).toContain('B rebuild');
    await app.press('j', 'B');
    expect(app.calls('startRebuild')).toEqual([['lab']]);
  });

  it('a read-only console hides B and refuses it', async () => {
    const app = await renderApp({ state: state({ readOnly: true, ui: { focus: 'stacks' } }) });
    await app.waitFor(STACKS);
    expect(footerLine(app.lastFrame())).toContain('READ-ONLY');
    expect(footerLine(app.lastFrame())).not.toContain('B rebuild');
    await app.press('B');
    await app.waitFor('read-only console: rebuild refused');
    expect(app.calls('startRebuild')).toEqual([]);
  });
});
