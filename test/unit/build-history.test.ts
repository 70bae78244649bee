import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BuildRecord } from '../../src/domain/build';
import { defaultBuildHistoryPath, loadBuildHistory, saveBuildHistory, withBuilds } from '../../src/sources/build-history';

const BACKEND: BuildRecord = {
  service: 'backend',
  variant: 'alpine',
  image: 'netra-alpine-test-backend:latest',
  noCache: false,
  builtAt: '2026-12-02T06:00:00Z',
  seconds: 12.5,
  imageSizeBytes: 3_404_884,
  cacheableSteps: 4,
  cachedSteps: 3,
  steps: [
    { name: '[builder 2/4] COPY requirements.txt .', cached: true, seconds: null },
    { name: '[builder 3/4] RUN pip install -r requirements.txt', cached: false, seconds: 9.1 },
  ],
};
const AUTH: BuildRecord = { ...BACKEND, service: 'auth', image: 'netra-alpine-test-auth:latest', imageSizeBytes: null, steps: [] };

function dir(): string {
  return mkdtempSync(join(tmpdir(), 'netra-builds-'));
}

describe('build history in the state directory', () => {
  it('lives under $XDG_STATE_HOME, else ~/.local/state', () => {
    expect(defaultBuildHistoryPath({ XDG_STATE_HOME: '/s' })).toBe('/s/netra-console/builds.json');
    expect(defaultBuildHistoryPath({ HOME: '/h' })).toBe('/h/.local/state/netra-console/builds.json');
  });

  it('round-trips, 0600 in a 0700 directory, with no temp file left', () => {
    const path = join(dir(), 'state', 'builds.json');
    const history = { test: { alpine: { backend: BACKEND } } };
    saveBuildHistory(path, history);
    expect(loadBuildHistory(path)).toEqual({ history, problem: null });
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(join(path, '..')).mode & 0o777).toBe(0o700);
    expect(readdirSync(join(path, '..'))).toEqual(['builds.json']);
  });

  it('recording a build keeps the other services, variants and stacks', () => {
    const regular = { ...BACKEND, variant: 'regular' as const };
    let history = withBuilds({}, 'test', 'regular', [regular]);
    history = withBuilds(history, 'staging', 'alpine', [AUTH]);
    history = withBuilds(history, 'test', 'alpine', [BACKEND, AUTH]);
    history = withBuilds(history, 'test', 'alpine', [{ ...BACKEND, seconds: 1 }]);
    expect(history).toEqual({
      test: { regular: { backend: regular }, alpine: { backend: { ...BACKEND, seconds: 1 }, auth: AUTH } },
      staging: { alpine: { auth: AUTH } },
    });
    expect(history.test?.alpine?.auth).toEqual(AUTH);
    expect(history.test?.regular?.auth).toBeUndefined();
  });

  it('a missing file is nothing built yet; a corrupt or foreign one is ignored with one line, and left as it is', () => {
    const root = dir();
    expect(loadBuildHistory(join(root, 'none.json'))).toEqual({ history: {}, problem: null });
    const path = join(root, 'builds.json');
    const cases: Array<[string, RegExp]> = [
      ['{"test": {', /^build history .*builds\.json ignored: not valid JSON/],
      ['[]', /ignored: not a JSON object$/],
      ['{"test": 1}', /ignored: the entry for test is not an object$/],
      ['{"test": {"musl": {}}}', /ignored: test\.musl is not a variant$/],
      [JSON.stringify({ test: { alpine: { backend: { ...BACKEND, variant: 'regular' } } } }), /test\.alpine\.backend says variant regular$/],
      [JSON.stringify({ test: { alpine: { backend: { ...BACKEND, seconds: '12' } } } }), /test\.alpine\.backend has no number seconds$/],
      [JSON.stringify({ test: { alpine: { backend: { ...BACKEND, steps: [{ name: 'x' }] } } } }), /has a step without name or cached$/],
      ['{"test": {"alpine": {"backend": {"service": "backend"}}}}', /lacks service, image or builtAt$/],
      // A key that would drive the terminal is shown, not obeyed.
      ['{"te\\u001b[2Jst": 1}', /the entry for te␛\[2Jst is not an object$/],
    ];
    for (const [text, problem] of cases) {
      writeFileSync(path, text);
      const loaded = loadBuildHistory(path);
      expect(loaded.history).toEqual({});
      expect(loaded.problem).toMatch(problem);
      expect(loaded.problem).not.toMatch(/[\u0000-\u001f]/);
      expect(readFileSync(path, 'utf8')).toBe(text);
    }
    const isDir = join(root, 'dir.json');
    mkdirSync(isDir);
    expect(loadBuildHistory(isDir).problem).toMatch(/ignored: it is a directory$/);
  });

  it('a save that cannot be done throws one line and leaves the old file', () => {
    const blocked = join(dir(), 'file');
    writeFileSync(blocked, '');
    expect(() => saveBuildHistory(join(blocked, 'builds.json'), {})).toThrow(/^cannot save build history .*file\/builds\.json: [^\n]+$/);
    if (process.getuid?.() !== 0) {
      // Root writes through permissions; elsewhere a read-only directory must not lose the old history.
      const root = dir();
      const path = join(root, 'builds.json');
      saveBuildHistory(path, { test: { alpine: { backend: BACKEND } } });
      chmodSync(root, 0o500);
      try {
        expect(() => saveBuildHistory(path, {})).toThrow(/^cannot save build history /);
        expect(loadBuildHistory(path).history).toEqual({ test: { alpine: { backend: BACKEND } } });
      } finally {
        chmodSync(root, 0o700);
      }
    }
  });
});
