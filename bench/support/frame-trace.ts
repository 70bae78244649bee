// Reads what frame-trace.mjs recorded inside the console: for each selection key read from the terminal, the time to
// the first write after it (the frame showing the move starts there): the console's work and any wait for a core.
import { readFileSync } from 'node:fs';

type TraceEvent = [kind: 'read' | 'write', atMs: number, text: string];

/** Key read → frame written (ms), one per press of a key matching `keys`. */
export function keyFramesFromTrace(file: string, keys: RegExp): number[] {
  let events: TraceEvent[];
  try {
    events = JSON.parse(readFileSync(file, 'utf8')) as TraceEvent[];
  } catch (error) {
    throw new Error(`no frame trace from the console at ${file} (it is written when the console exits): ${(error as Error).message}`);
  }
  const frames: number[] = [];
  events.forEach(([kind, at, text], i) => {
    if (kind !== 'read' || !keys.test(text)) return;
    const written = events.slice(i + 1).find((e) => e[0] === 'write');
    if (written) frames.push(written[1] - at);
  });
  return frames;
}
