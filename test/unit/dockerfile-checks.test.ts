// The NC3xx Dockerfile checks against the repo's own Dockerfiles (written to follow guide 002: they must never
// fail) and against test/fixtures/dockerfiles/ (each breaks exactly one rule).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DOCKERFILE_CHECKS } from '../../src/domain/checks/dockerfile-checks';
import { parseDockerfile, parseInstructions } from '../../src/domain/checks/dockerfile-parse';
import type { CheckFinding, DockerfileFacts } from '../../src/domain/checks/types';
import { printable } from '../../src/domain/printable';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const FIXTURES = join(ROOT, 'test/fixtures/dockerfiles');

function probeAll(facts: DockerfileFacts): Record<string, CheckFinding> {
  return Object.fromEntries(DOCKERFILE_CHECKS.map((check) => [check.code, check.probe(facts)]));
}

function statuses(findings: Record<string, CheckFinding>): Record<string, string> {
  return Object.fromEntries(Object.entries(findings).map(([code, finding]) => [code, finding.status]));
}

function textFacts(text: string, path = '/repo/Dockerfile'): DockerfileFacts {
  return { path, text, dockerignore: true, usedBy: ['test/backend'] };
}

interface ComposeBuild {
  context?: string;
  dockerfile?: string;
}

/** Facts as doctor gathers them: every Dockerfile the repo's compose files build, its context's .dockerignore. */
function repoDockerfiles(): DockerfileFacts[] {
  const byPath = new Map<string, DockerfileFacts>();
  for (const file of readdirSync(ROOT).filter((name) => /^docker-compose.*\.yml$/.test(name))) {
    const services = (parse(readFileSync(join(ROOT, file), 'utf8')) as { services: Record<string, { build?: ComposeBuild }> }).services;
    for (const [service, { build }] of Object.entries(services)) {
      if (!build?.context) continue;
      const context = resolve(ROOT, build.context);
      const path = resolve(context, build.dockerfile ?? 'Dockerfile');
      const facts = byPath.get(path) ?? {
        path,
        text: readFileSync(path, 'utf8'),
        dockerignore: existsSync(join(context, '.dockerignore')),
        usedBy: [],
      };
      facts.usedBy.push(`${file}/${service}`);
      byPath.set(path, facts);
    }
  }
  return [...byPath.values()];
}

