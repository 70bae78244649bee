/**
 * The whole console (`<App/>`) rendered through ink-testing-library with a real store, in the spirit of
 * gemini-cli's `renderWithProviders`: a partial state on top of a fresh store, recorded actions with harmless
 * defaults, a window of a given size, and keys sent as the bytes a terminal sends, so that they go through Ink's
 * own key parsing. Tests wait for what is on screen (or in the store), never for a fixed time.
 *
 *   const app = await renderApp({ state: { ui: { focus: 'cloudrun' } }, columns: 120, rows: 40 });
 *   await app.press('j', KEY.enter);
 *   await app.waitFor('revisions (Esc back)');
 *   expect(app.calls('refreshCloudRun')).toHaveLength(0);
 */
import chalk from 'chalk';
import { useStdin } from 'ink';
import { render } from 'ink-testing-library';
import { createElement, Fragment, useEffect } from 'react';
import stripAnsi from 'strip-ansi';
import type { CloudRunService } from '../../src/domain/cloud-run';
import type { LogLine, NewLogLine } from '../../src/domain/log-line';
import { DEFAULT_THRESHOLDS } from '../../src/domain/thresholds';
import type { ContainerInfo, ContainerStats } from '../../src/domain/types';
import { reduceCloudRun } from '../../src/store/cloud-run-state';
import { reduceDocker } from '../../src/store/docker-reducer';
import { LogRing } from '../../src/store/log-ring';
import { createAppStore, type AppState, type AppStore, type DockerState } from '../../src/store/store';
import { App } from '../../src/ui/App';
import { AppProvider, type AppActions } from '../../src/ui/context';
import { container as unitContainer, stats } from '../unit/support';
import { waitFor as waitUntil } from './wait';

/** What a terminal sends for each key (xterm sequences, as tmux sends them). */
export const KEY = {
  up: '\x1b[A',
  down: '\x1b[B',
  right: '\x1b[C',
  left: '\x1b[D',
  enter: '\r',
  esc: '\x1b',
  tab: '\t',
  shiftTab: '\x1b[Z',
  pageUp: '\x1b[5~',
  pageDown: '\x1b[6~',
  home: '\x1b[H',
  end: '\x1b[F',
  backspace: '\x7f',
  space: ' ',
  ctrlC: '\x03',
  ctrlR: '\x12',
} as const;

export const NOW = Date.now();
export const TEST_HOST = 'unix:///var/run/docker.sock';

type DeepPartial<T> = T extends readonly unknown[] ? T : T extends object ? { [K in keyof T]?: DeepPartial<T[K]> } : T;
export type StatePatch = DeepPartial<AppState>;

export interface RenderAppOptions {
  /** Merged deeply into the fresh store's state (plain objects merge; arrays and other values replace). */
  state?: StatePatch;
  /** Replaces the recorded defaults; every call is recorded either way. */
  actions?: Partial<AppActions> | ((ctx: { store: AppStore; logRing: LogRing }) => Partial<AppActions>);
  /** Lines put in the log ring before the first frame (the store's `logs.lastSeq` follows). */
  logLines?: NewLogLine[];
  logCapacity?: number;
  columns?: number;
  rows?: number;
}

export type ActionName = keyof AppActions;
type Predicate = string | RegExp | ((frame: string, store: AppStore) => boolean);

export interface RenderedApp {
  store: AppStore;
  logRing: LogRing;
  actions: AppActions;
  /** The arguments of every call of an action, in order. */
  calls(name: ActionName): unknown[][];
  /** The screen as text (no colours). */
  lastFrame(): string;
  /** The screen with its SGR colour and attribute sequences. */
  colorFrame(): string;
  /** Sends keys one at a time (each one read by Ink before the next is sent). */
  press(...keys: string[]): Promise<void>;
  /** Types text a character at a time. */
  type(text: string): Promise<void>;
  /** Sends bytes in one write, as a burst of fast typing or a paste arrives. */
  burst(bytes: string): Promise<void>;
  /** Waits for text (or a condition on the frame and the store); returns the frame. */
  waitFor(predicate: Predicate, what?: string): Promise<string>;
  /** Adds log lines as the ingest does, and tells the store. */
  addLogLines(lines: NewLogLine[]): void;
  /** Makes the window another size (as a terminal's resize would). */
  resize(columns: number, rows: number): Promise<void>;
  /** True once the app has exited (it unmounted itself, e.g. after q). */
  exited(): boolean;
  unmount(): void;
}

