/**
 * Every alert kind, by source, checked complete by the compiler: files read back and matchers typed by a person are
 * checked against these, so a new kind is never refused as unknown.
 */
import type { CloudRunAlert, DockerAlert, EngineAlert } from './types';

const DOCKER: Record<DockerAlert['kind'] | EngineAlert['kind'], true> = {
  memory: true,
  cpu: true,
  unhealthy: true,
  'oom-killed': true,
  'crash-loop': true,
  exited: true,
  'no-processes': true,
  'slow-start': true,
  'image-size': true,
  'error-rate': true,
  'engine-unreachable': true,
};

const CLOUD_RUN: Record<CloudRunAlert['kind'], true> = {
  'service-not-ready': true,
  'revision-failed': true,
  'traffic-mismatch': true,
  'service-missing': true,
  'error-rate': true,
};

export const ALERT_KINDS_BY_SOURCE: Readonly<Record<'docker' | 'cloudrun', readonly string[]>> = {
  docker: Object.keys(DOCKER),
  cloudrun: Object.keys(CLOUD_RUN),
};

export const ALERT_KINDS: readonly string[] = [...new Set([...ALERT_KINDS_BY_SOURCE.docker, ...ALERT_KINDS_BY_SOURCE.cloudrun])];
