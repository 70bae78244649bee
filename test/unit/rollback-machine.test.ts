import { describe, expect, it } from 'vitest';
import {
  confirmationWord,
  isConfirmed,
  isNoOp,
  nextItem,
  nothingToDo,
  phase,
  pickRevision,
  proceed,
  recordOutcome,
  startRollback,
  startRunning,
  typeConfirmation,
  type RollbackFlow,
} from '../../src/flows/rollback-machine';
import { rollbackTraffic } from '../../src/flows/rollback-plan';
import { auth, backend, frontend, outcome, pinned, revisionName } from './rollback-fixtures';

const A = (n: number) => revisionName('netra-auth', n);
const B = (n: number) => revisionName('netra-backend-staging', n);
const F = (n: number) => revisionName('netra-frontend-staging', n);

function step<S extends RollbackFlow['step']>(flow: RollbackFlow, expected: S): Extract<RollbackFlow, { step: S }> {
  expect(flow.step).toBe(expected);
  return flow as Extract<RollbackFlow, { step: S }>;
}

const type = (flow: RollbackFlow, text: string) => [...text].reduce((f, c) => typeConfirmation(f, (typed) => typed + c), flow);
const backspace = (flow: RollbackFlow) => typeConfirmation(flow, (typed) => typed.slice(0, -1));

/** One service, confirmed and running. */
function runningAuth(): RollbackFlow {
  return startRunning(type(proceed(startRollback([auth()], { kind: 'previous' })), 'netra-auth'));
}

/** frontend → auth → backend, confirmed with `all` and running. */
function runningAll(): RollbackFlow {
  return startRunning(type(proceed(startRollback([frontend(), auth(), backend()], { kind: 'previous' })), 'all'));
}

