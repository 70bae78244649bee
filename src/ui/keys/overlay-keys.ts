import { closeOverlay, openOver, setOverlay } from '../../store/ui-actions';
import type { Binding, BindingSet } from './bindings';
import type { OverlaySpec } from './view-spec';

const close: Binding['run'] = ({ store }) => closeOverlay(store);

export const ESC_CLOSES: Binding = { keys: [{ key: 'escape' }], label: 'Esc', description: 'Close', hint: 'close', run: close };

/** The keys of a view that only shows something: `extra` keys, the key that opened it, and Esc close it. */
export function closingKeys(title: string, opener: OverlaySpec['opener'] | null, extra: readonly Omit<Binding, 'run'>[] = []): BindingSet {
  const closers = [...(opener ? [opener] : []), ...extra].map((b) => ({ ...b, description: 'Close', hint: undefined, run: close }));
  return { title, bindings: [...closers, ESC_CLOSES] };
}

/** The global key that opens an overlay. */
export function openerBinding(spec: OverlaySpec & { opener: NonNullable<OverlaySpec['opener']> }): Binding {
  return { ...spec.opener, run: ({ store }) => (spec.opensOver ? openOver(store, spec.id) : setOverlay(store, spec.id)) };
}
