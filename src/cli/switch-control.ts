import { errorLine } from '../domain/printable';
import { otherVariant, runningVariant, type StackVariant } from '../domain/stacks';
import { preflight } from '../flows/switch-driver';
import {
  buildLine,
  built,
  canBuild,
  finished,
  initialProgress,
  isConfirmed,
  phase,
  planned,
  progressed,
  replanned,
  lastHealthyOf,
  revertTarget,
  startBuilding,
  startPreflight,
  startRunning,
  type SwitchFlow,
} from '../flows/switch-machine';
import type { SwitchPlan } from '../flows/switch-plan';
import { runCompareSession, runRevert, runSwitchSession, type SessionHooks, type SessionResult } from '../flows/switch-session';
import { setMeasurements, setSwitchFlow } from '../store/stack-actions';
import type { AppStore } from '../store/store';
import { setNotice } from '../store/ui-actions';
import type { Settings } from './settings';
import { stackRecorder, type StackRuntime } from './stack-runtime';


/** Runs the console's switch dialog: preflight, build, switch or compare, revert; every attempt audited. */
export function switchControl(store: AppStore, settings: Settings, runtime: StackRuntime) {
  const flow = () => store.getState().stacks.flow;
  const set = (next: SwitchFlow | null) => setSwitchFlow(store, next);
  const notify = (notice: string) => setNotice(store, notice);
  const recorder = stackRecorder(
    settings,
    runtime,
    (measurements, problem) => {
      setMeasurements(store, measurements);
      if (problem) notify(problem);
    },
    (entry) => store.setState((s) => ({ audit: [...s.audit, entry] })),
  );
  /** Writes an audit line whose failure must not stop what already happened; says so instead. */
  const auditQuietly = (write: () => void) => {
    try {
      write();
    } catch (error) {
      notify(`${errorLine(error)}; not on record`);
    }
  };
  const hooks: SessionHooks = {
    phase: (p) => set(phase(flow()!, p)),
    progress: (list) => set(progressed(flow()!, list)),
    leg: (plan, label) => {
      const current = flow();
      if (current?.step === 'running') set({ ...current, plan, phase: 'checking', progress: initialProgress(plan), leg: label });
    },
  };
  /** Preflight for the flow in the store; its answer is dropped if the dialog was closed or moved on meanwhile. */
  const plan = (started: SwitchFlow) => {
    if (started.step !== 'preflight') return;
    preflight(runtime.port, started.stack, started.to)
      .catch((error: unknown) => ({ error: errorLine(error), checks: [] }))
      .then((result) => {
        if (flow() === started) set(planned(started, result));
      });
  };
  /** A conflict is planned afresh (or refused when the fresh plan cannot be made); anything else is done. */
  const settle = (plan: SwitchPlan, kind: SwitchFlow['kind'], result: SessionResult) => {
    if (!('conflict' in result)) return set(finished(flow()!, result.outcome, result.compared));
    const fresh = result.conflict;
    set('error' in fresh ? { step: 'refused', kind, stack: plan.stack, to: plan.to, checks: fresh.checks, error: fresh.error } : replanned(flow()!, fresh, result.notice));
  };
  const fail = (error: unknown) => {
    const current = flow();
    if (current?.step !== 'running') return notify(errorLine(error));
    // The `confirmed` line could not be written (nothing changed), or a step threw: the dialog says which.
    const outcome = { result: 'failed' as const, from: current.plan.from, to: current.plan.to, elapsedSeconds: 0, services: [], previous: null, error: errorLine(error), failure: null, runningNow: current.plan.from };
    set(finished(current, outcome));
  };
  /** The session in progress: quitting ends its wait (and the compose behind it) and lets it audit how it ended. */
  let session: { controller: AbortController; done: Promise<unknown> } | null = null;
  const track = (run: (signal: AbortSignal) => Promise<unknown>) => {
    const controller = new AbortController();
    const done = run(controller.signal).finally(() => {
      if (session?.controller === controller) session = null;
    });
    session = { controller, done };
  };
  return {
    startSwitch(name: string, kind: 'switch' | 'compare', to?: StackVariant): void {
      const state = store.getState();
      if (state.readOnly) return notify('read-only console: switch refused');
      const current = flow();
      if (current?.step === 'running' || current?.step === 'building') return notify('a switch is running; wait for it to finish');
      const stack = state.stacks.definitions.find((s) => s.name === name);
      if (!stack) return notify(`no stack named ${name}`);
      const running = runningVariant(Object.values(state.docker.containers).filter((c) => c.project === stack.project));
      const target = to ?? (running === 'alpine' || running === 'regular' ? otherVariant(running) : 'alpine');
      const started = startPreflight(stack, target, kind);
      store.setState((s) => ({ stacks: { ...s.stacks, flow: started }, ui: { ...s.ui, overlay: 'switch' } }));
      plan(started);
    },
    runSwitch(): void {
      const current = flow();
      if (!current || !isConfirmed(current) || current.step !== 'confirm') return;
      set(startRunning(current, Date.now()));
      track((signal) =>
        (current.kind === 'compare' ? runCompareSession(current.plan, runtime.port, hooks, recorder, { signal }) : runSwitchSession(current.plan, runtime.port, hooks, recorder, null, { signal })).then(
          (result) => settle(current.plan, current.kind, result),
          fail,
        ),
      );
    },
    buildMissing(): void {
      const current = flow();
      if (!current || !canBuild(current) || current.step !== 'confirm') return;
      const { plan: confirmed } = current;
      const services = confirmed.model.services.filter((s) => confirmed.missingImages.includes(s.image)).map((s) => s.name);
      try {
        recorder.audit('build', confirmed, 'confirmed');
      } catch (error) {
        return notify(`${errorLine(error)}; nothing was built`);
      }
      set(startBuilding(current));
      const started = Date.now();
      runtime.port
        .build(confirmed.stack, confirmed.to, services, (line) => set(buildLine(flow()!, line)))
        .then(
          () => {
            auditQuietly(() => recorder.audit('build', confirmed, 'built', { elapsedSeconds: (Date.now() - started) / 1000, error: null }));
            const next = built(flow()!);
            set(next);
            plan(next);
          },
          (error: unknown) => {
            auditQuietly(() => recorder.audit('build', confirmed, 'failed', { elapsedSeconds: (Date.now() - started) / 1000, error: errorLine(error) }));
            set({ step: 'refused', kind: current.kind, stack: confirmed.stack, to: confirmed.to, checks: confirmed.checks, error: `the build failed: ${errorLine(error)}` });
          },
        );
    },
    revertSwitch(): void {
      const current = flow();
      const variant = current ? revertTarget(current, lastHealthyOf(current, store.getState().stacks.measurements)) : null;
      if (!current || current.step !== 'done' || !variant) return;
      if (store.getState().readOnly) return notify('read-only console: revert refused');
      set({ step: 'running', kind: current.kind, plan: current.plan, phase: 'checking', progress: [], startedMs: Date.now(), leg: `back to ${variant} (revert)` });
      track((signal) => runRevert(variant, current.outcome, current.plan.stack, runtime.port, hooks, recorder, { signal }).then((outcome) => set(finished(flow()!, outcome)), fail));
    },
    /** On quit: a switch in progress stops waiting, audits `failed: interrupted` and what runs now; at most `maxMs`. */
    async stop(maxMs = 15_000): Promise<void> {
      if (!session) return;
      session.controller.abort();
      await Promise.race([session.done, new Promise((resolve) => setTimeout(resolve, maxMs).unref())]);
    },
    closeSwitch(): void {
      const current = flow();
      if (current?.step === 'running' || current?.step === 'building') return;
      if (current?.step === 'confirm') auditQuietly(() => recorder.audit(current.kind, current.plan, 'cancelled'));
      store.setState((s) => ({ stacks: { ...s.stacks, flow: null }, ui: { ...s.ui, overlay: null } }));
    },
  };
}
