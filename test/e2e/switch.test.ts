/**
 * The Alpine ⇄ regular switch in the real console (dist/cli.js) in a real terminal (tmux, 150×40), on the project's
 * own stack (docker/, docker-compose*.yml) built offline on the private engine and driven by the real
 * docker-compose: the Stacks panel, the preflight and plan, the typed confirmation, live progress, the measured
 * result side by side, then a switch that fails for real (a glibc extension on musl) and its one-key revert.
 */
import { readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, CLI, NODE, runCli } from '../support/cli-process';
import { DOCKER_BIN } from '../support/docker-engine';
import { providedEngine } from '../support/engine-context';
import { buildBackendWithGlibcExtension, buildStack, composeDown, ensureNetraBases, REPO_ROOT, runningServices, STACK_FILES, STANDIN_PREFIX, START_SCALE, TEST_PROJECT } from '../support/netra-stack';
import { panelLines, terminalEnv, titleLine, TmuxTerminal } from '../support/tmux-terminal';

const STACKS = '[5] Stacks';
const engine = providedEngine();
const term = new TmuxTerminal();
let home = '';


const ONLY = (variant: string) => ['auth', 'backend', 'frontend', 'postgres', 'redis'].map((s) => `${s}=${variant}`);

function stackRow(screen: string): string {
  return panelLines(screen, STACKS).find((l) => l.trim().startsWith('test ')) ?? '';
}

beforeAll(async () => {
  home = realpathSync(await mkdtemp(join(tmpdir(), 'e2e-switch-')));
  await Promise.all([buildCli(), ensureNetraBases(engine)]);
  await buildStack(engine, STACK_FILES.alpineTest, TEST_PROJECT);
  await buildStack(engine, STACK_FILES.test, TEST_PROJECT);
  await composeDown(engine, STACK_FILES.alpineTest, TEST_PROJECT, { volumes: true });
  const stack = {
    project: TEST_PROJECT,
    alpine: [join(REPO_ROOT, STACK_FILES.alpineTest)],
    regular: [join(REPO_ROOT, STACK_FILES.test)],
    env: { NETRA_BASE_PREFIX: STANDIN_PREFIX, NETRA_START_SCALE: START_SCALE },
  };
  writeFileSync(join(home, '.netra-console.yaml'), JSON.stringify({ docker: { cli: DOCKER_BIN, host: engine.host }, stacks: { test: stack } }));
  const up = await runCli(['switch', '--to', 'alpine', '--yes'], { cwd: home, timeoutMs: 150_000 });
  if (up.code !== 0) throw new Error(`the Alpine stack did not come up: ${up.stdout}${up.stderr}`);
  await term.start([NODE, CLI], { cols: 150, rows: 40, cwd: home, env: terminalEnv(home) });
}, 600_000);

afterAll(async () => {
  await term.close();
  await composeDown(engine, STACK_FILES.alpineTest, TEST_PROJECT, { volumes: true }).catch(() => undefined);
  await composeDown(engine, STACK_FILES.test, TEST_PROJECT, { volumes: true }).catch(() => undefined);
  if (home) await rm(home, { recursive: true, force: true });
}, 120_000);

