import { z } from 'zod';
import { DEFAULT_THRESHOLDS } from '../domain/thresholds';

const percent = z.number().min(0).max(100);

// Defaults come from the platform guides (../shared/seeds): the rollback order and alert thresholds.
export const configSchema = z
  .object({
    /** No mutating actions at all (rollback keys hidden and refused). */
    readOnly: z.boolean().default(false),
    docker: z
      .object({
        host: z.string().min(1).optional(),
        projects: z.array(z.string().min(1)).min(1).default(['netra*']),
        showAllContainers: z.boolean().default(false),
      })
      .strict()
      .prefault({}),
    thresholds: z
      .object({
        memory: z
          .object({
            warning: percent.default(DEFAULT_THRESHOLDS.memory.warning),
            high: percent.default(DEFAULT_THRESHOLDS.memory.high),
            critical: percent.default(DEFAULT_THRESHOLDS.memory.critical),
          })
          .strict()
          .refine((m) => m.warning <= m.high && m.high <= m.critical, {
            message: 'must satisfy warning <= high <= critical',
          })
          .prefault({}),
        cpu: z.object({ warning: percent.default(DEFAULT_THRESHOLDS.cpu.warning) }).strict().prefault({}),
      })
      .strict()
      .prefault({}),
    cloudRun: z
      .object({
        project: z.string().min(1).optional(),
        region: z.string().min(1).optional(),
        /** HOST:PORT of a plaintext Cloud Run + Logging endpoint, e.g. a sandbox in another process. */
        endpoint: z.string().min(1).optional(),
        /** Services shown; empty = every service of the region, so any project's services show without a config. */
        services: z.array(z.string().min(1)).default([]),
        refreshSeconds: z.number().min(1).max(3600).default(10),
        /** Rollback --all goes one service at a time in this order: lowest risk first, as the platform rolls out. */
        rollbackOrder: z.array(z.string().min(1)).default(['netra-frontend-staging', 'netra-auth', 'netra-backend-staging']),
      })
      .strict()
      .prefault({}),
    logs: z
      .object({
        /** Lines kept in memory (a ring: the oldest go first); the heap cap in the bin fits 100,000. */
        bufferLines: z.number().int().min(100).max(100_000).default(10_000),
        /** Cloud Logging filter the console tails. */
        cloudFilter: z.string().min(1).default('resource.type="cloud_run_revision"'),
      })
      .strict()
      .prefault({}),
    ui: z
      .object({
        /**
         * Frames per second at most; stream data still reaches the store at most 20 times a second, so 60 only
         * shortens the wait of a key's frame behind the last one (keystroke p95 under a flood: ~60 → ~30 ms).
         */
        maxFps: z.number().int().min(1).max(60).default(60),
        historyLength: z.number().int().min(2).max(240).default(30),
      })
      .strict()
      .prefault({}),
  })
  .strict();

export type Config = z.infer<typeof configSchema>;
