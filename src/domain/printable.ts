/**
 * Foreign text (container output, names, Cloud entries, user input quoted back) must never drive the terminal:
 * only the console's own styling may. Control characters become visible symbols instead.
 */

/** C0 except tab, DEL, and C1 (0x80–0x9f, which some terminals read as ESC sequences). */
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/g;

/** C0 controls and DEL have Unicode "control pictures" (ESC → ␛, NUL → ␀); C1 has none, so it is named in hex. */
function visible(char: string): string {
  const code = char.charCodeAt(0);
  if (code < 0x20) return String.fromCharCode(0x2400 + code);
  if (code === 0x7f) return '\u2421';
  return `\\x${code.toString(16)}`;
}

/** The text with every control character but tab shown visibly, so printing it cannot move, retitle or recolour anything. */
export function printable(text: string): string {
  return text.replace(CONTROL, visible);
}

/** Like `printable`, but line breaks stay line breaks (multi-line text such as health-check output). */
export function printableLines(text: string): string {
  return text.split(/\r?\n/).map(printable).join('\n');
}

/** JSON for a terminal: JSON.stringify escapes C0 but leaves DEL and C1 raw; escape those too (still valid JSON). */
export function terminalJson(value: unknown, space?: number): string {
  return JSON.stringify(value, null, space).replace(/[\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The longest line kept whole, in UTF-8 bytes; a 100 KB line repeated 10,000 times in the ring exhausted the heap. */
export const MAX_LINE_BYTES = 4 * 1024;

/**
 * The text cut to `maxBytes` of UTF-8 (never inside a character), with a visible mark saying how long it was and
 * where the whole of it can be read (`wholeIn`, e.g. "`docker logs web`").
 */
export function boundedLine(text: string, wholeIn: string, maxBytes = MAX_LINE_BYTES): string {
  // A UTF-16 unit is at most 3 bytes of UTF-8, so shorter strings need no measuring.
  if (text.length * 3 <= maxBytes) return text;
  const bytes = Buffer.byteLength(text);
  if (bytes <= maxBytes) return text;
  // maxBytes characters are at least maxBytes bytes: encode no more than that.
  const prefix = Buffer.from(text.slice(0, maxBytes)).subarray(0, maxBytes).toString('utf8').replace(/\uFFFD$/, '');
  return `${prefix}… [cut: ${bytes} bytes, full line in ${wholeIn}]`;
}

/** An error as one printable line: its message's first line. */
export function errorLine(error: unknown): string {
  return printable((error instanceof Error ? error.message : String(error)).split('\n')[0]!);
}