describe('switching stacks in the console', { timeout: 180_000 }, () => {
  it('5 shows the stack running Alpine, healthy, with its measurement', async () => {
    await term.send('5');
    const screen = await term.waitForText((s) => /alpine\s+5\/5 healthy/.test(stackRow(s)), 30_000, 'the test stack running alpine, 5/5 healthy');
    expect(titleLine(screen, STACKS)).toContain('1/1');
    expect(stackRow(screen)).toMatch(/\d+\.\d s · \d+(\.\d)?MiB · \d+ MB\s+not measured/);
  });

  it('d on the healthy stack runs its runbooks: every check passes or says why it was skipped, none fails', async () => {
    await term.send('d');
    const screen = await term.waitForText((s) => /Runbooks — stack test · finished at/.test(s), 60_000, 'the runbooks of stack test to finish');
    const title = screen.split('\n').find((l) => l.includes('Runbooks — stack test'))!;
    expect(title).toMatch(/pass [1-9]\d* · fail 0 · skip \d+ · error 0/);
    await term.send('Escape');
    await term.waitForText((s) => !s.includes('Runbooks — '), 5_000, 'the runbooks view closed');
    // The same from a script, at the strictest threshold: the healthy stack fails nothing.
    const doctor = await runCli(['doctor', '--stack', 'test', '--fail-on', 'warning'], { cwd: home, timeoutMs: 60_000 });
    expect(doctor.code, doctor.stdout).toBe(0);
    expect(doctor.stdout).toMatch(/^doctor \(stack test\): 0 failed, 0 could not run, \d+ skipped, \d+ passed in/m);
  });

  it('S: preflight and plan; a wrong name is refused; the right one switches to regular, live, and measures it', async () => {
    await term.send('S');
    let screen = await term.waitForText('Type test and press Enter to switch', 20_000);
    expect(screen).toContain('Switch test: alpine → regular');
    expect(screen).toContain('✔ images: every target image is on the engine');
    expect(screen).toContain('✔ volumes: regular uses its own volumes');
    expect(screen).toMatch(/backend\s+netra-test-backend:latest .* mem 512 MiB → 2048 MiB · CPUs 0\.4 → 1/);

    await term.type('tesx');
    await term.send('Enter');
    screen = await term.waitForText('type test exactly to switch', 5_000);
    expect(await runningServices(engine, TEST_PROJECT)).toEqual(ONLY('alpine'));

    await term.send('BSpace');
    await term.type('t');
    await term.waitForText('test█', 5_000);
    await term.send('Enter');
    screen = await term.waitForText('Switching test to regular — do not close the console', 10_000);
    screen = await term.waitForText(/✔ test switched to regular in \d+\.\d s/, 120_000, 'the switched result');
    expect(screen).toContain('regular · this run');
    expect(screen).toContain('alpine · last');
    expect(screen).toMatch(/backend\s+│ \d+\.\d s\s+\d+(\.\d)?MiB\/2\.0GiB/);
    expect(await runningServices(engine, TEST_PROJECT)).toEqual(ONLY('regular'));

    await term.send('Escape');
    screen = await term.waitForText((s) => /regular\s+5\/5 healthy/.test(stackRow(s)), 30_000, 'the stack row to say regular');
    expect(stackRow(screen)).not.toContain('not measured');
  });

  it('a switch that fails for real (a glibc extension on musl) shows musl\'s words; v reverts to regular', async () => {
    await buildBackendWithGlibcExtension(engine);
    try {
      await term.send('S');
      await term.waitForText('Switch test: regular → alpine', 20_000);
      await term.type('test');
      await term.send('Enter');
      let screen = await term.waitForText(/✘ switching test to alpine failed after \d+\.\d s: backend/, 120_000, 'the failed switch');
      expect(screen).toContain('backend did not come up');
      expect(screen).toMatch(/Error relocating \/app\/native\/ext: \w+: symbol not found/);
      expect(screen).toContain('v revert to regular');

      await term.send('v');
      screen = await term.waitForText('✘ test: alpine did not come up', 120_000);
      expect(screen).toContain('reverted, regular runs now');
      expect(await runningServices(engine, TEST_PROJECT)).toEqual(ONLY('regular'));
      await term.send('Escape');
    } finally {
      await buildStack(engine, STACK_FILES.alpineTest, TEST_PROJECT, { services: ['backend'] });
    }
  });

  it('A lists every attempt of the session, and the audit log has them', async () => {
    await term.send('A');
    const screen = await term.waitForText('switched', 5_000);
    expect(screen).toMatch(/switched\s+test switch: alpine → regular/);
    expect(screen).toMatch(/failed\s+test switch: regular → alpine/);
    expect(screen).toMatch(/switched\s+test revert: alpine → regular/);
    const log = readFileSync(join(home, 'state', 'netra-console', 'audit.log'), 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as { action: string; to: string; result: string });
    expect(log.map((e) => `${e.action} ${e.to} ${e.result}`)).toEqual([
      'switch alpine confirmed',
      'switch alpine switched',
      'switch regular confirmed',
      'switch regular switched',
      'switch alpine confirmed',
      'switch alpine failed',
      'revert regular confirmed',
      'revert regular switched',
    ]);
  });
});
