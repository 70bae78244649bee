import type { LogLine, NewLogLine } from '../domain/log-line';

/**
 * Bytes the ring may hold per line of its capacity, on average. Lines are cut at 4 KiB where they enter, but 10,000
 * of them (twice, with a JSON line's original) would still be 80–160 MB: a ring of long lines keeps fewer of them.
 */
export const BYTES_PER_LINE = 1024;

/** What a line costs the heap, roughly: its strings as UTF-16, plus the object around them. */
export function lineBytes(line: NewLogLine): number {
  const chars = line.message.length + (line.detail?.length ?? 0) + line.source.length + line.timestamp.length + (line.insertId?.length ?? 0);
  return 2 * chars + 100;
}

/**
 * A ring of log lines bounded by count (`capacity`) and by bytes (`byteBudget`, by default `BYTES_PER_LINE` per
 * line of capacity): memory stays bounded however fast, and however long, lines arrive. The oldest lines go first.
 */
export class LogRing {
  private readonly lines: (LogLine | undefined)[];
  private readonly bytes: number[];
  private start = 0;
  private count = 0;
  private nextSeq = 1;
  private totalBytes = 0;

  constructor(
    readonly capacity: number,
    readonly byteBudget = capacity * BYTES_PER_LINE,
  ) {
    this.lines = new Array(capacity);
    this.bytes = new Array<number>(capacity).fill(0);
  }

  get size(): number {
    return this.count;
  }

  /** Sequence number of the newest line (0 when empty). */
  get lastSeq(): number {
    return this.nextSeq - 1;
  }

  push(line: NewLogLine): LogLine {
    const stored = { ...line, seq: this.nextSeq++ };
    const size = lineBytes(line);
    if (this.count === this.capacity) this.dropOldest();
    while (this.count > 0 && this.totalBytes + size > this.byteBudget) this.dropOldest();
    const slot = (this.start + this.count) % this.capacity;
    this.lines[slot] = stored;
    this.bytes[slot] = size;
    this.totalBytes += size;
    this.count++;
    return stored;
  }

  private dropOldest(): void {
    this.totalBytes -= this.bytes[this.start]!;
    this.lines[this.start] = undefined;
    this.start = (this.start + 1) % this.capacity;
    this.count--;
  }

  /** The i-th line, oldest first. */
  at(index: number): LogLine {
    return this.lines[(this.start + index) % this.capacity]!;
  }

  /** Index of the line with this sequence number, or -1 once it has been overwritten. */
  indexOfSeq(seq: number): number {
    if (this.count === 0) return -1;
    const index = seq - this.at(0).seq;
    return index >= 0 && index < this.count ? index : -1;
  }

  /** Index of the oldest line newer than `seq`: 0 when `seq` has been overwritten, `size` when none is newer. */
  indexAfterSeq(seq: number): number {
    if (this.count === 0) return 0;
    return Math.min(this.count, Math.max(0, seq + 1 - this.at(0).seq));
  }
}

/** A line waiting in the ingest: when it arrived, and its time as a number (sources write RFC 3339 differently). */
interface Held {
  line: NewLogLine;
  arrivedAt: number;
  time: number;
}

/**
 * How long a line waits for older lines from other sources that arrive after it, so that the ring holds them in
 * time order: from the sandbox a Cloud entry comes ~50–100 ms after it was logged, a container line ~5 ms.
 */
const REORDER_MS = 250;

/**
 * Collects lines from the sources and moves them into the ring at most every `flushMs`, in time order across
 * sources: each line waits up to `reorderMs` after it arrived for older ones. It drops Cloud Logging entries
 * already seen (by insertId), so a reconnect's backfill never doubles a line.
 */
export class LogIngest {
  private held: Held[] = [];
  private timer: NodeJS.Timeout | null = null;
  private readonly seenIds = new Set<string>();
  /** Remembered ids in arrival order, as a ring: twice the log ring, since older ids cannot come back. */
  private readonly idRing: (string | undefined)[];
  private idPos = 0;

  constructor(
    readonly ring: LogRing,
    private readonly onFlush: (added: number) => void,
    private readonly flushMs = 50,
    private readonly reorderMs = REORDER_MS,
  ) {
    this.idRing = new Array(ring.capacity * 2);
  }

  add(line: NewLogLine): void {
    if (line.insertId) {
      if (this.seenIds.has(line.insertId)) return;
      this.remember(line.insertId);
    }
    this.held.push({ line, arrivedAt: Date.now(), time: Date.parse(line.timestamp) });
    this.timer ??= this.scheduleRelease();
  }

  /** Moves every line into the ring now (on exit, or when asked). */
  flush(): void {
    this.release(Number.POSITIVE_INFINITY);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /**
   * Wakes when the oldest held line has waited reorderMs (held is in arrival order), not sooner than flushMs so that
   * a flood moves in batches: a trickle of 5 lines a second costs 5 wake-ups, not 20.
   */
  private scheduleRelease(): NodeJS.Timeout {
    const wait = Math.max(this.flushMs, this.held[0]!.arrivedAt + this.reorderMs - Date.now());
    return setTimeout(() => this.release(Date.now() - this.reorderMs), wait);
  }

  /**
   * Moves the lines that arrived by `arrivedBy` into the ring, in time order, together with every line still
   * held that is older than the newest of them (it belongs before it); the others wait for the next flush.
   */
  private release(arrivedBy: number): void {
    this.dispose();
    let horizon = Number.NEGATIVE_INFINITY;
    for (const held of this.held) if (held.arrivedAt <= arrivedBy && held.time > horizon) horizon = held.time;
    const due: Held[] = [];
    const waiting: Held[] = [];
    for (const held of this.held) (held.arrivedAt <= arrivedBy || held.time <= horizon ? due : waiting).push(held);
    this.held = waiting;
    if (due.length > 0) {
      // Stable: lines of the same millisecond keep the order they came in.
      due.sort((a, b) => a.time - b.time);
      for (const { line } of due) this.ring.push(line);
      this.onFlush(due.length);
    }
    if (waiting.length > 0) this.timer = this.scheduleRelease();
  }

  private remember(id: string): void {
    const forgotten = this.idRing[this.idPos];
    if (forgotten !== undefined) this.seenIds.delete(forgotten);
    this.idRing[this.idPos] = id;
    this.idPos = (this.idPos + 1) % this.idRing.length;
    this.seenIds.add(id);
  }
}
