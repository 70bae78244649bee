import { describe, expect, it } from 'vitest';
import { SERVICE_IMAGE_CHECKS } from '../../src/domain/checks/image-checks';
import type { CheckFinding, ServiceImageFacts } from '../../src/domain/checks/types';

const COMPOSE = { file: '/srv/netra/docker-compose.alpine-test.yml', line: 20 };

function imageFacts(overrides: Partial<ServiceImageFacts> = {}): ServiceImageFacts {
  return {
    stack: 'netra',
    variant: 'alpine',
    service: 'backend',
    image: 'netra-alpine-test-backend:latest',
    present: true,
    sizeBytes: 186_000_000,
    buildable: true,
    composeLocation: COMPOSE,
    ...overrides,
  };
}

function run(code: string, overrides: Partial<ServiceImageFacts> = {}): CheckFinding {
  const check = SERVICE_IMAGE_CHECKS.find((c) => c.code === code);
  if (!check) throw new Error(`no check ${code}`);
  return check.probe(imageFacts(overrides));
}

describe('the service image catalogue', () => {
  it('has NC2xx codes of service scope, and offers a rebuild only for a buildable missing image', () => {
    for (const c of SERVICE_IMAGE_CHECKS) {
      expect(c.code).toMatch(/^NC2\d\d$/);
      expect(c.scope).toBe('service');
      expect(c.command(imageFacts())).toBe('docker image ls netra-alpine-test-backend:latest');
    }
    expect(SERVICE_IMAGE_CHECKS.filter((c) => c.safeFix).map((c) => `${c.code} ${c.safeFix}`)).toEqual(['NC201 open-rebuild']);
  });

  it('fails a missing image exactly once, in the entry that matches whether it can be built', () => {
    const statuses = (overrides: Partial<ServiceImageFacts>) => SERVICE_IMAGE_CHECKS.map((c) => `${c.code} ${c.probe(imageFacts(overrides)).status}`);
    expect(statuses({ present: false, sizeBytes: null })).toEqual(['NC201 fail', 'NC202 skip', 'NC203 skip']);
    expect(statuses({ present: false, sizeBytes: null, buildable: false })).toEqual(['NC201 skip', 'NC202 fail', 'NC203 skip']);
    expect(statuses({})).toEqual(['NC201 pass', 'NC202 pass', 'NC203 pass']);
  });
});

describe('NC201/NC202 missing image', () => {
  it('NC201 tells how to build it and points at the service', () => {
    const finding = run('NC201', { present: false, sizeBytes: null });
    expect(finding.evidence).toEqual([
      'netra-alpine-test-backend:latest is not on the engine (netra alpine service backend): that variant cannot start until it is there',
      'services.backend in /srv/netra/docker-compose.alpine-test.yml:20 has a build section',
    ]);
    expect(finding.fix).toContain('open the rebuild flow for netra (alpine)');
    expect(finding.location).toEqual(COMPOSE);
  });

  it('NC202 names the missing image and that the console never pulls', () => {
    const finding = run('NC202', { image: 'redis:7-alpine', service: 'redis', present: false, sizeBytes: null, buildable: false, composeLocation: null });
    expect(finding.status).toBe('fail');
    expect(finding.evidence[1]).toBe('services.redis has no build section');
    expect(finding.fix).toMatch(/^load redis:7-alpine onto the engine yourself \(`docker load -i IMAGE.tar`/);
    expect(finding.fix).toContain('the console never pulls');
    expect(finding.location).toBeUndefined();
  });

  it('passes a present image with what it saw', () => {
    expect(run('NC201').evidence).toEqual(['netra-alpine-test-backend:latest is on the engine (netra alpine service backend)']);
  });
});

describe('NC203 service image size', () => {
  it.each([
    [186_000_000, 'pass', undefined, '186 MB'],
    [350_000_000, 'fail', 'warning', '350 MB'],
    [847_000_000, 'fail', 'error', '847 MB'],
  ] as const)('%i bytes is %s (%s)', (sizeBytes, status, severity, shown) => {
    const finding = run('NC203', { sizeBytes });
    expect(finding.status).toBe(status);
    expect(finding.severity).toBe(severity);
    expect(finding.evidence).toEqual([`netra-alpine-test-backend:latest is ${shown} (warning over 250 MB, error over 500 MB)`]);
  });

  it('skips a missing image or an unknown size', () => {
    expect(run('NC203', { present: false, sizeBytes: null })).toEqual({ status: 'skip', evidence: ['netra-alpine-test-backend:latest is not on the engine: see NC201/NC202'] });
    expect(run('NC203', { sizeBytes: null }).status).toBe('skip');
  });
});
