/**
 * The Logs panel [4] of the real CLI (dist/cli.js, built from src/ in beforeAll) in a real terminal (tmux, 150×45):
 * Cloud Run entries from a sandbox started here (passed with --gcp-endpoint) and the numbered lines of a container
 * on the private test engine, in one list. Every key of the Logs group is pressed as a person would, and the test
 * asserts on what the screen shows (attributes from `capture-pane -e` for highlights and the selected line).
 */
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index';
import { docker, FIXTURE_IMAGES, runContainer } from '../support/docker-engine';
import { buildCli, CLI, NODE } from '../support/cli-process';
import { providedEngine } from '../support/engine-context';
import { frame, panelLines, terminalEnv, titleLine, TmuxTerminal } from '../support/tmux-terminal';

const COLS = 150;
const ROWS = 45;
/** Start-up: Node, the first frame, the Google clients, the tail and the container stream. */
const SLOW = 25_000;
const QUICK = 5_000;

const engine = providedEngine();
const suffix = String(Math.floor(Math.random() * 1e6)).padStart(6, '0');
const project = `e2l-${suffix}`;
const TICKER = `${project}-ticker`;
const LOGS = '[4] Logs';

/**
 * Four numbered lines a second on stdout (every fourth marked "beacon", every tenth followed by a 220-character
 * line ending "tail-end") and every third number also on stderr ("slow"). No line has a level word: all are DEFAULT.
 */
const TICKER_CMD = [
  'sh',
  '-c',
  `trap 'exit 0' TERM
n=0
while :; do n=$((n+1))
  if [ $((n % 4)) -eq 0 ]; then echo "tick $n beacon"; else echo "tick $n"; fi
  if [ $((n % 3)) -eq 0 ]; then echo "tick $n slow" >&2; fi
  if [ $((n % 10)) -eq 0 ]; then echo "tick $n long $(printf '%0200d' 0) tail-end"; fi
  sleep 0.25
done`,
];

interface Row {
  time: string | null;
  source: string;
  severity: string;
  message: string;
}

const TIME = /^\d\d:\d\d:\d\d\.\d{3} /;
const SEVERITY_CELL = '(DEFAULT|DEBUG|INFO|NOTICE|WARNING|ERROR|CRITICA|ALERT|EMERGEN)';

/** The log rows of the Logs panel (time, 28-wide source, 7-wide severity, message); other lines are left out. */
function logRows(screen: string): Row[] {
  const rows: Row[] = [];
  for (const line of panelLines(screen, LOGS)) {
    const timed = new RegExp(`^(\\d\\d:\\d\\d:\\d\\d\\.\\d{3}) (.{28}) ${SEVERITY_CELL}\\s+(.*)$`).exec(line);
    const untimed = new RegExp(`^(.{28}) ${SEVERITY_CELL}\\s+(.*)$`).exec(line);
    if (timed) rows.push({ time: timed[1]!, source: timed[2]!.trim(), severity: timed[3]!, message: timed[4]!.trim() });
    else if (untimed) rows.push({ time: null, source: untimed[1]!.trim(), severity: untimed[2]!, message: untimed[3]!.trim() });
  }
  return rows;
}

