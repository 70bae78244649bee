import type { Condition, Revision, Timestamp } from '../wire';

const FAILED_TO_START =
  'The user-provided container failed to start and listen on the port defined provided by the PORT=8080 environment variable within the allocated timeout. This can happen when the container port is misconfigured or if the timeout is too short. The health check timeout can be extended. Logs for this revision might contain more information.';

const TROUBLESHOOTING =
  'For more troubleshooting guidance, see https://cloud.google.com/run/docs/troubleshooting#container-failed-to-start';

/** The Ready message of a revision whose container never came up, with the pointers Cloud Run adds. */
export function failedToStartMessage(logUri: string, detail = FAILED_TO_START): string {
  return `${detail}\n\nLogs URL: ${logUri}\n${TROUBLESHOOTING}`;
}

const succeeded = (type: string, at: Timestamp): Condition => ({
  type,
  state: 'CONDITION_SUCCEEDED',
  lastTransitionTime: at,
});

export function revisionReady(at: Timestamp): Condition[] {
  return [succeeded('Ready', at), succeeded('ContainerHealthy', at), succeeded('ResourcesAvailable', at)];
}

export function revisionFailed(at: Timestamp, message: string): Condition[] {
  const failed = (type: string): Condition => ({
    type,
    state: 'CONDITION_FAILED',
    message,
    lastTransitionTime: at,
    severity: 'ERROR',
    revisionReason: 'HEALTH_CHECK_CONTAINER_ERROR',
  });
  return [failed('Ready'), failed('ContainerHealthy'), succeeded('ResourcesAvailable', at)];
}

export function revisionPending(at: Timestamp): Condition[] {
  const pending = (type: string): Condition => ({ type, state: 'CONDITION_RECONCILING', lastTransitionTime: at });
  return [pending('Ready'), pending('ContainerHealthy'), pending('ResourcesAvailable')];
}

function readyState(revision: Revision): Condition['state'] {
  return revision.conditions?.find((c) => c.type === 'Ready')?.state;
}

export const isReady = (revision: Revision) => readyState(revision) === 'CONDITION_SUCCEEDED';

/** Why a part of a service (its configuration or its routes) is not ready; null when it is. */
export type Failure = string | null;

/** A service's Ready (terminal) condition and the two it is made of, as Knative-based Cloud Run reports them. */
export function serviceConditions(
  parts: { configurations: Failure; routes: Failure } | 'reconciling',
  at: Timestamp,
): { terminalCondition: Condition; conditions: Condition[] } {
  if (parts === 'reconciling') {
    const reconciling = (type: string): Condition => ({ type, state: 'CONDITION_RECONCILING', lastTransitionTime: at });
    return {
      terminalCondition: reconciling('Ready'),
      conditions: [reconciling('RoutesReady'), reconciling('ConfigurationsReady')],
    };
  }
  const part = (type: string, failure: Failure): Condition =>
    failure === null
      ? succeeded(type, at)
      : {
          type,
          state: 'CONDITION_FAILED',
          message: failure,
          lastTransitionTime: at,
          severity: 'ERROR',
          reason: 'REVISION_FAILED',
        };
  const firstFailure = parts.configurations ?? parts.routes;
  return {
    terminalCondition: part('Ready', firstFailure),
    conditions: [part('RoutesReady', parts.routes), part('ConfigurationsReady', parts.configurations)],
  };
}
