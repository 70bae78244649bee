// zod/mini, not zod: the same checks and English messages, a tenth of the code to load before the first frame.
import * as z from 'zod/mini';
import en from 'zod/v4/locales/en.js';
import { DEFAULT_THRESHOLDS } from '../domain/thresholds';

z.config(en());

const percent = z.number().check(z.minimum(0), z.maximum(100));
const text = z.string().check(z.minLength(1));
const positive = z.number().check(z.positive());
/** An object whose keys are all optional: an absent section is read as {} and gets its defaults. */
const section = <T extends z.core.$ZodLooseShape>(shape: T) => {
  const object = z.strictObject(shape);
  // Every key of a section is optional or defaulted, which the generic type cannot know.
  return z.prefault(object, {} as z.input<typeof object>);
};

const STACK_NAME = /^[a-z0-9][a-z0-9_-]{0,62}$/;
const STACK_NAME_RULE = 'a stack name is lowercase letters, digits, - and _ (a compose project name), e.g. test';
const composeFiles = z.array(text).check(z.minLength(1));

const stackSchema = z.strictObject({
  /** The compose project both variants run as (`-p`). */
  project: z.string().check(z.regex(STACK_NAME, 'a compose project name is lowercase letters, digits, - and _, e.g. netra-test')),
  alpine: composeFiles,
  regular: composeFiles,
  /** Extra environment for the compose CLI, e.g. NETRA_BASE_PREFIX: netra-standin/ for local stand-in bases. */
  env: z._default(z.record(z.string().check(z.regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable name, e.g. NETRA_BASE_PREFIX')), z.string()), {}),
});

/** The platform's two local stacks (guides 000 and 001), relative to the working directory when no config names them. */
export const DEFAULT_STACKS: Record<string, z.infer<typeof stackSchema>> = {
  test: { project: 'netra-test', alpine: ['docker-compose.alpine-test.yml'], regular: ['docker-compose.test.yml'], env: {} },
  staging: { project: 'netra-staging', alpine: ['docker-compose.staging.alpine.yml'], regular: ['docker-compose.staging.yml'], env: {} },
};

// Defaults come from the platform guides (../shared/seeds): the rollback order and alert thresholds.
export const configSchema = z.strictObject({
  /** No mutating actions at all (rollback keys hidden and refused). */
  readOnly: z._default(z.boolean(), false),
  docker: section({
    host: z.optional(text),
    projects: z._default(z.array(text).check(z.minLength(1)), ['netra*']),
    showAllContainers: z._default(z.boolean(), false),
    /** The docker CLI that runs `compose` (v2) and builds; `/usr/bin/docker` where the first on PATH has no buildx. */
    cli: z._default(text, 'docker'),
  }),
  /** Compose stacks the console switches between Alpine and regular; file paths relative to the config file. */
  stacks: z.optional(
    // Absent, not defaulted here: the default stacks are relative to the working directory, not the config file.
    z.record(z.string(), stackSchema).check(
      z.superRefine((stacks, ctx) => {
        for (const name of Object.keys(stacks)) if (!STACK_NAME.test(name)) ctx.addIssue({ code: 'custom', path: [name], message: STACK_NAME_RULE });
      }),
    ),
  ),
  /** Image size budgets (guides 000–003): a warning over warningMB, over budget above a service's budget. */
  images: section({
    warningMB: z._default(positive, 250),
    /** The budget of a service not named in budgetsMB. */
    criticalMB: z._default(positive, 500),
    budgetsMB: z._default(z.record(text, positive), { backend: 500, frontend: 200 }),
  }),
  /** The runbook checks (doctor): checks excluded by code and target, listed as skipped with the reason. */
  doctor: section({
    exclude: z._default(
      z.array(
        z.strictObject({
          code: z.string().check(z.regex(/^NC\d{3}$/, 'a check code is NC and three digits, e.g. NC104 (netra-console doctor --json lists them)')),
          /** The target as doctor names it; `*` matches any run of characters. Default: every target. */
          target: z._default(text, '*'),
          reason: z.string().check(z.minLength(1, 'say why the check is excluded, e.g. reason: redis needs root in the stand-in image')),
        }),
      ),
      [],
    ),
  }),
  thresholds: section({
    memory: z.prefault(
      z
        .strictObject({
          warning: z._default(percent, DEFAULT_THRESHOLDS.memory.warning),
          high: z._default(percent, DEFAULT_THRESHOLDS.memory.high),
          critical: z._default(percent, DEFAULT_THRESHOLDS.memory.critical),
        })
        .check(z.refine((m) => m.warning <= m.high && m.high <= m.critical, { message: 'must satisfy warning <= high <= critical' })),
      {},
    ),
    cpu: section({ warning: z._default(percent, DEFAULT_THRESHOLDS.cpu.warning) }),
  }),
  cloudRun: section({
    project: z.optional(text),
    region: z.optional(text),
    /** HOST:PORT of a plaintext Cloud Run + Logging endpoint, e.g. a sandbox in another process. */
    endpoint: z.optional(text),
    /** Services shown; empty = every service of the region, so any project's services show without a config. */
    services: z._default(z.array(text), []),
    refreshSeconds: z._default(z.number().check(z.minimum(1), z.maximum(3600)), 10),
    /** Rollback --all goes one service at a time in this order: lowest risk first, as the platform rolls out. */
    rollbackOrder: z._default(z.array(text), ['netra-frontend-staging', 'netra-auth', 'netra-backend-staging']),
  }),
  logs: section({
    /** Lines kept in memory (a ring: the oldest go first); the heap cap in the bin fits 100,000. */
    bufferLines: z._default(z.int().check(z.minimum(100), z.maximum(100_000)), 10_000),
    /** Cloud Logging filter the console tails. */
    cloudFilter: z._default(text, 'resource.type="cloud_run_revision"'),
  }),
  ui: section({
    /**
     * Frames per second at most; stream data still reaches the store at most 20 times a second, so 60 only
     * shortens the wait of a key's frame behind the last one (keystroke p95 under a flood: ~60 → ~30 ms).
     */
    maxFps: z._default(z.int().check(z.minimum(1), z.maximum(60)), 60),
    historyLength: z._default(z.int().check(z.minimum(2), z.maximum(240)), 30),
  }),
});

export type Config = z.infer<typeof configSchema>;
