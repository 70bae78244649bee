import type { AlertLevel, Health } from '../domain/types';

export const LEVEL_COLOR: Record<AlertLevel, string> = { warning: 'yellow', high: 'magenta', critical: 'red' };

export const HEALTH_COLOR: Record<Health, string | undefined> = {
  healthy: 'green',
  unhealthy: 'red',
  starting: 'yellow',
  none: undefined,
};

export function stateColor(state: string): string | undefined {
  if (state === 'running') return 'green';
  if (state === 'restarting' || state === 'dead') return 'red';
  if (state === 'exited') return 'gray';
  return 'yellow';
}
