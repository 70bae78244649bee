import { UsageError } from '../config/errors';

export interface CliOptions {
  command: 'console' | 'status' | 'sandbox' | 'rollback' | 'logs' | 'help' | 'version';
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

export const HELP = `netra-console — terminal ops console for the Netra platform

Usage:
  netra-console [options]                 open the console (needs a terminal)
  netra-console status [--json] [options] print containers, Cloud Run and alerts once, then exit
  netra-console sandbox [--port N] [--log-rate N]
                                          serve a local Cloud Run + Logging sandbox (Netra staging) on 127.0.0.1
  netra-console rollback --service S [--previous | --to-regular | --to REVISION] [--dry-run] [--yes] [--json]
  netra-console rollback --all [--previous | --to-regular] [--dry-run] [--yes] [--json]
                                          move all traffic of a Cloud Run service back, verified and audited;
                                          --to takes a revision name or its number (17, 00017);
                                          exit 0 rolled back (or nothing to do), 1 failed, 2 bad usage or input,
                                          3 conflict (nothing changed)
  netra-console logs [--service S] [--container C] [--severity LEVEL] [--filter REGEX] [--since 10m] [--follow] [--json]
                                          print Cloud Run and container logs (one JSON object a line with --json)

Options:
  --docker-host URL    Docker engine: unix:///path/docker.sock or tcp://HOST:PORT
                       (default: $DOCKER_HOST, then docker.host in the config, then unix:///var/run/docker.sock)
  --project ID         Google Cloud project (default: cloudRun.project in the config, then $GOOGLE_CLOUD_PROJECT)
  --region REGION      Cloud Run region (default: cloudRun.region, then $CLOUDSDK_RUN_REGION, then us-central1)
  --gcp-endpoint H:P   use a plaintext Cloud Run + Logging endpoint, e.g. a sandbox (or $NETRA_GCP_ENDPOINT)
  --sandbox            run the sandbox in-process (also the default when no project is configured)
  --config PATH        config file (default: ./.netra-console.yaml, then $XDG_CONFIG_HOME/netra-console/config.yaml)
  --all                follow all containers, not only the configured compose projects
                       (rollback) roll back every Netra service, one at a time, each verified before the next
  --read-only          no mutating actions: rollback keys are hidden and refused
  --audit-log PATH     audit log (default: $XDG_STATE_HOME/netra-console/audit.log; audit-sandbox.log for a sandbox)
  --timeout SECONDS    (rollback) most time to wait for Cloud Run to apply a change (default: 120)
  --json               (status) print one JSON document
  --port N             (sandbox) port to listen on (default: any free port)
  --log-rate N         (sandbox) log entries per second to generate (default: 5)
  -h, --help           show this help
  -v, --version        show the version

Keys inside the console: press ? for the full list.`;

type ValueKey =
  | 'dockerHost'
  | 'configPath'
  | 'project'
  | 'region'
  | 'gcpEndpoint'
  | 'port'
  | 'logRate'
  | 'service'
  | 'to'
  | 'auditLog'
  | 'timeout'
  | 'container'
  | 'severity'
  | 'filter'
  | 'since';

const VALUE_FLAGS: Record<string, { key: ValueKey; example: string; number?: { min: number; max: number; integer: boolean } }> = {
  '--docker-host': { key: 'dockerHost', example: '--docker-host unix:///var/run/docker.sock' },
  '--config': { key: 'configPath', example: '--config ./netra.yaml' },
  '--project': { key: 'project', example: '--project netra-staging' },
  '--region': { key: 'region', example: '--region us-central1' },
  '--gcp-endpoint': { key: 'gcpEndpoint', example: '--gcp-endpoint 127.0.0.1:8085' },
  '--port': { key: 'port', example: '--port 8085', number: { min: 0, max: 65_535, integer: true } },
  '--log-rate': { key: 'logRate', example: '--log-rate 20', number: { min: 0, max: 100_000, integer: false } },
  '--service': { key: 'service', example: '--service netra-backend-staging' },
  '--to': { key: 'to', example: '--to netra-backend-staging-00024-abc' },
  '--audit-log': { key: 'auditLog', example: '--audit-log ./audit.log' },
  '--timeout': { key: 'timeout', example: '--timeout 120', number: { min: 1, max: 3600, integer: false } },
  '--container': { key: 'container', example: '--container netra-backend-1' },
  '--severity': { key: 'severity', example: '--severity WARNING' },
  '--filter': { key: 'filter', example: '--filter "timeout|refused"' },
  '--since': { key: 'since', example: '--since 10m' },
};
const FLAG_SWITCHES = {
  '--json': 'json',
  '--all': 'all',
  '--sandbox': 'sandbox',
  '--read-only': 'readOnly',
  '--previous': 'previous',
  '--to-regular': 'toRegular',
  '--dry-run': 'dryRun',
  '--yes': 'yes',
  '--follow': 'follow',
} as const;
/** Flags that belong to one command only. */
const COMMAND_FLAGS: Record<string, readonly string[]> = {
  rollback: ['--service', '--to', '--previous', '--to-regular', '--dry-run', '--yes', '--timeout'],
  logs: ['--service', '--container', '--severity', '--filter', '--since', '--follow'],
};
const SWITCHES = ['--help', '--version', ...Object.keys(FLAG_SWITCHES)];
const COMMANDS = ['status', 'sandbox', 'rollback', 'logs'] as const;

function readValue(flag: string, raw: string | undefined): string | number {
  const spec = VALUE_FLAGS[flag]!;
  if (raw === undefined || raw === '' || raw.startsWith('--')) throw new UsageError(`${flag} needs a value, e.g. ${spec.example}`);
  if (!spec.number) return raw;
  const value = Number(raw);
  const { min, max, integer } = spec.number;
  if (!Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
    throw new UsageError(`${flag} "${raw}" must be ${integer ? 'a whole number' : 'a number'} from ${min} to ${max}, e.g. ${spec.example}`);
  }
  return value;
}

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
    follow: false,
  };
}

