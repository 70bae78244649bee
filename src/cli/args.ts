import { parseArgs as tokenize } from 'node:util';
import { UsageError } from '../config/errors';

/** The commands typed after `netra-console`; with none, the console opens. */
export const COMMANDS = ['status', 'sandbox', 'rollback', 'logs', 'switch', 'compare', 'demo', 'rebuild', 'doctor', 'alerts'] as const;
export type Command = 'console' | (typeof COMMANDS)[number];

export interface CliOptions {
  command: Command | 'help' | 'version';
  /** --help after a command: that command's help. */
  helpTopic?: Command;
  json: boolean;
  all: boolean;
  sandbox: boolean;
  readOnly: boolean;
  /** rollback: --previous (default), --to-regular or --to REVISION */
  previous: boolean;
  toRegular: boolean;
  dryRun: boolean;
  yes: boolean;
  service?: string;
  to?: string;
  /** switch, compare, demo: the configured stack (default: the first) */
  stack?: string;
  /** switch: leave a failed target as it is instead of reverting */
  noRevert: boolean;
  /** demo: up or down */
  demoAction?: 'up' | 'down';
  /** rebuild: the variant to build (default: the one running, else alpine) */
  variant?: 'alpine' | 'regular';
  /** rebuild: every --service given (default: all of the variant) */
  services: string[];
  noCache: boolean;
  prune: boolean;
  restart: boolean;
  /** doctor: the lowest severity that makes the exit code 1 */
  failOn: 'warning' | 'error';
  auditLog?: string;
  /** rollback: bounded total seconds for Cloud Run's operation */
  timeout?: number;
  /** logs */
  follow: boolean;
  container?: string;
  severity?: string;
  filter?: string;
  since?: string;
  dockerHost?: string;
  configPath?: string;
  project?: string;
  region?: string;
  gcpEndpoint?: string;
  port?: number;
  logRate?: number;
}

type OptionKey = Exclude<keyof CliOptions, 'command' | 'helpTopic'>;

export interface FlagSpec {
  /** Long name without the dashes. */
  name: string;
  short?: string;
  /** The option it sets; `help` and `version` pick the command instead. */
  key: OptionKey | 'help' | 'version';
  /** Placeholder of its value in help; a flag without one is a switch. */
  value?: string;
  /** A value that works, for the "needs a value" hint. */
  example?: string;
  number?: { min: number; max: number; integer: boolean };
  /** Checks a string value; returns the one-line complaint, or null when the value is fine. */
  validate?: (value: string) => string | null;
  commands: readonly Command[];
  description: string;
  /** What it does for one command in particular (shown in that command's help). */
  notes?: Partial<Record<Command, string>>;
  /** The whole hint when given to another command, where the generic one would say less. */
  elsewhere?: string;
}

/** Cloud Run's rule for service names: lowercase letters, digits and hyphens, a letter first, no hyphen last, ≤ 49. */
const SERVICE_NAME = /^[a-z](?:[a-z0-9-]{0,47}[a-z0-9])?$/;

/**
 * A service name goes into resource names and Logging filters; anything Cloud Run would not accept (`../x`,
 * `a/revisions/b`, quotes, newlines) is refused here rather than sent.
 */
export function serviceNameProblem(name: string): string | null {
  if (SERVICE_NAME.test(name)) return null;
  return `--service ${JSON.stringify(name)} is not a Cloud Run service name: lowercase letters, digits and hyphens, starting with a letter, not ending with a hyphen, at most 49 characters, e.g. --service netra-auth`;
}

/** Compose's rule for service names (letters, digits, `_`, `.`, `-`; a letter or digit first). */
const COMPOSE_SERVICE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/;

function composeServiceProblem(name: string): string | null {
  if (COMPOSE_SERVICE_NAME.test(name)) return null;
  return `--service ${JSON.stringify(name)} is not a compose service name: letters, digits, _, . and -, starting with a letter or digit, e.g. --service backend`;
}