const WAIT_MS = 3_000;
const mounted = new Set<RenderedApp>();

/** Unmounts what a test left mounted; call from afterEach. */
export function cleanupApps(): void {
  for (const app of [...mounted]) app.unmount();
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;
}

function deepMerge<T>(base: T, patch: unknown): T {
  if (!isPlainObject(base) || !isPlainObject(patch)) return (patch === undefined ? base : patch) as T;
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(patch)) out[key] = key in out ? deepMerge(out[key], value) : value;
  return out as T;
}

/** A real store as the console creates it (sandbox Cloud Run, default thresholds), with `patch` on top. */
export function makeStore(patch: StatePatch = {}): AppStore {
  const store = createAppStore({
    host: TEST_HOST,
    thresholds: DEFAULT_THRESHOLDS,
    historyLength: 30,
    showAll: false,
    cloudRun: { mode: 'sandbox', project: 'netra-staging', region: 'us-central1', endpoint: 'in-process sandbox' },
    rollbackOrder: ['netra-frontend-staging', 'netra-auth', 'netra-backend-staging'],
    auditPath: '/tmp/netra-test/audit-sandbox.log',
  });
  store.setState(deepMerge(store.getState(), patch), true);
  return store;
}

/**
 * The Docker part of the state as the engine's events and stats would leave it (alerts computed by the reducer):
 * connected, with these containers and, for the ids given, their stats.
 */
/**
 * When `dockerWith`'s stats frames arrived: by default a time no test outlives, so figures never turn stale (older than
 * STATS_STALE_MS) while a long test on a loaded machine runs.
 */
const CURRENT_FRAMES = NOW + 3_600_000;

export function dockerWith(
  containers: ContainerInfo[],
  stats: Record<string, ContainerStats | ContainerStats[]> = {},
  statsReceivedAt = CURRENT_FRAMES,
): DockerState {
  const base = makeStore().getState().docker;
  const state = reduceDocker(
    base,
    [
      { type: 'connection', connection: { state: 'connected' } },
      { type: 'sync', containers },
      ...Object.entries(stats).flatMap(([id, s]) => (Array.isArray(s) ? s : [s]).map((one) => ({ type: 'stats' as const, id, stats: one }))),
    ],
    { thresholds: DEFAULT_THRESHOLDS, historyLength: 30, now: NOW },
  );
  return { ...state, stats: Object.fromEntries(Object.entries(state.stats).map(([id, entry]) => [id, { ...entry, receivedAt: statsReceivedAt }])) };
}

/** The Cloud Run part of the state after a successful read of `services` (alerts computed as the poller's are). */
export function cloudRunWith(services: CloudRunService[], at = NOW): AppState['cloudRun'] {
  return reduceCloudRun(makeStore().getState().cloudRun, { kind: 'data', services, at });
}

/** Reports whenever Ink hands a key to the input handlers, and when the app unmounts (it exited). */
function Probe({ onInput, onUnmount }: { onInput(): void; onUnmount(): void }) {
  const { internal_eventEmitter: events } = useStdin() as ReturnType<typeof useStdin> & { internal_eventEmitter?: NodeJS.EventEmitter };
  useEffect(() => {
    events?.on('input', onInput);
    return () => {
      events?.off('input', onInput);
    };
  }, [events, onInput]);
  useEffect(() => onUnmount, [onUnmount]);
  return null;
}

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

function sized(stdout: NodeJS.EventEmitter, columns: number, rows: number): void {
  Object.defineProperty(stdout, 'columns', { value: columns, configurable: true, writable: true });
  Object.defineProperty(stdout, 'rows', { value: rows, configurable: true, writable: true });
  stdout.emit('resize');
}

