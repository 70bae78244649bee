/** The Runbooks view (D, and d on the Containers and Stacks panels): results, detail, re-runs and one-key fixes. */
import { afterEach, describe, expect, it } from 'vitest';
import type { CheckResult } from '../../src/domain/checks/types';
import type { StackDefinition } from '../../src/domain/stacks';
import type { DoctorState } from '../../src/store/store';
import { cleanupApps, cloudRunWith, container, dockerWith, footerLine, highlightedRows, KEY, NOW, renderApp, sgrAt, type RenderAppOptions } from '../support/render-app';
import { staging } from './fixtures';

afterEach(cleanupApps);

const TITLE = 'Runbooks — ';
const NETRA: StackDefinition = { name: 'netra', project: 'netra', files: { alpine: ['/stacks/netra/docker-compose.alpine.yml'], regular: ['/stacks/netra/docker-compose.yml'] }, env: {} };

/** A result; a container's subject names the container only (the view finds its stack), as when it is no stack's. */
function result(r: Pick<CheckResult, 'code' | 'scope' | 'target' | 'status'> & Partial<CheckResult>): CheckResult {
  const subject = r.scope === 'container' ? { container: r.target } : r.scope === 'cloudrun' ? { cloudRunService: r.target } : {};
  return { title: `title of ${r.code}`, severity: 'warning', evidence: [], fix: `fix of ${r.code}`, command: `docker inspect ${r.target}`, location: null, safeFix: null, subject, ...r };
}

const OOM = result({
  code: 'NC103',
  scope: 'container',
  target: 'netra-api-1',
  status: 'fail',
  severity: 'error',
  title: 'Container was OOM-killed',
  evidence: ['State.OOMKilled: true', 'HostConfig.Memory: 268435456 (256 MiB)'],
  fix: 'Raise mem_limit in the compose file or find the leak',
  command: 'docker inspect netra-api-1 --format {{.State.OOMKilled}}',
  location: { file: '/stacks/netra/docker-compose.alpine.yml', line: 12 },
  safeFix: 'restart-container',
});

/** One result of every status, over every scope. */
const EVERY: CheckResult[] = [
  result({ code: 'NC601', scope: 'cloudrun', target: 'netra-backend-staging', status: 'fail', severity: 'error', title: 'Service not ready', safeFix: 'open-rollback' }),
  result({ code: 'NC501', scope: 'host', target: 'host', status: 'pass', title: 'Engine has memory to spare' }),
  result({ code: 'NC301', scope: 'dockerfile', target: '/stacks/netra/backend/Dockerfile', status: 'skip', title: 'Dockerfile pins its base', skipReason: 'excluded in the config (doctor.exclude)', subject: { stack: 'netra', service: 'api' } }),
  result({ code: 'NC101', scope: 'container', target: 'netra-api-1', status: 'pass', title: 'Health check passes' }),
  OOM,
  result({ code: 'NC110', scope: 'container', target: 'netra-db-1', status: 'running', title: 'Start-up within its start period' }),
  result({ code: 'NC111', scope: 'container', target: 'netra-db-1', status: 'queued', title: 'Runs as non-root' }),
  result({ code: 'NC201', scope: 'service', target: 'netra/api', status: 'fail', title: 'Image missing', safeFix: 'open-rebuild', subject: { stack: 'netra', variant: 'alpine', service: 'api' } }),
  result({ code: 'NC401', scope: 'stack', target: 'netra', status: 'error', title: 'Compose files valid', evidence: ['compose config: exit status 1'], subject: { stack: 'netra', variant: 'alpine' } }),
];

function doctor(results: CheckResult[], patch: Partial<DoctorState> = {}): DoctorState {
  return { results, running: false, scope: 'everything', startedAt: NOW - 4_000, finishedAt: NOW, openKey: null, ...patch };
}

async function openView(options: RenderAppOptions & { results?: CheckResult[] } = {}) {
  const docker = dockerWith([container({ id: 'api' }), container({ id: 'db' })]);
  const app = await renderApp({ rows: 40, columns: 140, ...options, state: { docker, cloudRun: cloudRunWith(staging()), stacks: { definitions: [NETRA] }, doctor: doctor(options.results ?? EVERY), ...options.state } });
  await app.press('D');
  await app.waitFor(TITLE);
  return app;
}

