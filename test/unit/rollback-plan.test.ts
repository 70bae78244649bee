import { describe, expect, it } from 'vitest';
import type { TrafficTarget } from '../../src/domain/cloud-run';
import {
  auditAction,
  changesNothing,
  chooseTarget,
  describeTraffic,
  isRolledBack,
  rollbackTraffic,
  servingRevisions,
} from '../../src/flows/rollback-plan';
import { auth, backend, failedRevision, frontend, latest, pinned, revision, revisionName, service } from './rollback-fixtures';

const A = (n: number) => revisionName('netra-auth', n);
const S = (n: number) => revisionName('svc', n);

function chosen(result: ReturnType<typeof chooseTarget>): string {
  if (!result.ok) throw new Error(`expected a target, got: ${result.reason}`);
  return result.revision.name;
}

function refused(result: ReturnType<typeof chooseTarget>): string {
  if (result.ok) throw new Error(`expected a refusal, got ${result.revision.name}`);
  return result.reason;
}

const sum = (targets: readonly TrafficTarget[]) => targets.reduce((total, t) => total + t.percent, 0);

describe('chooseTarget: previous', () => {
  it('is the newest Ready revision older than every serving one (90/10 split → the one before the 10 %)', () => {
    expect(chosen(chooseTarget(auth(), { kind: 'previous' }))).toBe(A(4));
  });

  it('goes by what is served (trafficStatuses), not by the requested traffic', () => {
    // Someone asked for 100 % on 00006, but 00005 still serves 10 %: the target must be older than both.
    const s = { ...auth(), traffic: [pinned(A(6), 100)], trafficStatuses: [pinned(A(6), 90), pinned(A(5), 10)] };
    expect(servingRevisions(s).sort()).toEqual([A(5), A(6)]);
    expect(chosen(chooseTarget(s, { kind: 'previous' }))).toBe(A(4));
  });

  it('falls back to the requested traffic when no traffic status is reported', () => {
    const s = { ...auth(), traffic: [pinned(A(3), 100)], trafficStatuses: [] };
    expect(chosen(chooseTarget(s, { kind: 'previous' }))).toBe(A(2));
  });

  it('resolves LATEST to the latest ready revision', () => {
    // Newest (00006) failed, so LATEST serves 00005; the previous one is 00004.
    const revisions = [1, 2, 3, 4, 5].map((n) => revision('svc', n)).concat(failedRevision('svc', 6));
    const s = service('svc', revisions, [latest(100)]);
    expect(s.latestReadyRevision).toBe(S(5));
    expect(servingRevisions(s)).toEqual([S(5)]);
    expect(chosen(chooseTarget(s, { kind: 'previous' }))).toBe(S(4));
    expect(chosen(chooseTarget(frontend(), { kind: 'previous' }))).toBe(revisionName('netra-frontend-staging', 4));
  });

  it('skips revisions that are not Ready', () => {
    const revisions = [1, 2, 3, 5].map((n) => revision('svc', n)).concat(failedRevision('svc', 4));
    expect(chosen(chooseTarget(service('svc', revisions, [pinned(S(5), 100)]), { kind: 'previous' }))).toBe(S(3));
    // backend: serving 00004 (the newest, 00005, failed) → 00003.
    expect(chosen(chooseTarget(backend(), { kind: 'previous' }))).toBe(revisionName('netra-backend-staging', 3));
  });

  it('never picks a Ready revision newer than one that serves', () => {
    // Traffic pinned back to 00002 while 00003..00005 exist: only 00001 is older than every serving revision.
    const revisions = [1, 2, 3, 4, 5].map((n) => revision('svc', n));
    expect(chosen(chooseTarget(service('svc', revisions, [pinned(S(5), 50), pinned(S(2), 50)]), { kind: 'previous' }))).toBe(S(1));
  });

  it('does not count a tag at 0 % as serving', () => {
    const revisions = [1, 2, 3, 4, 5].map((n) => revision('svc', n));
    const s = service('svc', revisions, [pinned(S(5), 100), pinned(S(1), 0, 'stable')]);
    expect(servingRevisions(s)).toEqual([S(5)]);
    expect(chosen(chooseTarget(s, { kind: 'previous' }))).toBe(S(4));
  });

  it('orders by creation time, whatever the order of the list', () => {
    const s = service('svc', [3, 1, 4, 2].map((n) => revision('svc', n)), [pinned(S(4), 100)]);
    s.revisions.reverse();
    expect(chosen(chooseTarget(s, { kind: 'previous' }))).toBe(S(3));
  });

  it('says so when there is nothing older to go back to', () => {
    const s = service('svc', [1, 2].map((n) => revision('svc', n)), [pinned(S(1), 100)]);
    expect(refused(chooseTarget(s, { kind: 'previous' }))).toBe('svc has no Ready revision older than the ones serving now');
  });
});