const isTicker = (r: Row) => r.source === TICKER || r.source === `${TICKER} (stderr)`;
const isCloud = (r: Row) => /^netra-[a-z-]+\/\d{5}$/.test(r.source);
const tickOf = (text: string) => Number(/tick (\d+)/.exec(text)?.[1] ?? NaN);
const stripEscapes = (text: string) => text.replace(/\x1b\[[\d;]*m/g, '');

/** The SGR parameters in force where `text` first starts in an attributed line (since the last reset). */
function attributesAt(attributedLine: string, text: string): Set<string> {
  const plain = stripEscapes(attributedLine);
  const target = plain.indexOf(text);
  const active = new Set<string>();
  if (target < 0) return active;
  let plainIndex = 0;
  const pattern = /\x1b\[([\d;]*)m/g;
  let last = 0;
  for (let m = pattern.exec(attributedLine); m; m = pattern.exec(attributedLine)) {
    plainIndex += m.index - last;
    last = m.index + m[0].length;
    if (plainIndex > target) break;
    for (const param of m[1]!.split(';')) {
      if (param === '' || param === '0') active.clear();
      else active.add(param);
    }
  }
  return active;
}

/** A screen line without escape codes and without the panel's side borders. */
const inner = (attributedLine: string) => stripEscapes(attributedLine).replace(/^\s*│ ?/, '').replace(/ ?│\s*$/, '');

/** The plain text of the Logs panel row drawn in reverse video (the selected line), if any. */
function selectedRow(attributed: string): string | undefined {
  const lines = attributed.split('\n');
  const start = lines.findIndex((l) => stripEscapes(l).includes(LOGS));
  if (start < 0) return undefined;
  const row = lines.slice(start + 1).find((l) => TIME.test(inner(l)) && attributesAt(l, inner(l).slice(0, 12)).has('7'));
  return row === undefined ? undefined : inner(row);
}

const pausedCount = (screen: string) => {
  const match = /PAUSED \+(\d+) new/.exec(titleLine(screen, LOGS));
  return match ? Number(match[1]) : null;
};

let sandbox: Sandbox;

beforeAll(async () => {
  await Promise.all([
    buildCli(),
    (async () => {
      sandbox = await startSandbox({ logRatePerSecond: 3 });
    })(),
    runContainer(engine, { name: TICKER, image: FIXTURE_IMAGES.base, cmd: TICKER_CMD, project, service: 'ticker' }),
  ]);
});

afterAll(async () => {
  await sandbox?.stop();
  await docker(engine, ['rm', '-f', '-v', TICKER]);
});

describe('the Logs panel in a real terminal', () => {
  const term = new TmuxTerminal();
  let cwd = '';

  beforeAll(async () => {
    cwd = await mkdtemp(join(tmpdir(), 'e2e-logs-'));
    await writeFile(join(cwd, '.netra-console.yaml'), `docker:\n  projects: [${JSON.stringify(project)}]\n`);
    await term.start([NODE, CLI, '--gcp-endpoint', sandbox.endpoint], { cols: COLS, rows: ROWS, cwd, env: terminalEnv(cwd, { DOCKER_HOST: engine.host }) });
  });

  afterAll(async () => {
    await term.close();
    if (cwd) await rm(cwd, { recursive: true, force: true });
  });

  it('shows container and Cloud Run lines in one list under [4] Logs', async () => {
    const screen = await term.waitForText(
      (s) => logRows(s).some(isTicker) && logRows(s).some(isCloud) && titleLine(s, LOGS).includes('● cloud live'),
      SLOW,
      'ticker and Cloud Run lines with the tail live',
    );
    const title = titleLine(screen, LOGS);
    expect(title).toMatch(/\[4\] Logs ● cloud live · 1 containers · [\d,]+ lines/);
    expect(title).toContain('following');
    const rows = logRows(screen);
    expect(rows.every((r) => r.time !== null)).toBe(true);
    expect(rows.every((r) => isTicker(r) || isCloud(r)), frame(screen)).toBe(true);
    const tick = rows.find((r) => r.source === TICKER)!;
    expect(tick.message).toMatch(/^tick \d+( beacon| long 0+…?)?/);
    expect(tick.severity).toBe('DEFAULT');
    // stderr without a level word has no level either: not shown as a warning.
    await term.waitForText((s) => logRows(s).some((r) => r.source === `${TICKER} (stderr)` && r.severity === 'DEFAULT' && /^tick \d+ slow$/.test(r.message)), QUICK, 'a stderr line without a level');
  });

  it('4 focuses the Logs panel', async () => {
    await term.send('4');
    await term.waitForAttributes((s) => /\x1b\[[\d;]*36m\[4\] Logs/.test(s) && !/\x1b\[[\d;]*36m\[1\] /.test(s), QUICK, 'the Logs title in the focus colour');
  });

  it('/ searches and highlights the matches; f shows only the matching lines', async () => {
    await term.send('/');
    await term.type('beacon');
    await term.send('Enter');
    await term.waitForText((s) => titleLine(s, LOGS).includes('/beacon'), QUICK, 'the search in the header');
    const attributed = await term.waitForAttributes(
      (s) => s.split('\n').some((l) => stripEscapes(l).includes(' beacon') && attributesAt(l, 'beacon').has('43')),
      QUICK,
      'a highlighted (yellow background) match',
    );
    // Only the match is highlighted, not the rest of the line.
    const line = attributed.split('\n').find((l) => stripEscapes(l).includes(' beacon'))!;
    expect(attributesAt(line, 'tick ').has('43')).toBe(false);

    await term.send('f');
    const only = await term.waitForText((s) => titleLine(s, LOGS).includes('/beacon (only matches)'), QUICK, 'only matches in the header');
    await term.waitForText((s) => logRows(s).length >= 3 && logRows(s).every((r) => r.message.endsWith('beacon')), QUICK, 'only beacon lines');
    expect(logRows(only).some(isCloud)).toBe(false);
    // Enter while following opens the newest line shown (a beacon), never a newer line the filter hides.
    await term.send('Enter');
    const opened = await term.waitForText('— Esc closes', QUICK);
    expect(opened).toMatch(/"text": "tick \d+ beacon"/);
    await term.send('Escape');
    await term.waitForNoText('— Esc closes', QUICK);
    await term.send('f');
    await term.waitForText((s) => logRows(s).some((r) => !r.message.endsWith('beacon')), QUICK, 'all lines again');
  });

  it('v raises the minimum severity, and the lines below it disappear', async () => {
    await term.send('v');
    let screen = await term.waitForText((s) => titleLine(s, LOGS).includes('≥INFO'), QUICK, '≥INFO in the header');
    expect(logRows(screen).some((r) => r.severity === 'DEBUG' || r.severity === 'DEFAULT')).toBe(false);
    await term.send('v');
    screen = await term.waitForText(
      (s) => titleLine(s, LOGS).includes('≥WARNING') && logRows(s).length > 0 && logRows(s).every((r) => ['WARNING', 'ERROR', 'CRITICA'].includes(r.severity)),
      QUICK,
      'only warnings and worse under ≥WARNING',
    );
    expect(logRows(screen).some(isTicker)).toBe(false);
    await term.send('v');
    screen = await term.waitForText((s) => titleLine(s, LOGS).includes('≥ERROR'), QUICK, '≥ERROR in the header');
    expect(logRows(screen).some((r) => r.severity === 'WARNING' || r.severity === 'INFO')).toBe(false);
    await term.send('v');
    await term.waitForText((s) => !titleLine(s, LOGS).includes('≥') && logRows(s).some((r) => r.severity === 'INFO'), QUICK, 'every severity again');
  });

  it('o cycles the sources: Cloud Run only, containers only, all', async () => {
    await term.send('o');
    await term.waitForText(
      (s) => titleLine(s, LOGS).includes('Cloud Run only') && logRows(s).length > 0 && logRows(s).every(isCloud),
      QUICK,
      'Cloud Run lines only',
    );
    await term.send('o');
    await term.waitForText(
      (s) => titleLine(s, LOGS).includes('containers only') && logRows(s).length > 0 && logRows(s).every(isTicker),
      QUICK,
      'container lines only',
    );
    await term.send('o');
    await term.waitForText(
      (s) => !/Cloud Run only|containers only/.test(titleLine(s, LOGS)) && logRows(s).some(isCloud) && logRows(s).some(isTicker),
      SLOW,
      'all sources again',
    );
  });

  it('Space pauses: the view stays, the header counts the new lines; End follows again', async () => {
    await term.send('Space');
    const paused = await term.waitForText((s) => pausedCount(s) !== null, QUICK, 'PAUSED in the header');
    const first = pausedCount(paused)!;
    const frozen = logRows(paused);
    const later = await term.waitForText((s) => (pausedCount(s) ?? 0) >= first + 4, SLOW, 'the count of new lines to grow');
    const grown = pausedCount(later)!;
    expect(grown).toBeGreaterThan(first);
    expect(logRows(later)).toEqual(frozen);
    expect(titleLine(later, LOGS)).toContain('End follows');
    const evenLater = await term.waitForText((s) => (pausedCount(s) ?? 0) > grown, SLOW, 'the count to keep growing');
    expect(logRows(evenLater)).toEqual(frozen);

    await term.send('End');
    const following = await term.waitForText((s) => titleLine(s, LOGS).includes('following') && !titleLine(s, LOGS).includes('PAUSED'), QUICK, 'following again');
    expect(logRows(following)).not.toEqual(frozen);
  });

  it('k scrolls back and pauses, with the selected line shown in reverse', async () => {
    await term.send('k');
    const screen = await term.waitForText((s) => pausedCount(s) !== null, QUICK, 'k to pause');
    const rows = logRows(screen);
    const attributed = await term.screenWithAttributes();
    const selected = selectedRow(attributed);
    expect(selected, attributed).toBeDefined();
    // One line up from the newest: the next-to-last row.
    expect(selected!.startsWith(`${rows.at(-2)!.time} `), `${selected}\n${frame(screen)}`).toBe(true);
    await term.send('k', 'k', 'k');
    await term.waitForAttributes((s) => {
      const now = selectedRow(s);
      return now !== undefined && now.startsWith(`${rows.at(-5)!.time} `) && now.includes(rows.at(-5)!.message.slice(0, 20));
    }, QUICK, 'the selection four lines up');
    await term.send('End');
    await term.waitForText((s) => titleLine(s, LOGS).includes('following'), QUICK, 'following again');
    expect(selectedRow(await term.screenWithAttributes())).toBeUndefined();
  });

  it('n / N jump between the lines matching the search; Enter shows the whole entry, Esc closes it', async () => {
    await term.send('n');
    const firstMatch = await term.waitForAttributes((s) => selectedRow(s)?.includes('beacon') === true, QUICK, 'n to select a beacon line');
    const first = tickOf(selectedRow(firstMatch)!);
    expect(pausedCount(stripEscapes(firstMatch))).not.toBeNull();
    await term.send('n');
    const secondMatch = await term.waitForAttributes((s) => {
      const row = selectedRow(s);
      return row?.includes('beacon') === true && tickOf(row) > first;
    }, QUICK, 'n to select the next beacon line');
    const second = tickOf(selectedRow(secondMatch)!);
    expect(second).toBe(first + 4);
    await term.send('N');
    await term.waitForAttributes((s) => tickOf(selectedRow(s) ?? '') === first, QUICK, 'N to go back to the previous match');

    await term.send('Enter');
    const entry = await term.waitForText((s) => s.includes('— Esc closes') && s.includes(`"container": "${TICKER}"`), QUICK, 'the whole container entry');
    expect(entry).not.toContain(LOGS);
    expect(entry).toContain(`${TICKER} DEFAULT — Esc closes`);
    expect(entry).toContain(`"text": "tick ${first} beacon"`);
    expect(entry).toContain('"stream": "stdout"');
    expect(entry).toContain(`"container": "${TICKER}"`);
    await term.send('Escape');
    await term.waitForText(LOGS, QUICK);
    await term.waitForNoText('— Esc closes', QUICK);

    // A Cloud Run entry shows all of it: insertId, resource, labels.
    await term.send('o', 'End', 'k');
    await term.waitForAttributes((s) => {
      const row = selectedRow(s);
      return row !== undefined && /^\S+ netra-[a-z-]+\/\d{5} /.test(row);
    }, QUICK, 'a Cloud Run line selected');
    await term.send('Enter');
    // Fetched from Cloud Logging by its insertId.
    // Waited for whole: a capture can land while the terminal is still painting the overlay (seen under load).
    const cloud = await term.waitForText((s) => s.includes('— Esc closes') && /"insertId": "[0-9a-f]+"/.test(s) && s.includes('"resource": {'), QUICK, 'the whole Cloud entry');
    expect(cloud).toContain('"resource": {');
    expect(cloud).toMatch(/"seq": "\d+"/);
    await term.send('Escape');
    await term.waitForText(LOGS, QUICK);
    await term.send('o', 'o', 'End');
    await term.waitForText((s) => titleLine(s, LOGS).includes('following') && !/only/.test(titleLine(s, LOGS)), QUICK, 'all sources, following');
  });

  it('s saves the filtered lines to a file and says where', async () => {
    await term.send('f');
    await term.waitForText((s) => titleLine(s, LOGS).includes('(only matches)'), QUICK, 'only matches');
    await term.send('s');
    const screen = await term.waitForText(/saved \d+ lines to \S+\.log/, QUICK, 'the saved notice');
    const [, count, path] = /saved (\d+) lines to (\S+\.log)/.exec(screen)!;
    expect(path!.startsWith(`${realpathSync(cwd)}/netra-logs-`) || path!.startsWith(`${cwd}/netra-logs-`)).toBe(true);
    expect(existsSync(path!)).toBe(true);
    const saved = readFileSync(path!, 'utf8').trimEnd().split('\n');
    expect(saved).toHaveLength(Number(count));
    expect(saved.length).toBeGreaterThanOrEqual(3);
    for (const line of saved) expect(line).toMatch(new RegExp(`^\\S+Z ${TICKER} DEFAULT tick \\d+ beacon$`));
    const ticks = saved.map(tickOf);
    expect(ticks).toEqual(ticks.map((_, i) => ticks[0]! + 4 * i));
    await term.send('f');
    await term.waitForText((s) => !titleLine(s, LOGS).includes('(only matches)'), QUICK, 'all lines again');
  });

  it('w wraps long lines instead of cutting them', async () => {
    await term.send('Escape');
    // In one write, as a paste would arrive: the Enter inside ends the search and the f after it is a key.
    await term.burst('/tail-end\rf');
    const cut = await term.waitForText(
      (s) => titleLine(s, LOGS).includes('/tail-end (only matches)') && logRows(s).length >= 2,
      SLOW,
      'the long lines, cut',
    );
    expect(logRows(cut).every((r) => /^tick \d+ long 0+…$/.test(r.message)), frame(cut)).toBe(true);
    expect(panelLines(cut, LOGS).join('\n')).not.toContain('tail-end');
    await term.send('w');
    const wrapped = await term.waitForText((s) => panelLines(s, LOGS).some((l) => l.includes('tail-end')), QUICK, 'the long lines wrapped');
    // Every long line shown whole: its zeros continue on the next row and end in "tail-end".
    const lines = panelLines(wrapped, LOGS).filter((l) => l.trim() !== '');
    const starts = lines.filter((l) => TIME.test(l)).length;
    expect(lines.filter((l) => l.includes('tail-end'))).toHaveLength(starts);
    await term.send('w', 'Escape');
    await term.waitForText((s) => !titleLine(s, LOGS).includes('/tail-end') && logRows(s).some(isCloud), QUICK, 'search cleared');
  });

  it('q quits and restores the terminal', async () => {
    await term.send('q');
    expect(await term.waitForExit(QUICK)).toBe(0);
    expect((await term.terminalState()).alternateScreen).toBe(false);
  });
});
