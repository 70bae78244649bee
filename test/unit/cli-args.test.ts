import { describe, expect, it } from 'vitest';
import { defaultOptions, HELP, parseArgs, type CliOptions } from '../../src/cli/args';
import { UsageError } from '../../src/config/errors';

const parsed = (extra: Partial<CliOptions>): CliOptions => ({ ...defaultOptions(), ...extra });

describe('parseArgs', () => {
  it.each<[string[], CliOptions]>([
    [[], parsed({})],
    [['--help'], parsed({ command: 'help' })],
    [['-h'], parsed({ command: 'help' })],
    [['--version'], parsed({ command: 'version' })],
    [['-v'], parsed({ command: 'version' })],
    [['status'], parsed({ command: 'status' })],
    [['status', '--json'], parsed({ command: 'status', json: true })],
    [['--json', 'status'], parsed({ command: 'status', json: true })],
    [['status', '--help'], parsed({ command: 'help' })],
    [['--help', 'status'], parsed({ command: 'help' })],
    [['-v', 'status', '--json'], parsed({ command: 'version', json: true })],
    [['--all'], parsed({ all: true })],
    [['status', '--all', '--json'], parsed({ command: 'status', all: true, json: true })],
    [['--docker-host', 'tcp://h:2375'], parsed({ dockerHost: 'tcp://h:2375' })],
    [['--docker-host=tcp://h:2375'], parsed({ dockerHost: 'tcp://h:2375' })],
    [['--docker-host=unix:///tmp/nd/docker.sock?x=a=b'], parsed({ dockerHost: 'unix:///tmp/nd/docker.sock?x=a=b' })],
    [['--docker-host', 'tcp://a:1', '--docker-host=tcp://b:2'], parsed({ dockerHost: 'tcp://b:2' })],
    [['status', '--config', './netra.yaml', '--docker-host', 'unix:///run/docker.sock'], parsed({ command: 'status', configPath: './netra.yaml', dockerHost: 'unix:///run/docker.sock' })],
    [['--config=conf/netra.yaml'], parsed({ configPath: 'conf/netra.yaml' })],
  ])('%j', (argv, expected) => {
    expect(parseArgs(argv)).toEqual(expected);
  });

  it.each([
    [['--docker-host'], '--docker-host needs a value, e.g. --docker-host unix:///var/run/docker.sock'],
    [['--docker-host='], '--docker-host needs a value, e.g. --docker-host unix:///var/run/docker.sock'],
    [['--docker-host', '--json', 'status'], '--docker-host needs a value, e.g. --docker-host unix:///var/run/docker.sock'],
    [['--config'], '--config needs a value, e.g. --config ./netra.yaml'],
    [['status', '--config', '--all'], '--config needs a value, e.g. --config ./netra.yaml'],
    [['--json'], '--json works with the status command: netra-console status --json'],
    [['--all', '--json'], '--json works with the status command: netra-console status --json'],
    [['--verbose'], 'unknown option "--verbose"; run netra-console --help for the options'],
    [['-x'], 'unknown option "-x"; run netra-console --help for the options'],
    [['--host=tcp://h:1'], 'unknown option "--host"; run netra-console --help for the options'],
    [['--all=false'], '--all takes no value; write --all alone'],
    [['status', '--json=false'], '--json takes no value; write --json alone'],
    [['stats'], 'unknown command "stats"; the commands are: status, sandbox (run netra-console --help)'],
    [['status', 'status'], 'unknown command "status"; the commands are: status, sandbox (run netra-console --help)'],
    [['status', 'netra-backend-1'], 'unknown command "netra-backend-1"; the commands are: status, sandbox (run netra-console --help)'],
  ])('rejects %j with one line', (argv, message) => {
    let error: unknown;
    try {
      parseArgs(argv);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).message).toBe(message);
  });

  it('documents every option it accepts in the help text', () => {
    for (const option of ['--docker-host URL', '--config PATH', '--all', '--json', '-h, --help', '-v, --version', 'status [--json]']) {
      expect(HELP).toContain(option);
    }
  });
});
