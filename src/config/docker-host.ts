import { printable } from '../domain/printable';
import { UsageError } from './errors';

export type DockerEndpoint =
  | { kind: 'socket'; socketPath: string; display: string }
  | { kind: 'tcp'; protocol: 'http' | 'https'; host: string; port: number; display: string };

export const DEFAULT_DOCKER_HOST = 'unix:///var/run/docker.sock';

const FIX = 'use unix:///path/to/docker.sock or tcp://HOST:PORT';

/**
 * The URL as it may be shown or logged: the password of its user-info (`tcp://admin:s3cret@host`) becomes `***`
 * (the last `@` before the path ends the user-info, so a password may hold `@`); control characters are made visible.
 */
export function displayDockerHost(value: string): string {
  return printable(value.replace(/^([a-z][a-z0-9+.-]*:\/\/[^/:@]*):[^/]*@/i, '$1:***@'));
}

/** Parses a DOCKER_HOST-style URL; `origin` names where it came from, for the error message. */
export function parseDockerHost(value: string, origin: string): DockerEndpoint {
  const display = displayDockerHost(value);
  const fail = (why: string): never => {
    throw new UsageError(`${origin} "${display}" ${why}: ${FIX}`);
  };
  if (value.startsWith('unix://')) {
    const socketPath = value.slice('unix://'.length);
    if (!socketPath.startsWith('/')) fail('needs an absolute socket path');
    return { kind: 'socket', socketPath, display };
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return fail('is not a URL');
  }
  const protocol = url.protocol.replace(/:$/, '');
  if (!['tcp', 'http', 'https'].includes(protocol)) return fail(`has unsupported scheme "${printable(protocol)}"`);
  if (!url.hostname) return fail('has no host');
  if (url.pathname && url.pathname !== '/' && url.pathname !== '') return fail('must not have a path');
  const port = url.port ? Number(url.port) : protocol === 'https' ? 2376 : 2375;
  return { kind: 'tcp', protocol: protocol === 'https' ? 'https' : 'http', host: url.hostname, port, display };
}
