/**
 * Only the console's own styling reaches the terminal: a log line's escape sequences are shown, not obeyed, and
 * NO_COLOR draws the console without any colour (bold, dim and inverse stay: the selection must still show).
 */
import { EventEmitter } from 'node:events';
import chalk from 'chalk';
import { render } from 'ink';
import { createElement } from 'react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { lineFromContainer } from '../../src/domain/log-line';
import { LogRing } from '../../src/store/log-ring';
import { App } from '../../src/ui/App';
import { stdoutForColourPolicy, withoutColour } from '../../src/ui/colour-policy';
import { AppProvider, type AppActions } from '../../src/ui/context';
import { cleanupApps, container, dockerWith, logLine, makeStore, renderApp } from '../support/render-app';
import { waitFor } from '../support/wait';

afterEach(cleanupApps);

/** SGR sequences that set a foreground or background colour (30–37, 38;…, 40–47, 48;…, 90–97, 100–107). */
const COLOUR_SGR = /\x1b\[(?:\d+;)*(?:3[0-8]|4[0-8]|9[0-7]|10[0-7])(?:;\d+)*m/;

describe('foreign text in the console', () => {
  it("a container line's colour, blink, title and clipboard sequences are shown visibly, never sent", async () => {
    const evil = lineFromContainer('evil-1', 'stdout', 'x \x1b[5;31mBLINK\x1b[0m \x1b]0;pwned\x07 \x1b]52;c;Y3VybA==\x07 done');
    const app = await renderApp({ logLines: [evil], state: { ui: { focus: 'logs', zoom: true } }, rows: 30 });
    const frame = await app.waitFor('done');
    expect(frame).toContain('x ␛[5;31mBLINK␛[0m ␛]0;pwned␇ ␛]52;c;Y3VybA==␇ done');
    const screen = app.colorFrame();
    expect(screen).not.toContain('\x1b[5;31m');
    expect(screen).not.toContain('\x1b]');
    expect(screen).not.toContain('\x07');
  });
});

/** A terminal as Ink sees it: a size, and every frame written. */
class FakeTerminal extends EventEmitter {
  columns = 120;
  rows = 40;
  isTTY = true;
  written = '';
  write = (text: string) => {
    this.written += text;
    return true;
  };
}

/** The whole console drawn through the colour policy into a fake terminal, as runConsole draws it. */
async function drawConsole(env: NodeJS.ProcessEnv): Promise<string> {
  const terminal = new FakeTerminal();
  const logRing = new LogRing(100);
  for (const line of [logLine({ severity: 'ERROR', message: 'db timeout' }), logLine({ severity: 'WARNING', message: 'slow' })]) logRing.push(line);
  const store = makeStore({
    docker: dockerWith([container({ id: 'a1', name: 'netra-api-1', health: 'unhealthy' }), container({ id: 'b2', name: 'netra-db-1', state: 'exited', exitCode: 1 })]),
    logs: { lastSeq: logRing.lastSeq },
  });
  const noop = () => {};
  const actions: AppActions = { setShowAll: noop, refreshCloudRun: noop, runRollback: noop, cancelRollback: noop, startSwitch: noop, runSwitch: noop, buildMissing: noop, revertSwitch: noop, closeSwitch: noop, startRebuild: noop, runRebuild: noop, closeRebuild: noop, saveLogs: async () => '', loadLogEntry: noop, runDoctor: noop, restartContainer: noop, ackAlert: noop, silenceAlerts: async () => '', expireSilence: noop };
  const instance = render(createElement(AppProvider, { store, actions, logRing, children: createElement(App) }), {
    stdout: stdoutForColourPolicy(terminal as unknown as NodeJS.WriteStream, env),
    debug: true,
    patchConsole: false,
  });
  await waitFor(() => terminal.written.includes('db timeout'), { what: 'the first frame', intervalMs: 5 });
  instance.unmount();
  return terminal.written;
}

describe('NO_COLOR', () => {
  const level = chalk.level;
  beforeEach(() => {
    chalk.level = 1; // colours on, as in a terminal, so that taking them out shows
  });
  afterEach(() => {
    chalk.level = level;
  });

  it('unset: the console is drawn in colour (the check that this test can see colour)', async () => {
    expect(await drawConsole({})).toMatch(COLOUR_SGR);
  });

  it('set and non-empty: no colour code at all, while bold and inverse (the selection) stay', async () => {
    const screen = await drawConsole({ NO_COLOR: '1' });
    expect(screen).not.toMatch(COLOUR_SGR);
    expect(screen).toContain('\x1b[7m');
    expect(screen).toContain('\x1b[1m');
  });

  it('FORCE_COLOR wins over it', async () => {
    expect(await drawConsole({ NO_COLOR: '1', FORCE_COLOR: '1' })).toMatch(COLOUR_SGR);
  });
});

describe('withoutColour', () => {
  it.each([
    ['\x1b[31mred\x1b[39m', 'red'],
    ['\x1b[1;31mbold red\x1b[22;39m', '\x1b[1mbold red\x1b[22m'],
    ['\x1b[43mmatch\x1b[49m', '\x1b[7mmatch\x1b[27m'],
    ['\x1b[38;5;208mx\x1b[38;2;1;2;3my\x1b[0m', 'xy\x1b[0m'],
    ['\x1b[7;36msel\x1b[27;39m', '\x1b[7msel\x1b[27m'],
  ])('%j → %j', (input, output) => {
    expect(withoutColour(input)).toBe(output);
  });
});
