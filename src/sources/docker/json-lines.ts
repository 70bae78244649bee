import { lineSplitter } from '../text-lines';

/** Calls `onValue` for each JSON document in a newline-delimited stream; malformed lines are skipped. */
export function onJsonLines(stream: NodeJS.ReadableStream, onValue: (value: unknown) => void): void {
  const write = lineSplitter((text) => {
    const line = text.trim();
    if (!line) return;
    try {
      onValue(JSON.parse(line));
    } catch {
      // A torn or non-JSON line carries nothing we can use.
    }
  });
  stream.on('data', write);
}
