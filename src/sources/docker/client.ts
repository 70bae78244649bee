import Docker from 'dockerode';
import type { DockerEndpoint } from '../../config/docker-host';

export function createDockerClient(endpoint: DockerEndpoint): Docker {
  if (endpoint.kind === 'socket') return new Docker({ socketPath: endpoint.socketPath });
  return new Docker({ host: endpoint.host, port: endpoint.port, protocol: endpoint.protocol });
}

/** Engine errors as one short line (dockerode errors carry the HTTP body or the socket errno). */
export function describeEngineError(error: unknown): string {
  const e = error as { code?: string; statusCode?: number; json?: { message?: string }; message?: string };
  if (e.code && ['ENOENT', 'ECONNREFUSED', 'EACCES', 'ETIMEDOUT', 'ECONNRESET', 'EPIPE', 'EHOSTUNREACH'].includes(e.code)) {
    return e.code === 'EACCES' ? 'permission denied on the socket (EACCES): add yourself to the docker group' : e.code;
  }
  if (e.json?.message) return e.json.message;
  return (e.message ?? String(error)).split('\n')[0] ?? 'unknown error';
}
