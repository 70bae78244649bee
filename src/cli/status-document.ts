import type { Alert, ContainerInfo, ContainerStats } from '../domain/types';

export interface StatusDocument {
  docker: {
    host: string;
    reachable: boolean;
    error: string | null;
    containers: Array<{
      id: string;
      name: string;
      project: string | null;
      service: string | null;
      image: string;
      imageSizeBytes: number | null;
      variant: string;
      state: string;
      health: string;
      restarts: number;
      exitCode: number | null;
      oomKilled: boolean;
      startedAt: string | null;
      stats: ContainerStats | null;
    }>;
  };
  alerts: Alert[];
}

/** The `status --json` document (schema in the README). */
export function buildStatusDocument(input: {
  host: string;
  error: string | null;
  containers: readonly ContainerInfo[];
  stats: Readonly<Record<string, ContainerStats>>;
  alerts: Alert[];
}): StatusDocument {
  return {
    docker: {
      host: input.host,
      reachable: input.error === null,
      error: input.error,
      containers: input.containers.map((c) => ({
        id: c.id,
        name: c.name,
        project: c.project,
        service: c.service,
        image: c.image,
        imageSizeBytes: c.imageSizeBytes,
        variant: c.variant,
        state: c.state,
        health: c.health,
        restarts: c.restarts,
        exitCode: c.exitCode,
        oomKilled: c.oomKilled,
        startedAt: c.startedAt,
        stats: input.stats[c.id] ?? null,
      })),
    },
    alerts: input.alerts,
  };
}
