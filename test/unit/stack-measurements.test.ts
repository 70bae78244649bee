import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { recordMeasurement } from '../../src/cli/stack-runtime';
import { resolveStacks } from '../../src/config/stacks';
import { parseConfigText } from '../../src/config/load';
import { measuredStartupSeconds, type StackMeasurements, type VariantMeasurement } from '../../src/domain/stacks';
import { defaultMeasurementsPath, loadMeasurements, saveMeasurements } from '../../src/sources/stack-measurements';

const MEASURED: VariantMeasurement = { variant: 'alpine', measuredAt: '2026-12-02T06:00:00Z', elapsedSeconds: 6.2, services: [] };

function dir(): string {
  return mkdtempSync(join(tmpdir(), 'netra-measure-'));
}

describe('stack measurements in the state directory', () => {
  it('lives under $XDG_STATE_HOME, else ~/.local/state', () => {
    expect(defaultMeasurementsPath({ XDG_STATE_HOME: '/s' })).toBe('/s/netra-console/stacks.json');
    expect(defaultMeasurementsPath({ HOME: '/h' })).toBe('/h/.local/state/netra-console/stacks.json');
  });

  it('round-trips, 0600 in a 0700 directory, with no temp file left', () => {
    const path = join(dir(), 'state', 'stacks.json');
    saveMeasurements(path, { test: { alpine: MEASURED, lastHealthy: 'alpine' } });
    expect(loadMeasurements(path)).toEqual({ measurements: { test: { alpine: MEASURED, lastHealthy: 'alpine' } }, problem: null });
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(join(path, '..')).mode & 0o777).toBe(0o700);
    expect(readdirSync(join(path, '..'))).toEqual(['stacks.json']);
  });

  it('a missing file is nothing measured yet; a corrupt one is ignored with one line, and left as it is', () => {
    const root = dir();
    expect(loadMeasurements(join(root, 'none.json'))).toEqual({ measurements: {}, problem: null });
    const corrupt = join(root, 'stacks.json');
    writeFileSync(corrupt, '{"test": [');
    const loaded = loadMeasurements(corrupt);
    expect(loaded.measurements).toEqual({});
    expect(loaded.problem).toMatch(/^stack measurements .*stacks\.json ignored: not valid JSON/);
    expect(readFileSync(corrupt, 'utf8')).toBe('{"test": [');
    writeFileSync(corrupt, '{"test": {"lastHealthy": "musl"}}');
    expect(loadMeasurements(corrupt).problem).toContain('test.lastHealthy is not a variant');
  });

  it('recording keeps the other variant and stacks, marks the last healthy one, and says when it cannot save', () => {
    const path = join(dir(), 'stacks.json');
    saveMeasurements(path, { test: { regular: { ...MEASURED, variant: 'regular' }, lastHealthy: 'regular' }, staging: {} });
    const saved = recordMeasurement(path, 'test', MEASURED);
    expect(saved.problem).toBeNull();
    expect(loadMeasurements(path).measurements).toEqual({ test: { regular: { ...MEASURED, variant: 'regular' }, alpine: MEASURED, lastHealthy: 'alpine' }, staging: {} });
    const blocked = join(dir(), 'file');
    writeFileSync(blocked, '');
    const failed = recordMeasurement(join(blocked, 'stacks.json'), 'test', MEASURED);
    expect(failed.problem).toMatch(/^cannot save stack measurements .*file\/stacks\.json: /);
    expect(failed.measurements.test?.alpine).toEqual(MEASURED);
  });
});

describe('stacks in the config', () => {
  it('resolves file paths against the config file, else the working directory', () => {
    const config = parseConfigText('stacks:\n  test: { project: netra-test, alpine: [a.yml, ../b.yml], regular: [/abs/c.yml], env: { NETRA_BASE_PREFIX: x/ } }\n', '/etc/netra/config.yaml');
    expect(resolveStacks(config, '/etc/netra/config.yaml', '/home/me')).toEqual([
      { name: 'test', project: 'netra-test', files: { alpine: ['/etc/netra/a.yml', '/etc/b.yml'], regular: ['/abs/c.yml'] }, env: { NETRA_BASE_PREFIX: 'x/' } },
    ]);
    // A config file without stacks: the defaults are the checkout's, where the console runs.
    const defaults = resolveStacks(parseConfigText('{}', '/x'), '/home/me/.config/netra-console/config.yaml', '/home/me/netra');
    expect(defaults.map((s) => `${s.name} ${s.project} ${s.files.alpine[0]}`)).toEqual([
      'test netra-test /home/me/netra/docker-compose.alpine-test.yml',
      'staging netra-staging /home/me/netra/docker-compose.staging.alpine.yml',
    ]);
  });
});

describe('start-up from the last measured switch', () => {
  const measurements: StackMeasurements = {
    test: {
      alpine: {
        variant: 'alpine',
        measuredAt: '2026-12-02T10:00:30.000Z',
        elapsedSeconds: 20,
        services: [{ service: 'backend', variant: 'alpine', image: 'b', imageSizeBytes: 1, state: 'running', health: 'healthy', healthySeconds: 6.5, memUsageBytes: 1, memLimitBytes: 2 }],
      },
    },
  };

  it('is the measured seconds when the container still runs the start that was measured', () => {
    expect(measuredStartupSeconds(measurements, 'test', 'alpine', 'backend', '2026-12-02T10:00:12.000Z')).toBe(6.5);
  });

  it('is unknown for a later start, another variant or service, or no start time', () => {
    expect(measuredStartupSeconds(measurements, 'test', 'alpine', 'backend', '2026-12-02T10:05:00.000Z')).toBeNull();
    expect(measuredStartupSeconds(measurements, 'test', 'regular', 'backend', '2026-12-02T10:00:12.000Z')).toBeNull();
    expect(measuredStartupSeconds(measurements, 'test', 'alpine', 'auth', '2026-12-02T10:00:12.000Z')).toBeNull();
    expect(measuredStartupSeconds(measurements, 'test', 'alpine', 'backend', null)).toBeNull();
  });
});

describe('default stacks are marked implicit', () => {
  it('without stacks: in the config the two platform stacks are implicit; configured ones are not', () => {
    const defaults = resolveStacks(parseConfigText('', '/home/u/.netra-console.yaml'), null, '/work');
    expect(defaults.map((s) => [s.name, s.implicit])).toEqual([['test', true], ['staging', true]]);
    const configured = resolveStacks(parseConfigText('stacks:\n  mine: { project: mine, alpine: [a.yml], regular: [b.yml] }\n', '/home/u/.netra-console.yaml'), '/home/u/.netra-console.yaml', '/work');
    expect(configured[0]!.implicit).toBeUndefined();
  });
});