const EVERY: readonly Command[] = ['console', ...COMMANDS];
/** The commands that read the config, the engine and Cloud Run; the sandbox command serves and reads nothing. */
const READERS: readonly Command[] = ['console', 'status', 'rollback', 'logs', 'doctor', 'alerts'];
/** The commands that act on compose stacks: they read the config and the engine, not Cloud Run. */
const STACKS: readonly Command[] = ['switch', 'compare', 'demo', 'rebuild'];
const STACK_NAME = /^[a-z0-9][a-z0-9_-]{0,62}$/;
const SANDBOX_HINT = '--port and --log-rate work with the sandbox command: netra-console sandbox --port 8085';

/** Every flag, once: the parser and every help text are made from this table. */
export const FLAGS: readonly FlagSpec[] = [
  {
    name: 'docker-host', key: 'dockerHost', value: 'URL', example: 'unix:///var/run/docker.sock', commands: [...READERS, ...STACKS],
    description: 'Docker engine: unix:///path/docker.sock or tcp://HOST:PORT (default: $DOCKER_HOST, then docker.host in the config, then unix:///var/run/docker.sock)',
  },
  {
    name: 'project', key: 'project', value: 'ID', example: 'netra-staging', commands: READERS,
    description: 'Google Cloud project (default: cloudRun.project in the config, then $GOOGLE_CLOUD_PROJECT)',
  },
  {
    name: 'region', key: 'region', value: 'REGION', example: 'us-central1', commands: READERS,
    description: 'Cloud Run region (default: cloudRun.region, then $CLOUDSDK_RUN_REGION, then us-central1)',
  },
  {
    name: 'gcp-endpoint', key: 'gcpEndpoint', value: 'H:P', example: '127.0.0.1:8085', commands: READERS,
    description: 'use a plaintext Cloud Run + Logging endpoint, e.g. a sandbox in another process (or $NETRA_GCP_ENDPOINT)',
  },
  { name: 'sandbox', key: 'sandbox', commands: READERS, description: 'run the sandbox in-process (also the default when no project is configured)' },
  {
    name: 'config', key: 'configPath', value: 'PATH', example: './netra.yaml', commands: [...READERS, ...STACKS],
    description: 'config file (default: ./.netra-console.yaml, then $XDG_CONFIG_HOME/netra-console/config.yaml)',
  },
  {
    name: 'all', key: 'all', commands: READERS,
    description: 'all containers, not only those of the configured compose projects; with rollback, every Netra service (cloudRun.rollbackOrder)',
    notes: { rollback: 'one service at a time, each verified before the next; a failure stops and says what changed' },
  },
  {
    name: 'read-only', key: 'readOnly', commands: [...READERS, ...STACKS], description: 'no mutating actions: rollback and switch keys are hidden and refused',
    notes: {
      rollback: 'the rollback is refused with exit 2, nothing sent',
      switch: 'the switch is refused with exit 2, nothing changed',
      compare: 'the compare is refused with exit 2, nothing changed',
      demo: 'refused with exit 2, nothing changed',
    },
  },
  {
    name: 'audit-log', key: 'auditLog', value: 'PATH', example: './audit.log', commands: [...READERS, ...STACKS],
    description: 'audit log (default: $XDG_STATE_HOME/netra-console/audit.log; audit-sandbox.log for a sandbox)',
  },
  {
    name: 'json', key: 'json', commands: ['status', 'rollback', 'logs', 'switch', 'compare', 'rebuild', 'doctor', 'alerts'], description: 'print JSON instead of text',
    notes: {
      doctor: '{"checks":[{code, title, severity, status, target, evidence, fix, command, location}], "summary":{pass, fail, skip, error}}',
      alerts: 'alerts (with state, since, check, ack, silencedBy), silences and recent resolved',
      rebuild: 'stack, variant, noCache, result, elapsedSeconds, services (size, budget, cache hits, steps, largest layers), pruned, error',
      switch: 'stack, project, from, to, result, elapsedSeconds, services, previous and error',
      compare: 'stack, project, result and one switch document per variant under "variants"',
      status: 'one document: docker, cloudRun and alerts',
      rollback: 'before, requested, after and result (with --all, one such object per service under "results")',
      logs: 'one object a line: insertId, timestamp, severity, source, message (insertId is null for container lines)',
    },
    elsewhere: '--json works with the status, rollback, logs, switch, compare, rebuild, doctor and alerts commands: netra-console status --json',
  },
  {
    name: 'service', key: 'service', value: 'NAME', example: 'netra-backend-staging', commands: ['rollback', 'logs', 'rebuild', 'doctor'],
    description: 'a Cloud Run service of the region; with rebuild, a compose service of the stack',
    notes: {
      doctor: 'only the checks of this compose service (its containers, images) or Cloud Run service',
      rollback: 'the one to roll back',
      logs: 'only its entries; a name the region does not have is exit 2, naming those it has',
      rebuild: 'only this service (give it again for more)',
    },
  },
  { name: 'previous', key: 'previous', commands: ['rollback'], description: 'to the newest Ready revision older than the ones serving now (the default)' },
  { name: 'to-regular', key: 'toRegular', commands: ['rollback'], description: 'to the newest revision on a regular (non-Alpine) image' },
  {
    name: 'to', key: 'to', value: 'TARGET', example: 'netra-backend-staging-00024-abc', commands: ['rollback', 'switch'],
    description: 'the target: a revision (rollback), a variant (switch)',
    notes: { rollback: 'this revision: its name or the number the console shows (17 or 00017)', switch: 'alpine or regular' },
  },
  {
    name: 'stack', key: 'stack', value: 'NAME', example: 'test', commands: [...STACKS, 'doctor'], validate: (v) => (STACK_NAME.test(v) ? null : `--stack ${JSON.stringify(v)} is not a stack name: lowercase letters, digits, - and _, e.g. --stack test`),
    description: 'a stack of the config (stacks:); default: the first one (test)',
  },
  {
    name: 'variant', key: 'variant', value: 'VARIANT', example: 'alpine', commands: ['rebuild'],
    validate: (v) => (v === 'alpine' || v === 'regular' ? null : `--variant ${JSON.stringify(v)} is not a variant: write --variant alpine or --variant regular`),
    description: 'alpine or regular (default: the variant running, else alpine)',
  },
  { name: 'no-cache', key: 'noCache', commands: ['rebuild'], description: 'a clean build: no step comes from the cache' },
  {
    name: 'prune', key: 'prune', commands: ['rebuild'],
    description: "first remove this stack's dangling images and stopped containers, and builder cache older than 24 h (the engine's, of every project); images of other projects and every volume stay",
  },
  { name: 'restart', key: 'restart', commands: ['rebuild'], description: 'bring the stack up on the new images afterwards, healthy (as switch does)' },
  { name: 'no-revert', key: 'noRevert', commands: ['switch'], description: 'when the target does not come up healthy, leave it as it is (default: revert to the variant that ran)' },
  { name: 'dry-run', key: 'dryRun', commands: ['rollback', 'switch'], description: 'print the change and change nothing' },
  {
    name: 'yes', key: 'yes', commands: ['rollback', 'switch', 'compare', 'demo', 'rebuild'], description: 'do not ask to type the name (needed without a terminal)',
    notes: { rollback: 'the service name', switch: 'the stack name', compare: 'the stack name', rebuild: 'the stack name' },
  },
  {
    name: 'timeout', key: 'timeout', value: 'SECONDS', example: '120', number: { min: 1, max: 3600, integer: false }, commands: ['status', 'rollback', 'switch'],
    description: 'most time to wait',
    notes: {
      status: 'for a slow engine to answer its ping (default: 10)',
      rollback: 'for Cloud Run to apply a change (default: 120)',
      switch: 'for every service to be healthy (default: from the health checks: start_period and retries along the longest depends_on chain, plus 60)',
    },
  },
  {
    name: 'container', key: 'container', value: 'NAME', example: 'netra-backend-1', commands: ['logs', 'doctor'], description: 'only this container',
    notes: { logs: 'its logs', doctor: 'its checks' },
  },
  {
    name: 'fail-on', key: 'failOn', value: 'LEVEL', example: 'warning', commands: ['doctor'],
    validate: (v) => (v === 'warning' || v === 'error' ? null : `--fail-on ${JSON.stringify(v)} is not a level: write --fail-on warning or --fail-on error`),
    description: 'exit 1 when a check at or above this severity fails: warning or error (default: error)',
  },
  {
    name: 'severity', key: 'severity', value: 'LEVEL', example: 'WARNING', commands: ['logs'],
    description: 'only lines at or above this severity: DEBUG, INFO, NOTICE, WARNING, ERROR or CRITICAL',
  },
  {
    name: 'filter', key: 'filter', value: 'REGEX', example: '"timeout|refused"', commands: ['logs'],
    description: 'only lines matching this case-insensitive regular expression',
  },
  { name: 'since', key: 'since', value: 'DURATION', example: '10m', commands: ['logs'], description: 'from this long ago: 90s, 10m, 2h, 1d (default: 10m; at most 3650d)' },
  {
    name: 'follow', key: 'follow', commands: ['logs'],
    description: 'keep printing new lines until Ctrl-C, reconnecting and backfilling, never a line twice',
  },
  {
    name: 'port', key: 'port', value: 'N', example: '8085', number: { min: 0, max: 65_535, integer: true }, commands: ['sandbox'],
    description: 'port to listen on (default: any free port)', elsewhere: SANDBOX_HINT,
  },
  {
    name: 'log-rate', key: 'logRate', value: 'N', example: '20', number: { min: 0, max: 100_000, integer: false }, commands: ['sandbox'],
    description: 'log entries per second to generate (default: 5)', elsewhere: SANDBOX_HINT,
  },
  { name: 'help', short: 'h', key: 'help', commands: EVERY, description: "show this help; after a command, that command's help" },
  { name: 'version', short: 'v', key: 'version', commands: EVERY, description: 'show the version' },
];