describe('the repo docker/ Dockerfiles (guide 002 followed)', () => {
  const dockerfiles = repoDockerfiles();

  it('are all 16 built by some compose file, each with the .dockerignore of its context', () => {
    const onDisk = readdirSync(join(ROOT, 'docker')).filter((name) => name.endsWith('.Dockerfile'));
    expect(onDisk).toHaveLength(16);
    expect(dockerfiles.map((facts) => facts.path).sort()).toEqual(onDisk.map((name) => join(ROOT, 'docker', name)).sort());
    expect(dockerfiles.every((facts) => facts.dockerignore)).toBe(true);
  });

  // Postgres and Redis install nothing (no builder stage to have, no install to cache or order); the one-shot
  // migration turns its health check off on purpose. Those are skips, said why; everything else passes.
  const expectedSkips = (name: string): string[] => {
    if (name === 'postgres.Dockerfile' || name === 'redis.Dockerfile') return ['NC301', 'NC302', 'NC303'];
    if (name.startsWith('migration.')) return ['NC308'];
    return [];
  };

  it.each(dockerfiles.map((facts) => [facts.path.split('/').at(-1)!, facts] as const))('%s passes every check', (name, facts) => {
    const findings = probeAll(facts);
    const expected = Object.fromEntries(DOCKERFILE_CHECKS.map(({ code }) => [code, expectedSkips(name).includes(code) ? 'skip' : 'pass']));
    expect(statuses(findings)).toEqual(expected);
    for (const finding of Object.values(findings)) {
      expect(finding.evidence.length).toBeGreaterThan(0);
      for (const line of finding.evidence) expect(line).toBe(printable(line));
    }
  });

  it('quotes the lines it judged: the stages, the cache mount, the manifest copy, tini and the user', () => {
    const facts = dockerfiles.find((f) => f.path.endsWith('/docker/backend.alpine.Dockerfile'))!;
    const lines = facts.text.split('\n');
    /** The 1-based line of the last line starting with `start` (the files are someone else's: no fixed numbers). */
    const lineOf = (start: string) => lines.findLastIndex((line) => line.startsWith(start)) + 1;
    const findings = probeAll(facts);
    expect(findings.NC301!.evidence[0]).toMatch(new RegExp(`^6 stages: line ${lineOf('FROM ${BASE_IMAGE} AS builder')}: FROM \\$\\{BASE_IMAGE\\} AS builder; `));
    // The RUN joined from its continuation lines, cut at 160 characters.
    expect(findings.NC302!.evidence).toHaveLength(1);
    expect(findings.NC302!.evidence[0]).toMatch(
      new RegExp(`^line ${lineOf('RUN --mount=type=cache')}: RUN --mount=type=cache,target=/root/\\.cache/pip,id=netra-pip-musl set -eu; mkdir .{60,}… \\(cache mount\\)$`),
    );
    const manifest = 'COPY app/backend/requirements.txt ./requirements.txt';
    expect(findings.NC303!.evidence).toEqual([`line ${lineOf(manifest)}: ${manifest} (manifest only) before the install at line ${lineOf('RUN --mount')}`]);
    expect(findings.NC304!.evidence).toEqual([`line ${lineOf('ENTRYPOINT')}: ENTRYPOINT ["/sbin/tini", "--"]: /sbin/tini is PID 1`]);
    expect(findings.NC305!.evidence).toEqual([`line ${lineOf('USER')}: USER netra: runs as netra`]);
    expect(findings.NC306!.evidence).toEqual(['the build context has a .dockerignore (built for docker-compose.alpine-test.yml/backend)']);
  });

  it('skips with the reason where a check does not apply', () => {
    const postgres = probeAll(dockerfiles.find((f) => f.path.endsWith('/docker/postgres.Dockerfile'))!);
    expect(postgres.NC301!.evidence[0]).toMatch(/^one stage \(line \d+: FROM \$\{BASE_IMAGE\} AS runtime\) and no step installs dependencies/);
    expect(postgres.NC302!.evidence).toEqual(['no RUN step installs dependencies']);
    const migration = probeAll(dockerfiles.find((f) => f.path.endsWith('/docker/migration.Dockerfile'))!);
    expect(migration.NC308!.evidence[0]).toMatch(/^line \d+: HEALTHCHECK NONE: health checking is turned off on purpose/);
  });
});

/** Each fixture, the check it fails, the line, and what the fix must say. */
const BAD: Array<{ file: string; code: string; line: number; evidence: RegExp; fix?: RegExp }> = [
  { file: 'single-stage.Dockerfile', code: 'NC301', line: 4, evidence: /^one stage: line 4: FROM \$\{BASE_IMAGE\}$/ },
  {
    file: 'no-cache-mount.Dockerfile',
    code: 'NC302',
    line: 9,
    evidence: /^line 9: RUN pip install --no-cache-dir --prefix=\/install -r requirements\.txt: no --mount=type=cache/,
    fix: /line 9 with --mount=type=cache,target=\/root\/\.cache\/pip/,
  },
  {
    file: 'copy-all-before-install.Dockerfile',
    code: 'NC303',
    line: 7,
    evidence: /^line 7: COPY \. \. comes before the install at line 8/,
    fix: /^move "COPY \. \." \(line 7\) below the install at line 8, and before the install COPY only requirements\.txt$/,
  },
  { file: 'no-entrypoint.Dockerfile', code: 'NC304', line: 11, evidence: /^no ENTRYPOINT in the final stage 'runtime'/ },
  {
    file: 'shell-form-entrypoint.Dockerfile',
    code: 'NC304',
    line: 16,
    evidence: /^line 16: ENTRYPOINT \/sbin\/tini -- node dist\/server\.js: shell form, so \/bin\/sh -c is PID 1/,
    fix: /^write line 16 in exec form: ENTRYPOINT \["\/sbin\/tini", "--", "node", "dist\/server\.js"\]$/,
  },
  { file: 'no-user-in-final-stage.Dockerfile', code: 'NC305', line: 12, evidence: /^no USER in the final stage 'runtime'/ },
  { file: 'root-user.Dockerfile', code: 'NC305', line: 17, evidence: /^line 17: USER root: the container runs as root$/ },
  {
    file: 'build-tools-in-final-stage.Dockerfile',
    code: 'NC307',
    line: 11,
    evidence: /^line 11: RUN apk add --no-cache tini libpq gcc musl-dev postgresql-dev && adduser -D -u 1000 netra: gcc, musl-dev, postgresql-dev stay in the final image$/,
    fix: /^move the install of gcc, musl-dev, postgresql-dev \(line 11\) into a builder stage/,
  },
  { file: 'no-healthcheck.Dockerfile', code: 'NC308', line: 10, evidence: /^no HEALTHCHECK in the final stage 'runtime'/ },
];

