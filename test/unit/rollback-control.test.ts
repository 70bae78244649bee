import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { rollbackControl } from '../../src/cli/rollback-control';
import type { Settings } from '../../src/cli/settings';
import { pickRevision, proceed, startRollback, typeConfirmation } from '../../src/flows/rollback-machine';
import type { AuditEntry } from '../../src/domain/audit';
import { setFlow } from '../../src/store/rollback-actions';
import { auth, backend, frontend, revisionName } from './rollback-fixtures';
import { appStore } from './support';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** The console's rollback control over a real store, writing its audit log to a temp dir. */
function control() {
  const dir = mkdtempSync(join(tmpdir(), 'rollback-control-'));
  dirs.push(dir);
  const auditPath = join(dir, 'audit.log');
  const settings = { cloudRun: { project: 'netra-staging', region: 'us-central1' }, auditPath } as Settings;
  const store = appStore();
  const lines = () =>
    readFileSync(auditPath, 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as AuditEntry);
  return { store, control: rollbackControl(store, settings, () => null), lines };
}

describe('rollbackControl.cancel', () => {
  it('records a cancelled line per service and closes the dialog', () => {
    const { store, control: c, lines } = control();
    setFlow(store, startRollback([auth()], { kind: 'previous' }));
    c.cancel();
    expect(store.getState().rollback).toBeNull();
    const [line] = lines();
    expect(line).toMatchObject({ service: 'netra-auth', action: 'rollback-previous', result: 'cancelled', after: null, error: null });
    expect(line!.requested?.[0]).toMatchObject({ revision: revisionName('netra-auth', 4), percent: 100 });
    expect(store.getState().audit).toEqual(lines());
  });

  it('records the cancellation also when the picked target is refused (nothing planned)', () => {
    const { store, control: c, lines } = control();
    const refused = pickRevision(startRollback([backend()], { kind: 'previous' }), revisionName('netra-backend-staging', 5));
    expect(refused.step === 'choose' && refused.error).toContain('is not Ready');
    setFlow(store, refused);
    c.cancel();
    expect(lines()).toEqual([
      expect.objectContaining({
        service: 'netra-backend-staging',
        action: 'rollback-to-revision',
        result: 'cancelled',
        requested: null,
        before: backend().trafficStatuses,
      }),
    ]);
  });

  it('records every service of an all-services dialog, when choosing and when confirming', () => {
    const { store, control: c, lines } = control();
    setFlow(store, startRollback([frontend(), auth(), backend()], { kind: 'previous' }));
    c.cancel();
    setFlow(store, typeConfirmation(proceed(startRollback([frontend(), auth()], { kind: 'previous' })), () => 'al'));
    c.cancel();
    expect(lines().map((l) => `${l.service} ${l.action} ${l.result}`)).toEqual([
      'netra-frontend-staging rollback-previous cancelled',
      'netra-auth rollback-previous cancelled',
      'netra-backend-staging rollback-previous cancelled',
      'netra-frontend-staging rollback-previous cancelled',
      'netra-auth rollback-previous cancelled',
    ]);
  });

  it('writes the action names the CLI writes: r, b, and a revision picked in the dialog', () => {
    const { store, control: c, lines } = control();
    setFlow(store, startRollback([auth()], { kind: 'previous' }));
    c.cancel();
    setFlow(store, startRollback([auth()], { kind: 'regular' }));
    c.cancel();
    setFlow(store, pickRevision(startRollback([auth()], { kind: 'previous' }), revisionName('netra-auth', 2)));
    c.cancel();
    expect(lines().map((l) => l.action)).toEqual(['rollback-previous', 'rollback-to-regular', 'rollback-to-revision']);
  });

  it('records a dialog that had nothing to do as unchanged, with the traffic it still serves', () => {
    const { store, control: c, lines } = control();
    // The backend already serves 00004 at 100 % (and `stable` on 00002 at 0 %).
    setFlow(store, startRollback([backend()], { kind: 'revision', name: revisionName('netra-backend-staging', 4) }));
    c.cancel();
    expect(store.getState().rollback).toBeNull();
    expect(lines()).toEqual([
      expect.objectContaining({
        service: 'netra-backend-staging',
        action: 'rollback-to-revision',
        result: 'unchanged',
        before: backend().trafficStatuses,
        after: backend().trafficStatuses,
        error: null,
      }),
    ]);
  });
});
