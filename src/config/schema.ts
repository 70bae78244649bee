import { z } from 'zod';
import { DEFAULT_THRESHOLDS } from '../domain/thresholds';

const percent = z.number().min(0).max(100);

const STACK_NAME = /^[a-z0-9][a-z0-9_-]{0,62}$/;
const STACK_NAME_RULE = 'a stack name is lowercase letters, digits, - and _ (a compose project name), e.g. test';
const composeFiles = z.array(z.string().min(1)).min(1);

const stackSchema = z
  .object({
    /** The compose project both variants run as (`-p`). */
    project: z.string().regex(STACK_NAME, 'a compose project name is lowercase letters, digits, - and _, e.g. netra-test'),
    alpine: composeFiles,
    regular: composeFiles,
    /** Extra environment for the compose CLI, e.g. NETRA_BASE_PREFIX: netra-standin/ for local stand-in bases. */
    env: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable name, e.g. NETRA_BASE_PREFIX'), z.string()).default({}),
  })
  .strict();

/** The platform's two local stacks (guides 000 and 001), relative to the working directory when no config names them. */
export const DEFAULT_STACKS: Record<string, z.infer<typeof stackSchema>> = {
  test: { project: 'netra-test', alpine: ['docker-compose.alpine-test.yml'], regular: ['docker-compose.test.yml'], env: {} },
  staging: { project: 'netra-staging', alpine: ['docker-compose.staging.alpine.yml'], regular: ['docker-compose.staging.yml'], env: {} },
};

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
        /** The docker CLI that runs `compose` (v2) and builds; `/usr/bin/docker` where the first on PATH has no buildx. */
        cli: z.string().min(1).default('docker'),
      })
      .strict()
      .prefault({}),
    /** Compose stacks the console switches between Alpine and regular; file paths relative to the config file. */
    stacks: z
      .record(z.string(), stackSchema)
      .superRefine((stacks, ctx) => {
        for (const name of Object.keys(stacks)) if (!STACK_NAME.test(name)) ctx.addIssue({ code: 'custom', path: [name], message: STACK_NAME_RULE });
      })
      // Absent, not defaulted here: the default stacks are relative to the working directory, not the config file.
      .optional(),
    /** Image size budgets (guides 000–003): a warning over warningMB, over budget above a service's budget. */
    images: z
      .object({
        warningMB: z.number().positive().default(250),
        /** The budget of a service not named in budgetsMB. */
        criticalMB: z.number().positive().default(500),
        budgetsMB: z.record(z.string().min(1), z.number().positive()).default({ backend: 500, frontend: 200 }),
      })
      .strict()
      .prefault({}),
    /** The runbook checks (doctor): checks excluded by code and target, listed as skipped with the reason. */
    doctor: z
      .object({
        exclude: z
          .array(
            z
              .object({
                code: z.string().regex(/^NC\d{3}$/, 'a check code is NC and three digits, e.g. NC104 (netra-console doctor --json lists them)'),
                /** The target as doctor names it; `*` matches any run of characters. Default: every target. */
                target: z.string().min(1).default('*'),
                reason: z.string().min(1, 'say why the check is excluded, e.g. reason: redis needs root in the stand-in image'),
              })
              .strict(),
          )
          .default([]),
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