describe('bad Dockerfiles (test/fixtures/dockerfiles): one failure each', () => {
  it('every fixture is covered', () => {
    const fixtures = readdirSync(FIXTURES).filter((name) => name.endsWith('.Dockerfile'));
    expect(fixtures.sort()).toEqual(BAD.map((bad) => bad.file).sort());
  });

  it.each(BAD)('$file fails $code at line $line, and only that', ({ file, code, line, evidence, fix }) => {
    const path = join(FIXTURES, file);
    const text = readFileSync(path, 'utf8');
    const findings = probeAll({ path, text, dockerignore: true, usedBy: [] });
    expect(Object.entries(statuses(findings)).filter(([, status]) => status === 'fail')).toEqual([[code, 'fail']]);
    const finding = findings[code]!;
    expect(finding.location).toEqual({ file: path, line });
    expect(finding.evidence.some((e) => evidence.test(e))).toBe(true);
    // The header comment of each fixture names the check and the line, so a moved line cannot go unnoticed.
    expect(text.split('\n')[0]).toContain(`Fails ${code} at line ${line}`);
    if (fix) expect(finding.fix).toMatch(fix);
  });

  it('a build context without .dockerignore fails NC306, naming the services built from it', () => {
    const path = join(FIXTURES, 'no-healthcheck.Dockerfile');
    const finding = DOCKERFILE_CHECKS.find((c) => c.code === 'NC306')!.probe({
      path,
      text: readFileSync(path, 'utf8'),
      dockerignore: false,
      usedBy: ['test/backend', 'staging/backend'],
    });
    expect(finding.status).toBe('fail');
    expect(finding.location).toEqual({ file: path, line: null });
    expect(finding.evidence[0]).toMatch(/^no \.dockerignore in the build context \(built for test\/backend, staging\/backend\)/);
  });
});

