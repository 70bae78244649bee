import chalk from 'chalk';
import type { Colour } from './theme';

/** `text` in `colour`, exactly as Ink's `<Text color>` draws it: Ink colours named colours with this chalk. */
export function colorize(text: string, colour: Colour): string {
  return chalk[colour](text);
}
