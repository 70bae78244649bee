/** Today's alerts as lifecycle conditions: each with its runbook check, container alerts with their compose owner. */
import { conditionOf } from './alert-lifecycle';
import type { AlertCondition } from './alert-lifecycle-types';
import { checkForAlert } from './checks/alert-checks';
import type { Alert, ContainerInfo } from './types';

export function alertConditions(alerts: readonly Alert[], containers: readonly ContainerInfo[]): AlertCondition[] {
  const owners = new Map(containers.map((c) => [c.name, { project: c.project, service: c.service }]));
  return alerts.map((alert) => conditionOf(alert, checkForAlert(alert), 'container' in alert ? owners.get(alert.container) : undefined));
}
