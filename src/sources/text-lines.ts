import { StringDecoder } from 'node:string_decoder';

/** Output that never prints a newline is passed on in pieces this long, instead of held in memory without bound. */
export const MAX_PENDING_CHARS = 1 << 20;

/**
 * Splits one byte stream into lines (without the `\n`): returns what takes each chunk, and calls `onLine` for each
 * line completed. Bytes are decoded as a stream, so a UTF-8 character cut across two chunks comes out whole instead
 * of as U+FFFD. A last line without a newline is never complete, unless it grows past MAX_PENDING_CHARS.
 */
export function lineSplitter(onLine: (line: string) => void): (chunk: Buffer | string) => void {
  const decoder = new StringDecoder('utf8');
  let pending = '';
  return (chunk) => {
    pending += typeof chunk === 'string' ? chunk : decoder.write(chunk);
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) onLine(line);
    if (pending.length > MAX_PENDING_CHARS) {
      onLine(pending);
      pending = '';
    }
  };
}
