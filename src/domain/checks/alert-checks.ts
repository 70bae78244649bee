/** The runbook check behind each kind of alert: Enter on an alert runs it for the alert's subject. */
import type { Alert } from '../types';

const DOCKER_CHECKS: Record<string, string | null> = {
  memory: 'NC104',
  cpu: null,
  unhealthy: 'NC105',
  'oom-killed': 'NC102',
  'crash-loop': 'NC101',
  exited: null,
  'no-processes': null,
  'slow-start': 'NC106',
  'image-size': 'NC203',
  'error-rate': null,
  'engine-unreachable': null,
};

const CLOUD_RUN_CHECKS: Record<string, string | null> = {
  'service-not-ready': 'NC602',
  'revision-failed': 'NC601',
  'traffic-mismatch': null,
  'service-missing': null,
  'error-rate': 'NC603',
};

/** The catalogue code that probes what the alert says, or null when no check does (CPU, an exit, the engine). */
export function checkForAlert(alert: Alert): string | null {
  const table = alert.source === 'cloudrun' ? CLOUD_RUN_CHECKS : DOCKER_CHECKS;
  return table[alert.kind] ?? null;
}
