import { describe, expect, it } from 'vitest';
import { CONTAINER_CHECKS } from '../../src/domain/checks/container-checks';
import type { CheckDefinition, CheckFinding, ContainerFacts } from '../../src/domain/checks/types';
import { COMPOSE, containerFacts, MIB, probe } from './check-fixtures';

function check(code: string): CheckDefinition<ContainerFacts> {
  const found = CONTAINER_CHECKS.find((c) => c.code === code);
  if (!found) throw new Error(`no check ${code}`);
  return found;
}

function run(code: string, overrides: Partial<ContainerFacts> = {}): CheckFinding {
  return check(code).probe(containerFacts(overrides));
}

function expectFail(finding: CheckFinding, severity?: 'warning' | 'error'): void {
  expect(finding.status).toBe('fail');
  expect(finding.evidence.length).toBeGreaterThan(0);
  if (severity) expect(finding.severity).toBe(severity);
}

function expectSkip(finding: CheckFinding, reason: RegExp): void {
  expect(finding.status).toBe('skip');
  expect(finding.evidence.join(' ')).toMatch(reason);
}

describe('the container catalogue', () => {
  it('has unique NC1xx/NC2xx codes, container scope, a guide, a fix and a docker command naming the container or its image', () => {
    const codes = CONTAINER_CHECKS.map((c) => c.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const c of CONTAINER_CHECKS) {
      expect(c.code).toMatch(/^NC[12]\d\d$/);
      expect(c.scope).toBe('container');
      expect(c.guide).toMatch(/^00\d /);
      expect(c.fix.length).toBeGreaterThan(10);
      expect(c.command(containerFacts())).toMatch(/^docker .*netra-alpine-test-backend(-1|:latest)/);
    }
  });

  it('passes a healthy hardened container with evidence, and skips only what does not apply to it', () => {
    const findings = CONTAINER_CHECKS.map((c) => ({ code: c.code, finding: c.probe(containerFacts()) }));
    for (const { finding } of findings) expect(finding.evidence.length).toBeGreaterThan(0);
    const notPassing = findings.filter(({ finding }) => finding.status !== 'pass').map(({ code, finding }) => `${code} ${finding.status}`);
    expect(notPassing).toEqual(['NC204 skip']);
  });

  it('offers a restart only for a failing health check, and a rebuild for musl/glibc', () => {
    const safe = CONTAINER_CHECKS.filter((c) => c.safeFix).map((c) => `${c.code} ${c.safeFix}`);
    expect(safe).toEqual(['NC105 restart-container', 'NC115 open-rebuild']);
  });
});

describe('NC101 restart loop', () => {
  it('fails at three restarts, quoting the last log lines', () => {
    const finding = run('NC101', { restarts: 3, exitCode: 1, logTail: ['a', 'b', 'ImportError: no module named x', 'exiting'] });
    expectFail(finding);
    expect(finding.evidence).toEqual(['state running, restarted 3 times, last exit code 1', 'log: b', 'log: ImportError: no module named x', 'log: exiting']);
  });

  it('fails while the engine says restarting, even before three restarts', () => {
    expectFail(run('NC101', { state: 'restarting', restarts: 1 }));
  });

  it('passes two restarts with what it saw', () => {
    expect(run('NC101', { restarts: 2 })).toEqual({ status: 'pass', evidence: ['state running, restarted 2 times, last exit code 0'] });
  });
});

describe('NC102 OOM-killed', () => {
  it('fails on State.OOMKilled with a raised limit at the compose line', () => {
    const finding = run('NC102', { state: 'exited', oomKilled: true, exitCode: 137 });
    expectFail(finding, 'error');
    expect(finding.evidence).toEqual(['State.OOMKilled is true', 'memory limit 512 MiB']);
    expect(finding.fix).toContain('`deploy.resources.limits.memory: 768M` under services.backend in /srv/netra/docker-compose.alpine-test.yml:12');
    expect(finding.location).toEqual(COMPOSE);
  });

  it('fails on oom events from the engine', () => {
    const finding = run('NC102', { oomEvents: 2 });
    expectFail(finding, 'error');
    expect(finding.evidence[0]).toBe('the engine reported 2 oom event(s)');
  });

  it('grades exit code 137 alone as a warning and says it may be a plain kill', () => {
    const finding = run('NC102', { state: 'exited', exitCode: 137 });
    expectFail(finding, 'warning');
    expect(finding.evidence[0]).toContain('docker kill');
  });

  it('asks for a limit when a container without one was OOM-killed', () => {
    const finding = run('NC102', { oomKilled: true, memoryLimitBytes: 0 });
    expect(finding.evidence).toContain('no memory limit');
    expect(finding.fix).toContain('set a memory limit');
  });

  it('passes otherwise', () => {
    expect(run('NC102')).toEqual({ status: 'pass', evidence: ['State.OOMKilled false, no oom events, last exit code 0'] });
  });
});

