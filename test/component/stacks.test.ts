/** The Stacks panel (5) and the switch dialog: every step of a switch or compare, set in the store by hand. */
import { afterEach, describe, expect, it } from 'vitest';
import type { SwitchAuditEntry } from '../../src/domain/audit';
import type { ComposeServiceModel, ServiceMeasurement, StackDefinition, StackMeasurements, StackVariant, VariantMeasurement } from '../../src/domain/stacks';
import type { SwitchFlow, SwitchOutcome } from '../../src/flows/switch-machine';
import type { PreflightCheck, SwitchPlan } from '../../src/flows/switch-plan';
import type { AppStore } from '../../src/store/store';
import { cleanupApps, container, dockerWith, focusedPanels, footerLine, KEY, renderApp, rowsOf, sgrAt, titleLine, type RenderAppOptions } from '../support/render-app';

afterEach(cleanupApps);

const STACKS = '[5] Stacks';
const CLOUD_RUN = '[3] Cloud Run';
const MiB = 1024 ** 2;
/** The dialog's text with its border and line breaks gone, so that wrapped lines read as one. */
const dialogText = (frame: string) => frame.replace(/[║\s]+/g, ' ');

function stack(name: string, project = name): StackDefinition {
  return { name, project, files: { alpine: [`/stacks/${name}/docker-compose.alpine.yml`], regular: [`/stacks/${name}/docker-compose.yml`] }, env: {} };
}

const NETRA = stack('netra');

function measurement(service: string, variant: StackVariant, seconds: number | null, memMiB: number | null, imageBytes: number | null, limitMiB: number | null = null): ServiceMeasurement {
  return {
    service,
    variant,
    image: `netra-${service}:${variant}`,
    imageSizeBytes: imageBytes,
    state: 'running',
    health: 'healthy',
    healthySeconds: seconds,
    memUsageBytes: memMiB === null ? null : memMiB * MiB,
    memLimitBytes: limitMiB === null ? null : limitMiB * MiB,
  };
}

function variantMeasurement(variant: StackVariant, services: ServiceMeasurement[], measuredAt = '2026-11-20T09:00:00.000Z'): VariantMeasurement {
  return { variant, measuredAt, elapsedSeconds: 20, services };
}

const ALPINE_MEASURED = variantMeasurement('alpine', [measurement('backend', 'alpine', 6.1, 200, 186e6), measurement('frontend', 'alpine', 4.2, 100, 90e6)]);
const REGULAR_MEASURED = variantMeasurement('regular', [measurement('backend', 'regular', 17, 700, 847e6), measurement('frontend', 'regular', 12.5, 300, 400e6)]);

function composeService(name: string, image: string, memMiB: number | null, cpus: number | null, dependsOn: string[] = []): ComposeServiceModel {
  return {
    name,
    image,
    build: null,
    oneShot: false,
    health: { startPeriodSeconds: 10, intervalSeconds: 5, timeoutSeconds: 3, retries: 3 },
    memLimitBytes: memMiB === null ? null : memMiB * MiB,
    cpus,
    volumes: [],
    dependsOn,
  };
}

const OK_CHECKS: PreflightCheck[] = [
  { name: 'compose files', status: 'ok', detail: '1 file(s) valid' },
  { name: 'images', status: 'ok', detail: 'every target image is on the engine' },
  { name: 'memory', status: 'warn', detail: 'limits total 0.75 GiB; free memory unknown (remote engine)' },
  { name: 'disk', status: 'ok', detail: '40.0 GiB free for the engine data' },
  { name: 'volumes', status: 'ok', detail: 'alpine uses its own volumes' },
  { name: 'running', status: 'ok', detail: 'regular runs now' },
];

