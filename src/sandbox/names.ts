import { invalidArgument, notFound } from './rpc-error';

export const PROJECT = 'netra-staging';
export const REGION = 'us-central1';
export const PROJECT_NUMBER = '284019573661';
export const LOCATION = `projects/${PROJECT}/locations/${REGION}`;

export const serviceResource = (service: string) => `${LOCATION}/services/${service}`;
export const revisionResource = (service: string, revision: string) =>
  `${serviceResource(service)}/revisions/${revision}`;

export interface LocationRef {
  location: string;
  /** False for a real region that simply has nothing of netra-staging in it. */
  isHome: boolean;
}

export interface ServiceRef extends LocationRef {
  service: string;
}

export interface RevisionRef extends ServiceRef {
  revision: string;
}

/** `projects/{project}/locations/{location}` of a list request. */
export function parseLocation(parent: string): LocationRef {
  const match = /^projects\/([^/]+)\/locations\/([^/]+)$/.exec(parent);
  if (!match) throw malformed(parent, 'projects/{project}/locations/{location}');
  return checkLocation(match[1] ?? '', match[2] ?? '');
}

/** `projects/{project}/locations/{location}/services/{service}`; `-` is allowed as the service where `wildcard`. */
export function parseService(name: string, wildcard = false): ServiceRef {
  const match = /^projects\/([^/]+)\/locations\/([^/]+)\/services\/([^/]+)$/.exec(name);
  if (!match) throw malformed(name, 'projects/{project}/locations/{location}/services/{service}');
  const service = match[3] ?? '';
  if (service === '-' && !wildcard) {
    throw invalidArgument(`The service name '-' is only allowed when listing revisions: ${name}`);
  }
  return { ...checkLocation(match[1] ?? '', match[2] ?? ''), service };
}

export function parseRevision(name: string): RevisionRef {
  const match = /^projects\/([^/]+)\/locations\/([^/]+)\/services\/([^/]+)\/revisions\/([^/]+)$/.exec(name);
  if (!match) throw malformed(name, 'projects/{project}/locations/{location}/services/{service}/revisions/{revision}');
  return { ...checkLocation(match[1] ?? '', match[2] ?? ''), service: match[3] ?? '', revision: match[4] ?? '' };
}

/** Logging's resource_names: at least one, each `projects/{project}` or one of its log views. */
export function checkLogResources(names: readonly string[]): void {
  if (names.length === 0) {
    throw invalidArgument(`resource_names must name at least one resource, e.g. projects/${PROJECT}.`);
  }
  names.forEach(checkLogResource);
}

function checkLogResource(name: string): void {
  const match = /^projects\/([^/]+)(\/locations\/[^/]+\/buckets\/[^/]+\/views\/[^/]+)?$/.exec(name);
  if (!match) {
    throw invalidArgument(
      `Invalid resource name '${name}': the sandbox serves projects/${PROJECT} (or one of its log views) only`,
    );
  }
  checkProject(match[1] ?? '');
}

export function checkProject(project: string): void {
  if (project !== PROJECT) throw notFound(`Project '${project}' not found or permission denied.`);
}

/** Cloud Run's wording for a missing resource, e.g. kind SERVICE or REVISION. */
export function resourceMissing(kind: 'SERVICE' | 'REVISION', name: string, location: string): Error {
  return notFound(
    `Resource '${name}' of kind '${kind}' in region '${location}' in project '${PROJECT}' does not exist.`,
  );
}

function checkLocation(project: string, location: string): LocationRef {
  checkProject(project);
  if (location === '-') {
    throw invalidArgument(`Location must be a valid Google Cloud region and cannot be the "-" wildcard.`);
  }
  // Any region-shaped name is accepted (and is empty); anything else is not a region at all.
  if (!/^[a-z]+-[a-z]+\d+$/.test(location)) {
    throw invalidArgument(`Location '${location}' is not a valid Google Cloud region.`);
  }
  return { location, isHome: location === REGION };
}

function malformed(name: string, pattern: string): Error {
  return invalidArgument(`Invalid resource name '${name}': expected ${pattern}`);
}