/** The view's lines from its title down, without the borders. */
function viewLines(frame: string): string[] {
  const all = frame.split('\n');
  return all
    .slice(all.findIndex((l) => l.includes(TITLE)))
    .map((l) => l.replace(/^║ ?/, '').replace(/ ?║\s*$/, '').trimEnd())
    .filter((l) => l.trim() !== '' && !/^[╚╔]/.test(l));
}

describe('Runbooks view: the list', () => {
  it('D with no results yet runs everything once, and says so in the title', async () => {
    const app = await renderApp({
      actions: ({ store }) => ({ runDoctor: (selection) => store.setState((s) => ({ doctor: { ...s.doctor, running: true, scope: Object.keys(selection).length ? 'narrow' : 'everything', startedAt: NOW } })) }),
    });
    await app.press('D');
    const frame = await app.waitFor('Runbooks — everything · running: 0/0 done');
    expect(frame).toContain('Gathering facts…');
    expect(app.calls('runDoctor')).toEqual([[{}]]);
  });

  it('with results it runs nothing; every status shows as glyph and word, grouped by target, failures first', async () => {
    const app = await openView();
    const frame = app.lastFrame();
    expect(app.calls('runDoctor')).toEqual([]);
    expect(frame).toMatch(/Runbooks — everything · finished at \d\d:\d\d:\d\d · pass 2 · fail 3 · skip 1 · error 1 · D or Esc closes/);
    const lines = viewLines(frame);
    const headings = lines.filter((l) => / — \d+ of \d+ failing$/.test(l));
    expect(headings).toEqual([
      'Stacks — 1 of 1 failing',
      'Services — 1 of 1 failing',
      'Containers — 1 of 4 failing',
      'Dockerfiles — 0 of 1 failing',
      'Host — 0 of 1 failing',
      'Cloud Run — 1 of 1 failing',
    ]);
    const containers = lines.slice(lines.indexOf('Containers — 1 of 4 failing') + 1, lines.indexOf('Dockerfiles — 0 of 1 failing'));
    expect(containers.map((l) => l.split(/\s{2,}|\s(?=NC)/)[0])).toEqual(['✘ fail', '◌ running', '· queued', '✔ pass']);
    expect(containers[0]).toMatch(/^✘ fail\s+error\s+NC103\s+netra-api-1\s+Container was OOM-killed$/);
    expect(lines.find((l) => l.includes('NC401'))).toMatch(/^! error\s+warning\s+NC401\s+netra\s+Compose files valid$/);
    expect(lines.find((l) => l.includes('NC301'))).toMatch(/^– skip /);
    // Colour helps; the word says it.
    expect(sgrAt(app.colorFrame(), '✘ fail')).toContain('31');
    expect(sgrAt(app.colorFrame(), '✔ pass')).toContain('32');
    // The first row is selected, and f says what it would do only for a failed result with a safe fix.
    expect(highlightedRows(app.colorFrame())[0]).toContain('NC401');
    expect(frame).not.toContain('f fix:');
  });

  it('j/k and arrows move; the f hint shows on a failed check with a safe fix', async () => {
    const app = await openView();
    await app.press('j');
    await app.waitFor(() => highlightedRows(app.colorFrame())[0]?.includes('NC201') === true, 'NC201 selected');
    expect(app.lastFrame()).toContain('f fix: open the rebuild dialog');
    await app.press(KEY.down, 'j');
    await app.waitFor(() => highlightedRows(app.colorFrame())[0]?.includes('NC110') === true, 'NC110 selected');
    expect(app.lastFrame()).not.toContain('f fix:');
    await app.press('k');
    await app.waitFor('f fix: restart the container (asks y/n)');
    await app.press(KEY.up, KEY.up);
    await app.waitFor(() => highlightedRows(app.colorFrame())[0]?.includes('NC401') === true, 'back at the top');
  });
});

