import { containerErrorRateAlerts, replaceKind, sortAlerts } from '../domain/alerts';
import { cloudErrorRateAlerts } from '../domain/cloud-run';
import { ErrorRateWindow } from '../domain/error-rate';
import { containerOfLine, SEVERITIES, severityRank, type LogLine, type Severity } from '../domain/log-line';
import { sameOrNew } from './docker-reducer';
import type { LogRing } from './log-ring';
import { findMatch, linesAfter, windowLines, type LogFilter, type LogOrigin } from './log-view';
import type { LogsState } from './logs-state';
import type { AppState, AppStore } from './store';

/** The complete filter of the logs panel: its toggles plus the `/` search text. */
export function logFilter(state: AppState): LogFilter {
  return { ...state.logs.filter, search: state.ui.filters.logs };
}

function setLogs(store: AppStore, patch: Partial<LogsState>): void {
  store.setState((s) => ({ logs: { ...s.logs, ...patch } }));
}

export function follow(store: AppStore): void {
  setLogs(store, { paused: false, anchorSeq: null, pausedAtSeq: null, cursorSeq: null });
}

export function togglePause(store: AppStore, ring: LogRing): void {
  const { logs } = store.getState();
  if (logs.paused) return follow(store);
  setLogs(store, { paused: true, anchorSeq: ring.lastSeq, pausedAtSeq: ring.lastSeq, cursorSeq: ring.lastSeq });
}

/**
 * Moves the selected line by `delta` visible lines. Moving back pauses the view (scrolling back must not be
 * yanked away by new lines); moving past the newest line resumes following.
 */
export function moveLogCursor(store: AppStore, ring: LogRing, delta: number): void {
  const state = store.getState();
  const filter = logFilter(state);
  const { logs } = state;
  const anchor = logs.paused ? logs.anchorSeq : ring.lastSeq;
  const cursor = logs.cursorSeq ?? anchor;
  if (cursor === null) return;
  if (delta > 0) {
    const target = linesAfter(ring, filter, cursor, delta).at(-1);
    if (!target || target.seq === ring.lastSeq) return follow(store);
    const visible = windowLines(ring, filter, anchor, logs.viewRows);
    const anchorSeq = visible.some((l) => l.seq === target.seq) ? anchor : target.seq;
    return setLogs(store, { paused: true, cursorSeq: target.seq, anchorSeq, pausedAtSeq: logs.pausedAtSeq ?? ring.lastSeq });
  }
  // The cursor's line and the |delta| lines before it.
  const target = windowLines(ring, filter, cursor, -delta + 1)[0];
  if (!target) return;
  const visible = windowLines(ring, filter, anchor, logs.viewRows);
  const anchorSeq = visible.some((l) => l.seq === target.seq) ? anchor : windowEndingAfter(ring, filter, target.seq, logs.viewRows);
  setLogs(store, { paused: true, cursorSeq: target.seq, anchorSeq, pausedAtSeq: logs.pausedAtSeq ?? ring.lastSeq });
}

/** The anchor that shows `seq` as the first of `rows` lines. */
function windowEndingAfter(ring: LogRing, filter: LogFilter, seq: number, rows: number): number {
  return linesAfter(ring, filter, seq - 1, rows).at(-1)?.seq ?? seq;
}

/** n / N: select the next or previous line matching the search, pausing the view there. */
export function jumpToMatch(store: AppStore, ring: LogRing, direction: 1 | -1): string | null {
  const state = store.getState();
  const filter = logFilter(state);
  if (!filter.search) return 'type a search with / first';
  const from = state.logs.cursorSeq ?? (direction === 1 ? 0 : ring.lastSeq + 1);
  const match = findMatch(ring, filter, from, direction);
  if (!match) return `no ${direction === 1 ? 'later' : 'earlier'} line matches /${filter.search}`;
  const visible = windowLines(ring, filter, state.logs.paused ? state.logs.anchorSeq : ring.lastSeq, state.logs.viewRows);
  const anchorSeq = visible.some((l) => l.seq === match.seq) && state.logs.paused ? state.logs.anchorSeq : windowEndingAfter(ring, filter, match.seq, Math.ceil(state.logs.viewRows / 2));
  setLogs(store, { paused: true, cursorSeq: match.seq, anchorSeq, pausedAtSeq: state.logs.pausedAtSeq ?? ring.lastSeq });
  return null;
}

const SEVERITY_STEPS: Severity[] = ['DEFAULT', 'INFO', 'WARNING', 'ERROR'];
const ORIGIN_STEPS: LogOrigin[] = ['all', 'cloud', 'container'];

function next<T>(steps: readonly T[], current: T): T {
  return steps[(steps.indexOf(current) + 1) % steps.length]!;
}

export function cycleSeverity(store: AppStore): void {
  const { filter } = store.getState().logs;
  setLogs(store, { filter: { ...filter, minSeverity: next(SEVERITY_STEPS, SEVERITIES.includes(filter.minSeverity) ? filter.minSeverity : 'DEFAULT') } });
}

export function cycleOrigin(store: AppStore): void {
  const { filter } = store.getState().logs;
  setLogs(store, { filter: { ...filter, origin: next(ORIGIN_STEPS, filter.origin) } });
}

export function toggleLogFlag(store: AppStore, flag: 'showTime' | 'wrap' | 'onlyMatches'): void {
  const { logs } = store.getState();
  if (flag === 'onlyMatches') return setLogs(store, { filter: { ...logs.filter, onlyMatches: !logs.filter.onlyMatches } });
  setLogs(store, { [flag]: !logs[flag] });
}

/** What Enter shows of a line held here: a container's original text, or a notice's details. */
function localDetail(line: LogLine): string {
  if (line.origin === 'container') return JSON.stringify({ ...containerOfLine(line), text: line.detail ?? line.message });
  return line.detail ?? JSON.stringify({ message: line.message });
}

