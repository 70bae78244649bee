import { describe, expect, it } from 'vitest';
import { parseArgs } from '../../src/cli/args';
import { parseConfigText } from '../../src/config/load';
import { usageError } from './support';

const FILE = '/home/oncall/.netra-console.yaml';

describe('doctor and alerts on the command line', () => {
  it('reads the narrowing flags and the threshold', () => {
    const options = parseArgs(['doctor', '--stack', 'test', '--service', 'backend', '--container', 'netra-test-backend-1', '--json', '--fail-on', 'warning']);
    expect(options).toMatchObject({ command: 'doctor', stack: 'test', service: 'backend', container: 'netra-test-backend-1', json: true, failOn: 'warning' });
    expect(parseArgs(['doctor']).failOn).toBe('error');
    expect(parseArgs(['alerts', '--json'])).toMatchObject({ command: 'alerts', json: true });
  });

  it('refuses a bad level, a bad service name and a misplaced flag with one line', () => {
    expect(usageError(() => parseArgs(['doctor', '--fail-on', 'info']))).toBe('--fail-on "info" is not a level: write --fail-on warning or --fail-on error');
    expect(usageError(() => parseArgs(['doctor', '--service', '../x']))).toMatch(/^--service "\.\.\/x" is not a compose service name/);
    expect(usageError(() => parseArgs(['status', '--fail-on', 'error']))).toBe('--fail-on works with the doctor command: e.g. netra-console doctor --fail-on …');
    expect(usageError(() => parseArgs(['alerts', '--stack', 'test']))).toMatch(/^--stack works with the switch, compare, demo, rebuild and doctor commands/);
  });
});

describe('doctor exclusions in the config', () => {
  it('reads code, target and reason; the target defaults to every target', () => {
    const config = parseConfigText('doctor:\n  exclude:\n    - { code: NC109, target: "netra-test-redis-*", reason: redis runs as root in the stand-in }\n    - { code: NC306, reason: no context }\n', FILE);
    expect(config.doctor.exclude).toEqual([
      { code: 'NC109', target: 'netra-test-redis-*', reason: 'redis runs as root in the stand-in' },
      { code: 'NC306', target: '*', reason: 'no context' },
    ]);
  });

  it('refuses a code that is not one and an exclusion without a reason, naming the line', () => {
    expect(usageError(() => parseConfigText('doctor:\n  exclude:\n    - { code: memory, reason: x }\n', FILE))).toMatch(/^\/home\/oncall\/\.netra-console\.yaml:3: .*a check code is NC and three digits, e.g. NC104/);
    expect(usageError(() => parseConfigText('doctor:\n  exclude:\n    - { code: NC104 }\n', FILE))).toMatch(/^\/home\/oncall\/\.netra-console\.yaml:3: .*reason/);
  });
});
