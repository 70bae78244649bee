import { editFilter, endFilter } from '../../store/ui-actions';
import type { BindingSet } from './bindings';

/** While a filter is typed: letters edit it; only Ctrl-C still quits. */
export const FILTER_PROMPT: BindingSet = {
  title: 'Typing a filter',
  modal: true,
  bindings: [
    { keys: [{ key: 'return' }], label: 'Enter', description: 'Keep the filter', hint: 'keep', run: ({ store }) => endFilter(store, true) },
    { keys: [{ key: 'escape' }], label: 'Esc', description: 'Clear the filter', hint: 'clear', run: ({ store }) => endFilter(store, false) },
    {
      keys: [{ key: 'backspace' }, { key: 'delete' }],
      label: 'Backspace',
      description: 'Delete the last character',
      run: ({ store }) => editFilter(store, (text) => text.slice(0, -1)),
    },
    { keys: [{ input: 'c', ctrl: true }], label: 'Ctrl-C', description: 'Quit and restore the terminal', run: ({ exit }) => exit() },
  ],
  text({ store }, input, key) {
    if (!input || key.ctrl || key.meta || key.tab) return false;
    editFilter(store, (text) => text + input);
    return true;
  },
};