interface CommandSpec {
  /** Synopsis lines after `netra-console`; flags are written bare, their placeholders come from FLAGS. */
  usage: readonly string[];
  summary: string;
  /** More for the command's own help. */
  details?: string;
}

const COMMAND_HELP: Record<Command, CommandSpec> = {
  console: { usage: ['[options]'], summary: 'open the console (needs a terminal)' },
  status: { usage: ['status [--json] [--timeout] [options]'], summary: 'print containers, Cloud Run and alerts once, then exit' },
  sandbox: {
    usage: ['sandbox [--port] [--log-rate]'],
    summary: 'serve a Cloud Run + Logging sandbox on 127.0.0.1 and print its endpoint',
  },
  rollback: {
    usage: [
      'rollback --service [--previous | --to-regular | --to] [--dry-run] [--yes] [--json]',
      'rollback --all [--previous | --to-regular] [--dry-run] [--yes] [--json] [--timeout]',
    ],
    summary: 'move all traffic of a Cloud Run service back, verified and audited',
    details:
      'Exit 0 rolled back (or nothing to do), 1 failed, 2 bad usage or input (also an audit log that cannot be written: nothing sent), ' +
      '3 conflict (nothing changed), 4 timed out (the operation did not finish within --timeout; the change may still be applied).',
  },
  logs: {
    usage: ['logs [--service] [--container] [--severity] [--filter] [--since] [--follow] [--json]'],
    summary: 'print Cloud Run and container logs, oldest first',
    details: 'With neither --service nor --container, both sources.',
  },
  switch: {
    usage: ['switch --to [--stack] [--yes] [--json] [--timeout] [--no-revert] [--dry-run]'],
    summary: 'switch a compose stack between Alpine and regular, health-checked, measured and audited',
    details:
      'Exit 0 switched and healthy (or already running healthy), 1 failed (the output says whether it reverted and what runs now), ' +
      '2 bad usage or a preflight refusal (unknown stack, missing compose file, missing image): nothing changed.',
  },
  compare: {
    usage: ['compare [--stack] [--yes] [--json]'],
    summary: 'bring each variant up in turn, measure both, leave the stack as it was',
    details: 'Exit 0 both measured, 1 a variant failed (the stack is reverted to what ran), 2 bad usage or a preflight refusal.',
  },
  rebuild: {
    usage: ['rebuild [--stack] [--variant] [--service]… [--no-cache] [--prune] [--restart] [--yes] [--json]'],
    summary: 'build a stack with BuildKit, with cache hits, sizes against budgets and the largest layers',
    details: 'Exit 0 built (an image over its budget is reported, not a failure), 1 a build failed, 2 bad usage: nothing changed.',
  },
  doctor: {
    usage: ['doctor [--stack] [--service] [--container] [--json] [--fail-on]'],
    summary: "run the guides' troubleshooting and security checks; show evidence, fix and command",
    details:
      'Exit 0 nothing failed at or above --fail-on (default error), 1 something did, 2 bad usage. ' +
      'Exclusions (doctor.exclude in the config) are listed as skipped with their reason.',
  },
  alerts: {
    usage: ['alerts [--json]'],
    summary: 'list the alerts with their state (pending, firing, acked, silenced), silences and recent resolved',
    details: 'Exit 0 nothing firing, 1 an alert is firing (not silenced, not acked), 2 bad usage.',
  },
  demo: {
    usage: ['demo up|down [--stack] [--yes]'],
    summary: 'build local stand-in images and start (or stop) the Alpine test stack on this engine',
    details:
      'up: makes the local stand-in base images (docker/make-bases.sh), builds both variants of the stack offline and starts the Alpine one; ' +
      'down: stops the stack, keeping its volumes. Run it in a checkout of netra-console.',
  },
};