type ViewPosition = Pick<LogsState, 'paused' | 'anchorSeq' | 'cursorSeq'>;

/**
 * The selected line among the lines shown: the cursor's when paused and shown, otherwise the newest shown. A
 * cursor the filters now hide, or the newest line in the ring when it does not pass them, is never the selection.
 */
export function selectedAmong(shown: readonly LogLine[], position: ViewPosition): LogLine | null {
  return (position.paused ? shown.find((l) => l.seq === position.cursorSeq) : undefined) ?? shown.at(-1) ?? null;
}

/** The line the panel highlights and Enter opens, under the current filters. */
export function selectedLine(state: AppState, ring: LogRing): LogLine | null {
  const { logs } = state;
  const shown = windowLines(ring, logFilter(state), logs.paused ? logs.anchorSeq : null, logs.viewRows);
  return selectedAmong(shown, logs);
}

/**
 * Enter: pins the selected line for the entry view. Returns the Cloud line whose whole entry must be fetched, or
 * null when the line itself says it all.
 */
export function openLogEntry(store: AppStore, ring: LogRing): LogLine | null {
  const line = selectedLine(store.getState(), ring);
  const fetch = line?.origin === 'cloud' && line.insertId !== null;
  const entry = !line ? null : fetch ? { seq: line.seq, state: 'loading' as const } : { seq: line.seq, state: 'loaded' as const, json: localDetail(line) };
  setLogs(store, { entry });
  return fetch ? line : null;
}

export function setLogRows(store: AppStore, rows: number): void {
  if (store.getState().logs.viewRows !== rows) setLogs(store, { viewRows: rows });
}

/** Error rates of the logs: Cloud Run services (by service name) and containers (by container name) apart. */
export interface ErrorRateWindows {
  cloud: ErrorRateWindow;
  container: ErrorRateWindow;
}

export function errorRateWindows(): ErrorRateWindows {
  return { cloud: new ErrorRateWindow(), container: new ErrorRateWindow() };
}

const ERROR_RANK = severityRank('ERROR');

/**
 * Counts a line where it arrived (`now`), not at its own timestamp: a source whose clock is off must not fall out of
 * the window unseen. A Cloud line's source is `service/revision`; a container line's is the container's name.
 */
export function countLine(windows: ErrorRateWindows, line: LogLine, now: number): void {
  const isError = severityRank(line.severity) >= ERROR_RANK;
  if (line.origin === 'cloud') {
    const slash = line.source.indexOf('/');
    windows.cloud.add(slash < 0 ? line.source : line.source.slice(0, slash), isError, now);
  } else if (line.origin === 'container') {
    windows.container.add(containerOfLine(line).container, isError, now);
  }
}

/**
 * Counts the lines the ring received after `seenSeq`; returns the newest sequence number counted. Lines the ring
 * dropped before they were read (a flood larger than the ring) are not counted: the rest are the sample.
 */
export function feedErrorRates(windows: ErrorRateWindows, ring: LogRing, seenSeq: number, now: number): number {
  for (let i = ring.indexAfterSeq(seenSeq); i < ring.size; i++) countLine(windows, ring.at(i), now);
  return ring.lastSeq;
}

/**
 * Puts the error-rate alerts of the windows into the store: Cloud Run services' with the Cloud Run alerts, running
 * containers' with the container alerts (only while the engine answers: otherwise those are last known). The alert
 * arrays stay the same objects when nothing in them changed, so an unchanged rate re-renders nothing.
 */
export function publishErrorRates(store: AppStore, windows: ErrorRateWindows, now: number): void {
  const { docker, cloudRun } = store.getState();
  const patch: Partial<Pick<AppState, 'docker' | 'cloudRun'>> = {};
  const cloudAlerts = sameOrNew(cloudRun.alerts, replaceKind(cloudRun.alerts, 'error-rate', cloudErrorRateAlerts(windows.cloud.rates(now))));
  if (cloudAlerts !== cloudRun.alerts) patch.cloudRun = { ...cloudRun, alerts: cloudAlerts };
  if (docker.connection.state === 'connected') {
    const rateAlerts = containerErrorRateAlerts(Object.values(docker.containers), windows.container.rates(now));
    const dockerAlerts = sameOrNew(docker.alerts, sortAlerts(replaceKind(docker.alerts, 'error-rate', rateAlerts)));
    if (dockerAlerts !== docker.alerts) patch.docker = { ...docker, alerts: dockerAlerts };
  }
  if (patch.cloudRun || patch.docker) store.setState(patch);
}

/** Once a second at most: the logs flood at thousands of lines a second, the alerts need not follow each one. */
export const ERROR_RATE_PUBLISH_MS = 1_000;

/**
 * Counts the lines as they reach the ring (each time the store learns of new ones) and publishes the error-rate
 * alerts every `publishMs`, also when no line comes, so a rate that fell resolves. Returns the function that stops it.
 */
export function startErrorRates(store: AppStore, ring: LogRing, publishMs = ERROR_RATE_PUBLISH_MS): () => void {
  const windows = errorRateWindows();
  let seenSeq = ring.lastSeq;
  const feed = () => {
    if (ring.lastSeq !== seenSeq) seenSeq = feedErrorRates(windows, ring, seenSeq, Date.now());
  };
  const unsubscribe = store.subscribe((state, previous) => {
    if (state.logs.lastSeq !== previous.logs.lastSeq) feed();
  });
  const timer = setInterval(() => {
    feed();
    publishErrorRates(store, windows, Date.now());
  }, publishMs);
  timer.unref();
  return () => {
    unsubscribe();
    clearInterval(timer);
  };
}
