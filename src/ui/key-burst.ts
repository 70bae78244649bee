import type { Key } from 'ink';

/**
 * Ink parses a read from the terminal as one key only when it is one: a paste, or keys that arrive faster than
 * the console reads them ("error\r"), reach useInput as one string with no key flag set. Splits such a burst
 * into runs of text and the newlines between them, so that each can be handled as if it had been typed.
 */
export function splitKeyBurst(input: string): string[] {
  return input.split(/(\r\n|\r|\n)/).filter((part) => part !== '');
}

export function isNewline(part: string): boolean {
  return part === '\r' || part === '\n' || part === '\r\n';
}

/**
 * Esc and the next key sent close together reach the console in one read, which Ink reports as Meta+key
 * (Esc-j as Meta-j). The console binds no Meta keys, so such a press is Esc followed by the key.
 */
export function isEscapeThenKey(input: string, key: Key): boolean {
  return key.meta && !key.ctrl && [...input].length === 1 && input !== '\x1b';
}
