/**
 * Whatever containers, Cloud entries and users send: control characters never reach a terminal or a file raw
 * (printable), long lines are cut where they enter and the ring is bounded by bytes, credentials in DOCKER_HOST are
 * never shown, a fatal error restores the terminal, and NO_COLOR / FORCE_COLOR decide colour.
 */
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { exitCleanlyOnFatal, RESTORE_TERMINAL, type FatalHost } from '../../src/cli/fatal-exit';
import { displayDockerHost, parseDockerHost } from '../../src/config/docker-host';
import { containerInfoFromInspect } from '../../src/domain/container-info';
import { lineFromCloudEntry, lineFromContainer, type NewLogLine } from '../../src/domain/log-line';
import { boundedLine, MAX_LINE_BYTES, printable, printableLines, terminalJson } from '../../src/domain/printable';
import { BYTES_PER_LINE, lineBytes, LogRing } from '../../src/store/log-ring';
import { coloursOff } from '../../src/ui/colour-policy';

/** Terminal-injection payloads from the trial: title (OSC 0), clipboard (OSC 52), clear, cursor move, blink, NUL, C1 CSI. */
const PAYLOAD = 'a\x1b]0;pwned\x07b\x1b]52;c;Y3VybCBldmls\x07c\x1b[2J\x1b[H\x1b[5;31mred\x1b[0m\x00\x9b31m\x7fz';
/** Anything a terminal could act on: C0 but tab, DEL, C1. */
const RAW_CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/;

describe('printable', () => {
  it('shows every control character visibly and keeps the text around them', () => {
    expect(printable(PAYLOAD)).toBe('a␛]0;pwned␇b␛]52;c;Y3VybCBldmls␇c␛[2J␛[H␛[5;31mred␛[0m␀\\x9b31m␡z');
  });

  it('keeps tabs and plain text, including non-ASCII text, as they are', () => {
    expect(printable('col1\tcol2 — ünïcode ✔ 日本')).toBe('col1\tcol2 — ünïcode ✔ 日本');
  });

  it('makes a line break visible on one line, and keeps it in multi-line text', () => {
    expect(printable('one\ntwo\r')).toBe('one␊two␍');
    expect(printableLines('one\r\ntwo\x1b[2J')).toBe('one\ntwo␛[2J');
  });

  it('terminalJson escapes what JSON.stringify leaves raw (DEL, C1) and stays valid JSON', () => {
    const value = { message: 'x\x1b[31my\x7f\x9b' };
    const json = terminalJson(value);
    expect(json).not.toMatch(RAW_CONTROL);
    expect(JSON.parse(json)).toEqual(value);
  });
});