describe('NC103 memory limit', () => {
  it('fails without a limit, naming the compose file and line', () => {
    const finding = run('NC103', { memoryLimitBytes: 0 });
    expectFail(finding);
    expect(finding.evidence[0]).toContain('HostConfig.Memory is 0');
    expect(finding.fix).toMatch(/^add `deploy.resources.limits.memory: <limit>` under services.backend in \/srv\/netra\/docker-compose.alpine-test.yml:12/);
    expect(finding.location).toEqual(COMPOSE);
  });

  it('names the docker run flag for a container not started by compose', () => {
    const finding = run('NC103', { memoryLimitBytes: 0, service: null, composeLocation: null });
    expect(finding.fix).toContain('`--memory <limit>` on its docker run');
    expect(finding.location).toBeUndefined();
  });

  it('passes with the limit it saw', () => {
    expect(run('NC103').evidence).toEqual(['memory limit 512 MiB']);
  });
});

describe('NC104 memory use against its limit', () => {
  it.each([
    [79, 'pass', undefined],
    [80, 'fail', 'warning'],
    [90, 'fail', 'error'],
    [95, 'fail', 'error'],
  ] as const)('at %i %% it is %s (%s)', (percent, status, severity) => {
    const finding = run('NC104', { memoryLimitBytes: 100 * MIB, memUsageBytes: percent * MIB });
    expect(finding.status).toBe(status);
    expect(finding.severity).toBe(severity);
    expect(finding.evidence[0]).toBe(`uses ${percent} MiB of its 100 MiB limit (${percent}.0%)`);
  });

  it('names the threshold it crossed and where to raise the limit', () => {
    const finding = run('NC104', { memUsageBytes: 470 * MIB });
    expect(finding.evidence[1]).toBe('at or over the 90% high threshold');
    expect(finding.location).toEqual(COMPOSE);
    expect(finding.fix).toContain('768M');
  });

  it.each<[Partial<ContainerFacts>, RegExp]>([
    [{ state: 'exited', memUsageBytes: null }, /not running \(state exited\)/],
    [{ memoryLimitBytes: 0 }, /no memory limit/],
    [{ memUsageBytes: null }, /no stats sample/],
  ])('skips with a reason: %j', (overrides, reason) => {
    expectSkip(run('NC104', overrides), reason);
  });
});

describe('NC105 health check failing', () => {
  const failing = [probe(0, 'ok', 't1'), probe(1, 'curl: (7) Failed\nto connect', 't2'), probe(1, '', 't3'), probe(1, 'HTTP 503', 't4'), probe(1, 'HTTP 500', 't5')];

  it('fails an unhealthy container with its last three failing outputs, one line each', () => {
    const finding = run('NC105', { health: 'unhealthy', failingStreak: 4, healthLog: failing });
    expectFail(finding, 'error');
    expect(finding.evidence).toEqual([
      'health unhealthy, 4 failed probe(s) in a row',
      'probe at t3 exit 1: (no output)',
      'probe at t4 exit 1: HTTP 503',
      'probe at t5 exit 1: HTTP 500',
    ]);
  });

  it('warns on a failing streak the engine does not yet call unhealthy', () => {
    const finding = run('NC105', { failingStreak: 1, healthLog: failing.slice(0, 2) });
    expectFail(finding, 'warning');
    expect(finding.evidence[1]).toBe('probe at t2 exit 1: curl: (7) Failed to connect');
  });

  it('says so when the engine kept no failing output', () => {
    expect(run('NC105', { health: 'unhealthy', failingStreak: 3, healthLog: [] }).evidence[1]).toBe('the engine kept no failing probe output');
  });

  it.each<[Partial<ContainerFacts>, RegExp]>([
    [{ health: 'none', healthcheck: null }, /no health check/],
    [{ state: 'exited', health: 'unhealthy' }, /not running/],
    [{ health: 'starting', healthLog: [] }, /still starting/],
  ])('skips with a reason: %j', (overrides, reason) => {
    expectSkip(run('NC105', overrides), reason);
  });

  it('passes a healthy container', () => {
    expect(run('NC105')).toEqual({ status: 'pass', evidence: ['health healthy, 0 failed probe(s) in a row'] });
  });
});

