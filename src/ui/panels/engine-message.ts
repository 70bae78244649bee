import type { ConnectionState } from '../../domain/types';

/** What a panel shows instead of rows while the engine is not connected. */
export function engineMessage(host: string, connection: ConnectionState, now: number): { text: string; color: string } | null {
  if (connection.state === 'connected') return null;
  if (connection.state === 'connecting' && connection.lastError) {
    return { text: `Docker engine unreachable at ${host} (${connection.lastError}), trying again now…`, color: 'red' };
  }
  if (connection.state === 'connecting') return { text: `Connecting to the Docker engine at ${host}…`, color: 'yellow' };
  const seconds = Math.max(0, Math.ceil((connection.retryAt - now) / 1000));
  return { text: `Docker engine unreachable at ${host} (${connection.error}), retrying in ${seconds}s`, color: 'red' };
}