describe('Dockerfile checks on edge cases', () => {
  const probe = (code: string, text: string) => DOCKERFILE_CHECKS.find((c) => c.code === code)!.probe(textFacts(text));

  it('a file with no FROM is an error for every check that reads stages, never a pass', () => {
    const findings = probeAll(textFacts('# nothing here\nRUN echo hi\n'));
    for (const [code, finding] of Object.entries(findings)) {
      expect(finding.status, code).toBe(code === 'NC306' ? 'pass' : 'error');
    }
    expect(findings.NC301!.evidence).toEqual(['no FROM instruction in /repo/Dockerfile: docker cannot build it']);
  });

  it('the final stage inherits USER and ENTRYPOINT from the in-file stage it is built FROM (ARG defaults resolved)', () => {
    const text = [
      'ARG FLAVOUR=slim',
      'FROM python:3.11-slim AS base-slim',
      'USER 1000:1000',
      'ENTRYPOINT ["tini", "--"]',
      'FROM base-${FLAVOUR} AS final',
      'CMD ["python"]',
    ].join('\n');
    expect(probe('NC305', text)).toEqual({ status: 'pass', evidence: ['line 3: USER 1000:1000: runs as 1000'] });
    expect(probe('NC304', text).status).toBe('pass');
  });

  it('an ENTRYPOINT that is not an init, and USER 0, fail', () => {
    const text = 'FROM python:3.11-slim\nUSER 0:0\nENTRYPOINT ["python", "-m", "app"]\n';
    expect(probe('NC304', text)).toMatchObject({ status: 'fail', location: { line: 3 } });
    expect(probe('NC304', text).evidence[0]).toContain('PID 1 is python, not an init');
    expect(probe('NC305', text)).toMatchObject({ status: 'fail', location: { line: 2 } });
    const shell = probe('NC304', 'FROM python:3.11-slim\nENTRYPOINT python -m app\n');
    expect(shell.fix).toMatch(/^write line 2 in exec form: ENTRYPOINT \["tini", "--", "python", "-m", "app"\] \(install tini /);
  });

  it('build tools removed in the same RUN (apk --virtual … && apk del) do not stay', () => {
    const text = [
      'FROM python:3.11-alpine3.19',
      'RUN apk add --no-cache --virtual .build-deps gcc musl-dev \\',
      ' && pip install --no-cache-dir uvloop \\',
      ' && apk del .build-deps',
    ].join('\n');
    expect(probe('NC307', text).status).toBe('pass');
    const kept = 'FROM debian:12-slim\nRUN DEBIAN_FRONTEND=noninteractive apt-get -y install --no-install-recommends build-essential=12.9 curl\n';
    expect(probe('NC307', kept).evidence[0]).toMatch(/: build-essential stay in the final image$/);
  });

  it('package*.json and poetry.lock* globs count as manifests; COPY --from does not count as code', () => {
    const node = 'FROM node:20 AS b\nCOPY package*.json ./\nRUN --mount=type=cache,target=/root/.npm npm ci\nCOPY . .\n';
    expect(probe('NC303', node).status).toBe('pass');
    const poetry =
      'FROM python:3.11 AS b\nCOPY --from=tools /bin/poetry /bin/\nCOPY pyproject.toml poetry.lock* ./\nRUN poetry install --no-root\n';
    expect(probe('NC303', poetry)).toEqual({
      status: 'pass',
      evidence: ['line 3: COPY pyproject.toml poetry.lock* ./ (manifest only) before the install at line 4'],
    });
  });

  it('a single stage that installs nothing skips NC301 with why', () => {
    const finding = probe('NC301', 'FROM redis:7\nUSER redis\n');
    expect(finding.status).toBe('skip');
    expect(finding.evidence[0]).toContain('no step installs dependencies or build tools');
  });

  it('every check has a command naming the file', () => {
    const facts = textFacts('FROM scratch\n', '/repo/my dir/Dockerfile');
    for (const check of DOCKERFILE_CHECKS.filter((c) => c.code !== 'NC306')) {
      expect(check.command(facts)).toMatch(/^grep -n -i -E '\^\\s\*\([A-Z|]+\)\\b' '\/repo\/my dir\/Dockerfile'$/);
    }
    expect(new Set(DOCKERFILE_CHECKS.map((c) => c.code)).size).toBe(DOCKERFILE_CHECKS.length);
    expect(DOCKERFILE_CHECKS.every((c) => /^NC3\d\d$/.test(c.code) && c.scope === 'dockerfile')).toBe(true);
  });
});

describe('parseInstructions / parseDockerfile', () => {
  it('joins continuations, drops comments (also inside a continuation), upper-cases keywords, keeps 1-based lines', () => {
    const text = [
      '# syntax=docker/dockerfile:1', // 1
      '', // 2
      'from alpine:3.19 as Build', // 3
      'run apk add \\', // 4
      '  # a comment inside the continuation', // 5
      '  curl \\', // 6
      '', // 7
      '  jq', // 8
      'Copy a b', // 9
    ].join('\r\n');
    expect(parseInstructions(text)).toEqual([
      { keyword: 'FROM', args: 'alpine:3.19 as Build', line: 3, text: 'from alpine:3.19 as Build' },
      { keyword: 'RUN', args: 'apk add curl jq', line: 4, text: 'run apk add curl jq' },
      { keyword: 'COPY', args: 'a b', line: 9, text: 'Copy a b' },
    ]);
    const [stage] = parseDockerfile(text).stages;
    expect(stage).toMatchObject({ name: 'build', base: 'alpine:3.19', from: { line: 3 } });
  });

  it('keeps a heredoc body with its RUN, so its lines are not read as instructions', () => {
    const text = ['FROM alpine', 'RUN <<EOF', 'set -e', 'USER root', 'EOF', 'USER app'].join('\n');
    const instructions = parseInstructions(text);
    expect(instructions.map((i) => [i.keyword, i.line])).toEqual([
      ['FROM', 1],
      ['RUN', 2],
      ['USER', 6],
    ]);
    expect(instructions[1]!.args).toBe('<<EOF\nset -e\nUSER root');
  });

  it('stages by FROM … AS name, FROM --platform flags and global ARG defaults', () => {
    const text = 'ARG BASE=python:3.11\nARG TAG="slim"\nFROM --platform=$BUILDPLATFORM ${BASE}-$TAG AS deps\nFROM deps\nFROM scratch AS out\n';
    expect(parseDockerfile(text).stages.map(({ name, base, from }) => ({ name, base, line: from.line }))).toEqual([
      { name: 'deps', base: 'python:3.11-slim', line: 3 },
      { name: null, base: 'deps', line: 4 },
      { name: 'out', base: 'scratch', line: 5 },
    ]);
  });
});
