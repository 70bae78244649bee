import { describe, expect, it } from 'vitest';
import { doctorDocument, doctorText } from '../../src/cli/doctor-report';
import { ALERT_KINDS_BY_SOURCE } from '../../src/domain/alert-kinds';
import { checkForAlert } from '../../src/domain/checks/alert-checks';
import { catalogueEntries, isKnownCode } from '../../src/domain/checks/catalogue';
import type { ContainerFacts, DoctorFacts } from '../../src/domain/checks/types';
import type { Alert } from '../../src/domain/types';
import { containerFacts as hardened, MIB } from './check-fixtures';
import { globMatches } from '../../src/domain/silence-text';
import { evaluateChecks, failsAt, summarise, worstFirst } from '../../src/flows/doctor-run';

/** The fixtures' hardened backend, as the test stack's container. */
function containerFacts(overrides: Partial<ContainerFacts> = {}): ContainerFacts {
  return hardened({ name: 'netra-test-backend-1', project: 'netra-test', stack: 'test', composeLocation: { file: '/srv/netra/docker-compose.alpine-test.yml', line: 40 }, ...overrides });
}

function facts(overrides: Partial<DoctorFacts> = {}): DoctorFacts {
  return { containers: [], images: [], compose: [], dockerfiles: [], host: null, cloudRun: [], failures: [], ...overrides };
}

describe('a doctor run over gathered facts', () => {
  it('finds no failure on a well-configured container, and passes carry evidence', () => {
    const results = evaluateChecks(facts({ containers: [containerFacts()] }), {}, []);
    expect(results.length).toBeGreaterThan(10);
    expect(results.filter((r) => r.status === 'fail' || r.status === 'error')).toEqual([]);
    for (const r of results.filter((x) => x.status === 'pass')) expect(r.evidence.length, r.code).toBeGreaterThan(0);
    expect(results.every((r) => r.target === 'netra-test-backend-1' && r.subject.container === 'netra-test-backend-1' && r.subject.stack === 'test')).toBe(true);
  });

  it('a planted fault fails its check with evidence and a fix at the compose line', () => {
    const results = evaluateChecks(facts({ containers: [containerFacts({ memoryLimitBytes: 0, memUsageBytes: 90 * MIB })] }), {}, []);
    const noLimit = results.find((r) => r.code === 'NC103')!;
    expect(noLimit.status).toBe('fail');
    expect(noLimit.evidence.join(' ')).toMatch(/limit/i);
    expect(noLimit.fix.length).toBeGreaterThan(10);
    expect(failsAt(results, 'warning')).toBe(true);
  });

  it('an exclusion shows the check as skipped with its reason, never drops it', () => {
    const bad = facts({ containers: [containerFacts({ user: '' })] });
    const results = evaluateChecks(bad, {}, [{ code: 'NC109', target: 'netra-test-*', reason: 'the image needs root' }]);
    const excluded = results.find((r) => r.code === 'NC109')!;
    expect(excluded.status).toBe('skip');
    expect(excluded.skipReason).toBe('excluded in the config (doctor.exclude): the image needs root');
    const other = evaluateChecks(bad, {}, [{ code: 'NC109', target: 'other-*', reason: 'x' }]).find((r) => r.code === 'NC109')!;
    expect(other.status).toBe('fail');
  });

  it('one code narrows the run to that check', () => {
    const results = evaluateChecks(facts({ containers: [containerFacts(), containerFacts({ name: 'netra-test-auth-1' })] }), { code: 'NC105' }, []);
    expect(results.map((r) => `${r.code} ${r.target}`)).toEqual(['NC105 netra-test-backend-1', 'NC105 netra-test-auth-1']);
  });

  it('a scope that could not be read is an error for each of its checks, and fails the run', () => {
    const results = evaluateChecks(facts({ failures: [{ scope: 'container', message: 'Docker engine at unix:///x does not answer' }] }), {}, []);
    expect(results.length).toBeGreaterThan(5);
    expect(results.every((r) => r.status === 'error' && r.evidence[0] === 'Docker engine at unix:///x does not answer')).toBe(true);
    expect(failsAt(results, 'error')).toBe(true);
  });

  it('a threshold of error ignores failed warnings; warning counts them', () => {
    const results = evaluateChecks(facts({ containers: [containerFacts({ startupSeconds: 20, healthcheck: { startPeriodSeconds: 60, intervalSeconds: 10, timeoutSeconds: 5, retries: 3 } })] }), {}, []);
    const slow = results.find((r) => r.code === 'NC106')!;
    expect(slow).toMatchObject({ status: 'fail', severity: 'warning' });
    expect(failsAt(results, 'error')).toBe(false);
    expect(failsAt(results, 'warning')).toBe(true);
  });

  it('summarises and orders failures first', () => {
    const results = evaluateChecks(facts({ containers: [containerFacts({ user: 'root', capDrop: [] })] }), {}, []);
    const summary = summarise(results);
    expect(summary.fail).toBe(2);
    expect(summary.pass + summary.fail + summary.skip + summary.error).toBe(results.length);
    expect(worstFirst(results).slice(0, 2).map((r) => r.status)).toEqual(['fail', 'fail']);
  });
});