const byName = new Map(FLAGS.map((flag) => [flag.name, flag]));

/** What no flags at all mean: the console, nothing switched on. */
export function defaultOptions(): CliOptions {
  return {
    command: 'console',
    json: false,
    all: false,
    sandbox: false,
    readOnly: false,
    previous: false,
    toRegular: false,
    dryRun: false,
    yes: false,
    noRevert: false,
    follow: false,
    services: [],
    noCache: false,
    prune: false,
    restart: false,
    failOn: 'error',
  };
}

/** Parses argv; anything unknown or misplaced is a one-line UsageError naming the argument and the fix. */
export function parseArgs(argv: readonly string[]): CliOptions {
  const options = defaultOptions();
  let command: Command | null = null;
  const given: FlagSpec[] = [];
  for (const token of tokens(argv)) {
    if (token.kind === 'option-terminator') throw unknownOption('--');
    else if (token.kind === 'positional' && command === 'demo' && options.demoAction === undefined) options.demoAction = demoAction(token.value);
    else if (token.kind === 'positional') command = commandNamed(token.value, command);
    else given.push(applyFlag(options, token));
  }
  // --help and --version win wherever they are, e.g. `netra-console --help status`.
  if (options.command === 'help') return command ? { ...options, helpTopic: command } : options;
  if (options.command === 'version') return options;
  if (command) options.command = command;
  const misplaced = given.find((flag) => !flag.commands.includes(options.command as Command));
  if (misplaced) throw new UsageError(misplaced.elsewhere ?? worksWith(misplaced));
  // Only rebuild takes --service more than once (compose names); elsewhere `service` is a Cloud Run one.
  if (options.command !== 'rebuild') options.services = [];
  const composeNames = options.command === 'rebuild' || options.command === 'doctor';
  if (options.command === 'doctor' && options.service !== undefined) options.services = [options.service];
  const badService = composeNames ? options.services.map(composeServiceProblem).find(Boolean) : options.service === undefined ? null : serviceNameProblem(options.service);
  if (badService) throw new UsageError(badService);
  if (options.command === 'rollback') validateRollback(options);
  if (options.command === 'switch') validateSwitch(options);
  if (options.command === 'demo' && !options.demoAction) throw new UsageError('demo needs up or down, e.g. netra-console demo up');
  return options;
}

