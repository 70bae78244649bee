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
          exclude: NO_ENGINE,
          // Two private dockerds, one per worker (test/support/global-setup.ts): a file has its engine to itself
          // (some stop and start it), and two files run at once, beside the unit files. Mostly they wait on
          // engines, compose, health checks and BuildKit, so one at a time took twice as long.
          globalSetup: ['test/support/global-setup.ts'],
          maxWorkers: 2,
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
