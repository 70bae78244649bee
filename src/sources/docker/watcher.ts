import type Docker from 'dockerode';
import { intentForEvent, STATE_ACTIONS, withReportedOom, type EngineEvent } from '../../domain/docker-events';
import type { DockerSink } from '../../domain/docker-sink';
import { computeStats, hasPreviousSample, isEmptySample, showsPidCounting, type EngineStats } from '../../domain/stats-math';
import type { ContainerInfo } from '../../domain/types';
import { describeEngineError } from './client';
import { pingEngine, type PingBudget } from './ping';
import { ImageSizeCache, inScope, inspectContainer, listContainers, type ContainerScope } from './containers';
import { onJsonLines } from './json-lines';
import { readLastOoms } from './oom-events';

export interface WatcherOptions {
  scope: ContainerScope;
  /** Delay between reconnect attempts; kept short so the console resumes within 2 s of the engine. */
  retryMs?: number;
  /** How often the engine is pinged and silent stats streams looked for (default 5 s; tests shorten it). */
  heartbeatMs?: number;
  /** A stats stream silent this long has stalled and is opened again, on the heartbeat (default 10 s). */
  statsStallMs?: number;
}

/** Connecting retries every `retryMs` anyway: one attempt. */
const CONNECT_PING: PingBudget = { attemptMs: 3_000, budgetMs: 3_000 };
/** An engine that hangs keeps its events stream open; a periodic ping notices. */
const HEARTBEAT_MS = 5_000;
/** A busy machine delays an answer without the engine being gone: retried before the connection is called lost. */
const HEARTBEAT_PING: PingBudget = { attemptMs: 3_000, budgetMs: 9_000 };
const STATS_RESTART_MS = 1_000;
/** The engine sends a frame a second: a stream silent for ten has stalled. */
const STATS_STALL_MS = 10_000;
/** A read the engine failed is asked again after retryMs, doubling up to this. */
const INSPECT_RETRY_MAX_MS = 30_000;

/**
 * Follows the engine through its events stream (no polling) and one stats stream per running container,
 * reconnecting by itself when the engine goes away.
 */
export class DockerWatcher {
  private scope: ContainerScope;
  private readonly retryMs: number;
  private readonly heartbeatMs: number;
  private readonly statsStallMs: number;
  /** Bumped on every (re)connect so that work from an older connection is dropped. */
  private generation = 0;
  private stopped = true;
  private events: NodeJS.ReadableStream | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private heartbeat: NodeJS.Timeout | null = null;
  private images: ImageSizeCache;
  private readonly known = new Map<string, ContainerInfo>();
  private readonly statsStreams = new Map<string, NodeJS.ReadableStream | PlaceholderStream>();
  /** When each open stats stream last sent a frame (or was opened). */
  private readonly statsHeardAt = new Map<string, number>();
  private readonly inspecting = new Map<string, { again: boolean }>();
  /** Reads the engine failed, to be asked again: no further event may come (an exited container sends none). */
  private readonly inspectRetries = new Map<string, InspectRetry>();
  /** The last `oom` event's time per container (see EventIntent): it counts for the run it happened in. */
  private readonly lastOomAtMs = new Map<string, number>();
  /** Why the last attempt failed, said again while the next one is made; cleared once connected. */
  private lastFailure: string | null = null;
  /** Set by the first frame with a pid count: from then on a frame without one means no process. */
  private engineCountsPids = false;

  constructor(
    private readonly docker: Docker,
    private readonly sink: DockerSink,
    options: WatcherOptions,
  ) {
    this.scope = options.scope;
    this.retryMs = options.retryMs ?? 1_000;
    this.heartbeatMs = options.heartbeatMs ?? HEARTBEAT_MS;
    this.statsStallMs = options.statsStallMs ?? STATS_STALL_MS;
    this.images = new ImageSizeCache(docker);
  }

  start(): void {
    this.stopped = false;
    void this.connect();
  }

  stop(): void {
    this.stopped = true;
    this.teardown();
  }

  setShowAll(showAll: boolean): void {
    if (showAll === this.scope.showAll) return;
    this.scope = { ...this.scope, showAll };
    if (!this.stopped) {
      this.teardown();
      void this.connect();
    }
  }

