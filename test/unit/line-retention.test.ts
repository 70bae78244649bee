/**
 * A line kept in the ring must not keep the long text it came from alive: V8 keeps a slice as a view of its parent,
 * and a flood of 100 KB lines (each kept line holding on to its 100 KB original) exhausted the heap in seconds.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { lineFromContainer } from '../../src/domain/log-line';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

describe('a container line from a 100 KB text', () => {
  it('keeps only its own few KB, not the text it was cut from', () => {
    gc();
    const before = process.memoryUsage().heapUsed;
    const kept = Array.from({ length: 1000 }, (_, i) => {
      // A fresh 100 KB string each time, as each line of a flood is.
      const text = `2026-11-22T10:00:${String(i % 60).padStart(2, '0')}.000000000Z ${String(i).padStart(6, '0')}${'a'.repeat(100_000)}`;
      return lineFromContainer('flood', 'stdout', text);
    });
    gc();
    const grown = process.memoryUsage().heapUsed - before;
    expect(kept).toHaveLength(1000);
    expect(kept[999]!.message).toContain('[cut: ');
    // 1,000 texts of 100 KB would be ~100 MB (~200 MB as UTF-16); the lines themselves are ~4 KB each.
    expect(grown).toBeLessThan(30 * 1024 * 1024);
  });
});
