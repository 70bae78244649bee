import { selectedRowId } from '../../store/selectors';
import { setNotice } from '../../store/ui-actions';
import type { Binding, KeyContext } from './bindings';
import { CLEAR_FILTER_KEY, FILTER_KEY, MOVE_KEYS } from './list-keys';
import { STACK_RUNBOOKS_KEY } from './runbook-keys';

/** A key that starts a dialog on the selected stack, or says there is none. */
function selectedStackKey(
  { input, ...key }: Pick<Binding, 'description' | 'hint' | 'mutating'> & { input: string },
  start: (actions: KeyContext['actions'], stack: string) => void,
): Binding {
  return {
    keys: [{ input }],
    label: input,
    ...key,
    run: ({ store, actions }: KeyContext) => {
      const stack = selectedRowId(store.getState(), 'stacks');
      if (stack) start(actions, stack);
      else setNotice(store, 'no stack selected: configure stacks in the config file (stacks:)');
    },
  };
}

export const SWITCH_KEY = selectedStackKey({ input: 'S', description: 'Switch the selected stack to its other variant (Alpine ↔ regular), after checks and a typed confirmation', hint: 'switch', mutating: 'switch' }, (actions, stack) => actions.startSwitch(stack, 'switch'));

export const COMPARE_KEY = selectedStackKey({ input: 'C', description: 'Compare: bring each variant of the selected stack up in turn, measure both, leave it as it was', hint: 'compare', mutating: 'switch' }, (actions, stack) => actions.startSwitch(stack, 'compare'));

export const REBUILD_KEY = selectedStackKey({ input: 'B', description: 'Rebuild the images of the selected stack (choose services, clean or cached, restart, prune), after a typed confirmation', hint: 'rebuild', mutating: 'rebuild' }, (actions, stack) => actions.startRebuild(stack));

/** From the Containers panel: rebuild the selected container's service, in the stack its compose project is. */
export const REBUILD_SERVICE_KEY: Binding = {
  keys: [{ input: 'B' }],
  label: 'B',
  description: "Rebuild the selected container's service image (its stack's rebuild dialog, that service chosen)",
  hint: 'rebuild',
  mutating: 'rebuild',
  run: ({ store, actions }: KeyContext) => {
    const state = store.getState();
    const id = selectedRowId(state, 'health');
    const container = id ? state.docker.containers[id] : undefined;
    const stack = state.stacks.definitions.find((s) => s.project === container?.project);
    if (!container || !stack || !container.service) return setNotice(store, 'the selected container is not a service of a configured stack (stacks:)');
    actions.startRebuild(stack.name, container.service);
  },
};

/** The Stacks panel's keys: move, filter, switch, compare, rebuild, runbooks (there is no details view of a stack: no Enter). */
export const STACKS_KEYS: readonly Binding[] = [...MOVE_KEYS, FILTER_KEY, CLEAR_FILTER_KEY, SWITCH_KEY, COMPARE_KEY, REBUILD_KEY, STACK_RUNBOOKS_KEY];
