import chalk, { type BackgroundColorName } from 'chalk';
import { useIsScreenReaderEnabled } from 'ink';
import type { Colour } from './theme';

export interface Style {
  color?: Colour;
  background?: Colour;
  dim?: boolean;
  bold?: boolean;
  inverse?: boolean;
}

const backgroundOf = (colour: Colour) => `bg${colour[0]!.toUpperCase()}${colour.slice(1)}` as BackgroundColorName;

/**
 * `text` styled exactly as Ink's `<Text>` with these props draws it (the same chalk, the same order), so that a line
 * of differently styled parts can be one Text: one node for Ink to update instead of one per part.
 */
export function styled(text: string, style: Style): string {
  let out = style.dim ? chalk.dim(text) : text;
  if (style.color) out = chalk[style.color](out);
  if (style.background) out = chalk[backgroundOf(style.background)](out);
  if (style.bold) out = chalk.bold(out);
  if (style.inverse) out = chalk.inverse(out);
  return out;
}

export type Paint = (text: string, style: Style) => string;

const unstyled: Paint = (text) => text;

/** How this screen styles text: as Ink's `<Text>` would, or not at all for a screen reader (Ink styles nothing then). */
export function usePaint(): Paint {
  return useIsScreenReaderEnabled() ? unstyled : styled;
}
