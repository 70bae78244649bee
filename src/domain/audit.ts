import type { AlertAuditEntry } from './alert-audit';
import type { TrafficTarget } from './cloud-run';

/** `unchanged`: the service already served the target, so nothing was sent. `timed-out`: sent, but not seen to finish in time; it may still apply. */
export type AuditResult = 'confirmed' | 'cancelled' | 'conflicted' | 'failed' | 'succeeded' | 'unchanged' | 'timed-out';

/** Which Cloud Run the change went to: the sandbox, a plaintext endpoint, or Google. */
export interface AuditSource {
  mode: string;
  endpoint: string;
}

export interface AuditEntry extends AuditSource {
  time: string;
  user: string;
  host: string;
  project: string;
  region: string;
  service: string;
  action: string;
  before: TrafficTarget[] | null;
  requested: TrafficTarget[] | null;
  after: TrafficTarget[] | null;
  result: AuditResult;
  error: string | null;
}

/** A stack switch, compare, revert or image build: the Docker side of the audit log. */
export type SwitchAuditResult = 'confirmed' | 'cancelled' | 'conflicted' | 'switched' | 'reverted' | 'failed' | 'unchanged' | 'built' | 'stopped' | 'pruned';

export interface SwitchAuditEntry {
  time: string;
  user: string;
  host: string;
  action: 'switch' | 'compare' | 'revert' | 'build' | 'prune' | 'demo down';
  stack: string;
  project: string;
  /** The engine the stack runs on. */
  dockerHost: string;
  from: string | null;
  to: string;
  result: SwitchAuditResult;
  elapsedSeconds: number | null;
  error: string | null;
}

export type AnyAuditEntry = AuditEntry | SwitchAuditEntry | AlertAuditEntry;

export function isSwitchEntry(entry: AnyAuditEntry): entry is SwitchAuditEntry {
  return 'stack' in entry;
}
