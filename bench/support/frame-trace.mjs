// Loaded into the console by the bench (node --import) for the 200-container j/k presses: the time of every read
// from the terminal and every write to it, saved to $NETRA_BENCH_FRAME_TRACE when the console exits. From inside, a
// press's frame is from reading the key to the first write of its frame (see frame-trace.ts), without tmux's part.
import { writeFileSync } from 'node:fs';

const file = process.env.NETRA_BENCH_FRAME_TRACE;
const MAX_EVENTS = 200_000;
const events = [];
const record = (kind, text) => {
  if (events.length < MAX_EVENTS) events.push([kind, performance.now(), text]);
};
const read = process.stdin.read.bind(process.stdin);
process.stdin.read = (...args) => {
  const chunk = read(...args);
  if (chunk !== null) record('read', String(chunk));
  return chunk;
};
const write = process.stdout.write.bind(process.stdout);
process.stdout.write = (chunk, ...args) => {
  record('write', '');
  return write(chunk, ...args);
};
process.on('exit', () => writeFileSync(file, JSON.stringify(events)));
