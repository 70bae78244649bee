import type { ForegroundColorName } from 'chalk';
import type { AlertLevel, Health } from '../domain/types';

/** A colour by name: what pre-styled rows are drawn in (styled.ts), and what Ink's `<Text color>` takes. */
export type Colour = ForegroundColorName;

export const LEVEL_COLOR: Record<AlertLevel, Colour> = { warning: 'yellow', high: 'magenta', critical: 'red' };

export const HEALTH_COLOR: Record<Health, Colour | undefined> = {
  healthy: 'green',
  unhealthy: 'red',
  starting: 'yellow',
  none: undefined,
};

export function stateColor(state: string): Colour | undefined {
  if (state === 'running') return 'green';
  if (state === 'restarting' || state === 'dead') return 'red';
  if (state === 'exited') return 'gray';
  return 'yellow';
}
