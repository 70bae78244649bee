import { render } from 'ink';
import { reduceCloudRun } from '../store/cloud-run-state';
import type { AppState, AppStore } from '../store/store';
import { App } from '../ui/App';
import { AppProvider, type AppActions } from '../ui/context';
import { stdoutForColourPolicy } from '../ui/colour-policy';
import { coalesceClockWith, rideWithClock } from '../ui/use-now';
import { startCloudRun, type CloudRunRuntime } from './cloud-run-runtime';
import { exitCleanlyOnFatal } from './fatal-exit';
import { rollbackControl } from './rollback-control';
import { startLogSources } from './log-sources';
import type { Settings } from './settings';
import { wireDocker } from './wiring';
import { defaultMeasurementsPath, loadMeasurements } from '../sources/stack-measurements';
import { BackgroundWrites } from '../store/background-writes';
import { setNotice } from '../store/ui-actions';
import { setMeasurements } from '../store/stack-actions';
import { openStackRuntime } from './stack-runtime';
import { switchControl } from './switch-control';
import { rebuildControl } from './rebuild-control';
import { runbookControl } from './runbook-control';

/** A slow or hung engine must not hold Cloud Run back for long. */
const CLOUD_START_WAIT_MAX_MS = 1_500;

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

/** The composition root: sources feed the store through the batcher; the views only see the store and actions. */
export async function runConsole(settings: Settings): Promise<number> {
  const { config, cloudRun } = settings;
  const wiring = wireDocker(settings);
  const { store, docker, watcher } = wiring;
  const stacks = openStackRuntime(settings, process.env, docker);
  const switching = switchControl(store, settings, stacks);
  const rebuilding = rebuildControl(store, settings, stacks);
  const logs = startLogSources(store, docker, settings);
  let cloud: CloudRunRuntime | null = null;
  const rollback = rollbackControl(store, settings, () => cloud);
  const runbooks = runbookControl(store, settings, { docker, cloud: () => cloud });
  const actions: AppActions = {
    setShowAll: (showAll) => watcher.setShowAll(showAll),
    refreshCloudRun: () => cloud?.poller.refreshNow(),
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

  // Ink enters the alternate screen and draws the first frame where the cursor is; keys typed during start-up
  // (echoed by the terminal) leave it mid-line, which wraps the full-width status bar and garbles it for good.
  process.stdout.write('\r');
  const stopFatalExit = exitCleanlyOnFatal();
  // Frames are the cost of an idle console: a due clock tick waits (at most 250 ms) for the next store update
  // (log lines, events) when there is one, and is drawn in the same frame.
  const stopClockCoalescing = coalesceClockWith(store.subscribe);
  // Held log lines and stats are drawn in the clock's frame: an idle console draws about once a second. Stats do
  // not ride along with a key's frame: with 200 containers that would double what a key press costs.
  const stopLogRide = rideWithClock(logs.flushTrickle);
  const stopStatsRide = rideWithClock(() => wiring.batcher.flush());
  const instance = render(
    <AppProvider store={store} actions={actions} logRing={logs.ring}>
      <App />
    </AppProvider>,
    { stdout: stdoutForColourPolicy(process.stdout, process.env), maxFps: config.ui.maxFps, alternateScreen: true, interactive: true, exitOnCtrlC: false, incrementalRendering: true },
  );
  // Cloud Run's updates come in bursts (a refresh starts and ends, or fails, within milliseconds): one render each.
  const cloudRunWrites = new BackgroundWrites(store);
  // Sources start after the first frame is on screen, so start-up never waits for the engine or Google modules.
  // Loading those modules (or the sandbox) blocks the thread for a few hundred ms: the containers come first.
  setImmediate(() => {
    watcher.start();
    runbooks.start();
    // The stacks' last measurements are only for the Stacks panel: read after the first frame, like the sources.
    const saved = loadMeasurements(defaultMeasurementsPath(process.env));
    setMeasurements(store, saved.measurements);
    if (saved.problem) setNotice(store, saved.problem);
    const onUpdate = (update: Parameters<typeof reduceCloudRun>[1]) => cloudRunWrites.write((s) => ({ cloudRun: reduceCloudRun(s.cloudRun, update) }));
    dockerSettled(store, CLOUD_START_WAIT_MAX_MS)
      .then(() => startCloudRun(cloudRun, onUpdate))
      .then(
        (runtime) => {
          cloud = runtime;
          logs.startCloud(runtime.target);
        },
        (error: unknown) => onUpdate({ kind: 'error', error: { kind: 'other', message: `Cloud Run could not start: ${(error as Error).message}` }, retryAt: Date.now() }),
      );
  });

  const quit = () => instance.unmount();
  process.once('SIGTERM', quit);
  process.once('SIGHUP', quit);
  try {
    await instance.waitUntilExit();
  } finally {
    stopFatalExit();
    runbooks.stop();
    stopClockCoalescing();
    stopLogRide();
    stopStatsRide();
    await switching.stop();
    await rebuilding.stop();
    wiring.stop();
    await logs.stop();
    await (cloud as CloudRunRuntime | null)?.stop();
    cloudRunWrites.dispose();
  }
  // Sockets of the engine client may linger; the console is done.
  setImmediate(() => process.exit(0));
  return 0;
}
