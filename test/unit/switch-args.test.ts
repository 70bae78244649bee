import { describe, expect, it } from 'vitest';
import { parseArgs } from '../../src/cli/args';
import { usageError } from './support';

describe('switch, compare and demo arguments', () => {
  it('parses a switch with its flags', () => {
    expect(parseArgs(['switch', '--to', 'regular', '--stack', 'staging', '--yes', '--json', '--timeout', '90', '--no-revert'])).toMatchObject({
      command: 'switch',
      to: 'regular',
      stack: 'staging',
      yes: true,
      json: true,
      timeout: 90,
      noRevert: true,
    });
    expect(parseArgs(['switch', '--to', 'alpine', '--dry-run'])).toMatchObject({ dryRun: true, noRevert: false });
  });

  it.each([
    [['switch'], 'switch needs --to alpine or --to regular, e.g. netra-console switch --to regular --stack test'],
    [['switch', '--to', 'musl'], '--to "musl" is not a variant: write --to alpine or --to regular'],
    [['switch', '--to', 'alpine', '--stack', 'Test/1'], '--stack "Test/1" is not a stack name: lowercase letters, digits, - and _, e.g. --stack test'],
    [['compare', '--no-revert'], '--no-revert works with the switch command: e.g. netra-console switch --no-revert …'],
    [['compare', '--to', 'alpine'], '--to works with the rollback and switch commands: e.g. netra-console rollback --to …'],
    [['demo'], 'demo needs up or down, e.g. netra-console demo up'],
    [['demo', 'start'], 'demo takes up or down, not "start", e.g. netra-console demo up'],
    [['demo', 'up', 'down'], 'unknown command "down"; the commands are: status, sandbox, rollback, logs, switch, compare, demo, rebuild, doctor, alerts (run netra-console --help)'],
    [['status', '--stack', 'test'], '--stack works with the switch, compare, demo, rebuild and doctor commands: e.g. netra-console switch --stack …'],
  ])('refuses %j with one line', (argv, message) => {
    expect(usageError(() => parseArgs(argv))).toBe(message);
  });

  it('rebuild takes --service more than once; the other commands keep the last', () => {
    expect(parseArgs(['rebuild', '--service', 'backend', '--service', 'auth', '--no-cache', '--prune', '--restart', '--variant', 'regular'])).toMatchObject({
      command: 'rebuild',
      services: ['backend', 'auth'],
      noCache: true,
      prune: true,
      restart: true,
      variant: 'regular',
    });
    expect(parseArgs(['logs', '--service', 'netra-auth', '--service', 'netra-backend-staging'])).toMatchObject({ service: 'netra-backend-staging', services: [] });
    expect(usageError(() => parseArgs(['rebuild', '--variant', 'musl']))).toBe('--variant "musl" is not a variant: write --variant alpine or --variant regular');
    expect(usageError(() => parseArgs(['switch', '--to', 'alpine', '--no-cache']))).toBe('--no-cache works with the rebuild command: e.g. netra-console rebuild --no-cache …');
  });

  it('takes demo up and down', () => {
    expect(parseArgs(['demo', 'up', '--yes'])).toMatchObject({ command: 'demo', demoAction: 'up', yes: true });
    expect(parseArgs(['demo', 'down'])).toMatchObject({ command: 'demo', demoAction: 'down' });
  });
});

describe('--service names', () => {
  it('rebuild takes compose names; rollback and logs keep Cloud Run\'s rule', () => {
    expect(parseArgs(['rebuild', '--service', 'db_primary'])).toMatchObject({ services: ['db_primary'] });
    expect(usageError(() => parseArgs(['rebuild', '--service', '../x']))).toBe('--service "../x" is not a compose service name: letters, digits, _, . and -, starting with a letter or digit, e.g. --service backend');
    expect(usageError(() => parseArgs(['rollback', '--service', 'db_primary']))).toContain('is not a Cloud Run service name');
  });
});
