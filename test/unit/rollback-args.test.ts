import { describe, expect, it } from 'vitest';
import { defaultOptions, parseArgs, type CliOptions } from '../../src/cli/args';
import { usageError } from './support';

const rollback = (extra: Partial<CliOptions>): CliOptions => ({ ...defaultOptions(), command: 'rollback', ...extra });

describe('parseArgs: rollback', () => {
  it.each<[string[], Partial<CliOptions>]>([
    [['rollback', '--service', 'netra-auth'], { service: 'netra-auth' }],
    [['rollback', '--service=netra-auth', '--previous', '--yes'], { service: 'netra-auth', previous: true, yes: true }],
    [['rollback', '--service', 'netra-auth', '--to-regular', '--dry-run'], { service: 'netra-auth', toRegular: true, dryRun: true }],
    [['rollback', '--service', 'netra-auth', '--to', 'netra-auth-00004-abc'], { service: 'netra-auth', to: 'netra-auth-00004-abc' }],
    [['rollback', '--all', '--previous', '--yes'], { all: true, previous: true, yes: true }],
    [['rollback', '--all', '--to-regular'], { all: true, toRegular: true }],
    [['--json', 'rollback', '--service', 'netra-auth', '--yes'], { json: true, service: 'netra-auth', yes: true }],
    [['rollback', '--all', '--json', '--timeout', '30'], { all: true, json: true, timeout: 30 }],
    [['rollback', '--service', 'netra-auth', '--timeout=1'], { service: 'netra-auth', timeout: 1 }],
    [['rollback', '--service', 'netra-auth', '--timeout', '3600'], { service: 'netra-auth', timeout: 3600 }],
    [['rollback', '--service', 'netra-auth', '--timeout', '2.5'], { service: 'netra-auth', timeout: 2.5 }],
    [
      ['rollback', '--service', 'netra-auth', '--audit-log', './a.log', '--read-only', '--gcp-endpoint', '127.0.0.1:8085'],
      { service: 'netra-auth', auditLog: './a.log', readOnly: true, gcpEndpoint: '127.0.0.1:8085' },
    ],
  ])('%j', (argv, expected) => {
    expect(parseArgs(argv)).toEqual(rollback(expected));
  });

  it('needs --service or --all, and not both', () => {
    expect(usageError(() => parseArgs(['rollback']))).toBe(
      'rollback needs --service NAME (or --all), e.g. netra-console rollback --service netra-backend-staging --previous',
    );
    expect(usageError(() => parseArgs(['rollback', '--previous', '--yes']))).toContain('rollback needs --service NAME (or --all)');
    expect(usageError(() => parseArgs(['rollback', '--service', 'netra-auth', '--all']))).toBe('use either --service NAME or --all, not both');
    expect(usageError(() => parseArgs(['rollback', '--service']))).toBe('--service needs a value, e.g. --service netra-backend-staging');
  });

  it.each([
    [['--previous', '--to-regular'], 'choose one of --previous, --to-regular: they pick different targets'],
    [['--previous', '--to', 'x'], 'choose one of --previous, --to: they pick different targets'],
    [['--to-regular', '--to', 'x'], 'choose one of --to-regular, --to: they pick different targets'],
    [['--previous', '--to-regular', '--to', 'x'], 'choose one of --previous, --to-regular, --to: they pick different targets'],
  ])('takes one target choice: refuses %j', (choices, message) => {
    expect(usageError(() => parseArgs(['rollback', '--service', 'netra-auth', ...choices]))).toBe(message);
  });

  it('refuses --to with --all', () => {
    expect(usageError(() => parseArgs(['rollback', '--all', '--to', 'netra-auth-00004-abc']))).toBe(
      '--to names one revision of one service; with --all use --previous or --to-regular',
    );
  });

  it.each(['0', '0.5', '3601', '-1', 'abc', '10s'])('refuses --timeout %s', (value) => {
    expect(usageError(() => parseArgs(['rollback', '--service', 'netra-auth', '--timeout', value]))).toBe(
      `--timeout "${value}" must be a number from 1 to 3600, e.g. --timeout 120`,
    );
  });

  it.each([
    [['--yes']],
    [['--dry-run']],
    [['--previous']],
    [['--to-regular']],
    [['--to', 'netra-auth-00004-abc']],
    [['--timeout', '30']],
    [['status', '--yes']],
    [['status', '--service', 'netra-auth']],
    [['sandbox', '--dry-run']],
  ])('refuses the rollback-only flags of %j outside the rollback command', (argv) => {
    const flag = argv.find((a) => a.startsWith('--'))!;
    const message = usageError(() => parseArgs(argv));
    expect(message.startsWith(`${flag} works with the `)).toBe(true);
    expect(message).toContain('rollback');
  });
});
