import { defineConfig } from 'vitest/config';

// `vitest run` with no arguments runs both projects.
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
          name: 'integration',
          include: ['test/integration/**/*.test.ts', 'test/e2e/**/*.test.ts'],
          // One private dockerd for the whole project (see test/support/docker-engine.ts).
          globalSetup: ['test/support/global-setup.ts'],
          // Files share that engine (and some stop/start it), so they run one at a time.
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