function plan(overrides: Partial<SwitchPlan> = {}): SwitchPlan {
  return {
    stack: NETRA,
    from: 'regular',
    to: 'alpine',
    model: {
      services: [
        composeService('postgres', 'postgres:16-alpine', 256, 0.5),
        composeService('backend', 'netra-backend:alpine', 384, 0.5, ['postgres']),
        composeService('frontend', 'netra-frontend:alpine', 128, 0.25),
      ],
    },
    current: [],
    stops: ['backend', 'frontend', 'postgres'],
    limits: [
      { service: 'postgres', before: { memLimitBytes: 512 * MiB, cpus: 1 }, after: { memLimitBytes: 256 * MiB, cpus: 0.5 } },
      { service: 'backend', before: { memLimitBytes: 1024 * MiB, cpus: 2 }, after: { memLimitBytes: 384 * MiB, cpus: 0.5 } },
      { service: 'frontend', before: null, after: { memLimitBytes: 128 * MiB, cpus: 0.25 } },
    ],
    imageSizes: { 'postgres:16-alpine': 276e6, 'netra-backend:alpine': 186e6, 'netra-frontend:alpine': 52e6 },
    missingImages: [],
    buildable: false,
    checks: OK_CHECKS,
    timeoutSeconds: 180,
    ...overrides,
  };
}

function outcome(overrides: Partial<SwitchOutcome> = {}): SwitchOutcome {
  return {
    result: 'switched',
    from: 'regular',
    to: 'alpine',
    elapsedSeconds: 14.2,
    services: [measurement('backend', 'alpine', 6.4, 180, 186e6, 384), measurement('frontend', 'alpine', 3.9, 40, 52e6, 128)],
    previous: null,
    error: null,
    failure: null,
    runningNow: 'alpine',
    ...overrides,
  };
}

/** Closing really closes (as the wiring does), so that tests see the dialog go. */
const closing = ({ store }: { store: AppStore }) => ({
  closeSwitch: () => store.setState((s) => ({ stacks: { ...s.stacks, flow: null }, ui: { ...s.ui, overlay: null } })),
});

/** The console with the switch dialog open on `flow`. */
async function dialog(flow: SwitchFlow, options: RenderAppOptions & { measurements?: StackMeasurements } = {}) {
  return renderApp({
    columns: 120,
    rows: 40,
    actions: closing,
    ...options,
    state: { stacks: { definitions: [NETRA], measurements: options.measurements ?? {}, flow }, ui: { overlay: 'switch' }, ...options.state },
  });
}

// ---------------------------------------------------------------------------------------------------------------