describe('NC106 slow start-up', () => {
  it('warns over 15 s', () => {
    const finding = run('NC106', { startupSeconds: 15.5 });
    expectFail(finding);
    expect(finding.evidence[0]).toBe('healthy 15.5 s after start (warning over 15 s)');
  });

  it('passes at 15 s', () => {
    expect(run('NC106', { startupSeconds: 15 }).status).toBe('pass');
  });

  it('skips when start-up was not observed', () => {
    expectSkip(run('NC106', { startupSeconds: null }), /not observed/);
  });
});

describe('NC107 health start_period', () => {
  it('fails when start_period is shorter than the observed start-up, asking for half as much again', () => {
    const finding = run('NC107', { startupSeconds: 20, healthcheck: { startPeriodSeconds: 10, intervalSeconds: 5, timeoutSeconds: 3, retries: 3 } });
    expectFail(finding);
    expect(finding.evidence).toEqual(['start_period 10 s, healthy 20 s after start']);
    expect(finding.fix).toBe('set `healthcheck.start_period: 30s` under services.backend in /srv/netra/docker-compose.alpine-test.yml:12');
    expect(finding.location).toEqual(COMPOSE);
  });

  it('passes when start_period covers it', () => {
    expect(run('NC107').evidence).toEqual(['start_period 30 s, healthy 6 s after start']);
  });

  it('skips without a health check or an observed start-up', () => {
    expectSkip(run('NC107', { healthcheck: null }), /no health check/);
    expectSkip(run('NC107', { startupSeconds: null }), /not observed/);
  });
});

describe('NC108 tmpfs for /tmp', () => {
  it('fails a read-only root filesystem without a tmpfs on /tmp, naming the compose file and line', () => {
    const finding = run('NC108', { tmpfs: ['/run'] });
    expectFail(finding);
    expect(finding.evidence).toEqual(['read-only root filesystem, tmpfs on /run: /tmp is not writable']);
    expect(finding.fix).toBe('add `tmpfs: [/tmp]` under services.backend in /srv/netra/docker-compose.alpine-test.yml:12');
    expect(finding.location).toEqual(COMPOSE);
  });

  it('says "its compose file" when the line is not known', () => {
    expect(run('NC108', { tmpfs: [], composeLocation: null }).fix).toBe('add `tmpfs: [/tmp]` under services.backend in its compose file');
  });

  it('accepts /tmp/ as /tmp', () => {
    expect(run('NC108', { tmpfs: ['/tmp/'] }).status).toBe('pass');
  });

  it('skips a writable root filesystem', () => {
    expectSkip(run('NC108', { readOnlyRootfs: false, tmpfs: [] }), /writable/);
  });
});

describe('the security checklist', () => {
  it.each(['', 'root', '0', '0:0', 'root:root'])('NC109 fails user %j as root', (user) => {
    const finding = run('NC109', { user });
    expectFail(finding);
    expect(finding.evidence[0]).toMatch(/runs as root$/);
    expect(finding.fix).toContain('`user: "1000:1000"` under services.backend');
  });

  it('NC109 passes a named or numeric user', () => {
    expect(run('NC109').evidence).toEqual(['runs as user netra']);
    expect(run('NC109', { user: '1000:1000' }).status).toBe('pass');
  });

  it('NC110 fails unless ALL capabilities are dropped', () => {
    expect(run('NC110', { capDrop: [] }).evidence).toEqual(['HostConfig.CapDrop is empty: keeps the default capabilities']);
    expect(run('NC110', { capDrop: ['NET_RAW'] }).evidence).toEqual(['drops only NET_RAW']);
    expect(run('NC110', { capDrop: [] }).fix).toContain('`cap_drop: [ALL]` under services.backend');
    expect(run('NC110', { capDrop: ['all'] }).status).toBe('pass');
  });

  it('NC111 fails a writable root filesystem', () => {
    const finding = run('NC111', { readOnlyRootfs: false });
    expectFail(finding);
    expect(finding.fix).toContain('`read_only: true` under services.backend');
    expect(run('NC111').evidence).toEqual(['HostConfig.ReadonlyRootfs is true']);
  });

  it.each([['no-new-privileges'], ['no-new-privileges:true'], ['no-new-privileges=true']])('NC112 accepts %s', (option) => {
    expect(run('NC112', { securityOpt: ['seccomp=unconfined', option] })).toEqual({ status: 'pass', evidence: [`security_opt ${option}`] });
  });

  it('NC112 fails without no-new-privileges, or with it set false', () => {
    expect(run('NC112', { securityOpt: [] }).evidence).toEqual(['HostConfig.SecurityOpt is empty']);
    expectFail(run('NC112', { securityOpt: ['no-new-privileges:false'] }));
  });

  it.each([['/sbin/tini'], ['tini-static'], ['/usr/bin/dumb-init'], ['/sbin/docker-init']])('NC113 passes %s as PID 1', (pid1) => {
    expect(run('NC113', { command: [pid1, '--', 'node'] })).toEqual({ status: 'pass', evidence: [`PID 1 is ${pid1}`] });
  });

  it("NC113 passes docker's own init, fails a bare program, skips an unknown command", () => {
    expect(run('NC113', { dockerInit: true, command: ['uvicorn'] }).status).toBe('pass');
    const finding = run('NC113', { command: ['uvicorn', 'main:app'] });
    expectFail(finding);
    expect(finding.evidence[0]).toMatch(/^PID 1 is uvicorn/);
    expect(finding.fix).toContain('`init: true` under services.backend');
    expectSkip(run('NC113', { command: [] }), /no command/);
  });
});

