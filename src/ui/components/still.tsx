import { Box, Text } from 'ink';
import { memo } from 'react';

/**
 * Ink's Text, drawn again only when its props change. Panels render every second (ages, countdowns); a title or a
 * header that did not change then costs React and Ink nothing. Only for text children: nested elements are new
 * objects at every render.
 */
export const StillText = memo(Text);

/** Takes the room left in its row or column. */
export const Spacer = memo(function Spacer() {
  return <Box flexGrow={1} />;
});
