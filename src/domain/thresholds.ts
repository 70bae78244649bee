import type { AlertLevel } from './types';

/** Percent thresholds from the platform guides (memory 80/90/95 % of the limit, CPU 80 %). */
export interface Thresholds {
  memory: { warning: number; high: number; critical: number };
  cpu: { warning: number };
}

export const DEFAULT_THRESHOLDS: Thresholds = {
  memory: { warning: 80, high: 90, critical: 95 },
  cpu: { warning: 80 },
};

export function memoryLevel(percent: number, t: Thresholds): AlertLevel | null {
  if (percent >= t.memory.critical) return 'critical';
  if (percent >= t.memory.high) return 'high';
  if (percent >= t.memory.warning) return 'warning';
  return null;
}

export function cpuLevel(percent: number, t: Thresholds): AlertLevel | null {
  return percent >= t.cpu.warning ? 'warning' : null;
}
