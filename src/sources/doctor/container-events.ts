/** What the engine's event log says about one container over a past window: OOM kills and turning healthy. */
import type Docker from 'dockerode';
import { onJsonLines } from '../docker/json-lines';

export interface ContainerEvents {
  oom: number;
  /** When it turned healthy (ms since the epoch), oldest first. */
  healthyAt: number[];
}

/** The engine closes a stream with `until` in the past at once; this only guards against one that never does. */
const READ_TIMEOUT_MS = 10_000;

interface EventPayload {
  Action?: string;
  status?: string;
  time?: number;
  timeNano?: number;
}

/**
 * `GET /events?since&until` for the container, `oom` and `health_status` only. The engine keeps its last 256
 * events (older ones are gone), so these counts are a lower bound on a busy engine.
 */
export async function readContainerEvents(docker: Docker, id: string, sinceMs: number, untilMs: number): Promise<ContainerEvents> {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, READ_TIMEOUT_MS);
  const found: ContainerEvents = { oom: 0, healthyAt: [] };
  try {
    const stream = await docker.getEvents({
      // Seconds with a fraction: the engine reads `1700000000.123` to the nanosecond.
      since: sinceMs / 1000,
      until: untilMs / 1000,
      filters: { type: ['container'], container: [id], event: ['oom', 'health_status'] },
      abortSignal: controller.signal,
    } as Docker.GetEventsOptions);
    await new Promise<void>((resolve, reject) => {
      onJsonLines(stream, (value) => {
        const event = value as EventPayload;
        const action = event.Action ?? event.status ?? '';
        if (action === 'oom') found.oom++;
        if (action === 'health_status: healthy') found.healthyAt.push(event.timeNano ? event.timeNano / 1e6 : (event.time ?? 0) * 1000);
      });
      stream.on('end', () => resolve());
      stream.on('close', () => resolve());
      stream.on('error', reject);
    });
    if (timedOut) throw new Error('timed out');
    return found;
  } catch (error) {
    if (timedOut) throw new Error(`the engine did not close its event log within ${READ_TIMEOUT_MS / 1000} s`);
    throw error;
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
}