describe('rollback dialog state machine', () => {
  it('starts by choosing: the proposed target and the traffic it would get', () => {
    const flow = step(startRollback([auth()], { kind: 'previous' }), 'choose');
    expect(flow.error).toBeNull();
    expect(flow.plan).toHaveLength(1);
    expect(flow.plan[0]!.target.name).toBe(A(4));
    expect(flow.plan[0]!.requested).toEqual([pinned(A(4), 100), pinned(A(5), 0, 'canary')]);
    expect(step(startRollback([auth()], { kind: 'regular' }), 'choose').plan[0]!.target.name).toBe(A(5));
  });

  it('picks another revision; a non-Ready one is refused with its reason and cannot proceed', () => {
    const picked = step(pickRevision(startRollback([auth()], { kind: 'previous' }), A(2)), 'choose');
    expect(picked.choice).toEqual({ kind: 'revision', name: A(2) });
    expect(picked.plan[0]!.target.name).toBe(A(2));
    expect(picked.plan[0]!.requested).toEqual(rollbackTraffic(auth(), A(2)));

    const refused = step(pickRevision(startRollback([backend()], { kind: 'previous' }), B(5)), 'choose');
    expect(refused.error).toContain(`revision ${B(5)} is not Ready (failed): The user-provided container failed to start`);
    expect(refused.plan).toEqual([]);
    expect(proceed(refused)).toBe(refused);
    // Picking a Ready one again clears the refusal.
    expect(step(pickRevision(refused, B(3)), 'choose').error).toBeNull();
  });

  it('does not pick single revisions in a flow over several services', () => {
    const all = startRollback([frontend(), auth()], { kind: 'previous' });
    expect(pickRevision(all, A(2))).toBe(all);
  });

  it('proceeds to a typed confirmation of the service name', () => {
    const confirm = step(proceed(startRollback([auth()], { kind: 'previous' })), 'confirm');
    expect(confirm).toMatchObject({ expected: 'netra-auth', typed: '', notice: null });
    expect(confirm.plan[0]!.target.name).toBe(A(4));
  });

  it('edits the typed word with typing and backspace', () => {
    let flow = type(proceed(startRollback([auth()], { kind: 'previous' })), 'netra-authx');
    expect(step(flow, 'confirm').typed).toBe('netra-authx');
    flow = backspace(flow);
    expect(step(flow, 'confirm').typed).toBe('netra-auth');
    expect(isConfirmed(flow)).toBe(true);
    // Typing outside the confirmation does nothing.
    const choose = startRollback([auth()], { kind: 'previous' });
    expect(typeConfirmation(choose, (t) => `${t}x`)).toBe(choose);
  });

  it('does not start on a wrong word', () => {
    const confirm = proceed(startRollback([auth()], { kind: 'previous' }));
    for (const wrong of ['', 'netra-aut', 'NETRA-AUTH', 'netra-auth2', 'all']) {
      const typed = type(confirm, wrong);
      expect(isConfirmed(typed)).toBe(false);
      expect(startRunning(typed)).toBe(typed);
    }
  });

  it('starts running on the right word (surrounding blanks ignored)', () => {
    const running = step(startRunning(type(proceed(startRollback([auth()], { kind: 'previous' })), ' netra-auth ')), 'running');
    expect(running).toMatchObject({ outcomes: [], phase: 'checking' });
    expect(nextItem(running)?.service.name).toBe('netra-auth');
  });

  it('follows the runner through its phases', () => {
    let flow = runningAuth();
    for (const p of ['sending', 'operation', 'verifying'] as const) {
      flow = phase(flow, p);
      expect(step(flow, 'running').phase).toBe(p);
    }
    const confirm = proceed(startRollback([auth()], { kind: 'previous' }));
    expect(phase(confirm, 'sending')).toBe(confirm);
  });

  it('ends when the only service succeeded', () => {
    const done = step(recordOutcome(runningAuth(), outcome('succeeded')), 'done');
    expect(done.outcomes.map((o) => o.result)).toEqual(['succeeded']);
    expect(nextItem(done)).toBeNull();
  });

  it('moves on to the next service after a success, and ends after the last', () => {
    let flow = runningAll();
    expect(nextItem(flow)?.service.name).toBe('netra-frontend-staging');
    flow = recordOutcome(phase(flow, 'verifying'), outcome('succeeded'));
    expect(step(flow, 'running')).toMatchObject({ phase: 'checking' });
    expect(nextItem(flow)?.service.name).toBe('netra-auth');
    flow = recordOutcome(flow, outcome('succeeded'));
    expect(nextItem(flow)?.service.name).toBe('netra-backend-staging');
    flow = recordOutcome(flow, outcome('succeeded'));
    expect(step(flow, 'done').outcomes).toHaveLength(3);
  });

  it('stops at a failure: the rest is not attempted', () => {
    let flow = recordOutcome(runningAll(), outcome('succeeded'));
    flow = recordOutcome(flow, outcome('failed', { error: 'the update failed: quota' }));
    const done = step(flow, 'done');
    expect(done.outcomes.map((o) => o.result)).toEqual(['succeeded', 'failed']);
    expect(done.plan.slice(done.outcomes.length).map((i) => i.service.name)).toEqual(['netra-backend-staging']);
    expect(nextItem(done)).toBeNull();
  });

  it('re-plans a conflicted service from its new state and asks again, with a notice', () => {
    // Meanwhile someone moved all traffic to 00006, kept the canary tag, and the etag moved on.
    const latest = { ...auth(), etag: '"netra-auth-2"', traffic: [pinned(A(6), 100), pinned(A(5), 0, 'canary')] };
    latest.trafficStatuses = latest.traffic;
    const picked = startRunning(type(proceed(pickRevision(startRollback([auth()], { kind: 'previous' }), A(3))), 'netra-auth'));
    const confirm = step(recordOutcome(picked, outcome('conflicted', { latest })), 'confirm');
    expect(confirm.expected).toBe('netra-auth');
    expect(confirm.typed).toBe('');
    expect(confirm.plan).toHaveLength(1);
    // The user's target stays; what it replaces and the etag guarding it are the new ones.
    expect(confirm.plan[0]!.target.name).toBe(A(3));
    expect(confirm.plan[0]!.service.etag).toBe('"netra-auth-2"');
    expect(confirm.plan[0]!.requested).toEqual([pinned(A(3), 100), pinned(A(5), 0, 'canary')]);
    expect(confirm.notice).toBe(`netra-auth changed meanwhile; it now serves ${A(6)} 100%, ${A(5)} 0% (canary). Check and confirm again.`);
    // And it can be confirmed again.
    expect(step(startRunning(type(confirm, 'netra-auth')), 'running').plan[0]!.service.etag).toBe('"netra-auth-2"');
  });

  it('re-plans the rest of an all-services rollback from the conflicted one on', () => {
    const latest = { ...auth(), etag: '"netra-auth-2"' };
    const flow = recordOutcome(recordOutcome(runningAll(), outcome('succeeded')), outcome('conflicted', { latest }));
    const confirm = step(flow, 'confirm');
    expect(confirm.plan.map((i) => i.service.name)).toEqual(['netra-auth', 'netra-backend-staging']);
    expect(confirm.plan[0]!.service.etag).toBe('"netra-auth-2"');
    expect(confirm.plan[0]!.target.name).toBe(A(4));
    expect(confirm.expected).toBe('all');
    expect(confirm.notice).toContain('netra-auth changed meanwhile');
  });

  it('stops when the conflicted service can no longer go to its target', () => {
    // The chosen revision is gone from the new state.
    const latest = { ...auth(), etag: '"netra-auth-2"', revisions: auth().revisions.filter((r) => r.name !== A(4)) };
    const done = step(recordOutcome(runningAuth(), outcome('conflicted', { latest })), 'done');
    expect(done.outcomes.map((o) => o.result)).toEqual(['conflicted']);
  });

  it('does not record outcomes outside running', () => {
    const confirm = proceed(startRollback([auth()], { kind: 'previous' }));
    expect(recordOutcome(confirm, outcome('succeeded'))).toBe(confirm);
  });

  it('keeps how the user chose each target, for the audit log', () => {
    expect(step(startRollback([auth()], { kind: 'regular' }), 'choose').plan[0]!.choice).toEqual({ kind: 'regular' });
    expect(step(pickRevision(startRollback([auth()], { kind: 'previous' }), A(2)), 'choose').plan[0]!.choice).toEqual({ kind: 'revision', name: A(2) });
    // A conflict re-plans by the target's name, but the audit still says what the user asked for.
    const latest = { ...auth(), etag: '"netra-auth-2"' };
    const confirm = step(recordOutcome(runningAuth(), outcome('conflicted', { latest })), 'confirm');
    expect(confirm.plan[0]!.choice).toEqual({ kind: 'previous' });
  });

  it('asks for the service name for one service and for `all` for several', () => {
    const one = step(startRollback([frontend()], { kind: 'previous' }), 'choose');
    const several = step(startRollback([frontend(), auth(), backend()], { kind: 'previous' }), 'choose');
    expect(confirmationWord(one.plan)).toBe('netra-frontend-staging');
    expect(confirmationWord(several.plan)).toBe('all');
    expect(step(proceed(several), 'confirm').expected).toBe('all');
    expect(several.plan.map((i) => i.target.name)).toEqual([F(4), A(4), B(3)]);
  });
});

