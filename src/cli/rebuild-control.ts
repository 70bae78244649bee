import { errorLine } from '../domain/printable';
import { runningVariant, type StackVariant } from '../domain/stacks';
import { runRebuild, type RebuildHooks } from '../flows/rebuild-driver';
import { finished, isConfirmed, progressed, startRebuild, startRunning, withUsage, type RebuildFlow } from '../flows/rebuild-machine';
import { changeRebuild, setRebuildFlow } from '../store/stack-actions';
import type { AppStore } from '../store/store';
import { setNotice } from '../store/ui-actions';
import { openRebuildRuntime, rebuildRecorder } from './rebuild';
import type { Settings } from './settings';
import type { StackRuntime } from './stack-runtime';

/** Runs the console's rebuild dialog: reads the stack and what a prune would reclaim, builds, reports; audited. */
export function rebuildControl(store: AppStore, settings: Settings, stacks: StackRuntime) {
  const runtime = openRebuildRuntime(settings, stacks);
  const flow = () => store.getState().stacks.rebuild;
  const set = (next: RebuildFlow | null) => setRebuildFlow(store, next);
  const notify = (notice: string) => setNotice(store, notice);
  let running: Promise<unknown> | null = null;
  return {
    startRebuild(name: string, service?: string, variant?: StackVariant): void {
      const state = store.getState();
      if (state.readOnly) return notify('read-only console: rebuild refused');
      if (flow()?.step === 'running') return notify('a rebuild is running; wait for it to finish');
      const stack = state.stacks.definitions.find((s) => s.name === name);
      if (!stack) return notify(`no stack named ${name}`);
      const live = runningVariant(Object.values(state.docker.containers).filter((c) => c.project === stack.project));
      const chosen = variant ?? (live === 'regular' ? 'regular' : 'alpine');
      runtime.port.resolve(stack, chosen).then(
        (model) => {
          const opened = startRebuild(stack, chosen, model.services.map((s) => s.name), service);
          store.setState((s) => ({ stacks: { ...s.stacks, rebuild: opened }, ui: { ...s.ui, overlay: 'rebuild' } }));
          // What `docker system df` says and what a prune of this stack would remove: shown, changing nothing.
          Promise.all([runtime.build.diskUsage(), runtime.build.planPrune(stack.project, opened.step === 'options' ? opened.options.pruneHours : 24)]).then(
            ([usage, plan]) => {
              if (flow() === opened || flow()?.step === 'options') changeRebuild(store, (f) => withUsage(f, usage, plan));
            },
            (error: unknown) => notify(`cannot read the engine's disk usage: ${errorLine(error)}`),
          );
        },
        (error: unknown) => notify(`${stack.name} (${chosen}): ${errorLine(error)}`),
      );
    },
    runRebuild(): void {
      const current = flow();
      if (!current || !isConfirmed(current) || current.step !== 'confirm') return;
      const started = startRunning(current, Date.now());
      set(started);
      const recorder = rebuildRecorder(settings, runtime, current.stack, current.options.variant, {
        problem: notify,
        audited: (entry) => store.setState((s) => ({ audit: [...s.audit, entry] })),
      });
      const hooks: RebuildHooks = {
        phase: (phase) => changeRebuild(store, (f) => progressed(f, { phase })),
        builds: (builds) => changeRebuild(store, (f) => progressed(f, { builds })),
        restart: (restart) => changeRebuild(store, (f) => progressed(f, { restart })),
      };
      running = runRebuild(current.stack, current.options, { stack: runtime.port, build: runtime.build }, hooks, recorder, settings.config.images)
        .then((report) => set(finished(flow()!, report)))
        .catch((error: unknown) => {
          // Only the `confirmed` line can throw: nothing was built.
          set(current);
          notify(`${errorLine(error)}; nothing was built`);
        })
        .finally(() => {
          running = null;
        });
    },
    closeRebuild(): void {
      const current = flow();
      if (current?.step === 'running') return;
      store.setState((s) => ({ stacks: { ...s.stacks, rebuild: null }, ui: { ...s.ui, overlay: null } }));
    },
    /** On quit: let a rebuild in progress finish writing its result (bounded). */
    async stop(maxMs = 5_000): Promise<void> {
      if (running) await Promise.race([running, new Promise((resolve) => setTimeout(resolve, maxMs).unref())]);
    },
  };
}