function demoAction(word: string): 'up' | 'down' {
  if (word === 'up' || word === 'down') return word;
  throw new UsageError(`demo takes up or down, not "${word}", e.g. netra-console demo up`);
}

function validateSwitch(options: CliOptions): void {
  if (options.to === undefined) throw new UsageError('switch needs --to alpine or --to regular, e.g. netra-console switch --to regular --stack test');
  if (options.to !== 'alpine' && options.to !== 'regular') throw new UsageError(`--to ${JSON.stringify(options.to)} is not a variant: write --to alpine or --to regular`);
}

type Token = NonNullable<ReturnType<typeof tokenize>['tokens']>[number];

/** node:util splits the arguments; it runs non-strict so that every mistake gets our own one-line message. */
function tokens(argv: readonly string[]): Token[] {
  const options = Object.fromEntries(
    FLAGS.map((flag) => [flag.name, { type: flag.value ? ('string' as const) : ('boolean' as const), ...(flag.short && { short: flag.short }) }]),
  );
  return tokenize({ args: [...argv], options, strict: false, allowPositionals: true, tokens: true }).tokens;
}

function commandNamed(word: string, already: Command | null): Command {
  if (already === null && (COMMANDS as readonly string[]).includes(word)) return word as Command;
  throw new UsageError(`unknown command "${word}"; the commands are: ${COMMANDS.join(', ')} (run netra-console --help)`);
}

