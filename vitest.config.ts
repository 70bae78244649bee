import { defineConfig } from 'vitest/config';

/** Integration files that start no Docker engine (they read no `providedEngine()`). */
const NO_ENGINE = [
  'test/integration/bad-input.test.ts',
  'test/integration/cloud-tail-live.test.ts',
  'test/integration/cloud-run.test.ts',
  'test/integration/logs-cli-exit.test.ts',
  'test/integration/rollback-cli.test.ts',
  'test/integration/rollback.test.ts',
  'test/integration/sandbox-cli.test.ts',
  'test/integration/sandbox.test.ts',
];

/**
 * Files that build and run the project's own compose stack (docker/, docker-compose*.yml): about half the integration
 * time, mostly waiting on compose, health checks and BuildKit. They get an engine of their own and run beside the
 * other integration files instead of after them.
 */
const STACKS = [
  'test/integration/build-port.test.ts',
  'test/integration/doctor-cli.test.ts',
  'test/integration/netra-stack.test.ts',
  'test/integration/rebuild-cli.test.ts',
  'test/integration/switch-cli.test.ts',
  'test/e2e/switch.test.ts',
];

const ONE_ENGINE = {
  // One private dockerd per project (see test/support/docker-engine.ts).
  globalSetup: ['test/support/global-setup.ts'],
  // Files share that engine (and some stop/start it), so they run one at a time.
  fileParallelism: false,
  testTimeout: 60_000,
  hookTimeout: 120_000,
};

// `vitest run` with no arguments runs every project.
export default defineConfig({
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts', 'test/component/**/*.test.ts'],
          // Two files at a time: vitest's default on 2 cores is one (cores - 1), and these files are CPU-bound
          // (~68 s → ~52 s here).
          maxWorkers: 2,
        },
      },
      {
        extends: true,
        test: {
          // Real processes and the sandbox over real gRPC, but no Docker engine: nothing shared, so they run two
          // at a time beside the unit files instead of one at a time after them.
          name: 'no-engine',
          include: NO_ENGINE,
          maxWorkers: 2,
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts', 'test/e2e/**/*.test.ts'],
          exclude: [...NO_ENGINE, ...STACKS],
          ...ONE_ENGINE,
        },
      },
      {
        extends: true,
        test: { name: 'stacks', include: STACKS, ...ONE_ENGINE },
      },
    ],
  },
});
