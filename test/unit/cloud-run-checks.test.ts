// NC6xx: a Cloud Run service after a deploy (guide 000): newest revision, Ready, error rate against the 1 % alert.
import { describe, expect, it } from 'vitest';
import { CLOUD_RUN_CHECKS } from '../../src/domain/checks/cloud-run-checks';
import type { CloudRunFacts } from '../../src/domain/checks/types';

const byCode = (code: string) => CLOUD_RUN_CHECKS.find((c) => c.code === code)!;
const newestRevision = byCode('NC601');
const serviceReady = byCode('NC602');
const errorRate = byCode('NC603');

/** As Cloud Run words a revision whose container never listened (message lines as the API returns them). */
const FAILED_MESSAGE = [
  'The user-provided container failed to start and listen on the port defined provided by the PORT=8080 environment variable within the allocated timeout.',
  '',
  'Logs URL: https://console.cloud.google.com/logs/viewer?project=netra-staging&resource=cloud_run_revision',
  'For more troubleshooting guidance, see https://cloud.google.com/run/docs/troubleshooting#container-failed-to-start',
].join('\n');

function facts(overrides: Partial<CloudRunFacts> = {}): CloudRunFacts {
  return {
    service: 'netra-backend-staging',
    ready: true,
    reconciling: false,
    readyMessage: null,
    latestRevision: { name: 'netra-backend-staging-00042-abc', state: 'ready', message: null },
    errorRate: { errors: 0, total: 1200, windowSeconds: 300 },
    ...overrides,
  };
}

describe('catalogue', () => {
  it('three cloudrun-scope NC6xx checks; only the failed revision offers the rollback flow', () => {
    expect(CLOUD_RUN_CHECKS.map((c) => [c.code, c.scope, c.safeFix ?? null])).toEqual([
      ['NC601', 'cloudrun', 'open-rollback'],
      ['NC602', 'cloudrun', null],
      ['NC603', 'cloudrun', null],
    ]);
    expect(errorRate.guide).toContain('Error Rate > 1%: Critical');
  });
});

describe('NC601 newest revision', () => {
  it('fails with the revision name and its message lines (the blank line dropped)', () => {
    const failed = facts({ latestRevision: { name: 'netra-backend-staging-00043-xyz', state: 'failed', message: FAILED_MESSAGE } });
    const finding = newestRevision.probe(failed);
    expect(finding.status).toBe('fail');
    expect(finding.evidence).toEqual([
      'newest revision netra-backend-staging-00043-xyz failed',
      ...FAILED_MESSAGE.split('\n').filter(Boolean),
    ]);
    expect(newestRevision.command(failed)).toBe('gcloud run revisions describe netra-backend-staging-00043-xyz');
  });

  it('a failed revision without a message still fails, and says Cloud Run gave none', () => {
    const finding = newestRevision.probe(facts({ latestRevision: { name: 'r-1', state: 'failed', message: null } }));
    expect(finding).toEqual({ status: 'fail', evidence: ['newest revision r-1 failed', 'Cloud Run gave no message'] });
  });

  it('passes a ready revision; skips a pending one and a service with no revision read', () => {
    expect(newestRevision.probe(facts())).toEqual({ status: 'pass', evidence: ['newest revision netra-backend-staging-00042-abc is ready'] });
    const pending = newestRevision.probe(facts({ latestRevision: { name: 'r-2', state: 'pending', message: null } }));
    expect(pending.status).toBe('skip');
    expect(pending.evidence[0]).toContain('still being created');
    const none = facts({ latestRevision: null });
    expect(newestRevision.probe(none)).toEqual({ status: 'skip', evidence: ['no revision of netra-backend-staging was read'] });
    expect(newestRevision.command(none)).toBe('gcloud run revisions list --service netra-backend-staging');
  });
});

describe('NC602 service Ready', () => {
  it('skips while reconciling: rolling out, Ready is not final', () => {
    const finding = serviceReady.probe(facts({ ready: false, reconciling: true, readyMessage: 'Deploying revision.' }));
    expect(finding.status).toBe('skip');
    expect(finding.evidence[0]).toMatch(/^rolling out: /);
  });

  it("fails when not Ready, quoting the condition's message", () => {
    const finding = serviceReady.probe(facts({ ready: false, readyMessage: 'Revision netra-backend-staging-00043-xyz is not ready and cannot serve traffic.' }));
    expect(finding).toEqual({
      status: 'fail',
      evidence: ['netra-backend-staging is not Ready', 'Revision netra-backend-staging-00043-xyz is not ready and cannot serve traffic.'],
    });
    expect(serviceReady.command(facts())).toBe('gcloud run services describe netra-backend-staging');
  });

  it('passes when Ready; a message with control characters is made printable', () => {
    expect(serviceReady.probe(facts())).toEqual({ status: 'pass', evidence: ['netra-backend-staging is Ready'] });
    const finding = serviceReady.probe(facts({ ready: false, readyMessage: 'bad \u001b]0;title\u0007' }));
    expect(finding.evidence[1]).toBe('bad \u241b]0;title\u2407');
  });
});

describe('NC603 error rate (000 Alert Thresholds: Error Rate > 1%: Critical)', () => {
  const rate = (errors: number, total: number, windowSeconds = 300) => errorRate.probe(facts({ errorRate: { errors, total, windowSeconds } }));

  it('fails over 1 %, with errors/total and the window', () => {
    expect(rate(25, 1200)).toEqual({
      status: 'fail',
      evidence: ['25 of 1200 log entries in the last 5 min were ERROR or worse (2.08 %): over the 1 % critical threshold'],
    });
  });

  it('exactly 1 % is not over it; just above it is, even when the printed figure rounds down to 1.00', () => {
    expect(rate(12, 1200).status).toBe('pass');
    const above = rate(1001, 100_000);
    expect(above.status).toBe('fail');
    expect(above.evidence[0]).toContain('1001 of 100000 log entries in the last 5 min were ERROR or worse (1.00 %)');
  });

  it('passes under 1 %, saying when it is still above the 0.1 % target', () => {
    expect(rate(6, 1200, 90).evidence).toEqual([
      '6 of 1200 log entries in the last 90 s were ERROR or worse (0.50 %): under the 1 % critical threshold, but over the 0.1 % target',
    ]);
    expect(rate(0, 1200).evidence).toEqual(['0 of 1200 log entries in the last 5 min were ERROR or worse (0.00 %): under the 1 % critical threshold']);
  });

  it('skips without logs or without entries, never passing an unread rate', () => {
    expect(errorRate.probe(facts({ errorRate: null }))).toEqual({
      status: 'skip',
      evidence: ['the logs of netra-backend-staging were not read: no error rate to judge'],
    });
    expect(rate(0, 0)).toEqual({ status: 'skip', evidence: ['netra-backend-staging wrote no log entries in the last 5 min: no error rate to judge'] });
  });

  it('the command reads the service ERROR entries over the same window', () => {
    expect(errorRate.command(facts())).toBe(
      `gcloud logging read 'resource.type="cloud_run_revision" AND resource.labels.service_name="netra-backend-staging" AND severity>=ERROR' --freshness=300s`,
    );
    expect(errorRate.command(facts({ errorRate: null }))).not.toContain('--freshness');
  });
});
