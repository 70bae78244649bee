import type { DoctorSelection } from '../../domain/checks/selection';
import type { CheckResult } from '../../domain/checks/types';
import { openRollback } from '../../store/rollback-actions';
import { filterServices, selectedOf, selectedRowId } from '../../store/selectors';
import type { AppState, AppStore } from '../../store/store';
import { setNotice, setOverlay } from '../../store/ui-actions';
import type { AppActions } from '../context';
import { fixable, resultKey, runbookRows } from '../panels/runbook-rows';
import type { Binding, BindingSet, KeyContext } from './bindings';
import { viewState } from './view-state';

export const RUNBOOKS_VIEW = 'runbooks';
/** The Runbooks view asking y/n before it restarts a container. */
export const RESTART_CONFIRM = 'runbooks-restart';

interface RunbookViewState {
  /** The selected result (see resultKey); the first row when null or no longer listed. */
  cursor: string | null;
  /** What the view last asked to run, so that R runs the same again. */
  lastSelection: DoctorSelection | null;
  /** The container a confirmed restart restarts: fixed when f asked, whatever the live results do meanwhile. */
  restart: string | null;
}

export const runbookView = viewState<RunbookViewState>(() => ({ cursor: null, lastSelection: null, restart: null }));

export function selectedResult(results: readonly CheckResult[], cursor: string | null): CheckResult | undefined {
  return selectedOf(runbookRows(results), resultKey, cursor);
}

function setOpenKey(store: AppStore, openKey: string | null): void {
  store.setState((s) => ({ doctor: { ...s.doctor, openKey } }));
}

/** Runs the checks of `selection` and shows them in the Runbooks view, `cursor` (a result key) selected. */
export function runRunbooks(store: AppStore, actions: AppActions, selection: DoctorSelection, cursor: string | null = null): void {
  runbookView.of(store).setState({ cursor, lastSelection: selection });
  setOpenKey(store, null);
  actions.runDoctor(selection);
  setOverlay(store, RUNBOOKS_VIEW);
}

/** The container a result is about, when it is about one. */
function containerOf(result: CheckResult): string | undefined {
  return result.subject.container ?? (result.scope === 'container' ? result.target : undefined);
}

/** The narrowest selection that runs one result's check again: a Cloud Run or host check runs for all its targets. */
export function checkSelection(result: CheckResult): DoctorSelection {
  const { code, subject } = result;
  const container = containerOf(result);
  if (container) return { code, container };
  if (subject.stack) return subject.service ? { code, stack: subject.stack, service: subject.service } : { code, stack: subject.stack };
  return { code };
}

function selected(store: AppStore): CheckResult | undefined {
  return selectedResult(store.getState().doctor.results, runbookView.of(store).getState().cursor);
}

function move(store: AppStore, delta: number): void {
  const rows = runbookRows(store.getState().doctor.results);
  if (rows.length === 0) return;
  const view = runbookView.of(store);
  const current = Math.max(0, rows.findIndex((r) => resultKey(r) === view.getState().cursor));
  const next = resultKey(rows[Math.min(rows.length - 1, Math.max(0, current + delta))]!);
  view.setState({ cursor: next });
  // A detail follows the selection, so j/k read one detail after another.
  if (store.getState().doctor.openKey !== null) setOpenKey(store, next);
}

// ---------------------------------------------------------------------------------------------------------------
// One-key fixes

/** The stack (and service) a rebuild fixes: the result's, or for a container its compose project's; or why there is none. */
function rebuildTarget(state: AppState, result: CheckResult): { stack: string; service?: string } | string {
  const name = containerOf(result);
  const container = name === undefined ? undefined : Object.values(state.docker.containers).find((c) => c.name === name);
  const stack = result.subject.stack ?? state.stacks.definitions.find((d) => d.project === container?.project)?.name;
  const service = result.subject.service ?? container?.service ?? undefined;
  if (!stack || !state.stacks.definitions.some((d) => d.name === stack)) return `${result.target} is not part of a configured stack (stacks:): rebuild it from the Stacks panel`;
  if (name !== undefined && !service) return `${name} is not a service of ${stack}: rebuild it from the Stacks panel`;
  return service ? { stack, service } : { stack };
}

/** Opens the rollback of a Cloud Run service as r on the Cloud Run panel does (it acts on the selected service). */
function rollbackService(store: AppStore, service: string): string | null {
  const state = store.getState();
  if (!state.cloudRun.services.some((s) => s.name === service)) return `${service} is not among the Cloud Run services read: no rollback from here`;
  const hidden = !filterServices(state.cloudRun.services, state.ui.filters.cloudrun).some((s) => s.name === service);
  store.setState((s) => ({
    ui: { ...s.ui, selectedId: { ...s.ui.selectedId, cloudrun: service }, filters: hidden ? { ...s.ui.filters, cloudrun: '' } : s.ui.filters },
  }));
  return openRollback(store, 'previous');
}

function applyFix({ store, actions }: KeyContext): void {
  const result = selected(store);
  if (!fixable(result)) return setNotice(store, result ? `${result.code} on ${result.target}: no one-key fix (${result.status === 'fail' ? 'none known' : `it did not fail: ${result.status}`})` : 'no check selected');
  if (result.safeFix === 'restart-container') {
    const container = containerOf(result);
    if (!container) return setNotice(store, `${result.target} is not a container: nothing to restart`);
    runbookView.of(store).setState({ restart: container });
    return setOverlay(store, RESTART_CONFIRM);
  }
  if (result.safeFix === 'open-rollback') return setNotice(store, rollbackService(store, result.subject.cloudRunService ?? result.target));
  const target = rebuildTarget(store.getState(), result);
  if (typeof target === 'string') return setNotice(store, target);
  actions.startRebuild(target.stack, target.service);
}

