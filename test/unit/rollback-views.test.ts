/** The rollback dialog and the audit view as a person sees them: rendered to text at a real terminal size. */
import { renderToString } from 'ink';
import { createElement, type ReactNode } from 'react';
import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../src/domain/audit';
import { pickRevision, startRollback } from '../../src/flows/rollback-machine';
import { LogRing } from '../../src/store/log-ring';
import { moveTarget, openRollback, setFlow } from '../../src/store/rollback-actions';
import type { AppStore } from '../../src/store/store';
import { AppProvider, type AppActions } from '../../src/ui/context';
import { AuditOverlay } from '../../src/ui/panels/AuditOverlay';
import { pickerWindow, RollbackDialog } from '../../src/ui/panels/RollbackDialog';
import { auditEntry, failedRevision, pinned, revision, revisionName, service } from './rollback-fixtures';
import { appStore } from './support';

const BACKEND = 'netra-backend-staging';
const B = (n: number) => revisionName(BACKEND, n);

/** The backend as seeded in the sandbox: 25 revisions, regular up to 00017, the newest failed; 00024 serves. */
function backend25() {
  const revisions = Array.from({ length: 24 }, (_, i) => revision(BACKEND, i + 1, i + 1 > 17 ? { variant: 'alpine' } : {}));
  return service(BACKEND, [...revisions, failedRevision(BACKEND, 25)], [pinned(B(24), 100), pinned(B(17), 0, 'stable')]);
}

const NO_ACTIONS = {} as AppActions;

function render(store: AppStore, node: ReactNode, columns: number): string {
  return renderToString(createElement(AppProvider, { store, actions: NO_ACTIONS, logRing: new LogRing(1), children: node }), { columns });
}

/** The console at 80×24 (21 rows under the chrome) with the backend selected in the Cloud Run panel. */
function consoleWithBackend(): AppStore {
  const store = appStore();
  store.setState((s) => ({ cloudRun: { ...s.cloudRun, services: [backend25()] }, ui: { ...s.ui, focus: 'cloudrun' } }));
  return store;
}

const dialog = (store: AppStore) => render(store, createElement(RollbackDialog, { width: 80, height: 21 }), 80);
/** The picker line of the chosen revision, `› name`, if it is on screen. */
const chosenLine = (screen: string) => screen.split('\n').find((l) => l.includes('›')) ?? '';

describe('rollback picker', () => {
  it('b picks the newest regular revision, the 9th of 25, and shows it with what lies above and below', () => {
    const store = consoleWithBackend();
    expect(openRollback(store, 'regular')).toBeNull();
    const screen = dialog(store);
    expect(chosenLine(screen)).toContain(`› ${B(17)}`);
    expect(screen).toMatch(/↑ \d+ more/);
    expect(screen).toMatch(/↓ \d+ more/);
    expect(screen.split('\n').length).toBeLessThanOrEqual(21);
  });

  it('j/k move the selection and the window follows it to both ends of the list', () => {
    const store = consoleWithBackend();
    openRollback(store, 'previous');
    expect(chosenLine(dialog(store))).toContain(`› ${B(23)}`);
    for (let i = 0; i < 30; i++) moveTarget(store, 1);
    let screen = dialog(store);
    expect(chosenLine(screen)).toContain(`› ${B(1)}`);
    expect(screen).toContain(`↑ `);
    expect(screen).not.toContain('↓ ');
    for (let i = 0; i < 30; i++) moveTarget(store, -1);
    screen = dialog(store);
    expect(chosenLine(screen)).toContain(`› ${B(25)}`);
    expect(screen).not.toContain('↑ ');
    expect(screen).toContain('↓ ');
  });

  it('counts what is off screen', () => {
    expect(pickerWindow(5, 4, 8)).toEqual({ start: 0, end: 5 });
    expect(pickerWindow(25, 8, 8)).toEqual({ start: 5, end: 11 });
    expect(pickerWindow(25, 0, 8)).toEqual({ start: 0, end: 6 });
    expect(pickerWindow(25, 24, 8)).toEqual({ start: 19, end: 25 });
    // Nothing chosen (a refused choice): the top of the list.
    expect(pickerWindow(25, -1, 8)).toEqual({ start: 0, end: 6 });
  });
});