function unknownOption(raw: string): UsageError {
  return new UsageError(`unknown option "${raw}"; run netra-console --help for the options`);
}

function applyFlag(options: CliOptions, token: Extract<Token, { kind: 'option' }>): FlagSpec {
  const flag = byName.get(token.name);
  if (!flag) throw unknownOption(token.rawName);
  const raw = token.value;
  if (!flag.value) {
    if (raw !== undefined) throw new UsageError(`--${flag.name} takes no value; write --${flag.name} alone`);
    if (flag.key === 'help' || flag.key === 'version') options.command = flag.key;
    else Object.assign(options, { [flag.key]: true });
  } else {
    const value = readValue(flag, raw);
    Object.assign(options, { [flag.key]: value });
    // --service may be given more than once (rebuild builds each); elsewhere the last one counts.
    if (flag.key === 'service') options.services.push(String(value));
  }
  return flag;
}

function readValue(flag: FlagSpec, raw: string | undefined): string | number {
  const example = `--${flag.name} ${flag.example}`;
  // A following flag is a forgotten value, not a value: `--docker-host --json status`.
  if (raw === undefined || raw === '' || raw.startsWith('--')) throw new UsageError(`--${flag.name} needs a value, e.g. ${example}`);
  const problem = flag.validate?.(raw);
  if (problem) throw new UsageError(problem);
  if (!flag.number) return raw;
  const value = Number(raw);
  const { min, max, integer } = flag.number;
  if (!Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
    throw new UsageError(`--${flag.name} "${raw}" must be ${integer ? 'a whole number' : 'a number'} from ${min} to ${max}, e.g. ${example}`);
  }
  return value;
}

function worksWith(flag: FlagSpec): string {
  const commands = flag.commands.filter((command) => command !== 'console');
  const plural = commands.length > 1 ? 's' : '';
  const where = `the ${listed(commands)} command${plural}`;
  return `--${flag.name} works with ${flag.commands.includes('console') ? `the console and ${where}` : where}: e.g. netra-console ${commands[0]} --${flag.name} …`;
}

/** `a`, `a and b`, `a, b and c`. */
function listed(words: readonly string[]): string {
  return words.length > 1 ? `${words.slice(0, -1).join(', ')} and ${words.at(-1)}` : (words[0] ?? '');
}