describe('chooseTarget: regular', () => {
  it('is the newest Ready revision running a regular image', () => {
    expect(chosen(chooseTarget(auth(), { kind: 'regular' }))).toBe(A(5));
    const revisions = [
      revision('svc', 1),
      revision('svc', 2),
      { ...failedRevision('svc', 3), variant: 'regular' as const },
      revision('svc', 4, { variant: 'alpine' }),
      revision('svc', 5, { variant: 'alpine' }),
    ];
    expect(chosen(chooseTarget(service('svc', revisions, [pinned(S(5), 100)]), { kind: 'regular' }))).toBe(S(2));
  });

  it('says so when no Ready revision has a regular image', () => {
    const revisions = [revision('svc', 1, { variant: '?' }), revision('svc', 2, { variant: 'alpine' })];
    expect(refused(chooseTarget(service('svc', revisions, [pinned(S(2), 100)]), { kind: 'regular' }))).toBe(
      'svc has no Ready revision with a regular image',
    );
  });
});

describe('chooseTarget: a named revision', () => {
  it('is taken when it exists and is Ready, even if it serves now', () => {
    expect(chosen(chooseTarget(auth(), { kind: 'revision', name: A(2) }))).toBe(A(2));
    expect(chosen(chooseTarget(auth(), { kind: 'revision', name: A(5) }))).toBe(A(5));
  });

  it('is refused when unknown, listing the revisions there are (newest first)', () => {
    const all = [6, 5, 4, 3, 2, 1].map(A).join(', ');
    expect(refused(chooseTarget(auth(), { kind: 'revision', name: 'netra-auth-00099-zzz' }))).toBe(
      `netra-auth has no revision netra-auth-00099-zzz (its revisions: ${all})`,
    );
    expect(refused(chooseTarget(auth(), { kind: 'revision', name: '00099' }))).toBe(`netra-auth has no revision 00099 (its revisions: ${all})`);
  });

  it('is found by the number the console shows, padded or not', () => {
    expect(chosen(chooseTarget(auth(), { kind: 'revision', name: '00004' }))).toBe(A(4));
    expect(chosen(chooseTarget(auth(), { kind: 'revision', name: '4' }))).toBe(A(4));
    // A number is not a prefix or a part of a name.
    expect(refused(chooseTarget(auth(), { kind: 'revision', name: '0000' }))).toContain('netra-auth has no revision 0000 (its revisions:');
    expect(refused(chooseTarget(auth(), { kind: 'revision', name: 'r04' }))).toContain('netra-auth has no revision r04 (its revisions:');
  });

  it('is refused when its number names more than one revision, listing them', () => {
    // A custom revision suffix (`--revision-suffix 00002-zzz`) can repeat a number.
    const twin = revision('svc', 2, { name: 'svc-00002-zzz', createTime: new Date(Date.parse(revision('svc', 2).createTime!) + 60_000).toISOString() });
    const s = service('svc', [revision('svc', 1), revision('svc', 2), twin], [pinned(S(1), 100)]);
    expect(refused(chooseTarget(s, { kind: 'revision', name: '2' }))).toBe(`revision 2 of svc is ambiguous: svc-00002-zzz, ${S(2)}`);
  });

  it('is refused when not Ready, with the first line of its condition message', () => {
    const failed = revisionName('netra-backend-staging', 5);
    const reason = refused(chooseTarget(backend(), { kind: 'revision', name: failed }));
    expect(reason).toBe(
      `revision ${failed} is not Ready (failed): The user-provided container failed to start and listen on the port defined by PORT=8080.`,
    );
    expect(reason).not.toContain('Logs URL');
  });

  it('is refused while still pending, saying there is no message when there is none', () => {
    const s = service('svc', [revision('svc', 1), revision('svc', 2, { ready: false, state: 'pending', message: null })], [pinned(S(1), 100)]);
    expect(refused(chooseTarget(s, { kind: 'revision', name: S(2) }))).toBe(`revision ${S(2)} is not Ready (pending): no condition message`);
  });
});

describe('rollbackTraffic', () => {
  it('sends 100 % to the target and keeps every tag at 0 %', () => {
    expect(rollbackTraffic(auth(), A(4))).toEqual([pinned(A(4), 100), pinned(A(5), 0, 'canary')]);
    const b = backend();
    const target = revisionName('netra-backend-staging', 3);
    expect(rollbackTraffic(b, target)).toEqual([pinned(target, 100), pinned(revisionName('netra-backend-staging', 2), 0, 'stable')]);
  });

  it('drops untagged targets and keeps a tag on the target itself as its own 0 % entry', () => {
    const s = service('svc', [1, 2, 3].map((n) => revision('svc', n)), [pinned(S(3), 60), pinned(S(2), 30, 'beta'), pinned(S(1), 10)]);
    expect(rollbackTraffic(s, S(2))).toEqual([pinned(S(2), 100), pinned(S(2), 0, 'beta')]);
  });

  it('keeps LATEST-tag targets as LATEST', () => {
    const s = service('svc', [1, 2, 3].map((n) => revision('svc', n)), [latest(90, 'current'), pinned(S(2), 10, 'canary'), latest(0, 'head')]);
    expect(rollbackTraffic(s, S(1))).toEqual([pinned(S(1), 100), latest(0, 'current'), pinned(S(2), 0, 'canary'), latest(0, 'head')]);
  });

  it('always adds up to 100 and leaves the service as it was', () => {
    for (const s of [auth(), backend(), frontend()]) {
      const before = structuredClone(s.traffic);
      for (const r of s.revisions) expect(sum(rollbackTraffic(s, r.name))).toBe(100);
      expect(s.traffic).toEqual(before);
    }
  });
});

