import { describe, expect, it } from 'vitest';
import { actionsOnceLoaded } from '../../src/cli/deferred-actions';
import type { AppActions } from '../../src/ui/context';

function recorder(calls: string[]): AppActions {
  return {
    setShowAll: (showAll: boolean) => calls.push(`showAll ${showAll}`),
    refreshCloudRun: () => calls.push('refresh'),
    silenceAlerts: async (matchers: string) => `silenced ${matchers}`,
  } as unknown as AppActions;
}

describe('actionsOnceLoaded', () => {
  it('carries out the calls made before the sources loaded, in order, once they have', async () => {
    const calls: string[] = [];
    let load!: (value: { actions: AppActions }) => void;
    const actions = actionsOnceLoaded(new Promise((resolve) => (load = resolve)));
    actions.setShowAll(true);
    actions.refreshCloudRun();
    const answer = actions.silenceAlerts('kind=memory', '2h', 'noisy');
    expect(calls).toEqual([]);
    load({ actions: recorder(calls) });
    await expect(answer).resolves.toBe('silenced kind=memory');
    expect(calls).toEqual(['showAll true', 'refresh']);
  });

  it('calls straight through once loaded', async () => {
    const calls: string[] = [];
    const sources = Promise.resolve({ actions: recorder(calls) });
    const actions = actionsOnceLoaded(sources);
    await sources;
    actions.setShowAll(false);
    expect(calls).toEqual(['showAll false']);
  });
});
