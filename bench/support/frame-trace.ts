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
  // One pass: the key reads waiting for a write (two keys read before one frame share it).
  const frames: number[] = [];
  let waiting: number[] = [];
  for (const [kind, at, text] of events) {
    if (kind === 'read' && keys.test(text)) waiting.push(at);
    else if (kind === 'write' && waiting.length > 0) {
      for (const readAt of waiting) frames.push(at - readAt);
      waiting = [];
    }
  }
  return frames;
}