describe('rollback dialog with nothing to do', () => {
  it('says the revision already serves instead of offering to continue', () => {
    const store = consoleWithBackend();
    openRollback(store, 'previous');
    const serving = pickRevision(store.getState().rollback!, B(24));
    setFlow(store, serving);
    const screen = dialog(store);
    expect(screen).toContain(`already serving ${B(24)}; nothing to do`);
    expect(screen).toContain('Esc close (nothing to send)');
    expect(screen).not.toContain('Enter continue');
    expect(screen).not.toContain('after:');
  });

  it('shows an unchanged service of a finished rollback as such, not as rolled back', () => {
    const store = consoleWithBackend();
    const flow = startRollback([backend25()], { kind: 'revision', name: B(24) });
    if (flow.step !== 'choose') throw new Error('expected choose');
    const outcome = { result: 'unchanged' as const, before: [], requested: [], after: [], latest: null, error: null, elapsedMs: 40 };
    setFlow(store, { step: 'done', plan: flow.plan, outcomes: [outcome] });
    const screen = dialog(store);
    // Wrapped at 80 columns, but whole.
    expect(screen).toMatch(new RegExp(`= ${BACKEND}: already serving ${B(24)};[\\s║]*nothing to do`));
    expect(screen).toContain('Done');
    expect(screen).not.toContain('rolled back');
  });
});

describe('audit view', () => {
  const long = (n: number) => `${BACKEND}-000${n}-abcdefghij`;
  const entry: AuditEntry = auditEntry({
    time: '2026-11-22T10:11:12.000Z',
    service: BACKEND,
    action: 'rollback-to-regular',
    before: [pinned(long(24), 90), pinned(long(23), 10, 'canary'), pinned(long(17), 0, 'stable')],
    requested: [pinned(long(17), 100), pinned(long(23), 0, 'canary'), pinned(long(17), 0, 'stable')],
    result: 'failed',
    error: 'the update failed: Quota exceeded for revisions of netra-backend-staging.',
  });

  const row = (columns: number) => {
    const store = appStore();
    store.setState({ audit: [entry], auditPath: '/home/oncall/.local/state/netra-console/audit.log' });
    const line = render(store, createElement(AuditOverlay, { width: columns, height: 10 }), columns)
      .split('\n')
      .find((l) => l.includes('10:11:12'))!;
    expect(line.length).toBe(columns);
    return line;
  };

  it.each([160, 120])('keeps the target of a long row visible at %i columns, shortening the traffic before', (columns) => {
    const line = row(columns);
    expect(line).toContain(`failed     ${BACKEND} rollback-to-regular: `);
    expect(line).toContain(`… → ${long(17)} 100%`);
  });

  it('shows as much of the traffic before as fits next to the target (160 columns)', () => {
    expect(row(160)).toContain(`rollback-to-regular: ${long(24)} 90%`);
  });

  it('leaves out the action and the service prefix of revision names when even that is too long (80 columns)', () => {
    expect(row(80)).toMatch(new RegExp(`failed     ${BACKEND}: \\S*… → 00017-abcdefghij 100%`));
  });

  it('shows the whole row when it fits', () => {
    const store = appStore();
    store.setState({ audit: [entry] });
    const screen = render(store, createElement(AuditOverlay, { width: 500, height: 10 }), 500);
    expect(screen).toContain(`${long(23)} 10% (canary), ${long(17)} 0% (stable) → ${long(17)} 100%`);
    expect(screen).toContain('— the update failed: Quota exceeded for revisions of netra-backend-staging.');
  });
});
