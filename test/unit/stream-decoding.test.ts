/**
 * Byte streams from the engine arrive in chunks that can cut a multi-byte UTF-8 character in two: the JSON lines
 * of the events and stats streams, container log streams (raw for a TTY, multiplexed otherwise) and the frames of
 * a multiplexed log read at once. Each must come out whole, never as U+FFFD.
 */
import { PassThrough } from 'node:stream';
import Modem from 'docker-modem';
import { describe, expect, it } from 'vitest';
import { onJsonLines } from '../../src/sources/docker/json-lines';
import { demuxFrames, onLines } from '../../src/sources/logs/container-logs';
import { lineSplitter, MAX_PENDING_CHARS } from '../../src/sources/text-lines';

/** `text` as bytes, cut in two inside its first character of more than one byte. */
function cutInsideCharacter(text: string): [Buffer, Buffer] {
  const bytes = Buffer.from(text, 'utf8');
  const wide = [...text].findIndex((c) => Buffer.byteLength(c) > 1);
  const at = Buffer.byteLength([...text].slice(0, wide).join('')) + 1;
  return [bytes.subarray(0, at), bytes.subarray(at)];
}

/** One frame of Docker's multiplexed log format: stream type, payload length, payload. */
function frame(stream: 1 | 2, payload: Buffer): Buffer {
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
}

describe('lineSplitter', () => {
  it('passes on output that never prints a newline in bounded pieces instead of holding it all', () => {
    const lines: string[] = [];
    const take = lineSplitter((line) => lines.push(line));
    const piece = 'x'.repeat(MAX_PENDING_CHARS / 2 + 1);
    take(piece);
    expect(lines).toEqual([]);
    take(piece);
    expect(lines.map((l) => l.length)).toEqual([piece.length * 2]);
    take('tail\n');
    expect(lines.at(-1)).toBe('tail');
  });

  it('keeps a character cut across two chunks whole', () => {
    const lines: string[] = [];
    const write = lineSplitter((line) => lines.push(line));
    for (const chunk of cutInsideCharacter('überprüft ✔ 完了 😀\nnext\n')) write(chunk);
    expect(lines).toEqual(['überprüft ✔ 完了 😀', 'next']);
  });

  it('keeps a four-byte emoji cut after each of its bytes', () => {
    const lines: string[] = [];
    const write = lineSplitter((line) => lines.push(line));
    for (const byte of Buffer.from('😀\n')) write(Buffer.from([byte]));
    expect(lines).toEqual(['😀']);
  });
});

describe('onJsonLines', () => {
  it('parses a document whose multi-byte character is cut across two chunks', () => {
    const stream = new PassThrough();
    const values: unknown[] = [];
    onJsonLines(stream, (value) => values.push(value));
    for (const chunk of cutInsideCharacter('{"Actor":{"Attributes":{"name":"netra-bäckend-1"}}}\n')) stream.write(chunk);
    expect(values).toEqual([{ Actor: { Attributes: { name: 'netra-bäckend-1' } } }]);
  });
});

describe('onLines (a followed log stream)', () => {
  it('keeps a character cut across two chunks of a TTY stream whole', () => {
    const stream = new PassThrough();
    const lines: string[] = [];
    onLines(stream, (line) => lines.push(line));
    for (const chunk of cutInsideCharacter('2026-01-05T10:00:00Z 完了\r\n')) stream.write(chunk);
    expect(lines).toEqual(['2026-01-05T10:00:00Z 完了']);
  });

  it('decodes stdout and stderr apart when the engine interleaves their frames mid-character', () => {
    const raw = new PassThrough();
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    new Modem().demuxStream(raw, stdout, stderr);
    const lines: string[] = [];
    onLines(stdout, (line) => lines.push(`out ${line}`));
    onLines(stderr, (line) => lines.push(`err ${line}`));
    const [outHead, outTail] = cutInsideCharacter('ok ✔\n');
    const [errHead, errTail] = cutInsideCharacter('failed ✘\n');
    const bytes = Buffer.concat([frame(1, outHead), frame(2, errHead), frame(1, outTail), frame(2, errTail)]);
    // The HTTP body's chunks cut the frames anywhere; demuxStream puts them together again.
    raw.write(bytes.subarray(0, 13));
    raw.write(bytes.subarray(13));
    expect(lines).toEqual(['out ok ✔', 'err failed ✘']);
  });
});

describe('demuxFrames', () => {
  it('decodes each stream on its own, so a character cut across two of its frames comes out whole', () => {
    const [outHead, outTail] = cutInsideCharacter('über\n');
    const [errHead, errTail] = cutInsideCharacter('完了\n');
    const frames = demuxFrames(Buffer.concat([frame(1, outHead), frame(2, errHead), frame(1, outTail), frame(2, errTail)]));
    expect(frames.filter((f) => f.stream === 'stdout').map((f) => f.text).join('')).toBe('über\n');
    expect(frames.filter((f) => f.stream === 'stderr').map((f) => f.text).join('')).toBe('完了\n');
  });
});
