/** Calls `onValue` for each JSON document in a newline-delimited stream; malformed lines are skipped. */
export function onJsonLines(stream: NodeJS.ReadableStream, onValue: (value: unknown) => void): void {
  let pending = '';
  stream.on('data', (chunk: Buffer | string) => {
    pending += chunk.toString();
    let newline = pending.indexOf('\n');
    while (newline >= 0) {
      const line = pending.slice(0, newline).trim();
      pending = pending.slice(newline + 1);
      if (line) {
        try {
          onValue(JSON.parse(line));
        } catch {
          // A torn or non-JSON line carries nothing we can use.
        }
      }
      newline = pending.indexOf('\n');
    }
  });
}
