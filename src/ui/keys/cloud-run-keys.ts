import { openRollback, type RollbackKind } from '../../store/rollback-actions';
import { setNotice } from '../../store/ui-actions';
import type { Binding } from './bindings';

export const REFRESH_KEY: Binding = {
  keys: [{ input: 'r', ctrl: true }],
  label: 'Ctrl-R',
  description: 'Refresh Cloud Run now',
  hint: 'refresh',
  run: ({ actions }) => actions.refreshCloudRun(),
};

function rollbackKey(input: string, kind: RollbackKind, description: string, hint?: string): Binding {
  return { keys: [{ input }], label: input, description, hint, mutating: 'rollback', run: ({ store }) => setNotice(store, openRollback(store, kind)) };
}

/** r and b work on the selected service, from the panel and from its revisions view. */
export const ROLLBACK_KEYS: readonly Binding[] = [
  rollbackKey('r', 'previous', 'Roll back the selected service to its previous Ready revision', 'rollback'),
  rollbackKey('b', 'regular', 'Roll back the selected service to its newest regular image'),
];

export const ROLLBACK_ALL_KEY = rollbackKey('R', 'all', 'Roll back all Netra services, one at a time, each verified');