describe('Runbooks view: the detail', () => {
  it('Enter shows evidence, fix, the command and where; j follows; Esc goes back, then closes', async () => {
    const app = await openView();
    await app.press('j', 'j', KEY.enter);
    const frame = await app.waitFor('Evidence (2):');
    expect(app.store.getState().doctor.openKey).toBe('NC103 netra-api-1');
    const text = viewLines(frame).join('\n');
    expect(text).toContain('✘ FAIL · error · NC103 · netra-api-1');
    expect(text).toContain('Container was OOM-killed');
    expect(text).toContain('  State.OOMKilled: true');
    expect(text).toContain('  HostConfig.Memory: 268435456 (256 MiB)');
    expect(text).toContain('Fix: Raise mem_limit in the compose file or find the leak');
    expect(text).toContain('See it yourself: $ docker inspect netra-api-1 --format {{.State.OOMKilled}}');
    expect(text).toContain('Where: /stacks/netra/docker-compose.alpine.yml:12');
    expect(text).toContain('f fix: restart the container (asks y/n)');
    await app.press(KEY.esc);
    await app.waitFor('Containers — 1 of 4 failing');
    expect(app.store.getState().doctor.openKey).toBeNull();
    await app.press('G', KEY.enter);
    await app.waitFor('Where: not known');
    await app.press('k', 'k');
    const skipped = await app.waitFor('Skipped: excluded in the config (doctor.exclude)');
    expect(skipped).toContain('– SKIP · warning · NC301');
    await app.press(KEY.esc, KEY.esc);
    await app.waitFor((f) => !f.includes(TITLE) && f.includes('[1] Containers'), 'closed');
  });
});

describe('Runbooks view: runs', () => {
  it('r runs the selected check again for its target; R runs the whole run again', async () => {
    const app = await openView();
    await app.press('r');
    expect(app.calls('runDoctor')).toEqual([[{ code: 'NC401', stack: 'netra' }]]);
    await app.press('j', 'r', 'j', 'r', 'G', 'r');
    expect(app.calls('runDoctor').slice(1)).toEqual([[{ code: 'NC201', stack: 'netra', service: 'api' }], [{ code: 'NC103', container: 'netra-api-1' }], [{ code: 'NC601' }]]);
    await app.press('k', 'k', 'r');
    expect(app.calls('runDoctor').at(-1)).toEqual([{ code: 'NC301', stack: 'netra', service: 'api' }]);
    await app.press('R');
    expect(app.calls('runDoctor').at(-1)).toEqual([{}]);
  });

  it('d on the Containers panel runs the selected container’s checks and opens the view; R runs those again', async () => {
    const docker = dockerWith([container({ id: 'api' }), container({ id: 'db' })]);
    const app = await renderApp({ state: { docker, doctor: doctor([], { finishedAt: null, scope: '' }) } });
    await app.press('j', 'd');
    await app.waitFor(TITLE);
    expect(app.calls('runDoctor')).toEqual([[{ container: 'netra-db-1' }]]);
    await app.press('R');
    expect(app.calls('runDoctor')).toEqual([[{ container: 'netra-db-1' }], [{ container: 'netra-db-1' }]]);
  });

  it('d on the Stacks panel runs the selected stack’s checks', async () => {
    const app = await renderApp({ state: { stacks: { definitions: [NETRA] }, ui: { focus: 'stacks' } } });
    await app.press('d');
    await app.waitFor(TITLE);
    expect(app.calls('runDoctor')).toEqual([[{ stack: 'netra' }]]);
  });
});

