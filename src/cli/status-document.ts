import type { AlertState, AlertView } from '../domain/alert-lifecycle-types';
import { alertSubject } from '../domain/alerts';
import { checkForAlert } from '../domain/checks/alert-checks';
import { resolveRevision, type CloudRunService, type RevisionState } from '../domain/cloud-run';
import type { Alert, ContainerInfo, ContainerStats } from '../domain/types';

export interface CloudRunSection {
  mode: string;
  project: string;
  region: string;
  endpoint: string;
  reachable: boolean;
  error: string | null;
  services: Array<{
    name: string;
    uri: string;
    ready: boolean;
    latestReadyRevision: string | null;
    latestCreatedRevision: string | null;
    reconciling: boolean;
    traffic: Array<{ revision: string | null; percent: number; tag: string | null; latest: boolean }>;
    revisions: Array<{ name: string; ready: boolean; state: RevisionState; message: string | null; createTime: string | null; image: string; variant: string }>;
  }>;
}

export interface StatusDocument {
  docker: {
    host: string;
    reachable: boolean;
    error: string | null;
    /** The engine took over a second to answer its ping, or accepted the connection and never answered. */
    slow: boolean;
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
  cloudRun: CloudRunSection;
  alerts: StatusAlert[];
}

/** An alert with its lifecycle: pending (not true for its hold time yet) or firing, since when, and its runbook check. */
export type StatusAlert = Alert & { state: AlertState; since: string; check: string | null; silenced: boolean; acked: boolean };

/** Each alert with what the lifecycle says of it (its view by key); one the book does not hold yet starts now, pending. */
export function withLifecycle(alerts: readonly Alert[], views: readonly AlertView[], now = Date.now()): StatusAlert[] {
  const byKey = new Map(views.filter((v) => v.state !== 'resolved').map((v) => [v.key, v]));
  return alerts.map((alert) => {
    const view = byKey.get(`${alert.source}/${alert.kind}/${alertSubject(alert)}`);
    return {
      ...alert,
      state: view?.state ?? 'pending',
      since: new Date(view?.since ?? now).toISOString(),
      check: view?.check ?? checkForAlert(alert),
      silenced: (view?.silencedBy.length ?? 0) > 0 || view?.inhibitedBy != null,
      acked: view?.ack != null,
    };
  });
}

/** Cloud Run as `status --json` prints it: short names, LATEST targets resolved to the revision they serve. */
export function cloudRunSection(
  meta: { mode: string; project: string; region: string; endpoint: string },
  services: readonly CloudRunService[],
  error: string | null,
): CloudRunSection {
  return {
    ...meta,
    reachable: error === null,
    error,
    services: services.map((s) => ({
      name: s.name,
      uri: s.uri,
      ready: s.ready,
      latestReadyRevision: s.latestReadyRevision,
      latestCreatedRevision: s.latestCreatedRevision,
      reconciling: s.reconciling,
      traffic: s.traffic.map((t) => ({ revision: resolveRevision(t, s), percent: t.percent, tag: t.tag, latest: t.latest })),
      revisions: s.revisions.map((r) => ({
        name: r.name,
        ready: r.ready,
        state: r.state,
        message: r.message,
        createTime: r.createTime,
        image: r.image,
        variant: r.variant,
      })),
    })),
  };
}

/** The `status --json` document (schema in the README). */
export function buildStatusDocument(input: {
  host: string;
  error: string | null;
  slow: boolean;
  containers: readonly ContainerInfo[];
  stats: Readonly<Record<string, ContainerStats>>;
  cloudRun: CloudRunSection;
  alerts: StatusAlert[];
}): StatusDocument {
  return {
    docker: {
      host: input.host,
      reachable: input.error === null,
      error: input.error,
      slow: input.slow,
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
    cloudRun: input.cloudRun,
    alerts: input.alerts,
  };
}
