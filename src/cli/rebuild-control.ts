import { errorLine } from '../domain/printable';
import { runningVariant, type ComposeModel, type StackVariant } from '../domain/stacks';
import { runRebuild, type RebuildHooks } from '../flows/rebuild-driver';
import { finished, isConfirmed, progressed, startRebuild, startRunning, withUsage, type RebuildFlow } from '../flows/rebuild-machine';
import { changeRebuild, setMeasurements, setRebuildFlow } from '../store/stack-actions';
import type { AppStore } from '../store/store';
import { setNotice } from '../store/ui-actions';
import { openRebuildRuntime, rebuildRecorder } from './rebuild-runtime';
import type { Settings } from './settings';
import type { StackRuntime } from './stack-runtime';

/** Runs the console's rebuild dialog: reads the stack and what a prune would reclaim, builds, reports; audited. */
export function rebuildControl(store: AppStore, settings: Settings, stacks: StackRuntime) {
  const runtime = openRebuildRuntime(stacks);
  const flow = () => store.getState().stacks.rebuild;
  const set = (next: RebuildFlow | null) => setRebuildFlow(store, next);
  const notify = (notice: string) => setNotice(store, notice);
  const recorderFor = (current: Extract<RebuildFlow, { step: 'confirm' }>) =>
    rebuildRecorder(settings, runtime, current.stack, current.options.variant, {
      problem: notify,
      audited: (entry) => store.setState((s) => ({ audit: [...s.audit, entry] })),
      measured: (measurements) => setMeasurements(store, measurements),
    });
  /** The services and images read when the dialog opened: the build is measured against these, not read again. */
  let model: ComposeModel | null = null;
  let session: { controller: AbortController; done: Promise<unknown> } | null = null;
  /** What df and the prune plan say, for the dialog still showing this stack and variant (it may have moved on). */
  const showUsage = (stack: string, variant: StackVariant) => {
    const current = flow();
    if (current?.step !== 'options') return;
    Promise.all([runtime.build.diskUsage(), runtime.build.planPrune(current.stack.project, current.options.pruneHours)]).then(
      ([usage, plan]) => {
        const now = flow();
        if (now?.step === 'options' && now.stack.name === stack && now.options.variant === variant) changeRebuild(store, (f) => withUsage(f, usage, plan));
      },
      (error: unknown) => notify(`cannot read the engine's disk usage: ${errorLine(error)}`),
    );
  };
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
        (resolved) => {
          const buildable = resolved.services.filter((s) => s.build !== null).map((s) => s.name);
          if (service && !buildable.includes(service)) return notify(`${stack.name} (${chosen}) does not build ${service}; its services that build are: ${buildable.join(', ')}`);
          model = resolved;
          const opened = startRebuild(stack, chosen, buildable, service);
          store.setState((s) => ({ stacks: { ...s.stacks, rebuild: opened }, ui: { ...s.ui, overlay: 'rebuild' } }));
          showUsage(stack.name, chosen);
        },
        (error: unknown) => notify(`${stack.name} (${chosen}): ${errorLine(error)}`),
      );
    },
    runRebuild(): void {
      const current = flow();
      if (!current || !isConfirmed(current) || current.step !== 'confirm') return;
      const recorder = recorderFor(current);
      const hooks: RebuildHooks = {
        phase: (phase) => changeRebuild(store, (f) => progressed(f, { phase })),
        builds: (builds) => changeRebuild(store, (f) => progressed(f, { builds })),
        restart: (restart) => changeRebuild(store, (f) => progressed(f, { restart })),
      };
      set(startRunning(current, Date.now()));
      const controller = new AbortController();
      const extra = { prunePlan: current.prunePlan, model: model ?? undefined, signal: controller.signal };
      const done = runRebuild(current.stack, current.options, { stack: runtime.port, build: runtime.build }, hooks, recorder, settings.config.images, extra)
        .then((report) => set(finished(flow()!, report)))
        .catch((error: unknown) => {
          // Only the `confirmed` line can throw: nothing was built.
          set(current);
          notify(`${errorLine(error)}; nothing was built`);
        })
        .finally(() => {
          if (session?.controller === controller) session = null;
        });
      session = { controller, done };
    },
    closeRebuild(): void {
      const current = flow();
      if (current?.step === 'running') return;
      if (current?.step === 'confirm') {
        try {
          recorderFor(current).audit('build', 'cancelled');
        } catch (error) {
          notify(`${errorLine(error)}; not on record`);
        }
      }
      store.setState((s) => ({ stacks: { ...s.stacks, rebuild: null }, ui: { ...s.ui, overlay: null } }));
    },
    /** On quit: a rebuild in progress is stopped (compose killed) and its end audited, within `maxMs`. */
    async stop(maxMs = 15_000): Promise<void> {
      if (!session) return;
      session.controller.abort();
      await Promise.race([session.done, new Promise((resolve) => setTimeout(resolve, maxMs).unref())]);
    },
  };
}
