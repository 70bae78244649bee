/** The rollback dialog: r / b / R open it with a plan; pick with j/k; type the name to confirm; Esc cancels. */
import { afterEach, describe, expect, it } from 'vitest';
import { rollbackControl } from '../../src/cli/rollback-control';
import type { CloudRunRuntime } from '../../src/cli/cloud-run-runtime';
import type { Settings } from '../../src/cli/settings';
import { recordOutcome } from '../../src/flows/rollback-machine';
import { cleanupApps, cloudRunWith, footerLine, KEY, renderApp, titleLine } from '../support/render-app';
import { auth, backend, longBackend, rev, staging } from './fixtures';

afterEach(cleanupApps);

const CLOUD_RUN = '[3] Cloud Run';
const AUTH = 'netra-auth';
const BACKEND = 'netra-backend-staging';
/** The dialog's text with its border and line breaks gone, so that wrapped lines read as one. */
const dialogText = (frame: string) => frame.replace(/[║\s]+/g, ' ');
const position = (frame: string) => / (\d+\/\d+)\s*│?$/.exec(titleLine(frame, CLOUD_RUN))?.[1];

/** The console with the staging services, Cloud Run focused, netra-auth selected. */
async function onAuth(options: Parameters<typeof renderApp>[0] = {}) {
  const app = await renderApp({ ...options, state: { cloudRun: cloudRunWith(staging()), ui: { focus: 'cloudrun', selectedId: { cloudrun: AUTH } }, ...options.state } });
  expect(position(app.lastFrame())).toBe('2/3');
  return app;
}

