import { reduceCloudRun } from '../store/cloud-run-state';
import { BACKGROUND_WINDOW_MS, BackgroundWrites } from '../store/background-writes';
import type { AppState, AppStore } from '../store/store';
import type { LogRing } from '../store/log-ring';
import { setNotice } from '../store/ui-actions';
import { setMeasurements } from '../store/stack-actions';
import { defaultMeasurementsPath, loadMeasurements } from '../sources/stack-measurements';
import type { AppActions } from '../ui/context';
import { rideWithClock } from '../ui/use-now';
import { startCloudRun, type CloudRunRuntime } from './cloud-run-runtime';
import { startLogSources } from './log-sources';
import { rebuildControl } from './rebuild-control';
import { rollbackControl } from './rollback-control';
import { runbookControl } from './runbook-control';
import type { Settings } from './settings';
import { openStackRuntime } from './stack-runtime';
import { switchControl } from './switch-control';
import { connectDocker } from './wiring';

/** Past the clock's tick (1 s, and its 250 ms wait for a frame): only if the clock has stopped. */
const CLOUD_IDLE_WAIT_MS = 1_500;
/** After a refresh key, Cloud Run's answer is drawn as it comes for this long (a read's usual bound). */
const REFRESH_WATCHED_MS = 30_000;
/** A slow or hung engine must not hold Cloud Run back for long. */
const CLOUD_START_WAIT_MAX_MS = 1_500;

export interface ConsoleSources {
  actions: AppActions;
  stop(): Promise<void>;
}

/** Resolves once the engine has answered (containers listed, or unreachable), or after `maxMs`. */
function dockerSettled(store: AppStore, maxMs: number): Promise<void> {
  const settled = (s: AppState) => s.docker.connection.state !== 'connecting';
  if (settled(store.getState())) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      unsubscribe();
      resolve();
    };
    const timer = setTimeout(done, maxMs);
    const unsubscribe = store.subscribe((s) => {
      if (settled(s)) done();
    });
  });
}

/**
 * Everything that talks to the outside, started: the engine, the stacks, the logs, Cloud Run, the runbooks. Loaded
 * (this module and the engine and Google clients it imports) only after the first frame is on screen.
 */
export function startConsoleSources(store: AppStore, settings: Settings, ring: LogRing): ConsoleSources {
  const wiring = connectDocker(store, settings);
  const { docker, watcher } = wiring;
  const stacks = openStackRuntime(settings, process.env, docker);
  const switching = switchControl(store, settings, stacks);
  const rebuilding = rebuildControl(store, settings, stacks);
  const logs = startLogSources(store, docker, settings, ring);
  // Cloud Run's refreshes and the Cloud tail's state (a refresh starts and ends within milliseconds; an endpoint that
  // is down is tried again and again) are drawn in the clock's frame, not in frames of their own.
  const cloudWrites = new BackgroundWrites(store, { windowMs: BACKGROUND_WINDOW_MS, idleWaitMs: CLOUD_IDLE_WAIT_MS });
  let cloud: CloudRunRuntime | null = null;
  const rollback = rollbackControl(store, settings, () => cloud);
  const runbooks = runbookControl(store, settings, { docker, cloud: () => cloud });
  const actions: AppActions = {
    setShowAll: (showAll) => watcher.setShowAll(showAll),
    refreshCloudRun: () => {
      cloudWrites.hurry(REFRESH_WATCHED_MS);
      cloud?.poller.refreshNow();
    },
    runRollback: rollback.run,
    cancelRollback: rollback.cancel,
    startSwitch: switching.startSwitch,
    runSwitch: switching.runSwitch,
    buildMissing: switching.buildMissing,
    revertSwitch: switching.revertSwitch,
    closeSwitch: switching.closeSwitch,
    startRebuild: rebuilding.startRebuild,
    runRebuild: rebuilding.runRebuild,
    closeRebuild: rebuilding.closeRebuild,
    saveLogs: async () => logs.save(settings.cwd),
    loadLogEntry: (line) => void logs.loadEntry(line),
    ...runbooks.actions,
  };
  // Held log lines and stats are drawn in the clock's frame: an idle console draws about once a second. Stats do
  // not ride along with a key's frame: with 200 containers that would double what a key press costs.
  const stopLogRide = rideWithClock(logs.flushTrickle);
  const stopStatsRide = rideWithClock(() => wiring.batcher.flush());
  const stopCloudRide = rideWithClock(() => cloudWrites.flush());

  // The containers come first; Cloud Run's modules (or the sandbox) block the thread for a few hundred ms.
  watcher.start();
  runbooks.start();
  // The stacks' last measurements are only for the Stacks panel.
  const saved = loadMeasurements(defaultMeasurementsPath(process.env));
  setMeasurements(store, saved.measurements);
  if (saved.problem) setNotice(store, saved.problem);
  const onUpdate = (update: Parameters<typeof reduceCloudRun>[1]) => cloudWrites.write((s) => ({ cloudRun: reduceCloudRun(s.cloudRun, update) }));
  dockerSettled(store, CLOUD_START_WAIT_MAX_MS)
    .then(() => startCloudRun(settings.cloudRun, onUpdate))
    .then(
      (runtime) => {
        cloud = runtime;
        logs.startCloud(runtime.target, cloudWrites);
      },
      (error: unknown) => onUpdate({ kind: 'error', error: { kind: 'other', message: `Cloud Run could not start: ${(error as Error).message}` }, retryAt: null }),
    );

  return {
    actions,
    async stop() {
      runbooks.stop();
      stopLogRide();
      stopStatsRide();
      stopCloudRide();
      await switching.stop();
      await rebuilding.stop();
      wiring.stop();
      await logs.stop();
      await (cloud as CloudRunRuntime | null)?.stop();
      cloudWrites.dispose();
    },
  };
}