export const FIX_WORDS: Record<NonNullable<CheckResult['safeFix']>, string> = {
  'restart-container': 'restart the container (asks y/n)',
  'open-rebuild': 'open the rebuild dialog',
  'open-rollback': 'open the rollback dialog',
};

// ---------------------------------------------------------------------------------------------------------------
// Keys

export const OPEN_RUNBOOKS = { keys: [{ input: 'D' }], label: 'D', description: 'Runbooks view: the doctor checks with evidence and fixes (runs them all when none ran yet)' };

const close: Binding['run'] = ({ store }) => setOverlay(store, null);

const RUNBOOK_BINDINGS: Binding[] = [
  { keys: [{ input: 'j' }, { key: 'downArrow' }], label: 'j, ↓', description: 'Next check', hint: 'move', run: ({ store }) => move(store, 1) },
  { keys: [{ input: 'k' }, { key: 'upArrow' }], label: 'k, ↑', description: 'Previous check', run: ({ store }) => move(store, -1) },
  { keys: [{ key: 'pageDown' }], label: 'PgDn', description: 'One screen down', run: ({ store, pageRows }) => move(store, pageRows) },
  { keys: [{ key: 'pageUp' }], label: 'PgUp', description: 'One screen up', run: ({ store, pageRows }) => move(store, -pageRows) },
  { keys: [{ input: 'g' }, { key: 'home' }], label: 'g, Home', description: 'First check', run: ({ store }) => move(store, -Infinity) },
  { keys: [{ input: 'G' }, { key: 'end' }], label: 'G, End', description: 'Last check', run: ({ store }) => move(store, Infinity) },
  {
    keys: [{ key: 'return' }],
    label: 'Enter',
    description: 'Detail of the selected check: evidence, fix, the command to see it yourself, where to change it',
    hint: 'detail',
    run: ({ store }) => {
      const result = selected(store);
      if (result) setOpenKey(store, resultKey(result));
    },
  },
  {
    keys: [{ input: 'r' }],
    label: 'r',
    description: 'Run the selected check again (for its target)',
    hint: 'rerun',
    run: ({ store, actions }) => {
      const result = selected(store);
      if (!result) return setNotice(store, 'no check selected');
      actions.runDoctor(checkSelection(result));
    },
  },
  {
    keys: [{ input: 'R' }],
    label: 'R',
    description: 'Run every check of this run again',
    hint: 'rerun all',
    run: ({ store, actions }) => actions.runDoctor(runbookView.of(store).getState().lastSelection ?? {}),
  },
  { keys: [{ input: 'f' }], label: 'f', description: 'Apply the safe fix of the selected failed check (restart, rebuild or rollback; each confirms)', mutating: 'fix', run: applyFix },
  { ...OPEN_RUNBOOKS, description: 'Close', run: close },
  {
    keys: [{ key: 'escape' }],
    label: 'Esc',
    description: 'Back to the list from a detail, else close',
    hint: 'back/close',
    run: ({ store }) => (store.getState().doctor.openKey === null ? setOverlay(store, null) : setOpenKey(store, null)),
  },
];

export const RUNBOOK_KEYS: BindingSet = { title: 'Runbooks view', bindings: RUNBOOK_BINDINGS };

const back = (notice: string | null): Binding['run'] => ({ store }) => {
  runbookView.of(store).setState({ restart: null });
  setOverlay(store, RUNBOOKS_VIEW);
  setNotice(store, notice);
};

export const RESTART_KEYS: BindingSet = {
  title: 'Restart container',
  modal: true,
  bindings: [
    {
      keys: [{ input: 'y' }],
      label: 'y',
      description: 'Yes: restart the container',
      hint: 'restart',
      mutating: 'restart',
      run: (ctx) => {
        const name = runbookView.of(ctx.store).getState().restart;
        if (name) ctx.actions.restartContainer(name);
        back(name ? `restart of ${name} requested: r runs its check again` : null)(ctx);
      },
    },
    { keys: [{ input: 'n' }, { key: 'escape' }], label: 'n, Esc', description: 'No: nothing changes', hint: 'cancel (nothing changes)', run: back('restart cancelled: nothing changed') },
  ],
};

// ---------------------------------------------------------------------------------------------------------------
// From the panels

export const CONTAINER_RUNBOOKS_KEY: Binding = {
  keys: [{ input: 'd' }],
  label: 'd',
  description: 'Runbooks: run the checks of the selected container and show them',
  hint: 'doctor',
  run: ({ store, actions }) => {
    const state = store.getState();
    const id = selectedRowId(state, 'health');
    const container = id ? state.docker.containers[id] : undefined;
    if (!container) return setNotice(store, 'no container selected');
    runRunbooks(store, actions, { container: container.name });
  },
};

export const STACK_RUNBOOKS_KEY: Binding = {
  keys: [{ input: 'd' }],
  label: 'd',
  description: 'Runbooks: run the checks of the selected stack and show them',
  hint: 'doctor',
  run: ({ store, actions }) => {
    const stack = selectedRowId(store.getState(), 'stacks');
    if (!stack) return setNotice(store, 'no stack selected: configure stacks in the config file (stacks:)');
    runRunbooks(store, actions, { stack });
  },
};