function validateRollback(options: CliOptions): void {
  const choices = [options.previous && '--previous', options.toRegular && '--to-regular', options.to !== undefined && '--to'].filter(Boolean);
  if (choices.length > 1) throw new UsageError(`choose one of ${choices.join(', ')}: they pick different targets`);
  if (!options.service && !options.all) {
    throw new UsageError('rollback needs --service NAME (or --all), e.g. netra-console rollback --service netra-backend-staging --previous');
  }
  if (options.service && options.all) throw new UsageError('use either --service NAME or --all, not both');
  if (options.all && options.to !== undefined) throw new UsageError('--to names one revision of one service; with --all use --previous or --to-regular');
}

// ---- Help, made from FLAGS and COMMAND_HELP ----

const INDENT = '  ';
const USAGE_WIDTH = 40;
const LABEL_WIDTH = 21;
const TEXT_WIDTH = 96;

/** `--docker-host URL`, `-h, --help`. */
export function flagLabel(flag: FlagSpec): string {
  return `${flag.short ? `-${flag.short}, ` : ''}--${flag.name}${flag.value ? ` ${flag.value}` : ''}`;
}

/** The help of one command, or with none (or `console`) the whole help. */
export function helpText(command?: Command): string {
  if (!command || command === 'console') return globalHelp();
  const spec = COMMAND_HELP[command];
  const own = FLAGS.filter((flag) => flag.commands.includes(command) && !flag.commands.includes('console'));
  const shared = FLAGS.filter((flag) => flag.commands.includes(command) && flag.commands.includes('console'));
  return [
    `netra-console ${command} — ${spec.summary}`,
    '',
    'Usage:',
    ...spec.usage.map(synopsis),
    ...(spec.details ? ['', ...wrap(spec.details, TEXT_WIDTH + LABEL_WIDTH)] : []),
    '',
    'Options:',
    ...own.flatMap((flag) => flagLines(flag, command)),
    '',
    'Options it shares with the console:',
    ...shared.flatMap((flag) => flagLines(flag, command)),
  ].join('\n');
}

function globalHelp(): string {
  return [
    'netra-console — terminal ops console for the Netra platform',
    '',
    'Usage:',
    ...(['console', ...COMMANDS] as const).flatMap((command) => usageLines(COMMAND_HELP[command])),
    '',
    'Options:',
    ...FLAGS.flatMap((flag) => flagLines(flag)),
    '',
    "Run netra-console COMMAND --help for a command's options and what they do there.",
    'Keys inside the console: press ? for the full list.',
  ].join('\n');
}

/** Synopsis lines, the summary beside the last one, or under it when that line is too long. */
function usageLines(spec: CommandSpec): string[] {
  const lines = spec.usage.map(synopsis);
  const last = lines.pop()!;
  const column = USAGE_WIDTH + INDENT.length;
  return last.length < column ? [...lines, `${last.padEnd(column)}${spec.summary}`] : [...lines, last, `${' '.repeat(column)}${spec.summary}`];
}

/** A synopsis line with each flag's placeholder from the table: `sandbox [--port]` → `netra-console sandbox [--port N]`. */
function synopsis(template: string): string {
  const filled = template.replace(/--[a-z-]+/g, (word) => {
    const flag = byName.get(word.slice(2));
    return flag?.value ? `${word} ${flag.value}` : word;
  });
  return `${INDENT}netra-console ${filled}`;
}

/** One flag: label, description; in a command's help its note for that command, in the whole help which commands take it. */
function flagLines(flag: FlagSpec, command?: Command): string[] {
  const note = command && flag.notes?.[command];
  const only = !command && !flag.commands.includes('console') ? `(${flag.commands.join(', ')}) ` : '';
  const text = `${only}${flag.description}${note ? ` — ${note}` : ''}`;
  const [first, ...rest] = wrap(text, TEXT_WIDTH);
  const pad = ' '.repeat(INDENT.length + LABEL_WIDTH);
  return [`${INDENT}${flagLabel(flag).padEnd(LABEL_WIDTH)}${first}`, ...rest.map((line) => `${pad}${line}`)];
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  return [...lines, line];
}

/** The whole help, as `netra-console --help` prints it. */
export const HELP = helpText();