export async function renderApp(options: RenderAppOptions = {}): Promise<RenderedApp> {
  // Colours on, so that tests can see them (colorFrame); lastFrame strips them.
  const chalkLevel = chalk.level;
  chalk.level = 1;

  const store = makeStore(options.state);
  const logRing = new LogRing(options.logCapacity ?? 1_000);
  const recorded: Array<{ name: ActionName; args: unknown[] }> = [];
  const defaults: AppActions = {
    setShowAll: () => {},
    refreshCloudRun: () => {},
    runRollback: () => {},
    cancelRollback: () => {},
    startSwitch: () => {},
    runSwitch: () => {},
    buildMissing: () => {},
    revertSwitch: () => {},
    closeSwitch: () => {},
    startRebuild: () => {},
    runRebuild: () => {},
    closeRebuild: () => {},
    saveLogs: async () => 'saved 0 lines to netra-logs-test.log',
    loadLogEntry: () => {},
    runDoctor: () => {},
    restartContainer: () => {},
    ackAlert: () => {},
    silenceAlerts: async () => 'silenced',
    expireSilence: () => {},
  };
  const overrides = typeof options.actions === 'function' ? options.actions({ store, logRing }) : (options.actions ?? {});
  const impl = { ...defaults, ...overrides };
  const actions = Object.fromEntries(
    (Object.keys(impl) as ActionName[]).map((name) => [
      name,
      (...args: unknown[]) => {
        recorded.push({ name, args });
        return (impl[name] as (...a: unknown[]) => unknown)(...args);
      },
    ]),
  ) as unknown as AppActions;

  const addLogLines = (lines: NewLogLine[]) => {
    for (const line of lines) logRing.push(line);
    store.setState((s) => ({ logs: { ...s.logs, lastSeq: logRing.lastSeq } }));
  };
  if (options.logLines) addLogLines(options.logLines);

  let inputs = 0;
  let gone = false;
  const onInput = () => {
    inputs++;
  };
  const onUnmount = () => {
    gone = true;
  };

  // Mount nothing first, give stdout its size, then the console: it never renders at the library's fixed width.
  const instance = render(createElement(Fragment));
  sized(instance.stdout, options.columns ?? 120, options.rows ?? 40);
  instance.rerender(
    createElement(AppProvider, { store, actions, logRing, children: [createElement(App, { key: 'app' }), createElement(Probe, { key: 'probe', onInput, onUnmount })] }),
  );

  const colorFrame = () => instance.lastFrame() ?? '';
  const lastFrame = () => stripAnsi(colorFrame());
  let unmounted = false;

  const waitFor = async (predicate: Predicate, what?: string): Promise<string> => {
    const test =
      typeof predicate === 'string'
        ? (f: string) => f.includes(predicate)
        : predicate instanceof RegExp
          ? (f: string) => predicate.test(f)
          : (f: string) => predicate(f, store);
    const frame = await waitUntil(() => (test(lastFrame()) ? lastFrame() : null), {
      what: what ?? String(predicate),
      timeoutMs: WAIT_MS,
      intervalMs: 1,
      observe: lastFrame,
    });
    return frame;
  };

  /** Writes bytes and waits until Ink has handed `events` inputs to the handlers (Esc alone waits for its flush). */
  const send = async (bytes: string, events = 1): Promise<void> => {
    const target = inputs + events;
    instance.stdin.write(bytes);
    await waitUntil(() => inputs >= target || gone, { what: `Ink to read ${JSON.stringify(bytes)}`, timeoutMs: WAIT_MS, intervalMs: 1 });
    // Let React commit what the key changed.
    await tick();
  };

  const app: RenderedApp = {
    store,
    logRing,
    actions,
    calls: (name) => recorded.filter((c) => c.name === name).map((c) => c.args),
    lastFrame,
    colorFrame,
    press: async (...keys) => {
      for (const key of keys) await send(key);
    },
    type: async (text) => {
      for (const char of text) await send(char);
    },
    burst: (bytes) => send(bytes),
    waitFor,
    addLogLines,
    resize: async (columns, rows) => {
      sized(instance.stdout, columns, rows);
      await tick();
    },
    exited: () => gone,
    unmount: () => {
      if (unmounted) return;
      unmounted = true;
      mounted.delete(app);
      instance.unmount();
      instance.cleanup();
      chalk.level = chalkLevel;
    },
  };
  mounted.add(app);

  // Ready once the first frame is drawn and the input handlers listen (they attach in an effect).
  await waitFor((f) => f.length > 0 && instance.stdin.listenerCount('readable') > 0, 'the first frame');
  return app;
}

// ---------------------------------------------------------------------------------------------------------------
// Reading the screen

/** Lines of the frame, without trailing blanks. */
export function lines(frame: string): string[] {
  return frame.split('\n').map((l) => l.trimEnd());
}