describe('boundedLine', () => {
  it('keeps a line up to the limit whole', () => {
    const line = 'x'.repeat(MAX_LINE_BYTES);
    expect(boundedLine(line, '`docker logs web`')).toBe(line);
  });

  it('cuts a longer line to a prefix and says how long it was and where the whole is', () => {
    const cut = boundedLine('y'.repeat(102_400), '`docker logs web`');
    expect(cut).toBe(`${'y'.repeat(MAX_LINE_BYTES)}… [cut: 102400 bytes, full line in \`docker logs web\`]`);
  });

  it('never cuts inside a character', () => {
    const cut = boundedLine('é'.repeat(5_000), 'here');
    expect(cut).toMatch(/^é+… \[cut: 10000 bytes/);
    expect(cut).not.toContain('\uFFFD');
    expect(Buffer.byteLength(cut.slice(0, cut.indexOf('…')))).toBeLessThanOrEqual(MAX_LINE_BYTES);
  });
});

describe('log lines as they enter', () => {
  it('a container line of 100 KB is cut, with the container named for the whole line', () => {
    const line = lineFromContainer('flood-1', 'stdout', `2026-01-05T10:00:00.000000000Z ${'z'.repeat(102_400)}`);
    expect(line.message.length).toBeLessThan(MAX_LINE_BYTES + 100);
    expect(line.message).toMatch(/… \[cut: 102400 bytes, full line in `docker logs flood-1`\]$/);
    expect(line.detail).toBeNull();
  });

  it('a long JSON line keeps its level; message and original are both cut', () => {
    const json = JSON.stringify({ level: 'error', message: 'm'.repeat(50_000), pad: 'p'.repeat(50_000) });
    const line = lineFromContainer('api-1', 'stderr', json);
    expect(line.severity).toBe('ERROR');
    expect(line.message).toMatch(/^m+… \[cut: 50000 bytes/);
    expect(line.detail!.length).toBeLessThan(MAX_LINE_BYTES + 100);
  });

  it('a container line carries no control character into the model', () => {
    const line = lineFromContainer('evil-1', 'stdout', `2026-01-05T10:00:00Z ${PAYLOAD}`);
    expect(line.message).not.toMatch(RAW_CONTROL);
    expect(line.message).toContain('␛]52;c;');
    const json = lineFromContainer('evil-1', 'stdout', JSON.stringify({ level: 'info', message: PAYLOAD }));
    expect(json.message).not.toMatch(RAW_CONTROL);
    expect(json.detail).not.toMatch(RAW_CONTROL);
  });

  it('a Cloud entry is cut and sanitised, its service name too', () => {
    const entry = (textPayload: string, service = 'netra-auth') => ({
      insertId: 'i1',
      timestamp: { seconds: 1767607200, nanos: 0 },
      resource: { type: 'cloud_run_revision', labels: { service_name: service, revision_name: `${service}-00001-abc` } },
      textPayload,
    });
    const long = lineFromCloudEntry(entry('c'.repeat(102_400)));
    expect(long.message).toMatch(/… \[cut: 102400 bytes, full line in Cloud Logging\]$/);
    const evil = lineFromCloudEntry(entry(PAYLOAD, 'svc\x1b]0;t\x07'));
    expect(evil.message).not.toMatch(RAW_CONTROL);
    expect(evil.source).not.toMatch(RAW_CONTROL);
  });

  it('container names, images, labels and health-check output from the engine are sanitised', () => {
    const info = containerInfoFromInspect(
      {
        Id: 'c'.repeat(64),
        Name: '/web-1',
        Config: { Image: 'img\x1b[2J', Labels: { 'com.docker.compose.project': 'p\x1b]0;x\x07', 'com.docker.compose.service': 's\x9b' } },
        State: { Status: 'running', Health: { Status: 'unhealthy', Log: [{ ExitCode: 1, Output: `line one\n${PAYLOAD}\n` }] } },
      },
      null,
    );
    for (const text of [info.image, info.project, info.service]) expect(text).not.toMatch(RAW_CONTROL);
    expect(info.lastHealthFailure!.split('\n')).toHaveLength(2);
    for (const row of info.lastHealthFailure!.split('\n')) expect(row).not.toMatch(RAW_CONTROL);
  });
});

describe('LogRing byte budget', () => {
  const line = (message: string): NewLogLine => ({ origin: 'container', insertId: null, timestamp: '2026-01-05T10:00:00Z', source: 'web-1', severity: 'INFO', message, detail: null });

  it('drops the oldest lines when the bytes run out, before the line count does', () => {
    const ring = new LogRing(1_000, 100_000);
    const big = line('b'.repeat(4_000));
    for (let i = 0; i < 1_000; i++) ring.push(big);
    expect(ring.size).toBe(Math.floor(100_000 / lineBytes(big)));
    expect(ring.at(ring.size - 1).seq).toBe(1_000);
    expect(ring.indexOfSeq(1_000 - ring.size)).toBe(-1);
    expect(ring.indexOfSeq(1_000 - ring.size + 1)).toBe(0);
  });

  it('still holds the full line count of short lines', () => {
    const ring = new LogRing(1_000);
    for (let i = 0; i < 2_000; i++) ring.push(line(`short ${i}`));
    expect(ring.size).toBe(1_000);
    expect(ring.at(0).message).toBe('short 1000');
  });

  it('by default derives its budget from the line count', () => {
    expect(new LogRing(10_000).byteBudget).toBe(10_000 * BYTES_PER_LINE);
  });

  it('keeps a flood of cut 100 KB lines within its budget', () => {
    const ring = new LogRing(10_000);
    let held = 0;
    for (let i = 0; i < 3_000; i++) ring.push(lineFromContainer('flood-1', 'stdout', 'x'.repeat(102_400)));
    for (let i = 0; i < ring.size; i++) held += lineBytes(ring.at(i));
    expect(held).toBeLessThanOrEqual(ring.byteBudget);
    expect(ring.size).toBeGreaterThan(1_000);
  });
});

describe('DOCKER_HOST credentials', () => {
  it('are redacted in what is shown', () => {
    expect(parseDockerHost('tcp://admin:s3cret@host:2376', 'DOCKER_HOST').display).toBe('tcp://admin:***@host:2376');
    expect(displayDockerHost('https://:tok3n@host:2376')).toBe('https://:***@host:2376');
    expect(displayDockerHost('ssh://me@build-host')).toBe('ssh://me@build-host');
    expect(displayDockerHost('tcp://admin:p@ss@host:2376')).toBe('tcp://admin:***@host:2376');
    expect(displayDockerHost('unix:///var/run/docker.sock')).toBe('unix:///var/run/docker.sock');
  });

  it('are redacted, and escapes made visible, in the error for a bad value', () => {
    const errorOf = (value: string) => {
      try {
        parseDockerHost(value, '--docker-host');
      } catch (error) {
        return (error as Error).message;
      }
      throw new Error(`${value} was accepted`);
    };
    expect(errorOf('tcp://admin:s3cret@host\x1b]0;x\x07')).toBe(
      '--docker-host "tcp://admin:***@host␛]0;x␇" is not a URL: use unix:///path/to/docker.sock or tcp://HOST:PORT',
    );
    expect(errorOf('ftp://admin:s3cret@host')).toMatch(/^--docker-host "ftp:\/\/admin:\*\*\*@host" has unsupported scheme "ftp"/);
    expect(errorOf('tcp://admin:s3cret@host/path')).toMatch(/^--docker-host "tcp:\/\/admin:\*\*\*@host\/path" must not have a path/);
  });
});

describe('a fatal error in the console', () => {
  function host(): FatalHost & { out: string[]; err: string[]; raw: boolean[]; code: number | null; emitter: EventEmitter } {
    const emitter = new EventEmitter();
    const out: string[] = [];
    const err: string[] = [];
    const raw: boolean[] = [];
    const fake = {
      emitter,
      out,
      err,
      raw,
      code: null as number | null,
      on: (event: string, listener: (e: unknown) => void) => emitter.on(event, listener),
      off: (event: string, listener: (e: unknown) => void) => emitter.off(event, listener),
      stdin: { isTTY: true, setRawMode: (on: boolean) => raw.push(on) },
      stdout: { write: (text: string) => out.push(text) },
      stderr: { write: (text: string) => err.push(text) },
      env: {},
      exit: ((code: number) => {
        fake.code = code;
      }) as (code: number) => never,
    };
    return fake;
  }

  it.each(['uncaughtException', 'unhandledRejection'])('%s leaves the alternate screen and shows the cursor before the message and exit 1', (event) => {
    const fake = host();
    exitCleanlyOnFatal(fake);
    fake.emitter.emit(event, new Error('boom \x1b]0;x\x07'));
    expect(fake.out).toEqual([RESTORE_TERMINAL]);
    expect(RESTORE_TERMINAL).toContain('\x1b[?1049l');
    expect(RESTORE_TERMINAL).toContain('\x1b[?25h');
    expect(fake.raw).toEqual([false]);
    expect(fake.err.join('')).toBe('netra-console: fatal error: boom ␛]0;x␇ (set NETRA_DEBUG=1 for details)\n');
    expect(fake.code).toBe(1);
  });

  it('stops listening once the console has ended', () => {
    const fake = host();
    exitCleanlyOnFatal(fake)();
    expect(fake.emitter.listenerCount('uncaughtException') + fake.emitter.listenerCount('unhandledRejection')).toBe(0);
  });
});

describe('coloursOff', () => {
  it.each([
    [{}, false],
    [{ NO_COLOR: '' }, false],
    [{ NO_COLOR: '1' }, true],
    [{ NO_COLOR: '1', FORCE_COLOR: '1' }, false],
    [{ NO_COLOR: '1', FORCE_COLOR: '0' }, true],
  ] as Array<[NodeJS.ProcessEnv, boolean]>)('%j → %s', (env, off) => {
    expect(coloursOff(env)).toBe(off);
  });
});
