import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { COMMANDS, defaultOptions, flagLabel, FLAGS, HELP, helpText, parseArgs, type CliOptions, type Command, type FlagSpec } from '../../src/cli/args';
import { main } from '../../src/cli/main';
import { UsageError } from '../../src/config/errors';
import { usageError } from './support';

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
    [['status', '--help'], parsed({ command: 'help', helpTopic: 'status' })],
    [['--help', 'status'], parsed({ command: 'help', helpTopic: 'status' })],
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
    [['--json'], '--json works with the status, rollback, logs, switch, compare, rebuild, doctor and alerts commands: netra-console status --json'],
    [['--all', '--json'], '--json works with the status, rollback, logs, switch, compare, rebuild, doctor and alerts commands: netra-console status --json'],
    [['--verbose'], 'unknown option "--verbose"; run netra-console --help for the options'],
    [['-x'], 'unknown option "-x"; run netra-console --help for the options'],
    [['--host=tcp://h:1'], 'unknown option "--host"; run netra-console --help for the options'],
    [['--all=false'], '--all takes no value; write --all alone'],
    [['status', '--json=false'], '--json takes no value; write --json alone'],
    [['stats'], 'unknown command "stats"; the commands are: status, sandbox, rollback, logs, switch, compare, demo, rebuild, doctor, alerts (run netra-console --help)'],
    [['status', 'status'], 'unknown command "status"; the commands are: status, sandbox, rollback, logs, switch, compare, demo, rebuild, doctor, alerts (run netra-console --help)'],
    [['status', 'netra-backend-1'], 'unknown command "netra-backend-1"; the commands are: status, sandbox, rollback, logs, switch, compare, demo, rebuild, doctor, alerts (run netra-console --help)'],
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
    [['sandbox', '--json'], '--json works with the status, rollback, logs, switch, compare, rebuild, doctor and alerts commands: netra-console status --json'],
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

  const SERVICE_RULE = 'is not a Cloud Run service name: lowercase letters, digits and hyphens, starting with a letter, not ending with a hyphen, at most 49 characters, e.g. --service netra-auth';

  // A name with a quote or a newline went into the Logging filter as is; `../x` reached the API (exit 1).
  it.each(['../x', 'a/revisions/b', 'x"', 'x\nseverity>=ERROR', 'Netra-Auth', '1netra', 'netra-', 'netra_auth', `a${'b'.repeat(49)}`, 'x\u001b]0;pwned\u0007', ' netra-auth'])(
    '--service %j is refused by Cloud Run\'s naming rule, quoted safely',
    (name) => {
      for (const command of ['rollback', 'logs']) {
        expect(usageError(() => parseArgs([command, '--service', name]))).toBe(`--service ${JSON.stringify(name)} ${SERVICE_RULE}`);
      }
    },
  );

  it.each(['a', 'netra-auth', 'netra-backend-staging', 'a1-2-3', `a${'b'.repeat(48)}`])('--service %j is a valid name', (name) => {
    expect(parseArgs(['logs', '--service', name]).service).toBe(name);
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

describe('the flag table', () => {
  const commands: Command[] = ['console', ...COMMANDS];
  const argvFor = (command: Command, flag: FlagSpec): string[] => [
    ...(command === 'console' ? [] : [command]),
    ...(command === 'rollback' ? ['--service', 'netra-auth'] : []),
    ...(command === 'switch' && flag.name !== 'to' ? ['--to', 'alpine'] : []),
    ...(command === 'demo' ? ['up'] : []),
    `--${flag.name}`,
    ...(flag.value ? [flag.example!] : []),
  ];
  /** What the parser says, independently of the help: a misplaced flag is refused with "work(s) with the". */
  const accepts = (command: Command, flag: FlagSpec): boolean => {
    try {
      parseArgs(argvFor(command, flag));
      return true;
    } catch (error) {
      expect(error).toBeInstanceOf(UsageError);
      return !/ works? with the /.test((error as UsageError).message);
    }
  };
  /** The help's line for a flag: its label at the start, after the indent. */
  const lineOf = (help: string, flag: FlagSpec) => help.split('\n').find((line) => line.startsWith(`  ${flagLabel(flag)} `));

  it.each(COMMANDS)('lists in "%s --help" exactly the flags the parser takes with that command', (command) => {
    const help = helpText(command);
    for (const flag of FLAGS) expect({ flag: flag.name, listed: lineOf(help, flag) !== undefined }).toEqual({ flag: flag.name, listed: accepts(command, flag) });
  });

  it("lists every flag in the whole help, naming the commands of those the console does not take", () => {
    for (const flag of FLAGS) {
      const line = lineOf(HELP, flag);
      expect(line, flag.name).toBeDefined();
      const prefix = /^ {2}\S.{19} (\(([a-z, ]+)\) )?/.exec(line!)!;
      expect({ flag: flag.name, onlyFor: prefix[2] ?? null }).toEqual({ flag: flag.name, onlyFor: accepts('console', flag) ? null : flag.commands.join(', ') });
    }
  });

  it('checks every flag of a synopsis against the command that takes it', () => {
    for (const command of commands) {
      const help = helpText(command);
      const synopses = help.split('\n').filter((line) => line.startsWith(`  netra-console ${command === 'console' ? '' : command}`));
      for (const synopsis of synopses) {
        const named = synopsis.startsWith('  netra-console [') ? 'console' : (synopsis.split(' ')[3] as Command);
        for (const [name] of synopsis.matchAll(/--[a-z-]+/g)) {
          const flag = FLAGS.find((f) => `--${f.name}` === name);
          expect(flag, `${name} in "${synopsis}"`).toBeDefined();
          expect(accepts(named, flag!), `${name} in "${synopsis}"`).toBe(true);
          if (flag!.value) expect(synopsis).toContain(`${name} ${flag!.value}`);
        }
      }
    }
  });

  it('describes each flag one way: the same description wherever it is shown, once in each help', () => {
    for (const command of commands) {
      const help = helpText(command);
      const lines = help.split('\n');
      for (const flag of FLAGS.filter((f) => lineOf(help, f))) {
        expect(lines.filter((line) => line.startsWith(`  ${flagLabel(flag)} `)), `${flag.name} in ${command} help`).toHaveLength(1);
        expect(help.replace(/\n {23}/g, ' '), `${flag.name} in ${command} help`).toContain(flag.description);
      }
    }
    const json = FLAGS.find((f) => f.name === 'json')!;
    for (const command of ['status', 'rollback', 'logs'] as const) {
      expect(helpText(command).replace(/\n {23}/g, ' ')).toContain(`${json.description} — ${json.notes![command]}`);
    }
  });

  it('declares each flag and short alias once, every value flag with an example that parses', () => {
    const names = FLAGS.flatMap((f) => [f.name, ...(f.short ? [f.short] : [])]);
    expect(new Set(names).size).toBe(names.length);
    for (const flag of FLAGS.filter((f) => f.value)) {
      const command = flag.commands.find((c) => c !== 'console') ?? 'status';
      expect(() => parseArgs(argvFor(command, flag)), flag.name).not.toThrow();
    }
  });

  it('keeps the README "Command line" block equal to the help', () => {
    const readme = readFileSync(join(import.meta.dirname, '../../README.md'), 'utf8');
    const block = /## Command line\n\n```\n([\s\S]*?)```\n/.exec(readme)?.[1];
    expect(block).toBe(`${HELP}\n`);
  });
});

describe('per-command help', () => {
  it.each(COMMANDS)('"%s --help" and "--help %s" ask for that command\'s help', (command) => {
    expect(parseArgs([command, '--help'])).toEqual(parsed({ command: 'help', helpTopic: command }));
    expect(parseArgs(['-h', command])).toEqual(parsed({ command: 'help', helpTopic: command }));
  });

  it('wins over the checks of the command: rollback --help needs no --service', () => {
    expect(parseArgs(['rollback', '--help']).command).toBe('help');
    expect(parseArgs(['rollback', '--to', 'x', '--all', '--help']).command).toBe('help');
  });

  it('rollback --help: its synopses, its flags with what they do there, its exit codes, nothing of other commands', () => {
    const help = helpText('rollback');
    expect(help.split('\n')[0]).toBe('netra-console rollback — move all traffic of a Cloud Run service back, verified and audited');
    expect(help).toContain('netra-console rollback --service NAME [--previous | --to-regular | --to TARGET]');
    expect(help).toContain('--to TARGET          the target: a revision (rollback), a variant (switch) — this revision');
    expect(help).toContain('netra-console rollback --all [--previous | --to-regular]');
    expect(help).toMatch(/^ {2}--timeout SECONDS {4}most time to wait/m);
    expect(help.replace(/\n {23}/g, ' ')).toContain('--service NAME       a Cloud Run service of the region; with rebuild, a compose service of the stack — the one to roll back');
    expect(help).toContain('Exit 0 rolled back');
    for (const other of ['--port', '--log-rate', '--follow', '--since', '--container', 'netra-console status']) expect(help).not.toContain(other);
  });

  it('status, logs and sandbox --help show their own flags first, then what they share with the console', () => {
    const status = helpText('status').split('\n');
    expect(status.indexOf('Options:')).toBeLessThan(status.findIndex((l) => l.startsWith('  --json ')));
    expect(status.findIndex((l) => l.startsWith('  --json '))).toBeLessThan(status.indexOf('Options it shares with the console:'));
    expect(helpText('logs')).toContain('--since DURATION     from this long ago');
    const sandbox = helpText('sandbox');
    expect(sandbox).toContain('netra-console sandbox [--port N] [--log-rate N]');
    expect(sandbox).not.toContain('--docker-host');
  });

  it('main prints the help of the command it follows, exit 0', async () => {
    const printed: string[] = [];
    const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      printed.push(String(chunk));
      return true;
    });
    try {
      expect(await main(['logs', '--help'])).toBe(0);
      expect(await main(['--help'])).toBe(0);
    } finally {
      write.mockRestore();
    }
    expect(printed).toEqual([`${helpText('logs')}\n`, `${HELP}\n`]);
  });

  it('refuses the console\'s flags for the sandbox command, which reads no engine, config or Cloud Run', () => {
    let error: unknown;
    try {
      parseArgs(['sandbox', '--docker-host', 'tcp://h:1']);
    } catch (e) {
      error = e;
    }
    expect((error as UsageError).message).toBe(
      '--docker-host works with the console and the status, rollback, logs, doctor, alerts, switch, compare, demo and rebuild commands: e.g. netra-console status --docker-host …',
    );
  });
});
