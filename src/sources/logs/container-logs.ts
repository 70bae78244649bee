import { PassThrough } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import type Docker from 'dockerode';
import { lineFromContainer, type NewLogLine } from '../../domain/log-line';
import { lineSplitter } from '../text-lines';

export interface FollowedContainer {
  id: string;
  name: string;
}

const TAIL_LINES = 200;
const REATTACH_MS = 500;

/**
 * Docker's multiplexed log format: 8-byte headers (stream type, payload length), then the payload. Each stream is
 * decoded on its own, so a character cut across two frames of one stream comes out whole.
 */
export function demuxFrames(buffer: Buffer): Array<{ stream: 'stdout' | 'stderr'; text: string }> {
  const decoders = { stdout: new StringDecoder('utf8'), stderr: new StringDecoder('utf8') };
  const frames: Array<{ stream: 'stdout' | 'stderr'; text: string }> = [];
  for (let offset = 0; offset + 8 <= buffer.length; ) {
    const size = buffer.readUInt32BE(offset + 4);
    const stream = buffer[offset] === 2 ? 'stderr' : 'stdout';
    frames.push({ stream, text: decoders[stream].write(buffer.subarray(offset + 8, offset + 8 + size)) });
    offset += 8 + size;
  }
  return frames;
}

/** What takes a stream's bytes (or decoded text) and calls `onLine` for each complete, non-empty line. */
function lineTaker(onLine: (line: string) => void): (chunk: Buffer | string) => void {
  return lineSplitter((line) => {
    if (line) onLine(line.replace(/\r$/, ''));
  });
}

/** Calls `onLine` for each complete, non-empty line of a byte stream. */
export function onLines(stream: NodeJS.ReadableStream, onLine: (line: string) => void): void {
  stream.on('data', lineTaker(onLine));
}

/**
 * Follows the logs of running containers, stdout and stderr apart. A container that restarts is followed again
 * from the last line seen (docker ends the stream when it stops); a recreated one is a new container, followed
 * from its start.
 */
export class ContainerLogs {
  private readonly streams = new Map<string, NodeJS.ReadableStream>();
  /** Newest timestamp seen per container: where a re-attach starts reading again. */
  private readonly lastSeen = new Map<string, string>();
  /**
   * Last timestamp seen per container and stream, so a re-attach does not repeat lines. Docker keeps each stream
   * in time order, but stdout and stderr interleave slightly out of it; compared across streams, a line stamped
   * just before the other stream's last one would be dropped.
   */
  private readonly lastSeenByStream = new Map<string, string>();
  private wanted = new Map<string, FollowedContainer>();
  private stopped = false;

  constructor(
    private readonly docker: Docker,
    private readonly onLine: (line: NewLogLine) => void,
    /** RFC 3339 time to start from; by default the last lines of each container. */
    private readonly since?: string,
  ) {}

  /** Prints what the containers logged so far (no following); resolves when every stream has ended. */
  async readOnce(containers: readonly FollowedContainer[]): Promise<void> {
    await Promise.all(containers.map((c) => this.readAll(c).catch(() => undefined)));
  }

  /** Follows exactly these containers (the running ones in scope). */
  sync(running: readonly FollowedContainer[]): void {
    if (this.stopped) return;
    this.wanted = new Map(running.map((c) => [c.id, c]));
    for (const [id, stream] of this.streams) {
      if (!this.wanted.has(id)) {
        (stream as { destroy?: () => void }).destroy?.();
        this.streams.delete(id);
      }
    }
    for (const container of running) if (!this.streams.has(container.id)) void this.attach(container);
  }

  stop(): void {
    this.stopped = true;
    for (const stream of this.streams.values()) (stream as { destroy?: () => void }).destroy?.();
    this.streams.clear();
  }

  /** Passes a container's raw lines on as log lines, skipping what a re-attach would repeat. */
  private emitter(container: FollowedContainer, since: string | undefined) {
    return (kind: 'stdout' | 'stderr') => (text: string) => {
      const line = lineFromContainer(container.name, kind, text);
      const key = `${container.id}/${kind}`;
      const last = this.lastSeenByStream.get(key);
      // `since` has one-second resolution; lines of this stream up to its last one seen were shown already.
      if (since && last && line.timestamp <= last) return;
      this.lastSeenByStream.set(key, line.timestamp);
      const newest = this.lastSeen.get(container.id);
      if (!newest || line.timestamp > newest) this.lastSeen.set(container.id, line.timestamp);
      this.onLine(line);
    };
  }

  private logOptions(since: string | undefined) {
    return {
      stdout: true,
      stderr: true,
      timestamps: true,
      ...(since ? { since: Math.floor(Date.parse(since) / 1000) } : { tail: TAIL_LINES }),
    };
  }

  private async readAll(container: FollowedContainer): Promise<void> {
    const handle = this.docker.getContainer(container.id);
    const emit = this.emitter(container, this.since);
    const [info, body] = await Promise.all([handle.inspect(), handle.logs({ ...this.logOptions(this.since), follow: false })]);
    const buffer = Buffer.isBuffer(body) ? body : Buffer.from(String(body));
    // One taker per stream, as when following: a line docker split across frames comes out whole. The read is
    // complete, so a last line without a newline is too.
    if (info.Config?.Tty) {
      const take = lineTaker(emit('stdout'));
      take(buffer);
      return take('\n');
    }
    const takers = { stdout: lineTaker(emit('stdout')), stderr: lineTaker(emit('stderr')) };
    for (const frame of demuxFrames(buffer)) takers[frame.stream](frame.text);
    takers.stdout('\n');
    takers.stderr('\n');
  }

  private async attach(container: FollowedContainer): Promise<void> {
    const placeholder = new PassThrough();
    this.streams.set(container.id, placeholder);
    const since = this.lastSeen.get(container.id) ?? this.since;
    try {
      const handle = this.docker.getContainer(container.id);
      const [info, stream] = await Promise.all([handle.inspect(), handle.logs({ ...this.logOptions(since), follow: true })]);
      if (this.streams.get(container.id) !== placeholder) return (stream as { destroy?: () => void }).destroy?.();
      this.streams.set(container.id, stream);
      const emit = this.emitter(container, since);
      if (info.Config?.Tty) onLines(stream, emit('stdout'));
      else {
        const stdout = new PassThrough();
        const stderr = new PassThrough();
        this.docker.modem.demuxStream(stream, stdout, stderr);
        onLines(stdout, emit('stdout'));
        onLines(stderr, emit('stderr'));
      }
      stream.on('end', () => this.ended(container.id, stream));
      stream.on('error', () => this.ended(container.id, stream));
    } catch {
      if (this.streams.get(container.id) === placeholder) this.streams.delete(container.id);
    }
  }

  /**
   * Docker ends the stream when the container stops. A quick restart can leave it listed as running in between,
   * so look again shortly; a stopped container drops out of the next sync.
   */
  private ended(id: string, stream: NodeJS.ReadableStream): void {
    if (this.streams.get(id) !== stream) return;
    this.streams.delete(id);
    setTimeout(() => {
      const container = this.wanted.get(id);
      if (container && !this.stopped && !this.streams.has(id)) void this.attach(container);
    }, REATTACH_MS);
  }
}