describe('Stacks panel', () => {
  const containers = () =>
    dockerWith([
      container({ id: 'a-backend', name: 'netra-backend-1', project: 'netra', variant: 'alpine' }),
      container({ id: 'a-frontend', name: 'netra-frontend-1', project: 'netra', variant: 'alpine' }),
      container({ id: 'a-migrate', name: 'netra-migrate-1', project: 'netra', variant: 'alpine', state: 'exited', exitCode: 0 }),
      container({ id: 'r-backend', name: 'lab-backend-1', project: 'lab', variant: 'regular' }),
      container({ id: 'r-db', name: 'lab-db-1', project: 'lab', variant: 'regular', health: 'unhealthy' }),
      container({ id: 'm-api', name: 'mix-api-1', project: 'mix', variant: 'alpine' }),
      container({ id: 'm-web', name: 'mix-web-1', project: 'mix', variant: 'regular', health: 'starting' }),
    ]);
  const state = (extra: RenderAppOptions['state'] = {}) => ({
    docker: containers(),
    stacks: { definitions: [NETRA, stack('lab'), stack('mix'), stack('idle')], measurements: { netra: { alpine: ALPINE_MEASURED, regular: REGULAR_MEASURED } } },
    ...extra,
  });

  it('one row per stack: the variant running now, health and each variant’s last measurement', async () => {
    const app = await renderApp({ state: state({ ui: { focus: 'stacks', zoom: true } }) });
    const frame = await app.waitFor(STACKS);
    expect(frame).toContain('ALPINE max start·mem·img');
    expect(frame).toContain('REGULAR max start·mem·img');
    const rows = rowsOf(frame, STACKS);
    const row = (name: string) => rows.find((r) => r.startsWith(`${name} `)) ?? '';
    // The one-shot that exited 0 did its job: it is not counted.
    expect(row('netra')).toMatch(/^netra\s+netra\s+alpine\s+2\/2 healthy\s/);
    // Slowest start-up, summed memory medians, summed image sizes.
    expect(row('netra')).toContain('6.1 s · 300MiB · 276 MB');
    expect(row('netra')).toContain('17.0 s · 1000MiB · 1.25 GB');
    expect(row('lab')).toMatch(/lab\s+regular\s+1\/2 healthy, 1 unhealthy/);
    expect(row('lab').match(/not measured/g)).toHaveLength(2);
    expect(row('mix')).toMatch(/mix\s+mixed\s+1\/2 healthy, 1 starting/);
    expect(row('idle')).toMatch(/idle\s+none\s+no containers/);
    // Off the selection (drawn in reverse video), each health in its colour.
    await app.press('G');
    await app.waitFor((f) => titleLine(f, STACKS).includes(' 4/4'), 'idle selected');
    const colours = app.colorFrame();
    expect(sgrAt(colours, '2/2 healthy')).toContain('32');
    expect(sgrAt(colours, '1/2 healthy, 1 unhealthy')).toContain('31');
    expect(sgrAt(colours, '1/2 healthy, 1 starting')).toContain('33');
  });

  it('5 focuses it in the Cloud Run row; Tab and Shift-Tab go through it; z zooms it', async () => {
    const app = await renderApp({ state: state() });
    expect(app.lastFrame()).toContain(CLOUD_RUN);
    expect(app.lastFrame()).not.toContain(STACKS);
    await app.press('5');
    let frame = await app.waitFor(STACKS);
    expect(frame).not.toContain(CLOUD_RUN);
    expect(frame).toContain('[1] Containers');
    expect(frame).toContain('[4] Logs');
    expect(focusedPanels(app.colorFrame())).toEqual([5]);
    await app.press(KEY.tab);
    frame = await app.waitFor((f) => f.includes(CLOUD_RUN) && !f.includes(STACKS), 'Cloud Run back');
    expect(focusedPanels(app.colorFrame())).toEqual([1]);
    await app.press(KEY.shiftTab);
    await app.waitFor(STACKS);
    expect(focusedPanels(app.colorFrame())).toEqual([5]);
    await app.press('z');
    frame = await app.waitFor((f) => !f.includes('[1] Containers') && f.includes(STACKS), 'zoomed');
    expect(rowsOf(frame, STACKS).map((r) => r.split(' ')[0])).toEqual(['netra', 'lab', 'mix', 'idle', 'netra:']);
  });

  it('while the engine is not connected, what runs is unknown; the measurements still show', async () => {
    const app = await renderApp({ state: { stacks: state().stacks, ui: { focus: 'stacks', zoom: true } } });
    const frame = await app.waitFor(STACKS);
    const netra = rowsOf(frame, STACKS).find((r) => r.startsWith('netra ')) ?? '';
    expect(netra).toMatch(/netra\s+netra\s+\?\s+engine not connected\s+6\.1 s · 300MiB · 276 MB/);
  });

  it('j moves, / filters by name or project', async () => {
    const app = await renderApp({ state: state({ ui: { focus: 'stacks', zoom: true } }) });
    await app.waitFor(STACKS);
    await app.press('j');
    await app.waitFor((f) => titleLine(f, STACKS).includes(' 2/4'), 'lab selected');
    await app.press('/');
    await app.type('mi');
    const frame = await app.waitFor((f) => titleLine(f, STACKS).includes(' 1/1'), 'filtered');
    expect(rowsOf(frame, STACKS)[0]).toMatch(/^mix /);
  });

  it('S switches and C compares the selected stack', async () => {
    const app = await renderApp({ state: state({ ui: { focus: 'stacks' } }) });
    await app.waitFor(STACKS);
    expect(footerLine(app.lastFrame())).toContain('S switch');
    expect(footerLine(app.lastFrame())).toContain('C compare');
    await app.press('j', 'S');
    expect(app.calls('startSwitch')).toEqual([['lab', 'switch']]);
    await app.press('C');
    expect(app.calls('startSwitch')).toEqual([
      ['lab', 'switch'],
      ['lab', 'compare'],
    ]);
  });

  it('a read-only console hides S and C and refuses them', async () => {
    const app = await renderApp({ state: state({ readOnly: true, ui: { focus: 'stacks' } }) });
    await app.waitFor(STACKS);
    const footer = footerLine(app.lastFrame());
    expect(footer).toContain('READ-ONLY');
    expect(footer).not.toContain('S switch');
    expect(footer).not.toContain('C compare');
    await app.press('S');
    await app.waitFor('read-only console: switch refused');
    await app.press('C');
    expect(app.calls('startSwitch')).toEqual([]);
  });
});

