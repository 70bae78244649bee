// Values the integration globalSetup (test/support/global-setup.ts) hands to tests via inject().
import 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    /** `unix:///…/docker.sock` of the private test engine. */
    dockerHost: string;
    /** Path of that socket. */
    dockerSocket: string;
    /** The engine's directory (socket, pid file, data-root, exec-root, dockerd.log); see attachEngine(). */
    engineDir: string;
  }
}
