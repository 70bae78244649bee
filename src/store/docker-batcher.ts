import type { DockerSink } from '../domain/docker-sink';
import type { ConnectionState, ContainerInfo, ContainerStats } from '../domain/types';
import { reduceDocker, type DockerOp } from './docker-reducer';
import { EarliestTimer } from './earliest-timer';
import type { AppStore } from './store';

/**
 * Collects watcher output and writes it to the store at most once per `flushMs` (50 ms = 20 Hz), so a burst of
 * events costs one store update and one render. Stats frames arrive once a second per container, each at its own
 * moment; holding them for `statsFlushMs` folds the frames of many containers into one render.
 */
/** Stream data reaches the store at most 20 times a second, whatever the frame rate. */
export const STREAM_FLUSH_MS = 50;

export class DockerBatcher implements DockerSink {
  private ops: DockerOp[] = [];
  private readonly timer = new EarliestTimer(() => this.flush());

  constructor(
    private readonly store: AppStore,
    private readonly flushMs = STREAM_FLUSH_MS,
    private readonly statsFlushMs = 500,
  ) {}

  connection(connection: ConnectionState): void {
    this.push({ type: 'connection', connection });
  }
  sync(containers: ContainerInfo[]): void {
    this.push({ type: 'sync', containers });
  }
  upsert(container: ContainerInfo): void {
    this.push({ type: 'upsert', container });
  }
  remove(id: string): void {
    this.push({ type: 'remove', id });
  }
  stats(id: string, stats: ContainerStats): void {
    this.push({ type: 'stats', id, stats });
  }

  flush(): void {
    this.timer.cancel();
    if (this.ops.length === 0) return;
    const ops = this.ops;
    this.ops = [];
    const { docker, settings } = this.store.getState();
    const next = reduceDocker(docker, ops, { ...settings, now: Date.now() });
    if (next !== docker) this.store.setState({ docker: next });
  }

  dispose(): void {
    this.timer.cancel();
    this.ops = [];
  }

  private push(op: DockerOp): void {
    this.ops.push(op);
    this.timer.within(op.type === 'stats' ? this.statsFlushMs : this.flushMs);
  }
}
