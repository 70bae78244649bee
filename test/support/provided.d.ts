// Values the integration globalSetup (test/support/global-setup.ts) hands to tests via inject().
import 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    /**
     * The private test engines, one per worker of the project: `host` is `unix:///…/docker.sock`, `socketPath` that
     * socket, `dir` the engine's directory (socket, pid file, data-root, exec-root, dockerd.log; see attachEngine()).
     */
    engines: Array<{ host: string; socketPath: string; dir: string }>;
  }
}
