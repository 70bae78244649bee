import type { Key } from 'ink';
import type { PanelId } from '../store/store';

/** Every key binding of the console lives in this table; the help overlay and footer are generated from it. */
export type Action =
  | 'quit'
  | 'help'
  | 'nextPanel'
  | 'prevPanel'
  | 'focusPanel1'
  | 'focusPanel2'
  | 'focusPanel3'
  | 'refresh'
  | 'rollback'
  | 'rollbackAll'
  | 'rollbackRegular'
  | 'audit'
  | 'focusPanel4'
  | 'zoom'
  | 'pauseLogs'
  | 'nextMatch'
  | 'prevMatch'
  | 'saveLogs'
  | 'toggleTime'
  | 'toggleWrap'
  | 'cycleSeverity'
  | 'cycleOrigin'
  | 'toggleOnlyMatches'
  | 'up'
  | 'down'
  | 'pageUp'
  | 'pageDown'
  | 'top'
  | 'bottom'
  | 'details'
  | 'close'
  | 'filter'
  | 'toggleAll'
  | 'cycleSort'
  | 'alerts';

type NamedKey = 'tab' | 'return' | 'escape' | 'upArrow' | 'downArrow' | 'pageUp' | 'pageDown' | 'home' | 'end';

export interface KeySpec {
  input?: string;
  key?: NamedKey;
  shift?: boolean;
  ctrl?: boolean;
}

export interface Binding {
  action: Action;
  keys: KeySpec[];
  /** How the keys are written in help and the footer. */
  label: string;
  description: string;
  group: 'Global' | 'Lists' | 'Cloud Run' | 'Logs';
  /** Only while one of these panels has the focus; when absent the binding works everywhere. */
  panels?: readonly PanelId[];
  /** Shown in the footer's short hint line. */
  hint?: string;
  /** Changes something outside the console: hidden and refused in a read-only console. */
  mutating?: boolean;
}