/** The inside of a bordered line (`│ … │` or `║ … ║`), trimmed at the right. */
function inner(line: string): string {
  return line.replace(/^\s*[│║] ?/, '').replace(/ ?[│║]\s*$/, '').trimEnd();
}

/** The title line of a panel (the bordered line that contains `title`), as shown. */
export function titleLine(frame: string, title: string): string {
  return lines(frame).find((l) => l.includes(title)) ?? '';
}

/** The lines inside the panel whose title line contains `title`, up to its bottom border. */
export function panelLines(frame: string, title: string): string[] {
  const all = lines(frame);
  const start = all.findIndex((l) => l.includes(title));
  if (start < 0) return [];
  const out: string[] = [];
  for (const line of all.slice(start + 1)) {
    if (/^\s*[╰╚]/.test(line)) break;
    out.push(inner(line));
  }
  return out;
}

/** The data rows of a list panel: under its header, without blank filler, the totals row and the footer line. */
export function rowsOf(frame: string, title: string): string[] {
  return panelLines(frame, title)
    .slice(1)
    .filter((l) => l.trim() !== '' && !l.startsWith('TOTAL (') && !l.startsWith('last failing check'));
}

/** The last non-empty line of the frame (the footer or a notice). */
export function footerLine(frame: string): string {
  return lines(frame).filter((l) => l.trim() !== '').at(-1) ?? '';
}

/** The rows inside panels and overlays drawn in reverse video (the selection), as text. */
export function highlightedRows(colorFrame: string): string[] {
  return colorFrame
    .split('\n')
    .filter((l) => l.includes('\x1b[7m') && /^\s*[│║]/.test(stripAnsi(l)))
    .map((l) => inner(stripAnsi(l)))
    .filter((l) => !/^\[\d\] /.test(l));
}

/** The panel numbers whose titles are drawn in the focus colour (cyan, SGR 36). */
export function focusedPanels(colorFrame: string): number[] {
  return [1, 2, 3, 4, 5].filter((n) => sgrAt(colorFrame, `[${n}] `).includes('36'));
}

/** Which codes an SGR reset code turns off. */
const RESETS: Record<string, (code: string) => boolean> = {
  '39': (c) => /^(3[0-8]|9[0-7])$/.test(c),
  '49': (c) => /^(4[0-8]|10[0-7])$/.test(c),
  '22': (c) => c === '1' || c === '2',
  '23': (c) => c === '3',
  '24': (c) => c === '4',
  '27': (c) => c === '7',
};

/** The SGR codes in force where `text` first starts, on the first line that shows it (and `onLineWith`, if given). */
export function sgrAt(colorFrame: string, text: string, onLineWith = text): string[] {
  const line = colorFrame.split('\n').find((l) => stripAnsi(l).includes(onLineWith) && stripAnsi(l).includes(text));
  if (!line) return [];
  const target = stripAnsi(line).indexOf(text, stripAnsi(line).indexOf(onLineWith) >= 0 && onLineWith !== text ? 0 : 0);
  const open: string[] = [];
  let shown = 0;
  const re = /\x1b\[([\d;]*)m|([^\x1b]+)/g;
  for (let m = re.exec(line); m; m = re.exec(line)) {
    if (m[2] !== undefined) {
      shown += m[2].length;
      if (shown > target) break;
      continue;
    }
    for (const code of (m[1] || '0').split(';')) {
      if (code === '0') open.length = 0;
      else if (RESETS[code]) for (let i = open.length - 1; i >= 0; i--) (RESETS[code]!(open[i]!) ? open.splice(i, 1) : null);
      else open.push(code);
    }
  }
  return open;
}

// ---------------------------------------------------------------------------------------------------------------
// Test data

/** A healthy running container of the `netra` compose project, started an hour ago; override what a test is about. */
export function container(overrides: Partial<ContainerInfo> & { id: string }): ContainerInfo {
  return unitContainer({ startedAt: new Date(NOW - 3_600_000).toISOString(), ...overrides });
}

export { stats };

let logClock = Date.parse('2026-11-22T12:00:00.000Z');

/** A log line; times go up by 10 ms per line made. */
export function logLine(overrides: Partial<LogLine> = {}): NewLogLine {
  logClock += 10;
  return {
    origin: 'container',
    insertId: null,
    timestamp: new Date(logClock).toISOString(),
    source: 'netra-api-1',
    severity: 'DEFAULT',
    message: 'hello',
    detail: null,
    ...overrides,
  };
}
