import { cycleSort, endFilter, moveSelection, openSelection, startFilter } from '../../store/ui-actions';
import type { Binding, KeyContext } from './bindings';

/** Moves in the active list (a panel, or the revisions view): one row, a page of what is on screen, an end. */
export const MOVE_KEYS: readonly Binding[] = [
  { keys: [{ input: 'j' }, { key: 'downArrow' }], label: 'j, ↓', description: 'Move down', hint: 'move', run: ({ store }) => moveSelection(store, 1) },
  { keys: [{ input: 'k' }, { key: 'upArrow' }], label: 'k, ↑', description: 'Move up', run: ({ store }) => moveSelection(store, -1) },
  { keys: [{ key: 'pageDown' }], label: 'PgDn', description: 'Move one screen down', run: (ctx: KeyContext) => moveSelection(ctx.store, ctx.pageRows) },
  { keys: [{ key: 'pageUp' }], label: 'PgUp', description: 'Move one screen up', run: (ctx: KeyContext) => moveSelection(ctx.store, -ctx.pageRows) },
  { keys: [{ input: 'g' }, { key: 'home' }], label: 'g, Home', description: 'First row', run: ({ store }) => moveSelection(store, -Infinity) },
  { keys: [{ input: 'G' }, { key: 'end' }], label: 'G, End', description: 'Last row', run: ({ store }) => moveSelection(store, Infinity) },
];

export const FILTER_KEY: Binding = {
  keys: [{ input: '/' }],
  label: '/',
  description: 'Filter the list (Enter keeps it, Esc clears it)',
  hint: 'filter',
  run: ({ store }) => startFilter(store),
};

export const CLEAR_FILTER_KEY: Binding = {
  keys: [{ key: 'escape' }],
  label: 'Esc',
  description: 'Clear the filter',
  run: ({ store }) => endFilter(store, false),
};

/** The keys of a list panel: move, open the selection (`details`), filter. */
export function listKeys(details: string): Binding[] {
  const open: Binding = { keys: [{ key: 'return' }], label: 'Enter', description: details, hint: 'details', run: ({ store }) => openSelection(store) };
  return [...MOVE_KEYS, open, FILTER_KEY, CLEAR_FILTER_KEY];
}

export const ORDER_KEY: Binding = {
  keys: [{ input: 'O' }],
  label: 'O',
  description: 'Order: worst alert first → (Stats: memory % → CPU %) → name',
  run: ({ store }) => cycleSort(store),
};
