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
    // Cloud Run
    [['--project', 'netra-prod'], parsed({ project: 'netra-prod' })],
    [['--project=netra-prod', '--region=europe-west1'], parsed({ project: 'netra-prod', region: 'europe-west1' })],
    [['status', '--json', '--region', 'europe-west1'], parsed({ command: 'status', json: true, region: 'europe-west1' })],
    [['--gcp-endpoint', '127.0.0.1:8085'], parsed({ gcpEndpoint: '127.0.0.1:8085' })],
    [['status', '--gcp-endpoint=[::1]:8085'], parsed({ command: 'status', gcpEndpoint: '[::1]:8085' })],
    [['--sandbox'], parsed({ sandbox: true })],
    [['status', '--sandbox', '--json'], parsed({ command: 'status', sandbox: true, json: true })],
    // The endpoint is checked when settings are resolved (it names its origin there), not while parsing.
    [['--gcp-endpoint', 'localhost'], parsed({ gcpEndpoint: 'localhost' })],
    // The sandbox command
    [['sandbox'], parsed({ command: 'sandbox' })],
    [['sandbox', '--port', '8085', '--log-rate', '20'], parsed({ command: 'sandbox', port: 8085, logRate: 20 })],
    [['sandbox', '--port=0', '--log-rate=0'], parsed({ command: 'sandbox', port: 0, logRate: 0 })],
    [['--port', '65535', 'sandbox'], parsed({ command: 'sandbox', port: 65_535 })],
    [['sandbox', '--log-rate', '2.5'], parsed({ command: 'sandbox', logRate: 2.5 })],
    [['sandbox', '--log-rate', '100000'], parsed({ command: 'sandbox', logRate: 100_000 })],
  ])('%j', (argv, expected) => {
    expect(parseArgs(argv)).toEqual(expected);
  });

  it.each([
    [['--docker-host'], '--docker-host needs a value, e.g. --docker-host unix:///var/run/docker.sock'],
    [['--docker-host='], '--docker-host needs a value, e.g. --docker-host unix:///var/run/docker.sock'],
    [['--docker-host', '--json', 'status'], '--docker-host needs a value, e.g. --docker-host unix:///var/run/docker.sock'],
    [['--config'], '--config needs a value, e.g. --config ./netra.yaml'],
    [['status', '--config', '--all'], '--config needs a value, e.g. --config ./netra.yaml'],
    [['--json'], '--json works with the status, rollback and logs commands: netra-console status --json'],
    [['--all', '--json'], '--json works with the status, rollback and logs commands: netra-console status --json'],
    [['--verbose'], 'unknown option "--verbose"; run netra-console --help for the options'],
    [['-x'], 'unknown option "-x"; run netra-console --help for the options'],
    [['--host=tcp://h:1'], 'unknown option "--host"; run netra-console --help for the options'],
    [['--all=false'], '--all takes no value; write --all alone'],
    [['status', '--json=false'], '--json takes no value; write --json alone'],
    [['stats'], 'unknown command "stats"; the commands are: status, sandbox, rollback, logs (run netra-console --help)'],
    [['status', 'status'], 'unknown command "status"; the commands are: status, sandbox, rollback, logs (run netra-console --help)'],
    [['status', 'netra-backend-1'], 'unknown command "netra-backend-1"; the commands are: status, sandbox, rollback, logs (run netra-console --help)'],
    // Cloud Run and sandbox flags
    [['--project'], '--project needs a value, e.g. --project netra-staging'],
    [['--region', '--json'], '--region needs a value, e.g. --region us-central1'],
    [['--gcp-endpoint='], '--gcp-endpoint needs a value, e.g. --gcp-endpoint 127.0.0.1:8085'],
    [['--sandbox=yes'], '--sandbox takes no value; write --sandbox alone'],
    [['sandbox', '--port'], '--port needs a value, e.g. --port 8085'],
    [['sandbox', '--port', 'abc'], '--port "abc" must be a whole number from 0 to 65535, e.g. --port 8085'],
    [['sandbox', '--port', '65536'], '--port "65536" must be a whole number from 0 to 65535, e.g. --port 8085'],
    [['sandbox', '--port', '-1'], '--port "-1" must be a whole number from 0 to 65535, e.g. --port 8085'],
    [['sandbox', '--port=80.5'], '--port "80.5" must be a whole number from 0 to 65535, e.g. --port 8085'],
    [['sandbox', '--log-rate', 'fast'], '--log-rate "fast" must be a number from 0 to 100000, e.g. --log-rate 20'],
    [['sandbox', '--log-rate', '100001'], '--log-rate "100001" must be a number from 0 to 100000, e.g. --log-rate 20'],
    [['sandbox', '--log-rate=Infinity'], '--log-rate "Infinity" must be a number from 0 to 100000, e.g. --log-rate 20'],
    [['--port', '8085'], '--port and --log-rate work with the sandbox command: netra-console sandbox --port 8085'],
    [['status', '--log-rate', '5'], '--port and --log-rate work with the sandbox command: netra-console sandbox --port 8085'],
    [['sandbox', '--json'], '--json works with the status, rollback and logs commands: netra-console status --json'],
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
    for (const option of [
      '--docker-host URL', '--config PATH', '--all', '--json', '-h, --help', '-v, --version', 'status [--json]',
      '--project ID', '--region REGION', '--gcp-endpoint H:P', '--sandbox', 'sandbox [--port N] [--log-rate N]', '--port N', '--log-rate N',
    ]) {
      expect(HELP).toContain(option);
    }
  });
});