  private teardown(): void {
    this.generation++;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
    destroyStream(this.events);
    this.events = null;
    for (const stream of this.statsStreams.values()) destroyStream(stream);
    this.statsStreams.clear();
    this.statsHeardAt.clear();
    this.inspecting.clear();
    for (const retry of this.inspectRetries.values()) clearTimeout(retry.timer ?? undefined);
    this.inspectRetries.clear();
    this.known.clear();
  }

  private async connect(): Promise<void> {
    const generation = this.generation;
    const current = () => generation === this.generation && !this.stopped;
    this.sink.connection(this.lastFailure ? { state: 'connecting', lastError: this.lastFailure } : { state: 'connecting' });
    try {
      await pingEngine(this.docker, CONNECT_PING);
      const events = await this.docker.getEvents({ filters: { type: ['container'], event: [...STATE_ACTIONS] } });
      if (!current()) return destroyStream(events);
      this.events = events;
      // Events that arrive while the listing is in flight may be newer than what the listing read, and the
      // sync below replaces everything: they are held and replayed after it, or a health change is lost.
      let heldUntilSynced: EngineEvent[] | null = [];
      onJsonLines(events, (event) => {
        if (heldUntilSynced) heldUntilSynced.push(event as EngineEvent);
        else this.onEvent(event as EngineEvent, generation);
      });
      const lost = (error?: unknown) => this.onConnectionLost(generation, error ?? new Error('events stream ended'));
      events.on('error', lost);
      events.on('end', () => lost());
      events.on('close', () => lost());
      this.images = new ImageSizeCache(this.docker);
      const [listed, lastOoms] = await Promise.all([listContainers(this.docker, this.scope, this.images), readLastOoms(this.docker, Date.now())]);
      if (!current()) return;
      for (const [id, at] of lastOoms) this.lastOomAtMs.set(id, at);
      const containers = listed.map((c) => withReportedOom(c, this.lastOomAtMs.get(c.id)));
      for (const c of containers) this.known.set(c.id, c);
      this.sink.sync(containers);
      this.lastFailure = null;
      this.sink.connection({ state: 'connected' });
      for (const c of containers) this.followStats(c, generation);
      const held = heldUntilSynced;
      heldUntilSynced = null;
      for (const event of held) this.onEvent(event, generation);
      let beating = false;
      this.heartbeat = setInterval(() => {
        this.reopenStalledStats(generation);
        if (beating) return;
        beating = true;
        pingEngine(this.docker, HEARTBEAT_PING)
          .catch((error: unknown) => this.onConnectionLost(generation, error))
          .finally(() => (beating = false));
      }, this.heartbeatMs);
    } catch (error) {
      this.onConnectionLost(generation, error);
    }
  }

  private onConnectionLost(generation: number, error: unknown): void {
    if (generation !== this.generation || this.stopped) return;
    this.teardown();
    const retryAt = Date.now() + this.retryMs;
    this.lastFailure = describeEngineError(error);
    this.sink.connection({ state: 'unreachable', error: this.lastFailure, retryAt });
    this.retryTimer = setTimeout(() => void this.connect(), this.retryMs);
  }

  private onEvent(event: EngineEvent, generation: number): void {
    if (generation !== this.generation) return;
    const intent = intentForEvent(event);
    if (intent.kind === 'remove') {
      // A read in flight would otherwise bring back the container it started reading before the removal.
      const inFlight = this.inspecting.get(intent.id);
      if (inFlight) inFlight.again = true;
      this.forget(intent.id);
    }
    if (intent.kind !== 'inspect') return;
    if (intent.oomAtMs !== undefined) this.lastOomAtMs.set(intent.id, intent.oomAtMs);
    void this.refresh(intent.id, generation);
  }

  private forget(id: string): void {
    this.lastOomAtMs.delete(id);
    this.clearInspectRetry(id);
    if (!this.known.delete(id)) return;
    destroyStream(this.statsStreams.get(id) ?? null);
    this.statsStreams.delete(id);
    this.statsHeardAt.delete(id);
    this.sink.remove(id);
  }

