import type { LogLine, NewLogLine } from '../domain/log-line';

/** A fixed-capacity ring of log lines: memory stays bounded however fast lines arrive. */
export class LogRing {
  private readonly lines: (LogLine | undefined)[];
  private start = 0;
  private count = 0;
  private nextSeq = 1;

  constructor(readonly capacity: number) {
    this.lines = new Array(capacity);
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
    this.lines[(this.start + this.count) % this.capacity] = stored;
    if (this.count < this.capacity) this.count++;
    else this.start = (this.start + 1) % this.capacity;
    return stored;
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
}

/**
 * Collects lines from the sources and moves them into the ring at most every `flushMs`, dropping Cloud Logging
 * entries already seen (by insertId) so a reconnect's backfill never doubles a line.
 */
export class LogIngest {
  private pending: NewLogLine[] = [];
  private timer: NodeJS.Timeout | null = null;
  private readonly seenIds = new Set<string>();
  /** Remembered ids in arrival order, as a ring: twice the log ring, since older ids cannot come back. */
  private readonly idRing: (string | undefined)[];
  private idPos = 0;

  constructor(
    readonly ring: LogRing,
    private readonly onFlush: (added: number) => void,
    private readonly flushMs = 50,
  ) {
    this.idRing = new Array(ring.capacity * 2);
  }

  add(line: NewLogLine): void {
    if (line.insertId) {
      if (this.seenIds.has(line.insertId)) return;
      this.remember(line.insertId);
    }
    this.pending.push(line);
    this.timer ??= setTimeout(() => this.flush(), this.flushMs);
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.pending.length === 0) return;
    const lines = this.pending;
    this.pending = [];
    for (const line of lines) this.ring.push(line);
    this.onFlush(lines.length);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private remember(id: string): void {
    const forgotten = this.idRing[this.idPos];
    if (forgotten !== undefined) this.seenIds.delete(forgotten);
    this.idRing[this.idPos] = id;
    this.idPos = (this.idPos + 1) % this.idRing.length;
    this.seenIds.add(id);
  }
}
