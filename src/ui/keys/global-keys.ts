import { cycleFocus, focusPanel, setShowAll, setZoom } from '../../store/ui-actions';
import { HELP_OVERLAY } from '../panels/HelpOverlay';
import { OVERLAYS, PANELS } from '../registry';
import type { Binding, BindingSet } from './bindings';
import { REFRESH_KEY } from './cloud-run-keys';
import { openerBinding } from './overlay-keys';

const QUIT: Binding = { keys: [{ input: 'q' }, { input: 'c', ctrl: true }], label: 'q, Ctrl-C', description: 'Quit and restore the terminal', hint: 'quit', run: ({ exit }) => exit() };

/** The global keys that open overlays, the help's apart (it also works over other overlays). */
function openers(): { help: Binding; others: Binding[] } {
  const withOpener = OVERLAYS.filter((spec) => spec.opener).map((spec) => ({ id: spec.id, binding: openerBinding({ ...spec, opener: spec.opener! }) }));
  return { help: withOpener.find((o) => o.id === HELP_OVERLAY.id)!.binding, others: withOpener.filter((o) => o.id !== HELP_OVERLAY.id).map((o) => o.binding) };
}

let essentials: BindingSet | null = null;
let globals: BindingSet | null = null;

/** What works over any overlay but a dialog: quit, and the help. */
export function essentialKeys(): BindingSet {
  return (essentials ??= { title: 'Global', bindings: [QUIT, openers().help] });
}

/** The keys that work whatever panel has the focus (and no overlay is open); built once, from the registry. */
export function globalKeys(): BindingSet {
  return (globals ??= buildGlobalKeys());
}

function buildGlobalKeys(): BindingSet {
  const { help, others } = openers();
  const focusKeys: Binding[] = PANELS.map((panel) => ({
    keys: [{ input: String(panel.number) }],
    label: String(panel.number),
    description: `Focus the ${panel.title} panel`,
    run: ({ store }) => focusPanel(store, panel.id),
  }));
  return {
    title: 'Global',
    bindings: [
      { keys: [{ key: 'tab', shift: false }], label: 'Tab', description: 'Focus the next panel', hint: 'panel', run: ({ store }) => cycleFocus(store, 1) },
      { keys: [{ key: 'tab', shift: true }], label: 'Shift-Tab', description: 'Focus the previous panel', run: ({ store }) => cycleFocus(store, -1) },
      ...focusKeys,
      { keys: [{ input: 'z' }], label: 'z', description: 'Zoom the focused panel to the whole window, or back', hint: 'zoom', run: ({ store }) => setZoom(store, !store.getState().ui.zoom) },
      {
        keys: [{ input: 'a' }],
        label: 'a',
        description: 'Show all containers / only Netra projects',
        hint: 'all',
        run: ({ store, actions }) => {
          const showAll = !store.getState().ui.showAll;
          setShowAll(store, showAll);
          actions.setShowAll(showAll);
        },
      },
      help,
      QUIT,
      REFRESH_KEY,
      ...others,
    ],
  };
}
