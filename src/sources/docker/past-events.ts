import type Docker from 'dockerode';
import type { EngineEvent } from '../../domain/docker-events';
import { onJsonLines } from './json-lines';

/** The engine closes a stream with `until` in the past at once; this only guards against one that never does. */
const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * `GET /events?since&until` with `filters`: calls `onEvent` for each event of that past window and resolves once the
 * engine has closed the stream. The engine keeps only its last 256 events; older ones are gone.
 */
export async function readPastEvents(
  docker: Docker,
  window: { sinceMs: number; untilMs: number; filters: Record<string, string[]>; timeoutMs?: number },
  onEvent: (event: EngineEvent) => void,
): Promise<void> {
  const timeoutMs = window.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  try {
    const stream = await docker.getEvents({
      // Seconds with a fraction: the engine reads `1700000000.123` to the nanosecond.
      since: window.sinceMs / 1000,
      until: window.untilMs / 1000,
      filters: window.filters,
      abortSignal: controller.signal,
    } as Docker.GetEventsOptions);
    await new Promise<void>((resolve, reject) => {
      onJsonLines(stream, (value) => onEvent(value as EngineEvent));
      stream.on('end', () => resolve());
      stream.on('close', () => resolve());
      stream.on('error', reject);
    });
    if (timedOut) throw new Error('timed out');
  } catch (error) {
    if (timedOut) throw new Error(`the engine did not close its event log within ${timeoutMs / 1000} s`);
    throw error;
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
}
