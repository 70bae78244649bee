import { cycleOrigin, cycleSeverity, follow, jumpToMatch, moveLogCursor, openLogEntry, toggleLogFlag, togglePause } from '../../store/log-actions';
import { setNotice, setOverlay } from '../../store/ui-actions';
import type { Binding } from './bindings';
import { LOG_ENTRY_OVERLAY } from '../panels/LogEntryOverlay';
import { CLEAR_FILTER_KEY, FILTER_KEY } from './list-keys';

/** In the Logs panel the list keys move the cursor through the lines, and End follows again. */
export const LOGS_KEYS: readonly Binding[] = [
  { keys: [{ input: 'j' }, { key: 'downArrow' }], label: 'j, ↓', description: 'Next line (pauses)', hint: 'move', run: ({ store, logRing }) => moveLogCursor(store, logRing, 1) },
  { keys: [{ input: 'k' }, { key: 'upArrow' }], label: 'k, ↑', description: 'Previous line (scrolls back and pauses)', run: ({ store, logRing }) => moveLogCursor(store, logRing, -1) },
  { keys: [{ key: 'pageDown' }], label: 'PgDn', description: 'One screen down', run: (ctx) => moveLogCursor(ctx.store, ctx.logRing, ctx.pageRows) },
  { keys: [{ key: 'pageUp' }], label: 'PgUp', description: 'One screen up', run: (ctx) => moveLogCursor(ctx.store, ctx.logRing, -ctx.pageRows) },
  { keys: [{ input: 'g' }, { key: 'home' }], label: 'g, Home', description: 'Oldest line kept', run: ({ store, logRing }) => moveLogCursor(store, logRing, -logRing.size) },
  { keys: [{ input: 'G' }, { key: 'end' }], label: 'G, End', description: 'Follow the newest lines again', run: ({ store }) => follow(store) },
  {
    keys: [{ key: 'return' }],
    label: 'Enter',
    description: 'The whole entry of the highlighted line',
    hint: 'details',
    run: ({ store, logRing, actions }) => {
      const cloudLine = openLogEntry(store, logRing);
      setOverlay(store, LOG_ENTRY_OVERLAY.id);
      if (cloudLine) actions.loadLogEntry(cloudLine);
    },
  },
  { ...FILTER_KEY, description: 'Search with a case-insensitive regex (Enter keeps it, Esc clears it)', hint: 'search' },
  CLEAR_FILTER_KEY,
  { keys: [{ input: ' ' }, { input: 'p' }], label: 'Space, p', description: 'Pause or resume following (lines keep arriving)', run: ({ store, logRing }) => togglePause(store, logRing) },
  { keys: [{ input: 'n' }], label: 'n', description: 'Jump to the next line matching the search', run: ({ store, logRing }) => setNotice(store, jumpToMatch(store, logRing, 1)) },
  { keys: [{ input: 'N' }], label: 'N', description: 'Jump to the previous line matching the search', run: ({ store, logRing }) => setNotice(store, jumpToMatch(store, logRing, -1)) },
  { keys: [{ input: 'f' }], label: 'f', description: 'Show only the lines matching the search, or all', run: ({ store }) => toggleLogFlag(store, 'onlyMatches') },
  { keys: [{ input: 'v' }], label: 'v', description: 'Minimum severity: any → INFO → WARNING → ERROR', run: ({ store }) => cycleSeverity(store) },
  { keys: [{ input: 'o' }], label: 'o', description: 'Sources: all → Cloud Run → containers', run: ({ store }) => cycleOrigin(store) },
  { keys: [{ input: 't' }], label: 't', description: 'Show or hide timestamps', run: ({ store }) => toggleLogFlag(store, 'showTime') },
  { keys: [{ input: 'w' }], label: 'w', description: 'Wrap long lines, or cut them', run: ({ store }) => toggleLogFlag(store, 'wrap') },
  {
    keys: [{ input: 's' }],
    label: 's',
    description: 'Save the filtered lines to a file in the working directory',
    run: ({ store, actions }) => void actions.saveLogs().then((notice) => setNotice(store, notice)),
  },
];

