/** Stacks, compose models and an in-memory StackPort for the pure switch-flow tests (the real one has integration tests). */
import type { ComposeModel, ComposeServiceModel, StackDefinition, StackVariant } from '../../src/domain/stacks';
import type { ContainerInfo } from '../../src/domain/types';
import type { StackEvent, StackPort } from '../../src/flows/stack-port';

export const STACK: StackDefinition = {
  name: 'test',
  project: 'netra-test',
  files: { alpine: ['/x/docker-compose.alpine-test.yml'], regular: ['/x/docker-compose.test.yml'] },
  env: {},
};

const MIB = 1024 * 1024;

export function serviceModel(name: string, variant: StackVariant, overrides: Partial<ComposeServiceModel> = {}): ComposeServiceModel {
  return {
    name,
    image: variant === 'alpine' ? `netra-alpine-test-${name}:latest` : `netra-test-${name}:latest`,
    build: { args: { BASE_IMAGE: variant === 'alpine' ? 'python:3.11-alpine3.19' : 'python:3.11-slim' } },
    oneShot: false,
    health: { startPeriodSeconds: variant === 'alpine' ? 10 : 30, intervalSeconds: 1, timeoutSeconds: 1, retries: 3 },
    memLimitBytes: (variant === 'alpine' ? 256 : 1024) * MIB,
    cpus: variant === 'alpine' ? 0.4 : 1,
    volumes: [],
    dependsOn: [],
    ...overrides,
  };
}

/** postgres (volume per variant) → migration (one-shot) → backend. */
export function model(variant: StackVariant): ComposeModel {
  return {
    services: [
      serviceModel('postgres', variant, { volumes: [`postgres-data-${variant}`] }),
      serviceModel('migration', variant, { oneShot: true, health: null, dependsOn: ['postgres'] }),
      serviceModel('backend', variant, { dependsOn: ['migration'] }),
    ],
  };
}

export function container(service: string, variant: StackVariant, overrides: Partial<ContainerInfo> = {}): ContainerInfo {
  return {
    id: `${service}-${variant}-1`,
    name: `netra-test_${service}_1`,
    project: 'netra-test',
    service,
    image: serviceModel(service, variant).image,
    imageId: `sha256:${service}`,
    imageSizeBytes: 10 * MIB,
    variant,
    state: 'running',
    health: 'healthy',
    lastHealthFailure: null,
    restarts: 0,
    exitCode: 0,
    oomKilled: false,
    startedAt: '2026-12-02T06:00:00Z',
    startupSeconds: null,
    finishedAt: null,
    labels: {},
    ...overrides,
  };
}

/** The variant running and healthy, as the engine would list it. */
export function runningStack(variant: StackVariant): ContainerInfo[] {
  return [container('postgres', variant), container('migration', variant, { state: 'exited', exitCode: 0 }), container('backend', variant)];
}

export interface FakeBehaviour {
  /** Services of a variant that never become healthy. */
  unhealthy?: Partial<Record<StackVariant, string[]>>;
  /** Services that stay `starting` (for timeouts). */
  hang?: string[];
  missingImages?: string[];
  resolveError?: Partial<Record<StackVariant, string>>;
}

/** A stack on an imaginary engine: `up` starts the variant's containers and reports events as an engine would. */
export class FakeStackPort implements StackPort {
  containersNow: ContainerInfo[];
  calls: string[] = [];
  private listeners = new Set<(e: StackEvent) => void>();
  private clock = Date.UTC(2026, 11, 2, 6);

  constructor(
    running: ContainerInfo[],
    private behaviour: FakeBehaviour = {},
  ) {
    this.containersNow = running;
  }

  async resolve(_stack: StackDefinition, variant: StackVariant): Promise<ComposeModel> {
    const error = this.behaviour.resolveError?.[variant];
    if (error) throw new Error(error);
    return model(variant);
  }
  async containers(): Promise<ContainerInfo[]> {
    return this.containersNow.map((c) => ({ ...c }));
  }
  async imageSizes(images: readonly string[]): Promise<Record<string, number | null>> {
    return Object.fromEntries(images.map((i) => [i, this.behaviour.missingImages?.includes(i) ? null : 10 * MIB]));
  }
  async volumes(): Promise<string[]> {
    return [];
  }
  async hostResources() {
    return { memAvailableBytes: 8 * 1024 * MIB, diskFreeBytes: 50 * 1024 * MIB };
  }
  async build(_s: StackDefinition, variant: StackVariant, services: readonly string[], onLine: (line: string) => void): Promise<void> {
    this.calls.push(`build ${variant} ${services.join(',')}`);
    onLine('#1 [internal] load build definition');
    this.behaviour.missingImages = [];
  }
  async down(_s: StackDefinition, variant: StackVariant): Promise<void> {
    this.calls.push(`down ${variant}`);
    this.containersNow = [];
  }
  async up(_s: StackDefinition, variant: StackVariant): Promise<void> {
    this.calls.push(`up ${variant}`);
    const unhealthy = this.behaviour.unhealthy?.[variant] ?? [];
    this.containersNow = model(variant).services.map((s) => container(s.name, variant, { state: 'running', health: s.health ? 'starting' : 'none' }));
    for (const c of this.containersNow) this.emit(c, 'start');
    // The engine reports health a moment later, as events.
    setImmediate(() => {
      for (const c of this.containersNow) {
        const s = model(variant).services.find((m) => m.name === c.service)!;
        if (this.behaviour.hang?.includes(s.name)) continue;
        if (s.oneShot) {
          Object.assign(c, { state: 'exited', exitCode: 0 });
          this.emit(c, 'die');
        } else if (unhealthy.includes(s.name)) {
          c.health = 'unhealthy';
          this.emit(c, 'health_status: unhealthy');
        } else {
          c.health = 'healthy';
          this.emit(c, 'health_status: healthy');
        }
      }
    });
  }
  events(_p: string, _since: number, onEvent: (e: StackEvent) => void): () => void {
    this.listeners.add(onEvent);
    return () => this.listeners.delete(onEvent);
  }
  async memorySamples(_id: string, count: number): Promise<number[]> {
    return Array.from({ length: count }, (_, i) => (40 + i) * MIB);
  }
  async healthOutputs(id: string): Promise<string[]> {
    return [`${id}: connection refused`];
  }
  async logTail(id: string): Promise<string[]> {
    return [`${id}: Error loading shared library libc.so.6: No such file or directory`];
  }
  private emit(c: ContainerInfo, action: string): void {
    this.clock += 1500;
    for (const listener of this.listeners) listener({ containerId: c.id, service: c.service!, action, timeMs: this.clock });
  }
}
