import { render } from 'ink';
import { LogRing } from '../store/log-ring';
import { App } from '../ui/App';
import { AppProvider } from '../ui/context';
import { stdoutForColourPolicy } from '../ui/colour-policy';
import { coalesceClockWith } from '../ui/use-now';
import type { ConsoleSources } from './console-sources';
import { createConsoleStore } from './console-store';
import { actionsOnceLoaded } from './deferred-actions';
import { exitCleanlyOnFatal } from './fatal-exit';
import type { Settings } from './settings';

/**
 * The composition root: the store and the first frame first, with nothing of the engine or Google loaded yet; then
 * the sources (console-sources.ts), which feed the store; the views only see the store and actions.
 */
export async function runConsole(settings: Settings): Promise<number> {
  const store = createConsoleStore(settings);
  const ring = new LogRing(settings.config.logs.bufferLines);
  let startSources!: (value: ConsoleSources) => void;
  let failSources!: (error: unknown) => void;
  const sources = new Promise<ConsoleSources>((resolve, reject) => {
    startSources = resolve;
    failSources = reject;
  });

  // Ink enters the alternate screen and draws the first frame where the cursor is; keys typed during start-up
  // (echoed by the terminal) leave it mid-line, which wraps the full-width status bar and garbles it for good.
  process.stdout.write('\r');
  const stopFatalExit = exitCleanlyOnFatal();
  // Frames are the cost of an idle console: a due clock tick waits (at most 250 ms) for the next store update
  // (log lines, events) when there is one, and is drawn in the same frame.
  const stopClockCoalescing = coalesceClockWith(store.subscribe);
  const instance = render(
    <AppProvider store={store} actions={actionsOnceLoaded(sources)} logRing={ring}>
      <App />
    </AppProvider>,
    { stdout: stdoutForColourPolicy(process.stdout, process.env), maxFps: settings.config.ui.maxFps, alternateScreen: true, interactive: true, exitOnCtrlC: false, incrementalRendering: true },
  );
  // After the first frame is on screen: loading the sources' modules (the engine client, child processes, TLS)
  // and starting them is work the first frame does not wait for.
  setImmediate(() => {
    import('./console-sources').then(({ startConsoleSources }) => startSources(startConsoleSources(store, settings, ring)), failSources);
  });
  // A build that cannot load its own chunk is broken: said plainly (once the screen is back), and the console ends.
  let loadError: unknown = null;
  sources.catch((error: unknown) => {
    loadError = error;
    instance.unmount();
  });

  const quit = () => instance.unmount();
  process.once('SIGTERM', quit);
  process.once('SIGHUP', quit);
  try {
    await instance.waitUntilExit();
  } finally {
    stopFatalExit();
    stopClockCoalescing();
    await sources.then((s) => s.stop(), () => undefined);
  }
  const exitCode = loadError ? 1 : 0;
  if (loadError) process.stderr.write(`netra-console: could not start the console's sources: ${(loadError as Error).message}\n`);
  // Sockets of the engine client may linger; the console is done.
  setImmediate(() => process.exit(exitCode));
  return exitCode;
}
