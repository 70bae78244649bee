import { Box, Text } from 'ink';
import type { ReactNode } from 'react';
import stringWidth from 'string-width';

/** Rows `text` takes wrapped at `width` cells (about: Ink wraps at word boundaries). */
export function rowsOf(text: string, width: number): number {
  return text.split('\n').reduce((rows, line) => rows + Math.max(1, Math.ceil(stringWidth(line) / Math.max(1, width))), 0);
}

/** A typed confirmation: what to type (and what to press), and what has been typed so far. */
export interface DialogPrompt {
  text: string;
  typed: string;
}

export interface DialogFrameProps {
  width: number;
  height: number;
  heading: string;
  /** A red border instead of the yellow one. */
  failed: boolean;
  prompt: DialogPrompt | null;
  notice: string | null;
  /** The key hints ('' for none). */
  hints: string;
  /** The dialog's content, given the rows left for it and the cells inside the border. */
  children: (size: { rows: number; width: number }) => ReactNode;
}

function Prompt({ prompt }: { prompt: DialogPrompt }) {
  return (
    <Box marginTop={1}>
      <Text wrap="wrap">
        {prompt.text}
        <Text color="cyan">{`${prompt.typed}█`}</Text>
      </Text>
    </Box>
  );
}

/**
 * A modal dialog's shell: the title, the content, and under it the typed-confirmation prompt, a notice and the key
 * hints. The title and what is under the content always show; the content gets the rest.
 */
export function DialogFrame({ width, height, heading, failed, prompt, notice, hints, children }: DialogFrameProps) {
  const inner = width - 4; // the double border and one column of padding on each side
  const below = (prompt ? 1 + rowsOf(prompt.text + prompt.typed + ' ', inner) : 0) + (notice ? rowsOf(notice, inner) : 0) + (hints ? 1 + rowsOf(hints, inner) : 0);
  const contentRows = Math.max(1, height - 2 - rowsOf(heading, inner) - below);
  return (
    <Box flexDirection="column" width={width} height={height} borderStyle="double" borderColor={failed ? 'red' : 'yellow'} paddingX={1}>
      <Box flexShrink={0}>
        <Text bold color="yellow" wrap="wrap">
          {heading}
        </Text>
      </Box>
      <Box flexDirection="column" flexShrink={1} overflow="hidden">
        <Box flexDirection="column" flexShrink={0}>
          {children({ rows: contentRows, width: inner })}
        </Box>
      </Box>
      <Box flexDirection="column" flexShrink={0}>
        {prompt ? <Prompt prompt={prompt} /> : null}
        {notice ? (
          <Text color="red" wrap="wrap">
            {notice}
          </Text>
        ) : null}
        {hints ? (
          <Box marginTop={1}>
            <Text wrap="wrap">{hints}</Text>
          </Box>
        ) : null}
      </Box>
    </Box>
  );
}
