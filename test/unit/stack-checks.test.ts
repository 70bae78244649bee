// NC4xx: a stack variant's compose files as `compose config -q` judged them (facts gathered by doctor).
import { describe, expect, it } from 'vitest';
import { STACK_CHECKS } from '../../src/domain/checks/stack-checks';
import type { ComposeFacts } from '../../src/domain/checks/types';

const check = STACK_CHECKS.find((c) => c.code === 'NC401')!;
const FILES = ['/repo/docker-compose.yml', '/repo/docker-compose.alpine-test.yml'];

function facts(overrides: Partial<ComposeFacts> = {}): ComposeFacts {
  return { stack: 'test', variant: 'alpine', files: FILES, valid: true, error: null, ...overrides };
}

/** What docker-compose 1.29 printed for test/fixtures/compose/invalid.yml (run from the repo root). */
const V1_ERROR = [
  "The Compose file './test/fixtures/compose/invalid.yml' is invalid because:",
  'services.a.mem_limit contains an invalid type, it should be a number, or a string',
].join('\n');

describe('NC401 compose files validate', () => {
  it('is one stack-scope NC4xx check', () => {
    expect(STACK_CHECKS.map((c) => [c.code, c.scope, c.severity])).toEqual([['NC401', 'stack', 'error']]);
  });

  it('passes, naming the files compose accepted', () => {
    expect(check.probe(facts())).toEqual({
      status: 'pass',
      evidence: ['compose accepts /repo/docker-compose.yml, /repo/docker-compose.alpine-test.yml'],
    });
  });

  it("fails with compose's own words, the file it blamed and the exact command to run", () => {
    const files = ['/repo/test/fixtures/compose/invalid.yml'];
    const finding = check.probe(facts({ files: [...FILES, ...files], valid: false, error: V1_ERROR }));
    expect(finding.status).toBe('fail');
    expect(finding.evidence).toEqual(V1_ERROR.split('\n'));
    expect(finding.location).toEqual({ file: '/repo/test/fixtures/compose/invalid.yml', line: null });
    expect(finding.fix).toBe(
      'run docker-compose -f /repo/docker-compose.yml -f /repo/docker-compose.alpine-test.yml -f /repo/test/fixtures/compose/invalid.yml config -q and fix the named key',
    );
  });

  it('finds the blamed file in compose v2 wording too; no location when the file cannot be told', () => {
    const v2 = 'validating /repo/docker-compose.alpine-test.yml: services.backend.mem_limit must be a string or number';
    expect(check.probe(facts({ valid: false, error: v2 })).location).toEqual({ file: FILES[1], line: null });
    expect(check.probe(facts({ valid: false, error: 'yaml: line 3: mapping values are not allowed in this context' })).location).toBeUndefined();
    const single = check.probe(facts({ files: [FILES[0]!], valid: false, error: 'services must be a mapping' }));
    expect(single.location).toEqual({ file: FILES[0], line: null });
  });

  it('says so when compose refused without a word, and never passes', () => {
    const finding = check.probe(facts({ valid: false, error: null }));
    expect(finding.status).toBe('fail');
    expect(finding.evidence).toEqual([`compose refused ${FILES.join(', ')} without saying why`]);
  });

  it('quotes at most five lines, says how many more, and keeps control characters out', () => {
    const error = ['bad \u001b[31mred\u001b[0m', ...Array.from({ length: 7 }, (_, i) => `services.s${i}.image must be a string`)].join('\n');
    const finding = check.probe(facts({ valid: false, error }));
    expect(finding.evidence).toHaveLength(6);
    expect(finding.evidence[0]).toBe('bad \u241b[31mred\u241b[0m');
    expect(finding.evidence[5]).toMatch(/^… 3 more lines from docker-compose -f .* config -q$/);
  });

  it('skips a stack variant with no compose files, saying so', () => {
    expect(check.probe(facts({ files: [] }))).toEqual({ status: 'skip', evidence: ['stack test (alpine) has no compose files configured'] });
  });

  it('quotes paths with spaces in the command', () => {
    expect(check.command(facts({ files: ['/my repo/compose.yml'] }))).toBe("docker-compose -f '/my repo/compose.yml' config -q");
  });
});

describe('NC401 and compose files that are not there', () => {
  it('a default stack (no stacks: configured) whose files are not here is skipped, saying why', () => {
    const absent = 'not checked: no stacks: in the config, and the default test stack\'s /tmp/x/docker-compose.test.yml is not here (run in the platform checkout, or configure stacks:)';
    expect(check.probe(facts({ valid: false, error: null, absent }))).toEqual({ status: 'skip', evidence: [absent] });
  });

  it('a configured stack whose file is missing fails, and the fix is the path in the config', () => {
    const finding = check.probe(facts({ valid: false, error: 'compose file /repo/docker-compose.yml does not exist' }));
    expect(finding.status).toBe('fail');
    expect(finding.evidence).toEqual(['compose file /repo/docker-compose.yml does not exist']);
    expect(finding.fix).toMatch(/^correct the path under stacks\.\w+\.\w+ in the config/);
  });
});
