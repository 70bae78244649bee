import { UsageError } from '../config/errors';

export interface CliOptions {
  command: 'console' | 'status' | 'help' | 'version';
  json: boolean;
  dockerHost?: string;
  configPath?: string;
  all: boolean;
}

export const HELP = `netra-console — terminal ops console for the Netra platform

Usage:
  netra-console [options]                open the console (needs a terminal)
  netra-console status [--json] [options] print container health and stats once, then exit

Options:
  --docker-host URL   Docker engine to use: unix:///path/docker.sock or tcp://HOST:PORT
                      (default: $DOCKER_HOST, then docker.host in the config, then unix:///var/run/docker.sock)
  --config PATH       config file (default: ./.netra-console.yaml, then $XDG_CONFIG_HOME/netra-console/config.yaml)
  --all               follow all containers, not only the configured compose projects
  --json              (status) print one JSON document
  -h, --help          show this help
  -v, --version       show the version

Keys inside the console: press ? for the full list.`;

const VALUE_FLAGS = { '--docker-host': 'dockerHost', '--config': 'configPath' } as const;
const SWITCHES = ['--help', '--version', '--json', '--all'];

/** Parses argv; anything unknown is a one-line UsageError naming the argument and the fix. */
export function parseArgs(argv: readonly string[]): CliOptions {
  const options: CliOptions = { command: 'console', json: false, all: false };
  let status = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inlineValue] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    if (flag in VALUE_FLAGS) {
      const value = inlineValue ?? argv[++i];
      if (value === undefined || value === '' || (inlineValue === undefined && value.startsWith('--'))) {
        throw new UsageError(`${flag} needs a value, e.g. ${flag === '--config' ? '--config ./netra.yaml' : '--docker-host unix:///var/run/docker.sock'}`);
      }
      options[VALUE_FLAGS[flag as keyof typeof VALUE_FLAGS]] = value;
    } else if (inlineValue !== undefined && SWITCHES.includes(flag)) {
      throw new UsageError(`${flag} takes no value; write ${flag} alone`);
    } else if (flag === '-h' || flag === '--help') options.command = 'help';
    else if (flag === '-v' || flag === '--version') options.command = 'version';
    else if (flag === '--json') options.json = true;
    else if (flag === '--all') options.all = true;
    else if (flag === 'status' && !status) status = true;
    else if (flag.startsWith('-')) throw new UsageError(`unknown option "${flag}"; run netra-console --help for the options`);
    else throw new UsageError(`unknown command "${flag}"; the commands are: status (run netra-console --help)`);
  }
  // --help and --version win wherever they are, e.g. `netra-console --help status`.
  if (status && options.command === 'console') options.command = 'status';
  if (options.json && options.command === 'console') {
    throw new UsageError('--json works with the status command: netra-console status --json');
  }
  return options;
}