describe('rollback dialog', () => {
  it('r shows who serves now and after, the proposed target, and the picker', async () => {
    const app = await onAuth();
    await app.press('r');
    const frame = await app.waitFor('Roll back netra-auth');
    expect(frame).toContain(`now:    ${rev(AUTH, 6)} 90%, ${rev(AUTH, 5)} 10% (canary)`);
    expect(frame).toContain(`after:  ${rev(AUTH, 4)} 100%, ${rev(AUTH, 5)} 0% (canary)`);
    expect(frame).toContain(`target: ${rev(AUTH, 4)} · app:v1.4 (regular) · Ready`);
    expect(frame).toContain('Revisions (6; j/k to pick another target):');
    expect(frame).toContain(`› ${rev(AUTH, 4)}`);
    expect(frame).toContain('Enter continue · Esc cancel (nothing is sent)');
    expect(frame).not.toContain(CLOUD_RUN);
  });

  it('j and k pick another target; the change follows', async () => {
    const app = await onAuth();
    await app.press('r');
    await app.waitFor(`› ${rev(AUTH, 4)}`);
    await app.press('j');
    let frame = await app.waitFor(`› ${rev(AUTH, 3)}`);
    expect(frame).toContain(`after:  ${rev(AUTH, 3)} 100%, ${rev(AUTH, 5)} 0% (canary)`);
    expect(frame).toContain(`target: ${rev(AUTH, 3)} ·`);
    await app.press(KEY.down);
    await app.waitFor(`› ${rev(AUTH, 2)}`);
    await app.press('k', KEY.up);
    frame = await app.waitFor(`› ${rev(AUTH, 4)}`);
    expect(frame).toContain(`target: ${rev(AUTH, 4)} ·`);
  });

  it('Esc cancels before anything is sent', async () => {
    const app = await onAuth({ actions: ({ store }) => ({ cancelRollback: () => store.setState((s) => ({ rollback: null, ui: { ...s.ui, overlay: null } })) }) });
    await app.press('r');
    await app.waitFor('Roll back netra-auth');
    await app.press(KEY.esc);
    const frame = await app.waitFor((f) => !f.includes('Roll back netra-auth'), 'the dialog closed');
    expect(frame).toContain(CLOUD_RUN);
    expect(app.calls('cancelRollback')).toHaveLength(1);
    expect(app.calls('runRollback')).toHaveLength(0);
  });

  it('a non-Ready target is refused with its condition message; Enter does not go on', async () => {
    const app = await renderApp({ state: { cloudRun: cloudRunWith([backend()]), ui: { focus: 'cloudrun' } } });
    await app.press('r');
    await app.waitFor(`› ${rev(BACKEND, 3)}`);
    await app.press('k', 'k');
    let frame = await app.waitFor(`› ${rev(BACKEND, 5)}`);
    expect(frame).toContain(`✘ revision ${rev(BACKEND, 5)} is not Ready (failed): The user-provided container failed to start`);
    expect(frame).not.toContain('Logs URL');
    expect(frame).not.toContain('Enter continue');
    expect(frame).toContain('Esc cancel');
    await app.press(KEY.enter);
    frame = app.lastFrame();
    expect(frame).not.toContain('Confirm the change');
    expect(frame).toContain('is not Ready (failed)');
  });

  it('Enter asks to type the service name; a wrong name is refused and nothing runs', async () => {
    const app = await onAuth();
    await app.press('r');
    await app.waitFor('Roll back netra-auth');
    await app.press(KEY.enter);
    let frame = await app.waitFor('Type netra-auth and press Enter to apply; Esc cancels (nothing is sent):');
    expect(frame).toContain('Confirm the change');
    expect(frame).toContain(`after:  ${rev(AUTH, 4)} 100%, ${rev(AUTH, 5)} 0% (canary)`);
    await app.type('netra-autx');
    await app.waitFor('netra-autx█');
    await app.press(KEY.enter);
    frame = await app.waitFor('type netra-auth exactly to confirm, or Esc to cancel');
    expect(frame).toContain('Confirm the change');
    expect(app.calls('runRollback')).toEqual([]);
  });

  it('typing is text: q, j and ? are letters of the name, not keys', async () => {
    const app = await onAuth();
    await app.press('r', KEY.enter);
    await app.waitFor('Type netra-auth');
    await app.type('qj?');
    await app.waitFor('qj?█');
    expect(app.exited()).toBe(false);
    expect(app.lastFrame()).not.toContain('Keys — press');
  });

  it('Backspace corrects the name; the right name runs the rollback and shows progress', async () => {
    const app = await onAuth();
    await app.press('r', KEY.enter);
    await app.waitFor('Type netra-auth');
    await app.type('netra-autx');
    await app.press(KEY.backspace);
    await app.type('h');
    await app.waitFor('netra-auth█');
    await app.press(KEY.enter);
    const frame = await app.waitFor('Rolling back — do not close the console');
    expect(frame).toContain('◌ netra-auth: checking the service has not changed…');
    expect(app.calls('runRollback')).toHaveLength(1);
  });

  it('while it runs, Esc and Ctrl-C do nothing; the verified result shows, and Enter closes it', async () => {
    let finish = () => {};
    const app = await onAuth({
      actions: ({ store }) => ({
        runRollback: () => {
          finish = () => {
            const flow = store.getState().rollback!;
            const item = flow.plan[0]!;
            store.setState({ rollback: recordOutcome(flow, { result: 'succeeded', before: item.service.trafficStatuses, requested: item.requested, after: item.requested, latest: null, error: null, elapsedMs: 2_300 }) });
          };
        },
      }),
    });
    await app.press('r', KEY.enter);
    await app.type('netra-auth');
    await app.press(KEY.enter);
    await app.waitFor('Rolling back — do not close the console');
    await app.press(KEY.esc, KEY.ctrlC, 'q');
    expect(app.exited()).toBe(false);
    expect(app.calls('cancelRollback')).toEqual([]);
    expect(app.lastFrame()).toContain('Rolling back');
    finish();
    const frame = await app.waitFor(`✔ netra-auth rolled back to ${rev(AUTH, 4)}, verified in 2.3s`);
    expect(frame).toContain('Done');
    expect(frame).toContain('Enter or Esc closes');
    await app.press(KEY.enter);
    await app.waitFor((f) => !f.includes('Done') && f.includes(CLOUD_RUN), 'the panels again');
  });

  it('a failure shows what failed and the traffic now', async () => {
    const app = await onAuth({
      actions: ({ store }) => ({
        runRollback: () => {
          const flow = store.getState().rollback!;
          const item = flow.plan[0]!;
          store.setState({ rollback: recordOutcome(flow, { result: 'failed', before: item.service.trafficStatuses, requested: item.requested, after: item.service.trafficStatuses, latest: null, error: 'the update failed: Revision limit reached.', elapsedMs: 900 }) });
        },
      }),
    });
    await app.press('r', KEY.enter);
    await app.type('netra-auth');
    await app.press(KEY.enter);
    const frame = await app.waitFor('Stopped');
    expect(frame).toContain('✘ netra-auth: the update failed: Revision limit reached.');
    expect(frame).toContain(`traffic now: ${rev(AUTH, 6)} 90%, ${rev(AUTH, 5)} 10% (canary)`);
    await app.press(KEY.esc);
    await app.waitFor((f) => !f.includes('Stopped'), 'closed');
  });

  it('a timed-out rollback says so, names the operation, says it may still apply, shows the traffic now and that it is watched', async () => {
    const operation = 'projects/netra-staging/locations/us-central1/operations/op-7';
    const app = await onAuth({
      actions: ({ store }) => ({
        runRollback: () => {
          const flow = store.getState().rollback!;
          const item = flow.plan[0]!;
          const error = `timed out after 5s waiting for operation ${operation}; the change may still be applied`;
          store.setState({ rollback: recordOutcome(flow, { result: 'timed-out', before: item.service.trafficStatuses, requested: item.requested, after: item.service.trafficStatuses, latest: null, error, elapsedMs: 5_000, operation }) });
        },
      }),
    });
    await app.press('r', KEY.enter);
    await app.type('netra-auth');
    await app.press(KEY.enter);
    const frame = await app.waitFor('Stopped');
    const text = dialogText(frame);
    expect(text).toContain(`⧗ netra-auth: timed out after 5s waiting for operation ${operation}; the change may still be applied`);
    expect(text).toContain(`traffic now: ${rev(AUTH, 6)} 90%, ${rev(AUTH, 5)} 10% (canary)`);
    expect(text).toContain('still watching it in the background; its result goes to the audit log and the audit view (A)');
    expect(frame).not.toContain('✘');
  });

  it('an audit log that cannot be written: nothing is sent and the dialog says why', async () => {
    const settings = { cloudRun: { project: 'netra-staging', region: 'us-central1' }, auditPath: '/dev/null/netra-console/audit-sandbox.log', auditSource: { mode: 'sandbox', endpoint: 'in-process sandbox' } } as Settings;
    const sent: string[] = [];
    // A port that only records: the rollback must not get as far as reading or sending anything.
    const port = {
      readService: async (name: string) => (sent.push(`read ${name}`), Promise.reject(new Error('not expected'))),
      updateTraffic: async (name: string) => (sent.push(`update ${name}`), Promise.reject(new Error('not expected'))),
      operationDone: async () => true,
    };
    const runtime = { rollbackPort: () => port, poller: { refreshNow: () => {} } } as unknown as CloudRunRuntime;
    const app = await onAuth({ actions: ({ store }) => ({ runRollback: rollbackControl(store, settings, () => runtime).run }) });
    await app.press('r', KEY.enter);
    await app.type('netra-auth');
    await app.press(KEY.enter);
    const frame = await app.waitFor('Stopped');
    expect(dialogText(frame)).toMatch(/✘ netra-auth: cannot write the audit log \/dev\/null\/netra-console\/audit-sandbox\.log: ENOTDIR: .*; nothing was sent/);
    expect(frame).not.toContain('rolled back');
    expect(sent).toEqual([]);
    await app.press('A');
    expect(app.store.getState().audit).toEqual([]);
  });

  it('Esc at the confirmation cancels', async () => {
    const app = await onAuth();
    await app.press('r', KEY.enter);
    await app.waitFor('Type netra-auth');
    await app.type('netra');
    await app.press(KEY.esc);
    expect(app.calls('cancelRollback')).toHaveLength(1);
    expect(app.calls('runRollback')).toHaveLength(0);
  });

  it('b proposes the newest regular revision; the picker scrolls to it and keeps the choice in view', async () => {
    const app = await renderApp({ state: { cloudRun: cloudRunWith([longBackend()]), ui: { focus: 'cloudrun' } } });
    await app.press('b');
    let frame = await app.waitFor(`› ${rev(BACKEND, 17)}`);
    expect(frame).toContain(`target: ${rev(BACKEND, 17)} · backend:v1.17 (regular) · Ready`);
    expect(frame).toMatch(/↓ \d+ more/);
    await app.press(...Array<string>(14).fill('j'));
    frame = await app.waitFor(`› ${rev(BACKEND, 3)}`);
    expect(frame).toMatch(/↑ \d+ more/);
    expect(frame).toContain(`target: ${rev(BACKEND, 3)} ·`);
  });

  it('R rolls back all Netra services in the configured order; the confirmation word is all', async () => {
    const app = await renderApp({ state: { cloudRun: cloudRunWith(staging()), ui: { focus: 'cloudrun' } } });
    await app.press('R');
    let frame = await app.waitFor('Roll back 3 services, one at a time: netra-frontend-staging → netra-auth → netra-backend-staging');
    const at = (name: string) => frame.split('\n').findIndex((l) => new RegExp(`^║ ${name}\\s*║$`).test(l));
    expect(at('netra-frontend-staging')).toBeGreaterThan(0);
    expect(at('netra-frontend-staging')).toBeLessThan(at(AUTH));
    expect(at(AUTH)).toBeLessThan(at(BACKEND));
    expect(frame).toContain(`target: ${rev('netra-frontend-staging', 4)} ·`);
    expect(frame).toContain(`target: ${rev(AUTH, 4)} ·`);
    expect(frame).toContain(`target: ${rev(BACKEND, 3)} ·`);
    expect(frame).not.toContain('j/k to pick');
    await app.press(KEY.enter);
    await app.waitFor('Type all and press Enter to apply');
    await app.type('all');
    await app.press(KEY.enter);
    frame = await app.waitFor('Rolling back');
    expect(frame).toContain('◌ netra-frontend-staging: ');
    expect(app.calls('runRollback')).toHaveLength(1);
  });

  it('picking what already serves 100 % says there is nothing to do: no confirmation', async () => {
    const app = await renderApp({ state: { cloudRun: cloudRunWith([backend()]), ui: { focus: 'cloudrun' } } });
    await app.press('r');
    await app.waitFor(`› ${rev(BACKEND, 3)}`);
    await app.press('k');
    let frame = await app.waitFor(`already serving ${rev(BACKEND, 4)}; nothing to do`);
    expect(frame).toMatch(/nothing to send/i);
    expect(frame).not.toContain('Enter continue');
    expect(frame).not.toContain('after:');
    // Enter does not go on; j still moves the picker.
    await app.press(KEY.enter, 'j');
    frame = await app.waitFor(`› ${rev(BACKEND, 3)}`);
    expect(frame).not.toContain('Confirm the change');
    expect(frame).toContain('Enter continue');
  });

  it('r from the revisions view rolls back the service being viewed', async () => {
    const app = await onAuth();
    await app.press(KEY.enter);
    await app.waitFor('netra-auth revisions (Esc back)');
    await app.press('r');
    await app.waitFor('Roll back netra-auth');
  });

  it('with no Cloud Run service loaded, r says there is nothing to roll back', async () => {
    const app = await renderApp({ state: { ui: { focus: 'cloudrun' } } });
    await app.press('r');
    await app.waitFor((f) => footerLine(f) === 'no Cloud Run service to roll back yet', 'the notice');
    expect(app.lastFrame()).not.toContain('Roll back');
  });

  it('r, b and R are Cloud Run keys: elsewhere they do not open the dialog', async () => {
    const app = await renderApp({ state: { cloudRun: cloudRunWith([auth()]) } });
    await app.press('r', 'b', 'R');
    expect(app.lastFrame()).not.toContain('Roll back');
    expect(app.store.getState().rollback).toBeNull();
  });
});
