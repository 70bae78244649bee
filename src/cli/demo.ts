import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError } from '../config/errors';
import type { StackDefinition } from '../domain/stacks';
import { preflight } from '../flows/switch-driver';
import { blockingChecks } from '../flows/switch-plan';
import { runSwitchSession } from '../flows/switch-session';
import { assertAuditWritable } from '../sources/audit-log';
import type { CliOptions } from './args';
import type { Settings } from './settings';
import { findStack, openStackRuntime, stackRecorder, type StackRuntime } from './stack-runtime';
import { typedConfirmation } from './typed-confirmation';
import type { SwitchRecorder } from '../flows/switch-session';
import { errorLine } from '../domain/printable';
import { describeOutcome } from './switch-report';

/** Local stand-in bases, made by docker/make-bases.sh: what the demo builds from, since nothing is pulled. */
const STANDIN_ENV = { NETRA_BASE_PREFIX: 'netra-standin/' };

/** The checkout this program runs from: the directory holding docker/make-bases.sh, found upwards from here. */
export function checkoutRoot(start = dirname(fileURLToPath(import.meta.url))): string | null {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'docker', 'make-bases.sh'))) return dir;
    if (dirname(dir) === dir) return null;
  }
}

/** The configured stack, with its files from the checkout when they are not where the config says. */
function demoStack(settings: Settings, options: CliOptions, root: string): StackDefinition {
  const stack = findStack(settings, options.stack ?? 'test');
  const present = [...stack.files.alpine, ...stack.files.regular].every((f) => existsSync(f));
  const files = present
    ? stack.files
    : { alpine: stack.files.alpine.map((f) => resolve(root, f.split('/').pop()!)), regular: stack.files.regular.map((f) => resolve(root, f.split('/').pop()!)) };
  return { ...stack, files, env: { ...STANDIN_ENV, ...stack.env } };
}

function say(line: string): void {
  process.stderr.write(`${line}\n`);
}

/** Runs docker/make-bases.sh with the configured docker CLI against the console's engine. */
function makeBases(root: string, settings: Settings): Promise<void> {
  const host = settings.endpoint.kind === 'socket' ? `unix://${settings.endpoint.socketPath}` : `tcp://${settings.endpoint.host}:${settings.endpoint.port}`;
  const env = { ...process.env, DOCKER: settings.config.docker.cli, DOCKER_HOST: host };
  return new Promise((done, fail) => {
    const child = spawn('bash', [join(root, 'docker', 'make-bases.sh')], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let last = '';
    const keep = (chunk: Buffer) => {
      const lines = chunk.toString('utf8').trim().split('\n');
      last = lines.at(-1) || last;
      for (const line of lines) if (line) say(`  ${line}`);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', (error) => fail(new Error(`cannot run docker/make-bases.sh: ${error.message}`)));
    child.on('close', (code) => (code === 0 ? done() : fail(new Error(`docker/make-bases.sh failed: ${last}`))));
  });
}

async function buildBoth(stack: StackDefinition, runtime: StackRuntime): Promise<void> {
  for (const variant of ['regular', 'alpine'] as const) {
    say(`building the ${variant} images of ${stack.name} (BuildKit, offline)…`);
    let steps = 0;
    await runtime.port.build(stack, variant, [], (line) => {
      if (/^#\d+ DONE|^#\d+ CACHED/.test(line)) steps++;
      if (/ERROR|error:/i.test(line)) say(`  ${line}`);
    });
    say(`  done (${steps} steps)`);
  }
}

/** `demo down`: confirmed (typed name or --yes), audited, the stack stopped with its volumes kept. */
async function stopDemo(stack: StackDefinition, runtime: StackRuntime, recorder: SwitchRecorder, options: CliOptions, auditPath: string): Promise<number> {
  if (!options.yes) {
    if (!process.stdin.isTTY) throw new UsageError(`refusing to stop ${stack.name} without a confirmation: no terminal to ask, so add --yes`);
    if (!(await typedConfirmation(`Type ${stack.name} to stop it (volumes are kept): `, stack.name))) throw new UsageError(`cancelled: the typed name did not match ${stack.name}; nothing changed`);
  }
  assertAuditWritable(auditPath);
  const attempt = { stack, from: null, to: 'alpine' as const };
  recorder.audit('demo down', attempt, 'confirmed');
  try {
    await runtime.port.down(stack, 'alpine');
  } catch (error) {
    recorder.audit('demo down', attempt, 'failed', { elapsedSeconds: 0, error: errorLine(error) });
    throw error;
  }
  recorder.audit('demo down', attempt, 'stopped', { elapsedSeconds: 0, error: null });
  process.stdout.write(`${stack.name} (project ${stack.project}) is down; its volumes are kept\n`);
  return 0;
}

/** `demo up`: bases, both variants built, the Alpine stack started and waited for; `demo down`: stopped, volumes kept. */
export async function runDemoCommand(settings: Settings, options: CliOptions): Promise<number> {
  if (settings.readOnly) throw new UsageError('this console is read-only (--read-only or readOnly: true): demo refused, nothing changed');
  const root = checkoutRoot();
  if (!root) throw new UsageError('demo needs the netra-console checkout (docker/ and the compose files); run it from a clone of the repository');
  const stack = demoStack(settings, options, root);
  const runtime = openStackRuntime(settings);
  const recorder = stackRecorder(settings, runtime, (_, problem) => problem && say(`netra-console: ${problem}`));
  if (options.demoAction === 'down') return stopDemo(stack, runtime, recorder, options, settings.dockerAuditPath);
  const existing = await runtime.port.containers(stack.project);
  if (existing.length > 0 && !options.yes) {
    throw new UsageError(`project ${stack.project} already has ${existing.length} container(s); demo up would replace them: add --yes, or use netra-console switch`);
  }
  assertAuditWritable(settings.dockerAuditPath);
  say('making the local stand-in base images (docker/make-bases.sh)…');
  await makeBases(root, settings);
  await buildBoth(stack, runtime);
  const plan = await preflight(runtime.port, stack, 'alpine');
  if ('error' in plan) throw new UsageError(`${stack.name}: ${plan.error}`);
  const blocking = blockingChecks(plan);
  if (blocking.length) throw new UsageError(`${stack.name}: ${blocking.map((c) => c.detail).join('; ')}`);
  say(`starting ${stack.name} (Alpine)…`);
  const result = await runSwitchSession(plan, runtime.port, { leg: () => {}, phase: () => {}, progress: () => {} }, recorder, null);
  if ('conflict' in result) throw new UsageError(`${result.notice}; run demo up again`);
  process.stdout.write(`${describeOutcome(stack, result.outcome, [])}\n`);
  if (result.outcome.result !== 'switched') return 1;
  process.stdout.write(`\nNow open the console in this directory: netra-console (or npm start). Press 5 for Stacks, S to switch to regular.\n`);
  return 0;
}
