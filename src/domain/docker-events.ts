/** A container event from the engine's `/events` stream. */
export interface EngineEvent {
  Type?: string;
  Action?: string;
  status?: string;
  id?: string;
  Actor?: { ID?: string; Attributes?: Record<string, string> };
}

/** What the watcher must do about an event: re-read the container, forget it, or nothing. */
export type EventIntent = { kind: 'inspect'; id: string } | { kind: 'remove'; id: string } | { kind: 'ignore' };

export function intentForEvent(event: EngineEvent): EventIntent {
  const id = event.Actor?.ID ?? event.id;
  const action = event.Action ?? event.status ?? '';
  if (event.Type !== 'container' || !id) return { kind: 'ignore' };
  // Health checks run as execs every interval; their outcome arrives as health_status events instead.
  if (action.startsWith('exec_') || action === 'attach' || action === 'top' || action.startsWith('archive-path')) {
    return { kind: 'ignore' };
  }
  if (action === 'destroy') return { kind: 'remove', id };
  return { kind: 'inspect', id };
}
