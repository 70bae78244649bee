import type Docker from 'dockerode';
import { intentForEvent } from '../../domain/docker-events';
import { readPastEvents } from './past-events';

/** The first listing waits for this read: a stalled one is given up sooner than the doctor's. */
const LISTING_WAIT_MS = 5_000;

/**
 * When the engine last reported an OOM in each container, from its event log (its last 256 events: older ones are
 * gone). Docker 20.10 often leaves `State.OOMKilled` false after a quick kill, so the event is what tells it.
 * Best effort: an engine that fails or stalls this read gives none, and the containers keep the engine's own flag.
 */
export async function readLastOoms(docker: Docker, untilMs: number): Promise<Map<string, number>> {
  const lastOoms = new Map<string, number>();
  try {
    const window = { sinceMs: 0, untilMs, filters: { type: ['container'], event: ['oom'] }, timeoutMs: LISTING_WAIT_MS };
    await readPastEvents(docker, window, (event) => {
      const intent = intentForEvent(event);
      if (intent.kind === 'inspect' && intent.oomAtMs !== undefined) lastOoms.set(intent.id, intent.oomAtMs);
    });
    return lastOoms;
  } catch {
    return new Map();
  }
}
