import { cycleFocus, focusPanel, setShowAll, setZoom } from '../../store/ui-actions';
import { OVERLAYS, PANELS } from '../registry';
import type { Binding, BindingSet } from './bindings';
import { REFRESH_KEY } from './cloud-run-keys';
import { openerBinding } from './overlay-keys';

const QUIT: Binding = { keys: [{ input: 'q' }, { input: 'c', ctrl: true }], label: 'q, Ctrl-C', description: 'Quit and restore the terminal', hint: 'quit', run: ({ exit }) => exit() };

const openers = (): Binding[] => OVERLAYS.flatMap((spec) => (spec.opener ? [openerBinding({ ...spec, opener: spec.opener })] : []));

let essentials: BindingSet | null = null;
let globals: BindingSet | null = null;

/** What works over any overlay but a dialog: quit, and the help. */
export function essentialKeys(): BindingSet {
  const help = openers().find((b) => b.hint === 'help');
  return (essentials ??= { title: 'Global', bindings: [QUIT, ...(help ? [help] : [])] });
}

/** The keys that work whatever panel has the focus (and no overlay is open); built once, from the registry. */
export function globalKeys(): BindingSet {
  return (globals ??= buildGlobalKeys());
}

function buildGlobalKeys(): BindingSet {
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
      ...openers().filter((b) => b.hint === 'help'),
      QUIT,
      REFRESH_KEY,
      ...openers().filter((b) => b.hint !== 'help'),
    ],
  };
}
