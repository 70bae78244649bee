/** What the engine's event log says about one container over a past window: OOM kills and turning healthy. */
import type Docker from 'dockerode';
import { eventAction, eventTimeMs } from '../../domain/docker-events';
import { readPastEvents } from '../docker/past-events';

export interface ContainerEvents {
  oom: number;
  /** When it turned healthy (ms since the epoch), oldest first. */
  healthyAt: number[];
}

/**
 * The container's `oom` and `health_status` events over the window. The engine keeps its last 256 events (older
 * ones are gone), so these counts are a lower bound on a busy engine.
 */
export async function readContainerEvents(docker: Docker, id: string, sinceMs: number, untilMs: number): Promise<ContainerEvents> {
  const found: ContainerEvents = { oom: 0, healthyAt: [] };
  const filters = { type: ['container'], container: [id], event: ['oom', 'health_status'] };
  await readPastEvents(docker, { sinceMs, untilMs, filters }, (event) => {
    const action = eventAction(event);
    if (action === 'oom') found.oom++;
    if (action === 'health_status: healthy') found.healthyAt.push(eventTimeMs(event) ?? 0);
  });
  return found;
}
