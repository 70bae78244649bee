import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type Docker from 'dockerode';
import { cloudEntryDetail, plainLogLine, type LogLine } from '../domain/log-line';
import type { CloudRunTarget } from '../sources/cloud-run/client';
import { CloudTail } from '../sources/logs/cloud-tail';
import { ContainerLogs } from '../sources/logs/container-logs';
import { logFilter, startErrorRates } from '../store/log-actions';
import { STREAM_FLUSH_MS } from '../store/docker-batcher';
import { LogIngest, LogRing } from '../store/log-ring';
import { TricklePacer } from '../store/trickle-pacer';
import { filteredLines } from '../store/log-view';
import type { BackgroundWrites } from '../store/background-writes';
import type { CloudTailStatus, EntryDetail } from '../store/logs-state';
import type { AppState, AppStore } from '../store/store';
import type { Settings } from './settings';

/**
 * New lines reach the view at once in a burst (a flood is drawn at the batcher's 20 Hz); a trickle rides along
 * with the clock's frame, so an idle console tailing ~5 entries/s draws about one frame a second, not five.
 */
const LOG_PACING = { burstSize: 20, maxDelayMs: 1_000 };

/**
 * The logs panel's sources: every running container in scope, and the Cloud Logging tail once Cloud Run is up.
 * `ring` is the one the views read (made before the sources load, for the first frame); by default a new one.
 */
export function startLogSources(store: AppStore, docker: Docker, settings: Settings, ring = new LogRing(settings.config.logs.bufferLines)) {
  const pacer = new TricklePacer(() => store.setState((s) => ({ logs: { ...s.logs, lastSeq: ring.lastSeq } })), LOG_PACING);
  const ingest = new LogIngest(ring, (added) => pacer.add(added), STREAM_FLUSH_MS);
  const stopErrorRates = startErrorRates(store, ring);
  const containers = new ContainerLogs(docker, (line) => ingest.add(line));
  let tail: CloudTail | null = null;

  const syncContainers = (state = store.getState()) => {
    const running = Object.values(state.docker.containers).filter((c) => c.state === 'running');
    containers.sync(running.map((c) => ({ id: c.id, name: c.name })));
    if (state.logs.containers !== running.length) store.setState((s) => ({ logs: { ...s.logs, containers: running.length } }));
  };
  const unsubscribe = store.subscribe((state, previous) => {
    if (state.docker.containers !== previous.docker.containers) syncContainers(state);
    // Held lines ride along with any other update (a key, an event): what the view and its actions read from the
    // ring (a pause, a jump) is then what the store says arrived.
    if (state.logs.lastSeq === previous.logs.lastSeq) pacer.flush();
  });

  return {
    ring,
    /** Publishes held lines now: called on the clock's tick so that they share its frame. */
    flushTrickle: () => pacer.flush(),
    /** Tails Cloud Logging; its state goes through `background` when given (the console's), else to the store at once. */
    startCloud(target: CloudRunTarget, background?: BackgroundWrites): void {
      const showState = (cloud: CloudTailStatus) => {
        const update = (s: AppState) => ({ logs: { ...s.logs, cloud } });
        if (background) background.write(update);
        else store.setState(update);
      };
      tail = new CloudTail({ target, filter: settings.config.logs.cloudFilter, onLine: (line) => ingest.add(line), onState: showState });
      tail.start();
    },
    /** Fetches the whole entry of a Cloud line for Enter; the answer is dropped if another line was opened since. */
    async loadEntry(line: LogLine): Promise<void> {
      const settle = (entry: EntryDetail) => {
        if (store.getState().logs.entry?.seq === line.seq) store.setState((s) => ({ logs: { ...s.logs, entry } }));
      };
      try {
        if (!tail || !line.insertId) throw new Error('Cloud Logging is not connected');
        const found = await tail.entry(line.insertId, line.timestamp);
        settle(found ? { seq: line.seq, state: 'loaded', json: cloudEntryDetail(found) } : { seq: line.seq, state: 'failed', reason: 'Cloud Logging no longer has this entry' });
      } catch (error) {
        const e = error as { details?: string; message?: string };
        settle({ seq: line.seq, state: 'failed', reason: `could not fetch it from Cloud Logging: ${(e.details || e.message || String(error)).split('\n')[0]}` });
      }
    },
    /** Writes the lines that pass the panel's filters; returns the notice to show. */
    save(cwd: string): string {
      const lines = filteredLines(ring, logFilter(store.getState()));
      const path = resolve(cwd, `netra-logs-${new Date().toISOString().replace(/[:.]/g, '-')}.log`);
      try {
        writeFileSync(path, lines.map(plainLogLine).join(''), { mode: 0o600 });
        return `saved ${lines.length} lines to ${path}`;
      } catch (error) {
        return `could not save the logs to ${path}: ${(error as Error).message}`;
      }
    },
    async stop(): Promise<void> {
      unsubscribe();
      stopErrorRates();
      pacer.dispose();
      containers.stop();
      ingest.dispose();
      await tail?.stop();
    },
  };
}
