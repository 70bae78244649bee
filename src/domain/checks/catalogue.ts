/**
 * The runbook catalogue: every check, by scope, in one table (popeye-style codes). The checks themselves live in
 * one file per scope; this is the one place that lists them.
 */
import { CLOUD_RUN_CHECKS } from './cloud-run-checks';
import { CONTAINER_CHECKS } from './container-checks';
import { DOCKERFILE_CHECKS } from './dockerfile-checks';
import { HOST_CHECKS } from './host-checks';
import { SERVICE_IMAGE_CHECKS } from './image-checks';
import { STACK_CHECKS } from './stack-checks';
import type { CheckDefinition, CheckScope } from './types';

export const CATALOGUE = {
  container: CONTAINER_CHECKS,
  service: SERVICE_IMAGE_CHECKS,
  stack: STACK_CHECKS,
  dockerfile: DOCKERFILE_CHECKS,
  host: HOST_CHECKS,
  cloudrun: CLOUD_RUN_CHECKS,
} as const satisfies Record<CheckScope, readonly CheckDefinition<never>[]>;

export type CatalogueEntry = Pick<CheckDefinition<unknown>, 'code' | 'title' | 'severity' | 'scope' | 'guide' | 'fix' | 'safeFix'>;

/** Every check, in code order, without its probe: what the docs and `--json` consumers list. */
export function catalogueEntries(): CatalogueEntry[] {
  const all: CatalogueEntry[] = Object.values(CATALOGUE).flat();
  return all.map(({ code, title, severity, scope, guide, fix, safeFix }) => ({ code, title, severity, scope, guide, fix, safeFix })).sort((a, b) => a.code.localeCompare(b.code));
}

export function isKnownCode(code: string): boolean {
  return Object.values(CATALOGUE).some((checks) => checks.some((check) => check.code === code));
}