describe('isRolledBack', () => {
  const requested = rollbackTraffic(auth(), A(4));
  const rolledBack = { ...auth(), traffic: requested, trafficStatuses: [...requested].reverse() };

  it('holds when reconciling is over, the served traffic equals the requested one and the target is Ready', () => {
    expect(isRolledBack(rolledBack, requested, A(4))).toBe(true);
  });

  it('does not hold while reconciling', () => {
    expect(isRolledBack({ ...rolledBack, reconciling: true }, requested, A(4))).toBe(false);
  });

  it('does not hold while the served traffic differs from the requested one', () => {
    expect(isRolledBack({ ...rolledBack, trafficStatuses: auth().trafficStatuses }, requested, A(4))).toBe(false);
    // The tag is part of it: a rollback that lost the canary tag is not the one requested.
    expect(isRolledBack({ ...rolledBack, trafficStatuses: [pinned(A(4), 100)] }, requested, A(4))).toBe(false);
    // So is the percent.
    expect(isRolledBack({ ...rolledBack, trafficStatuses: [pinned(A(4), 90), pinned(A(5), 10, 'canary')] }, requested, A(4))).toBe(false);
  });

  it('does not hold when the target is not Ready (or not there)', () => {
    const revisions = rolledBack.revisions.map((r) => (r.name === A(4) ? { ...r, ready: false, state: 'failed' as const } : r));
    expect(isRolledBack({ ...rolledBack, revisions }, requested, A(4))).toBe(false);
    expect(isRolledBack({ ...rolledBack, revisions: rolledBack.revisions.filter((r) => r.name !== A(4)) }, requested, A(4))).toBe(false);
  });

  it('compares LATEST targets as LATEST', () => {
    const s = service('svc', [1, 2, 3].map((n) => revision('svc', n)), [latest(100, 'current')]);
    const wanted = rollbackTraffic(s, S(1));
    expect(isRolledBack({ ...s, traffic: wanted, trafficStatuses: wanted }, wanted, S(1))).toBe(true);
    // A revision pinned at 0 % with the tag is not the same as the LATEST tag.
    const pinnedInstead = [pinned(S(1), 100), pinned(S(3), 0, 'current')];
    expect(isRolledBack({ ...s, traffic: wanted, trafficStatuses: pinnedInstead }, wanted, S(1))).toBe(false);
  });
});

describe('changesNothing', () => {
  it('holds when the service already asks for and serves exactly the rollback traffic', () => {
    const b = backend(); // 00004 at 100 %, `stable` on 00002 at 0 %
    expect(changesNothing(b, rollbackTraffic(b, revisionName('netra-backend-staging', 4)))).toBe(true);
    expect(changesNothing(b, rollbackTraffic(b, revisionName('netra-backend-staging', 3)))).toBe(false);
  });

  it('does not hold for a split, while reconciling, or when only the served traffic matches', () => {
    expect(changesNothing(auth(), rollbackTraffic(auth(), A(6)))).toBe(false);
    const requested = rollbackTraffic(auth(), A(4));
    const there = { ...auth(), traffic: requested, trafficStatuses: requested };
    expect(changesNothing(there, requested)).toBe(true);
    expect(changesNothing({ ...there, reconciling: true }, requested)).toBe(false);
    expect(changesNothing({ ...there, traffic: auth().traffic }, requested)).toBe(false);
  });

  it('does not hold for LATEST at 100 %: a rollback pins the revision', () => {
    const f = frontend();
    expect(changesNothing(f, rollbackTraffic(f, revisionName('netra-frontend-staging', 5)))).toBe(false);
  });
});

describe('auditAction', () => {
  it('names the choice as the CLI always has', () => {
    expect(auditAction({ kind: 'previous' })).toBe('rollback-previous');
    expect(auditAction({ kind: 'regular' })).toBe('rollback-to-regular');
    expect(auditAction({ kind: 'revision', name: A(2) })).toBe('rollback-to-revision');
  });
});

describe('describeTraffic', () => {
  it('names revisions, percents and tags; LATEST with the revision it resolves to', () => {
    expect(describeTraffic(auth().trafficStatuses, auth())).toBe(`${A(6)} 90%, ${A(5)} 10% (canary)`);
    const f = frontend();
    expect(describeTraffic(f.trafficStatuses, f)).toBe(`LATEST=${revisionName('netra-frontend-staging', 5)} 100%`);
    expect(describeTraffic([], f)).toBe('');
  });
});