describe('NC114 Alpine stack runs an Alpine image', () => {
  it('fails a regular image in the Alpine stack', () => {
    const finding = run('NC114', { image: 'netra-test-backend:latest', imageVariant: 'regular' });
    expectFail(finding);
    expect(finding.evidence[0]).toBe('container of the Alpine stack netra runs netra-test-backend:latest, which is a regular (glibc) image');
  });

  it('fails an image it cannot tell is Alpine, saying so', () => {
    expect(run('NC114', { imageVariant: '?' }).evidence[0]).toContain('not recognisably Alpine');
  });

  it('skips a container of no stack, and the regular stack', () => {
    expectSkip(run('NC114', { stack: null, stackVariant: null }), /not a container of a configured stack/);
    expectSkip(run('NC114', { stackVariant: 'regular', imageVariant: 'alpine' }), /regular stack/);
  });
});

describe('NC115 musl/glibc incompatibility', () => {
  const musl = [
    'Error loading shared library libstdc++.so.6: No such file or directory (needed by /app/native/ext)',
    'Error relocating /app/native/ext: __fprintf_chk: symbol not found',
    'INFO unrelated',
    'ImportError: libc.so.6: cannot open shared object file',
    'Error relocating /app/native/ext: __snprintf_chk: symbol not found',
  ];

  it('fails quoting the last three matching lines and counting the others', () => {
    const finding = run('NC115', { logTail: musl });
    expectFail(finding);
    expect(finding.evidence).toEqual([
      '1 earlier matching line(s) not quoted',
      'log: Error relocating /app/native/ext: __fprintf_chk: symbol not found',
      'log: ImportError: libc.so.6: cannot open shared object file',
      'log: Error relocating /app/native/ext: __snprintf_chk: symbol not found',
    ]);
  });

  it('says the cause may be another on an image that is not Alpine', () => {
    expect(run('NC115', { imageVariant: 'regular', logTail: musl.slice(0, 1) }).evidence.at(-1)).toContain('does not look Alpine');
  });

  it('quotes log lines printably', () => {
    const [line] = run('NC115', { logTail: ['\u001b[31mError relocating x: y: symbol not found\u001b[0m'] }).evidence;
    expect(line).not.toContain('\u001b');
    expect(line).toContain('␛[31mError relocating');
  });

  it('passes clean logs and skips when none were read', () => {
    expect(run('NC115').evidence).toEqual(['none of its last 1 log lines mention a missing shared library or symbol']);
    expectSkip(run('NC115', { logTail: [] }), /no log lines/);
  });
});

describe('NC204 container image size', () => {
  const loose = { stack: null, stackVariant: null } as const;

  it.each([
    [250_000_000, 'pass', undefined],
    [250_000_001, 'fail', 'warning'],
    [500_000_001, 'fail', 'error'],
  ] as const)('%i bytes is %s (%s)', (imageSizeBytes, status, severity) => {
    const finding = run('NC204', { ...loose, imageSizeBytes });
    expect(finding.status).toBe(status);
    expect(finding.severity).toBe(severity);
    expect(finding.evidence[0]).toMatch(/^netra-alpine-test-backend:latest is \d+ MB \(warning over 250 MB, error over 500 MB\)$/);
  });

  it("leaves a configured stack's images to NC203, and skips an unknown size", () => {
    expectSkip(run('NC204', { imageSizeBytes: 900_000_000 }), /checked by NC203/);
    expectSkip(run('NC204', { ...loose, imageSizeBytes: null }), /not read/);
  });
});