describe('Runbooks view: one-key fixes', () => {
  it('restart asks y/n first: n changes nothing, y restarts the container', async () => {
    const app = await openView();
    await app.press('j', 'j', 'f');
    await app.waitFor('Restart container netra-api-1? y restart · n or Esc cancel (nothing changes)');
    // A dialog now: nothing else works, q does not quit.
    await app.press('q', 'r');
    expect(app.exited()).toBe(false);
    expect(app.calls('runDoctor')).toEqual([]);
    await app.press('n');
    await app.waitFor('restart cancelled: nothing changed');
    expect(app.calls('restartContainer')).toEqual([]);
    await app.press('f');
    await app.waitFor('Restart container netra-api-1?');
    await app.press('y');
    await app.waitFor('restart of netra-api-1 requested');
    expect(app.calls('restartContainer')).toEqual([['netra-api-1']]);
    expect(app.store.getState().ui.overlay).toBe('runbooks');
  });

  it('open-rebuild opens the rebuild of the stack and service, from a service or a container result', async () => {
    const rebuildFromContainer = result({ code: 'NC202', scope: 'container', target: 'netra-db-1', status: 'fail', safeFix: 'open-rebuild' });
    const noStack = result({ code: 'NC203', scope: 'container', target: 'lab-web-1', status: 'fail', safeFix: 'open-rebuild' });
    const app = await openView({ results: [...EVERY, rebuildFromContainer, noStack] });
    await app.press('j', 'f');
    expect(app.calls('startRebuild')).toEqual([['netra', 'api']]);
    // Failed containers sort by name: lab-web-1 belongs to no configured stack.
    await app.press('j', 'f');
    await app.waitFor((f) => footerLine(f).includes('lab-web-1 is not part of a configured stack (stacks:)'), 'the notice');
    expect(app.calls('startRebuild')).toHaveLength(1);
    // The container's stack and service come from its compose project (store.docker) and the configured stacks.
    await app.press('j', 'j', 'f');
    expect(app.calls('startRebuild')).toEqual([['netra', 'api'], ['netra', 'db']]);
  });

  it('open-rollback opens the rollback dialog for the Cloud Run service, as r on the Cloud Run panel does', async () => {
    const app = await openView({ state: { ui: { filters: { cloudrun: 'auth' } } } });
    await app.press('G', 'f');
    await app.waitFor((_, store) => store.getState().ui.overlay === 'rollback', 'the rollback dialog');
    const flow = app.store.getState().rollback;
    expect(flow?.step === 'choose' && flow.services.map((s) => s.name)).toEqual(['netra-backend-staging']);
  });

  it('f on a check that passed, or failed without a safe fix, says so and does nothing', async () => {
    const app = await openView();
    await app.press('G', 'k', 'f');
    await app.waitFor('NC501 on host: no one-key fix (it did not fail: pass)');
    expect(app.calls('restartContainer')).toEqual([]);
    expect(app.calls('startRebuild')).toEqual([]);
    expect(app.store.getState().ui.overlay).toBe('runbooks');
  });

  it('read-only: f is refused with a notice, and its hint is not shown', async () => {
    const app = await openView({ state: { readOnly: true } });
    await app.press('j', 'j');
    await app.waitFor(() => highlightedRows(app.colorFrame())[0]?.includes('NC103') === true, 'NC103 selected');
    expect(app.lastFrame()).not.toContain('f fix:');
    await app.press('f');
    await app.waitFor((f) => footerLine(f).includes('read-only console: fix refused'), 'refused');
    expect(app.store.getState().ui.overlay).toBe('runbooks');
    expect(app.calls('restartContainer')).toEqual([]);
  });
});

describe('help', () => {
  it('lists D among the global keys and d on the Containers and Stacks panels', async () => {
    const app = await renderApp({ rows: 50 });
    await app.press('?');
    const frame = await app.waitFor('Keys — press ? or Esc to close');
    expect(frame).toMatch(/D {10}Runbooks view/);
    expect(frame).toMatch(/d {10}Runbooks: run the checks of the selected container/);
    await app.press(KEY.esc, '5', '?');
    expect(await app.waitFor('Keys — press ? or Esc to close')).toMatch(/d {10}Runbooks: run the checks of the selected stack/);
  });

  it('? over the view lists its own keys first, and Esc goes back to the view, not to the panels', async () => {
    const app = await openView();
    await app.press('?');
    const help = await app.waitFor('Keys — press ? or Esc to close');
    expect(help).toMatch(/r {10}Run the selected check again/);
    expect(help).toMatch(/f {10}Apply the safe fix/);
    expect(help.indexOf('Runbooks view')).toBeLessThan(help.indexOf('Global'));
    await app.press(KEY.esc);
    expect(await app.waitFor(TITLE)).toContain(TITLE);
  });
});