export const KEYMAP: readonly Binding[] = [
  { action: 'nextPanel', keys: [{ key: 'tab', shift: false }], label: 'Tab', description: 'Focus the next panel', group: 'Global', hint: 'panel' },
  { action: 'prevPanel', keys: [{ key: 'tab', shift: true }], label: 'Shift-Tab', description: 'Focus the previous panel', group: 'Global' },
  { action: 'focusPanel1', keys: [{ input: '1' }], label: '1', description: 'Focus the Containers panel', group: 'Global' },
  { action: 'focusPanel2', keys: [{ input: '2' }], label: '2', description: 'Focus the Stats panel', group: 'Global' },
  { action: 'focusPanel3', keys: [{ input: '3' }], label: '3', description: 'Focus the Cloud Run panel', group: 'Global' },
  { action: 'focusPanel4', keys: [{ input: '4' }], label: '4', description: 'Focus the Logs panel', group: 'Global' },
  { action: 'zoom', keys: [{ input: 'z' }], label: 'z', description: 'Zoom the focused panel to the whole window, or back', group: 'Global', hint: 'zoom' },
  { action: 'toggleAll', keys: [{ input: 'a' }], label: 'a', description: 'Show all containers / only Netra projects', group: 'Global', hint: 'all' },
  { action: 'alerts', keys: [{ input: '!' }], label: '!', description: 'List every active alert, most severe first', group: 'Global' },
  { action: 'help', keys: [{ input: '?' }], label: '?', description: 'Show or hide this help', group: 'Global', hint: 'help' },
  { action: 'quit', keys: [{ input: 'q' }, { input: 'c', ctrl: true }], label: 'q, Ctrl-C', description: 'Quit and restore the terminal', group: 'Global', hint: 'quit' },
  { action: 'down', keys: [{ input: 'j' }, { key: 'downArrow' }], label: 'j, ↓', description: 'Move down', group: 'Lists', hint: 'move' },
  { action: 'up', keys: [{ input: 'k' }, { key: 'upArrow' }], label: 'k, ↑', description: 'Move up', group: 'Lists' },
  { action: 'pageDown', keys: [{ key: 'pageDown' }], label: 'PgDn', description: 'Move one page down', group: 'Lists' },
  { action: 'pageUp', keys: [{ key: 'pageUp' }], label: 'PgUp', description: 'Move one page up', group: 'Lists' },
  { action: 'top', keys: [{ input: 'g' }, { key: 'home' }], label: 'g, Home', description: 'First row', group: 'Lists' },
  { action: 'bottom', keys: [{ input: 'G' }, { key: 'end' }], label: 'G, End', description: 'Last row', group: 'Lists' },
  { action: 'details', keys: [{ key: 'return' }], label: 'Enter', description: 'Details of the selected row (Cloud Run: its revisions)', group: 'Lists', hint: 'details' },
  { action: 'filter', keys: [{ input: '/' }], label: '/', description: 'Filter the focused list (Enter keeps it, Esc clears it)', group: 'Lists', hint: 'filter' },
  { action: 'cycleSort', panels: ['health', 'stats'], keys: [{ input: 'O' }], label: 'O', description: 'Order: worst alert first → (Stats: memory % → CPU %) → name', group: 'Lists' },
  { action: 'close', keys: [{ key: 'escape' }], label: 'Esc', description: 'Close the overlay, or clear the filter', group: 'Lists' },
  { action: 'refresh', keys: [{ input: 'r', ctrl: true }], label: 'Ctrl-R', description: 'Refresh Cloud Run now', group: 'Cloud Run', hint: 'refresh' },
  { action: 'rollback', panels: ['cloudrun'], keys: [{ input: 'r' }], label: 'r', description: 'Roll back the selected service to its previous Ready revision', group: 'Cloud Run', mutating: true, hint: 'rollback' },
  { action: 'rollbackRegular', panels: ['cloudrun'], keys: [{ input: 'b' }], label: 'b', description: 'Roll back the selected service to its newest regular image', group: 'Cloud Run', mutating: true },
  { action: 'rollbackAll', panels: ['cloudrun'], keys: [{ input: 'R' }], label: 'R', description: 'Roll back all Netra services, one at a time, each verified', group: 'Cloud Run', mutating: true },
  { action: 'audit', keys: [{ input: 'A' }], label: 'A', description: 'Audit view: the rollbacks of this session', group: 'Cloud Run', hint: 'audit' },
  { action: 'pauseLogs', keys: [{ input: ' ' }, { input: 'p' }], label: 'Space, p', description: 'Pause or resume following (lines keep arriving)', group: 'Logs', panels: ['logs'] },
  { action: 'nextMatch', keys: [{ input: 'n' }], label: 'n', description: 'Jump to the next line matching the search', group: 'Logs', panels: ['logs'] },
  { action: 'prevMatch', keys: [{ input: 'N' }], label: 'N', description: 'Jump to the previous line matching the search', group: 'Logs', panels: ['logs'] },
  { action: 'toggleOnlyMatches', keys: [{ input: 'f' }], label: 'f', description: 'Show only the lines matching the search, or all', group: 'Logs', panels: ['logs'] },
  { action: 'cycleSeverity', keys: [{ input: 'v' }], label: 'v', description: 'Minimum severity: any → INFO → WARNING → ERROR', group: 'Logs', panels: ['logs'] },
  { action: 'cycleOrigin', keys: [{ input: 'o' }], label: 'o', description: 'Sources: all → Cloud Run → containers', group: 'Logs', panels: ['logs'] },
  { action: 'toggleTime', keys: [{ input: 't' }], label: 't', description: 'Show or hide timestamps', group: 'Logs', panels: ['logs'] },
  { action: 'toggleWrap', keys: [{ input: 'w' }], label: 'w', description: 'Wrap long lines, or cut them', group: 'Logs', panels: ['logs'] },
  { action: 'saveLogs', keys: [{ input: 's' }], label: 's', description: 'Save the filtered lines to a file in the working directory', group: 'Logs', panels: ['logs'] },
];

/** The bindings a console shows and obeys: without the mutating ones when it is read-only. */
export function activeBindings(readOnly: boolean): readonly Binding[] {
  return readOnly ? KEYMAP.filter((b) => !b.mutating) : KEYMAP;
}

/** How the keys of an action are written, for hints shown outside the help overlay. */
export function keyLabel(action: Action): string {
  return KEYMAP.find((b) => b.action === action)?.label ?? '';
}

function matches(spec: KeySpec, input: string, key: Key): boolean {
  if (spec.key) {
    if (!key[spec.key]) return false;
    return spec.shift === undefined || spec.shift === key.shift;
  }
  if (Boolean(spec.ctrl) !== key.ctrl) return false;
  return spec.input === input;
}

/** The action of a key press in the focused panel (panel-specific bindings apply only there). */
export function actionFor(input: string, key: Key, focus?: PanelId): Action | null {
  const applies = (binding: Binding) => !binding.panels || (focus !== undefined && binding.panels.includes(focus));
  return KEYMAP.find((binding) => applies(binding) && binding.keys.some((spec) => matches(spec, input, key)))?.action ?? null;
}