describe('doctor text', () => {
  it('prints a failure in full, skips with reasons, passes by target, and names a sandbox', () => {
    const results = evaluateChecks(facts({ containers: [containerFacts({ readOnlyRootfs: true, tmpfs: [] })] }), {}, []);
    const text = doctorText(doctorDocument(results, 'everything', 1.25, { mode: 'sandbox', endpoint: 'in-process sandbox' }));
    expect(text).toMatch(/^FAIL +\w+ +NC108 +netra-test-backend-1: /m);
    expect(text).toContain('    fix:   ');
    expect(text).toContain('    where: /srv/netra/docker-compose.alpine-test.yml:40');
    expect(text).toMatch(/^ {2}pass {2}netra-test-backend-1: NC\d{3}/m);
    expect(text).toMatch(/doctor \(everything\): 1 failed, 0 could not run, \d+ skipped, \d+ passed in 1\.3 s · Cloud Run: SANDBOX\n$/);
  });
});

describe('globs', () => {
  it('match whole names with * as any run', () => {
    expect(globMatches('netra-*', 'netra-test-backend-1')).toBe(true);
    expect(globMatches('*backend*', 'netra-test-backend-1')).toBe(true);
    expect(globMatches('netra-test', 'netra-test-backend-1')).toBe(false);
    expect(globMatches('a.b', 'axb')).toBe(false);
  });
});

describe('the catalogue', () => {
  it('has unique codes in the documented ranges, each with a fix and a guide', () => {
    const entries = catalogueEntries();
    expect(new Set(entries.map((e) => e.code)).size).toBe(entries.length);
    const range: Record<string, string> = { container: '1', service: '2', dockerfile: '3', stack: '4', host: '5', cloudrun: '6' };
    for (const e of entries) {
      expect(e.code, e.code).toMatch(/^NC\d{3}$/);
      expect(e.fix.length, e.code).toBeGreaterThan(10);
      expect(e.guide.length, e.code).toBeGreaterThan(2);
      if (e.code !== 'NC204') expect(e.code[2], `${e.code} ${e.scope}`).toBe(range[e.scope]);
    }
  });

  it('every alert kind names a check that exists, or none', () => {
    for (const [source, kinds] of Object.entries(ALERT_KINDS_BY_SOURCE)) {
      for (const kind of kinds) {
        const alert = { source, kind, level: 'warning', message: '', container: 'c', host: 'h', service: 's' } as unknown as Alert;
        const code = checkForAlert(alert);
        if (code !== null) expect(isKnownCode(code), `${source}/${kind} → ${code}`).toBe(true);
      }
    }
    expect(checkForAlert({ source: 'docker', kind: 'oom-killed', level: 'critical', container: 'c', message: '' })).toBe('NC102');
  });
});