describe('switch dialog', () => {
  it('preflight: says what it checks; Esc closes', async () => {
    const app = await dialog({ step: 'preflight', kind: 'switch', stack: NETRA, to: 'alpine' });
    const frame = await app.waitFor('Checking netra before switching to alpine…');
    expect(frame).toContain('Esc close');
    await app.press(KEY.esc);
    await app.waitFor((f) => !f.includes('Checking netra'), 'closed');
    expect(app.calls('closeSwitch')).toHaveLength(1);
  });

  it('refused: each failed check with its whole detail, and nothing was changed', async () => {
    const detail =
      'missing netra-backend:alpine, netra-frontend:alpine; they cannot be built offline: base image python:3.12-alpine is not on the engine and nothing is pulled (pull it yourself, or run: netra-console demo up)';
    const checks: PreflightCheck[] = [
      { name: 'compose files', status: 'ok', detail: '1 file(s) valid' },
      { name: 'images', status: 'fail', detail },
    ];
    const app = await dialog({ step: 'refused', kind: 'switch', stack: NETRA, to: 'alpine', checks, error: detail }, { columns: 80, rows: 24 });
    const frame = await app.waitFor('Cannot switch netra to alpine');
    expect(dialogText(frame)).toContain(`✘ images: ${detail}`);
    expect(frame).toContain('Nothing was changed.');
    expect(frame).not.toContain('1 file(s) valid');
    await app.press(KEY.enter);
    expect(app.calls('closeSwitch')).toEqual([]);
    await app.press(KEY.esc);
    expect(app.calls('closeSwitch')).toHaveLength(1);
  });

  it('confirm: the checks, what stops and starts, limits before → after, the bounded wait', async () => {
    const app = await dialog({ step: 'confirm', kind: 'switch', plan: plan(), typed: '', notice: null });
    const frame = await app.waitFor('Switch netra: regular → alpine');
    expect(frame).toContain('✔ compose files: 1 file(s) valid');
    expect(frame).toContain('! memory: limits total 0.75 GiB; free memory unknown (remote engine)');
    expect(frame).toContain('Stops (regular): backend, frontend, postgres');
    expect(frame).toContain('Starts (alpine):');
    expect(frame).toMatch(/postgres\s+postgres:16-alpine \(276 MB\)\s+mem 512 MiB → 256 MiB · CPUs 1 → 0.5/);
    expect(frame).toMatch(/backend\s+netra-backend:alpine \(186 MB\)\s+mem 1024 MiB → 384 MiB · CPUs 2 → 0.5/);
    expect(frame).toMatch(/frontend\s+netra-frontend:alpine \(52 MB\)\s+mem — → 128 MiB · CPUs — → 0.25/);
    expect(frame).toContain('Waits at most 180 s for every service to be ready.');
    expect(frame).toContain('Type netra and press Enter to switch; Esc cancels (nothing changes):');
    expect(frame).not.toContain('b build');
  });

  it('confirm: a wrong word says what to type and runs nothing; the right word runs the switch', async () => {
    const app = await dialog({ step: 'confirm', kind: 'switch', plan: plan(), typed: '', notice: null });
    await app.waitFor('Type netra');
    await app.type('nope');
    await app.waitFor('nope█');
    await app.press(KEY.enter);
    await app.waitFor('type netra exactly to switch, or Esc to cancel (nothing changes)');
    expect(app.calls('runSwitch')).toEqual([]);
    await app.press(KEY.backspace, KEY.backspace, KEY.backspace, KEY.backspace);
    // t is a letter of the name here, not the other-target key.
    await app.type('netra');
    await app.waitFor('netra█');
    expect(app.calls('startSwitch')).toEqual([]);
    await app.press(KEY.enter);
    expect(app.calls('runSwitch')).toHaveLength(1);
  });

  it('confirm: Esc cancels; t plans the other variant', async () => {
    const app = await dialog({ step: 'confirm', kind: 'switch', plan: plan(), typed: '', notice: null });
    const frame = await app.waitFor('Type netra');
    expect(frame).toContain('t target regular');
    await app.press('t');
    expect(app.calls('startSwitch')).toEqual([['netra', 'switch', 'regular']]);
    await app.press(KEY.esc);
    await app.waitFor((f) => !f.includes('Type netra'), 'closed');
    expect(app.calls('closeSwitch')).toHaveLength(1);
    expect(app.calls('runSwitch')).toEqual([]);
  });

  it('confirm: a notice that someone changed the stack meanwhile', async () => {
    const app = await dialog({ step: 'confirm', kind: 'switch', plan: plan(), typed: '', notice: 'netra changed meanwhile; now mixed runs. Check and confirm again.' });
    await app.waitFor('netra changed meanwhile; now mixed runs. Check and confirm again.');
  });

  it('build offer: b builds the missing images when they can be built, and the switch cannot be confirmed yet', async () => {
    const checks: PreflightCheck[] = [...OK_CHECKS.filter((c) => c.name !== 'images'), { name: 'images', status: 'fail', detail: 'missing netra-backend:alpine; build them first (nothing is pulled)' }];
    const missing = plan({ checks, missingImages: ['netra-backend:alpine'], buildable: true, imageSizes: { ...plan().imageSizes, 'netra-backend:alpine': null } });
    const app = await dialog({ step: 'confirm', kind: 'switch', plan: missing, typed: '', notice: null });
    const frame = await app.waitFor('Missing images: netra-backend:alpine. b builds them here');
    expect(frame).toContain('netra-backend:alpine (missing)');
    expect(frame).toContain('b build missing images');
    expect(frame).not.toContain('Type netra');
    await app.press(KEY.enter);
    expect(app.calls('runSwitch')).toEqual([]);
    await app.press('b');
    expect(app.calls('buildMissing')).toHaveLength(1);
  });

  it('no build offer when the images cannot be built: b does nothing', async () => {
    const checks: PreflightCheck[] = [
      ...OK_CHECKS.filter((c) => c.name !== 'images'),
      { name: 'images', status: 'fail', detail: 'missing netra-backend:alpine; they cannot be built offline: base image python:3.12-alpine is not on the engine' },
    ];
    const app = await dialog({ step: 'confirm', kind: 'switch', plan: plan({ checks, missingImages: ['netra-backend:alpine'] }), typed: '', notice: null });
    const frame = await app.waitFor('Cannot switch: images failed. Nothing was changed.');
    expect(frame).not.toContain('b build');
    await app.press('b');
    expect(app.calls('buildMissing')).toEqual([]);
  });

  it('a read-only console hides b and refuses Enter', async () => {
    const app = await dialog({ step: 'confirm', kind: 'switch', plan: plan(), typed: 'netra', notice: null }, { state: { readOnly: true } });
    const frame = await app.waitFor('Type netra');
    expect(frame).not.toContain('Enter confirm');
    await app.press(KEY.enter);
    await app.waitFor('read-only console: switch refused');
    expect(app.calls('runSwitch')).toEqual([]);
  });

  it('building: the images and the last build lines; no keys', async () => {
    const app = await dialog({ step: 'building', kind: 'switch', plan: plan({ missingImages: ['netra-backend:alpine'] }), lines: ['#5 [2/4] RUN apk add --no-cache curl', '#6 exporting layers'] });
    const frame = await app.waitFor('building netra-backend:alpine…');
    expect(frame).toContain('#5 [2/4] RUN apk add --no-cache curl');
    expect(frame).toContain('#6 exporting layers');
    await app.press(KEY.esc, KEY.ctrlC);
    expect(app.exited()).toBe(false);
    expect(app.calls('closeSwitch')).toEqual([]);
  });

  it('running: the phase and one row per service with its elapsed seconds; no keys, not even Ctrl-C', async () => {
    const now = Date.now();
    const flow: SwitchFlow = {
      step: 'running',
      kind: 'switch',
      plan: plan(),
      phase: 'wait',
      startedMs: now - 30_000,
      leg: 'to alpine',
      progress: [
        { service: 'postgres', state: 'ready', startedMs: now - 20_000, readySeconds: 4.2, detail: null },
        { service: 'backend', state: 'starting', startedMs: now - 12_000, readySeconds: null, detail: 'health starting' },
        { service: 'frontend', state: 'waiting', startedMs: null, readySeconds: null, detail: 'after backend' },
        { service: 'worker', state: 'failed', startedMs: now - 5_000, readySeconds: null, detail: 'worker exited with code 1' },
      ],
    };
    const app = await dialog(flow);
    let frame = await app.waitFor('Switching netra to alpine — do not close the console');
    expect(frame).toContain('waiting for health (at most 180 s)…');
    expect(frame).toMatch(/✔ postgres\s+4\.2 s {2}ready/);
    expect(frame).toMatch(/· frontend\s+after backend/);
    // Live: seconds since the container started, on the shared 1 Hz clock.
    frame = await app.waitFor(/◌ backend\s+1[2-4] s {2}health starting/);
    expect(sgrAt(app.colorFrame(), '✘ worker')).toContain('31');
    await app.press(KEY.esc, KEY.ctrlC, 'q');
    expect(app.exited()).toBe(false);
    expect(app.calls('closeSwitch')).toEqual([]);
    expect(app.lastFrame()).toContain('Switching netra');
  });

  it('done: this run next to the other variant’s last measurement and the guides; Enter closes', async () => {
    const flow: SwitchFlow = { step: 'done', kind: 'switch', plan: plan(), outcome: outcome(), compared: [] };
    const app = await dialog(flow, { measurements: { netra: { regular: REGULAR_MEASURED } } });
    const frame = await app.waitFor('✔ netra switched to alpine in 14.2 s');
    expect(frame).toMatch(/alpine · this run\s+│ regular · last 2026-11-20 09:00/);
    expect(frame).toMatch(/backend\s+│ 6\.4 s\s+180MiB\/384MiB\s+186 MB\s+│ 17\.0 s\s+700MiB\s+847 MB/);
    expect(frame).toMatch(/frontend\s+│ 3\.9 s\s+40\.0MiB\/128MiB\s+52 MB\s+│ 12\.5 s\s+300MiB\s+400 MB/);
    expect(frame).toMatch(/total\s+│ 6\.4 s\s+220MiB\s+238 MB\s+│ 17\.0 s\s+1000MiB\s+1\.25 GB/);
    expect(frame).toMatch(/guide\s+│ 5–8 s\s+~1\.2GiB\s+~186 MB\s+│ 15–20 s\s+~3\.3GiB\s+~847 MB/);
    expect(frame).not.toContain('revert');
    await app.press('v');
    expect(app.calls('revertSwitch')).toEqual([]);
    await app.press(KEY.enter);
    await app.waitFor((f) => !f.includes('switched to alpine'), 'closed');
    expect(app.calls('closeSwitch')).toHaveLength(1);
  });

  it('done: the other variant not measured yet says so', async () => {
    const app = await dialog({ step: 'done', kind: 'switch', plan: plan(), outcome: outcome(), compared: [] });
    await app.waitFor(/alpine · this run\s+│ regular · not measured/);
  });

  const failed = (from: SwitchOutcome['from']) =>
    outcome({
      result: 'failed',
      from,
      elapsedSeconds: 75,
      error: 'backend is unhealthy',
      runningNow: null,
      services: [measurement('backend', 'alpine', null, null, 186e6, 384)],
      failure: {
        service: 'backend',
        healthOutputs: ['first check: connection refused', 'second: connection refused', 'third: 503 from /health', 'fourth: 503 from /health: database "netra" does not exist'],
        logLines: Array.from({ length: 14 }, (_, i) => `log line ${i + 1}: ${i === 13 ? 'FATAL: could not open the database: collation version mismatch between musl and glibc' : 'starting'}`),
      },
    });

  it('done, failed: the failing service’s health checks and log lines, what runs now; v reverts', async () => {
    const app = await dialog({ step: 'done', kind: 'switch', plan: plan(), outcome: failed('regular'), compared: [] });
    const frame = await app.waitFor('✘ switching netra to alpine failed after 75.0 s: backend is unhealthy');
    expect(frame).toContain('backend did not come up');
    expect(frame).toContain('last health checks (3 of 4):');
    expect(frame).not.toContain('first check');
    expect(dialogText(frame)).toContain('fourth: 503 from /health: database "netra" does not exist');
    expect(frame).toContain('last log lines (10 of 14):');
    expect(frame).not.toContain('log line 4:');
    expect(frame).toContain('log line 5: starting');
    expect(dialogText(frame)).toContain('log line 14: FATAL: could not open the database: collation version mismatch between musl and glibc');
    expect(frame).toContain('Runs now: nothing');
    expect(frame).toContain('v revert to regular');
    await app.press('v');
    expect(app.calls('revertSwitch')).toHaveLength(1);
  });

  it('done, reverted: says the target did not come up and what runs now, with the evidence; no v', async () => {
    const reverted = { ...failed('regular'), result: 'reverted' as const, runningNow: 'regular' as const };
    const app = await dialog({ step: 'done', kind: 'switch', plan: plan(), outcome: reverted, compared: [] });
    const frame = await app.waitFor('✘ netra: alpine did not come up (backend is unhealthy); reverted, regular runs now');
    expect(frame).toContain('backend did not come up');
    expect(frame).toContain('Runs now: regular');
    expect(frame).not.toContain('reverted to alpine');
    expect(frame).not.toContain('v revert');
  });

  it('done, failed with nothing to go back to: no v', async () => {
    const app = await dialog({ step: 'done', kind: 'switch', plan: plan({ from: null }), outcome: failed(null), compared: [] });
    const frame = await app.waitFor('backend did not come up');
    expect(frame).not.toContain('revert');
    await app.press('v');
    expect(app.calls('revertSwitch')).toEqual([]);
    await app.press(KEY.esc);
    expect(app.calls('closeSwitch')).toHaveLength(1);
  });

  it('compare: the confirmation says it brings each variant up in turn and leaves the stack as it was', async () => {
    const app = await dialog({ step: 'confirm', kind: 'compare', plan: plan(), typed: '', notice: null });
    const frame = await app.waitFor('Type netra and press Enter to compare');
    expect(dialogText(frame)).toContain('Compare netra: brings each variant up in turn (alpine, then regular), measures both, and leaves the stack as it was (regular)');
  });

  it('compare done: both outcomes side by side', async () => {
    const alpine = outcome({ elapsedSeconds: 9.5 });
    const regular = outcome({
      to: 'regular',
      from: 'alpine',
      elapsedSeconds: 24.1,
      runningNow: 'regular',
      services: [measurement('backend', 'regular', 18.2, 650, 847e6, 1024), measurement('frontend', 'regular', 11, 250, 400e6, 512)],
    });
    const flow: SwitchFlow = { step: 'done', kind: 'compare', plan: plan(), outcome: { ...regular, result: 'switched' }, compared: [alpine, regular] };
    const app = await dialog(flow, { measurements: { netra: { regular: REGULAR_MEASURED } } });
    const frame = await app.waitFor('✔ compared netra: alpine then regular; regular runs now');
    expect(frame).toMatch(/alpine · switched in 9\.5 s\s+│ regular · switched in 24\.1 s/);
    expect(frame).toMatch(/backend\s+│ 6\.4 s\s+180MiB\/384MiB\s+186 MB\s+│ 18\.2 s\s+650MiB\/1\.0GiB\s+847 MB/);
    // This run's regular numbers, not the stored ones.
    expect(frame).not.toContain('17.0 s');
  });
});

