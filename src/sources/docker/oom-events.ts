import type Docker from 'dockerode';
import { intentForEvent, type EngineEvent } from '../../domain/docker-events';
import { onJsonLines } from './json-lines';

/** The engine closes a stream with `until` in the past at once; this only guards against one that never does. */
const READ_TIMEOUT_MS = 5_000;

/**
 * When the engine last reported an OOM in each container, from its event log (its last 256 events: older ones are
 * gone). Docker 20.10 often leaves `State.OOMKilled` false after a quick kill, so the event is what tells it.
 * Best effort: an engine that fails or stalls this read gives none, and the containers keep the engine's own flag.
 */
export async function readLastOoms(docker: Docker, untilMs: number): Promise<Map<string, number>> {
  const lastOoms = new Map<string, number>();
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), READ_TIMEOUT_MS);
  try {
    const stream = await docker.getEvents({
      since: 0,
      until: untilMs / 1000,
      filters: { type: ['container'], event: ['oom'] },
      abortSignal: controller.signal,
    } as Docker.GetEventsOptions);
    await new Promise<void>((resolve) => {
      onJsonLines(stream, (value) => {
        const intent = intentForEvent(value as EngineEvent);
        if (intent.kind === 'inspect' && intent.oomAtMs !== undefined) lastOoms.set(intent.id, intent.oomAtMs);
      });
      for (const end of ['end', 'close', 'error']) stream.on(end, () => resolve());
    });
    return lastOoms;
  } catch {
    return new Map();
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
}
