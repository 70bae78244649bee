import { describe, expect, it } from 'vitest';
import { HOST_CHECKS } from '../../src/domain/checks/host-checks';
import type { CheckFinding, HostFacts } from '../../src/domain/checks/types';

const GB = 1e9;

function hostFacts(overrides: Partial<HostFacts> = {}): HostFacts {
  return { memTotalBytes: 16 * GB, memAvailableBytes: 8 * GB, diskFreeBytes: 50 * GB, diskPath: '/var/lib/docker', cpus: 4, ...overrides };
}

function run(code: string, overrides: Partial<HostFacts> = {}): CheckFinding {
  const check = HOST_CHECKS.find((c) => c.code === code);
  if (!check) throw new Error(`no check ${code}`);
  return check.probe(hostFacts(overrides));
}

describe('the host catalogue', () => {
  it('has NC5xx codes of host scope, and passes a roomy host with evidence', () => {
    for (const c of HOST_CHECKS) {
      expect(c.code).toMatch(/^NC5\d\d$/);
      expect(c.scope).toBe('host');
      const finding = c.probe(hostFacts());
      expect(finding.status).toBe('pass');
      expect(finding.evidence.length).toBe(1);
    }
  });
});

describe('memory', () => {
  it('NC501 warns at 4 GB of memory or less', () => {
    expect(run('NC501', { memTotalBytes: 4 * GB })).toEqual({ status: 'fail', evidence: ["the engine's host has 4.00 GB of memory (over 4.00 GB recommended)"] });
  });

  it.each([
    [4.5 * GB, 'pass', undefined],
    [3 * GB, 'fail', 'warning'],
    [1 * GB, 'fail', 'error'],
  ] as const)('NC502 with %i bytes available is %s (%s)', (memAvailableBytes, status, severity) => {
    const finding = run('NC502', { memAvailableBytes });
    expect(finding.status).toBe(status);
    expect(finding.severity).toBe(severity);
  });

  it("NC502 names the Alpine stack's total when even it does not fit", () => {
    expect(run('NC502', { memAvailableBytes: 1 * GB }).evidence).toEqual([
      '1.00 GB of memory available (over 4.00 GB recommended)',
      "less than the Alpine stack's limits total (1.28 GB)",
    ]);
  });

  it('NC502 skips when free memory is not readable', () => {
    expect(run('NC502', { memAvailableBytes: null })).toEqual({ status: 'skip', evidence: ['free memory is not readable from here (the engine is remote)'] });
  });
});

describe('disk and CPUs', () => {
  it('NC503 warns under 2 GiB free, and says where', () => {
    const finding = run('NC503', { diskFreeBytes: 1.5 * GB });
    expect(finding).toEqual({ status: 'fail', evidence: ['1.50 GB free at /var/lib/docker (at least 2.15 GB wanted)'] });
    expect(HOST_CHECKS.find((c) => c.code === 'NC503')!.command(hostFacts())).toBe('df -h /var/lib/docker');
  });

  it('NC503 skips when free disk is not readable', () => {
    expect(run('NC503', { diskFreeBytes: null, diskPath: null }).status).toBe('skip');
  });

  it('NC504 warns under the regular stack\'s 2 CPUs', () => {
    expect(run('NC504', { cpus: 1 }).status).toBe('fail');
    expect(run('NC504', { cpus: 2 }).status).toBe('pass');
  });
});