describe('audit view', () => {
  it('shows stack switches next to rollbacks, the result coloured', async () => {
    const entry = (overrides: Partial<SwitchAuditEntry>): SwitchAuditEntry => ({
      time: '2026-11-22T12:00:05.000Z',
      user: 'dev',
      host: 'box',
      action: 'switch',
      stack: 'netra',
      project: 'netra',
      dockerHost: 'unix:///var/run/docker.sock',
      from: 'regular',
      to: 'alpine',
      result: 'switched',
      elapsedSeconds: 14.2,
      error: null,
      ...overrides,
    });
    const app = await renderApp({
      state: {
        audit: [entry({}), entry({ time: '2026-11-22T12:03:00.000Z', result: 'failed', from: null, elapsedSeconds: null, error: 'backend is unhealthy' })],
        ui: { overlay: 'audit' },
      },
    });
    const frame = await app.waitFor('Audit — this session (2)');
    expect(frame).toMatch(/12:00:05 switched\s+netra switch: regular → alpine \(14\.2 s\)/);
    expect(frame).toMatch(/12:03:00 failed\s+netra switch: nothing → alpine — backend is unhealthy/);
    expect(sgrAt(app.colorFrame(), 'switched ')).toContain('32');
    expect(sgrAt(app.colorFrame(), 'failed ')).toContain('31');
  });
});