  /** Re-reads a container; events arriving while a read is in flight cause exactly one more read. */
  private async refresh(id: string, generation: number): Promise<void> {
    const inFlight = this.inspecting.get(id);
    if (inFlight) {
      inFlight.again = true;
      return;
    }
    const marker = { again: false };
    this.inspecting.set(id, marker);
    try {
      do {
        marker.again = false;
        const read = await inspectContainer(this.docker, id, this.images);
        if (generation !== this.generation) return;
        const info = read && withReportedOom(read, this.lastOomAtMs.get(id));
        if (!info || !inScope(info.labels, this.scope)) this.forget(id);
        else {
          this.known.set(id, info);
          this.sink.upsert(info);
          this.followStats(info, generation);
        }
      } while (marker.again);
      this.clearInspectRetry(id);
    } catch {
      // A lost engine is the events stream's to report; an engine that answers is asked again.
      if (generation === this.generation) this.retryInspect(id, generation);
    } finally {
      if (this.inspecting.get(id) === marker) this.inspecting.delete(id);
    }
  }

  /** One read due per container: failures of reads the events asked for meanwhile do not push it back. */
  private retryInspect(id: string, generation: number): void {
    const previous = this.inspectRetries.get(id);
    if (previous?.timer) return;
    const attempts = previous?.attempts ?? 0;
    const retry: InspectRetry = { attempts: attempts + 1, timer: null };
    retry.timer = setTimeout(() => {
      retry.timer = null;
      void this.refresh(id, generation);
    }, Math.min(this.retryMs * 2 ** attempts, INSPECT_RETRY_MAX_MS));
    retry.timer.unref();
    this.inspectRetries.set(id, retry);
  }

  private clearInspectRetry(id: string): void {
    clearTimeout(this.inspectRetries.get(id)?.timer ?? undefined);
    this.inspectRetries.delete(id);
  }

  private followStats(info: ContainerInfo, generation: number): void {
    const running = info.state === 'running';
    const stream = this.statsStreams.get(info.id);
    if (!running) {
      destroyStream(stream ?? null);
      this.statsStreams.delete(info.id);
      this.statsHeardAt.delete(info.id);
      return;
    }
    if (stream) return;
    void this.openStats(info.id, generation);
  }

  private async openStats(id: string, generation: number): Promise<void> {
    const placeholder = new PlaceholderStream();
    this.statsStreams.set(id, placeholder);
    let stream: NodeJS.ReadableStream;
    try {
      stream = await this.docker.getContainer(id).stats({ stream: true });
    } catch {
      // A container that stopped meanwhile is not reopened; one the engine failed to open is, or it shows no stats.
      if (this.statsStreams.get(id) !== placeholder) return;
      this.statsStreams.delete(id);
      return this.reopenStatsLater(id, generation);
    }
    if (generation !== this.generation || this.statsStreams.get(id) !== placeholder) return destroyStream(stream);
    this.statsStreams.set(id, stream);
    this.statsHeardAt.set(id, Date.now());
    onJsonLines(stream, (frame) => {
      this.statsHeardAt.set(id, Date.now());
      const raw = frame as EngineStats;
      if (!this.engineCountsPids && showsPidCounting(raw)) this.engineCountsPids = true;
      if (hasPreviousSample(raw) && !isEmptySample(raw)) this.sink.stats(id, computeStats(raw, this.engineCountsPids));
    });
    const ended = () => {
      if (this.statsStreams.get(id) !== stream) return;
      this.statsStreams.delete(id);
      this.reopenStatsLater(id, generation);
    };
    stream.on('end', ended);
    stream.on('error', ended);
  }

  /** A stream that stopped sending while its container runs is closed and opened again; its figures show as stale meanwhile. */
  private reopenStalledStats(generation: number): void {
    const now = Date.now();
    for (const [id, stream] of this.statsStreams) {
      if (stream instanceof PlaceholderStream || now - (this.statsHeardAt.get(id) ?? now) < this.statsStallMs) continue;
      this.statsStreams.delete(id);
      this.statsHeardAt.delete(id);
      destroyStream(stream);
      this.reopenStatsLater(id, generation);
    }
  }

  /** The engine ends a stats stream when the container stops: reopened only if the container still runs. */
  private reopenStatsLater(id: string, generation: number): void {
    setTimeout(() => {
      const info = this.known.get(id);
      if (info && generation === this.generation) this.followStats(info, generation);
    }, STATS_RESTART_MS);
  }
}

/** A failed read to be asked again: how many times it was, and the timer while one is due. */
interface InspectRetry {
  attempts: number;
  timer: NodeJS.Timeout | null;
}

/** Holds a container's slot while its stats stream is being opened, so it is opened once. */
class PlaceholderStream {
  destroy(): void {}
}

function destroyStream(stream: NodeJS.ReadableStream | PlaceholderStream | null): void {
  (stream as { destroy?: () => void } | null)?.destroy?.();
}