describe('a rollback to what already serves (nothing to do)', () => {
  // The backend serves 00004 at 100 % with `stable` on 00002 at 0 %: rolling back to 00004 changes nothing.
  const noOp = () => startRollback([backend()], { kind: 'revision', name: B(4) });

  it('is flagged, asks for no confirmation and cannot proceed', () => {
    const flow = step(noOp(), 'choose');
    expect(flow.error).toBeNull();
    expect(isNoOp(flow.plan[0]!)).toBe(true);
    expect(nothingToDo(flow)).toBe(true);
    expect(proceed(flow)).toBe(flow);
  });

  it('is flagged when the picker moves onto the serving revision, and no longer when it moves off', () => {
    const previous = startRollback([backend()], { kind: 'previous' });
    expect(nothingToDo(previous)).toBe(false);
    const serving = pickRevision(previous, B(4));
    expect(nothingToDo(serving)).toBe(true);
    expect(step(proceed(pickRevision(serving, B(3))), 'confirm').expected).toBe('netra-backend-staging');
  });

  it('is not the same as a refusal or a split', () => {
    expect(nothingToDo(pickRevision(noOp(), B(5)))).toBe(false);
    expect(nothingToDo(startRollback([auth()], { kind: 'revision', name: A(6) }))).toBe(false);
    expect(nothingToDo(proceed(startRollback([auth()], { kind: 'previous' })))).toBe(false);
  });

  it('does not hold back the other services of an all-services rollback; an unchanged one moves on like a success', () => {
    // frontend (LATEST) and auth (a split) change; the backend is already on its regular revision.
    const all = startRollback([frontend(), auth(), backend()], { kind: 'regular' });
    expect(step(all, 'choose').plan.map(isNoOp)).toEqual([false, false, true]);
    expect(nothingToDo(all)).toBe(false);
    let flow = startRunning(type(proceed(all), 'all'));
    flow = recordOutcome(flow, outcome('succeeded'));
    flow = recordOutcome(flow, outcome('succeeded'));
    expect(nextItem(flow)?.service.name).toBe('netra-backend-staging');
    flow = recordOutcome(flow, outcome('unchanged'));
    expect(step(flow, 'done').outcomes.map((o) => o.result)).toEqual(['succeeded', 'succeeded', 'unchanged']);
    // An unchanged service in the middle does not stop the ones after it.
    const middle = recordOutcome(startRunning(type(proceed(startRollback([backend(), auth()], { kind: 'regular' })), 'all')), outcome('unchanged'));
    expect(nextItem(middle)?.service.name).toBe('netra-auth');
  });

  it('ends a conflict whose new state already is the target, instead of asking to confirm nothing', () => {
    // Someone else rolled the service back to the same target meanwhile.
    const requested = rollbackTraffic(auth(), A(4));
    const latest = { ...auth(), etag: '"netra-auth-2"', traffic: requested, trafficStatuses: requested };
    const done = step(recordOutcome(runningAuth(), outcome('conflicted', { latest })), 'done');
    expect(done.outcomes.map((o) => o.result)).toEqual(['conflicted']);
  });
});