/** Parses argv; anything unknown is a one-line UsageError naming the argument and the fix. */
export function parseArgs(argv: readonly string[]): CliOptions {
  const options = defaultOptions();
  let command: (typeof COMMANDS)[number] | null = null;
  const seen: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const [flag, inlineValue] = eq > 0 ? [arg.slice(0, eq), arg.slice(eq + 1)] : [arg, undefined];
    seen.push(flag);
    if (flag in VALUE_FLAGS) {
      const value = readValue(flag, inlineValue ?? argv[++i]);
      Object.assign(options, { [VALUE_FLAGS[flag]!.key]: value });
    } else if (inlineValue !== undefined && SWITCHES.includes(flag)) {
      throw new UsageError(`${flag} takes no value; write ${flag} alone`);
    } else if (flag === '-h' || flag === '--help') options.command = 'help';
    else if (flag === '-v' || flag === '--version') options.command = 'version';
    else if (flag in FLAG_SWITCHES) options[FLAG_SWITCHES[flag as keyof typeof FLAG_SWITCHES]] = true;
    else if (COMMANDS.includes(flag as (typeof COMMANDS)[number]) && command === null) command = flag as (typeof COMMANDS)[number];
    else if (flag.startsWith('-')) throw new UsageError(`unknown option "${flag}"; run netra-console --help for the options`);
    else throw new UsageError(`unknown command "${flag}"; the commands are: ${COMMANDS.join(', ')} (run netra-console --help)`);
  }
  // --help and --version win wherever they are, e.g. `netra-console --help status`.
  if (options.command === 'help' || options.command === 'version') return options;
  if (command) options.command = command;
  if (options.json && !['status', 'rollback', 'logs'].includes(options.command)) {
    throw new UsageError('--json works with the status, rollback and logs commands: netra-console status --json');
  }
  const allowed = COMMAND_FLAGS[options.command] ?? [];
  const misplaced = seen.find((flag) => !allowed.includes(flag) && Object.values(COMMAND_FLAGS).some((flags) => flags.includes(flag)));
  if (misplaced) {
    const owners = Object.keys(COMMAND_FLAGS).filter((command) => COMMAND_FLAGS[command]!.includes(misplaced));
    throw new UsageError(`${misplaced} works with the ${owners.join(' and ')} command${owners.length > 1 ? 's' : ''}: e.g. netra-console ${owners[0]} ${misplaced} …`);
  }
  if (options.command === 'rollback') validateRollback(options);
  if ((options.port !== undefined || options.logRate !== undefined) && options.command !== 'sandbox') {
    throw new UsageError('--port and --log-rate work with the sandbox command: netra-console sandbox --port 8085');
  }
  return options;
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
