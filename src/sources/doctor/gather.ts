/**
 * One doctor run's facts, gathered from the engine, the compose CLI, the disk and Cloud Run at once. A scope that
 * cannot be read becomes a `failures` entry (one line): the run itself never fails for it.
 */
import type Docker from 'dockerode';
import type { DockerEndpoint } from '../../config/docker-host';
import type { DoctorSelection } from '../../domain/checks/selection';
import type { CheckScope, DoctorFacts } from '../../domain/checks/types';
import { errorLine, printable } from '../../domain/printable';
import { matchesProjects } from '../../domain/project-scope';
import type { StackDefinition, StackMeasurements } from '../../domain/stacks';
import { describeEngineError } from '../docker/client';
import { ONE_OFF_PING, pingEngine } from '../docker/ping';
import { readCloudRunFacts, type CloudRunScope } from './cloud-run-facts';
import { readContainerFacts } from './container-facts';
import { readHostFacts } from './host-facts';
import { readStackFacts, type DoctorFailure } from './stack-facts';

export type { CloudRunScope } from './cloud-run-facts';

export interface DoctorDeps {
  docker: Docker;
  endpoint: DockerEndpoint;
  /** The docker CLI that runs compose (config `docker.cli`). */
  dockerCli: string;
  stacks: readonly StackDefinition[];
  /** Compose project patterns of the containers read when nothing narrows the run (config `docker.projects`); the stacks' projects by default. */
  projects?: readonly string[];
  /** Cloud Run to read; none = no Cloud Run facts (and no failure). */
  cloudRun?: CloudRunScope | null;
  /** The stacks' last measurements (start-up of what they started). */
  measurements?: StackMeasurements;
}

export type { DoctorSelection } from '../../domain/checks/selection';

export type DoctorProgress = (scope: CheckScope, state: 'running' | 'done') => void;

const PROJECT_LABEL = 'com.docker.compose.project';
const SERVICE_LABEL = 'com.docker.compose.service';

interface Listed {
  Id: string;
  Names?: string[];
  Labels?: Record<string, string>;
}

/** The container named (`web`, `/web`) or an id prefix of it; an exact name wins over an id prefix. */
function findContainer(listed: readonly Listed[], wanted: string): Listed | undefined {
  const name = wanted.replace(/^\//, '');
  return listed.find((c) => (c.Names ?? []).some((n) => n.replace(/^\//, '') === name)) ?? listed.find((c) => c.Id.startsWith(wanted));
}

/** The ids of the containers the selection covers, or why there is none to read. */
function selectContainers(
  listed: readonly Listed[],
  deps: DoctorDeps,
  selection: DoctorSelection,
  stacks: readonly StackDefinition[],
): string[] | string {
  if (selection.container) {
    const found = findContainer(listed, selection.container);
    return found ? [found.Id] : `no container named ${printable(selection.container)} (nor with that id) on ${deps.endpoint.display}`;
  }
  const projects = selection.stack ? stacks.map((s) => s.project) : (deps.projects ?? deps.stacks.map((s) => s.project));
  const inScope = (c: Listed) => {
    const project = c.Labels?.[PROJECT_LABEL] ?? null;
    const inProject = selection.stack ? projects.includes(project ?? '') : matchesProjects(project, projects);
    return inProject && (!selection.service || c.Labels?.[SERVICE_LABEL] === selection.service);
  };
  return listed.filter(inScope).map((c) => c.Id);
}

/** A scope that cannot be read, said in full (no prefix added). */
class Unreadable extends Error {}

/** Runs `read` as the work of `scopes`, telling `onProgress`; a rejection is the first scope's failure, in `what`'s words. */
async function scoped(
  scopes: CheckScope[],
  context: { onProgress: DoctorProgress; failures: DoctorFailure[] },
  what: (error: unknown) => string,
  read: () => Promise<void>,
): Promise<void> {
  for (const scope of scopes) context.onProgress(scope, 'running');
  try {
    await read();
  } catch (error) {
    context.failures.push({ scope: scopes[0]!, message: error instanceof Unreadable ? error.message : what(error) });
  } finally {
    for (const scope of scopes) context.onProgress(scope, 'done');
  }
}

/**
 * Cloud Run's part of the selection: all configured services; for --service, that one when it is configured, or,
 * when every service of the region is shown (services: []), every one read and only it kept (`only`): a compose
 * service name is no Cloud Run service, and is then simply not there.
 */
function cloudRunScope(deps: DoctorDeps, selection: DoctorSelection): (CloudRunScope & { only?: string }) | null {
  if (!deps.cloudRun || selection.container || selection.stack) return null;
  if (!selection.service) return deps.cloudRun;
  if (deps.cloudRun.services.length === 0) return { ...deps.cloudRun, only: selection.service };
  return deps.cloudRun.services.includes(selection.service) ? { ...deps.cloudRun, services: [selection.service] } : null;
}

export async function gatherDoctorFacts(
  deps: DoctorDeps,
  selection: DoctorSelection = {},
  onProgress: DoctorProgress = () => {},
): Promise<DoctorFacts> {
  const facts: DoctorFacts = { containers: [], images: [], compose: [], dockerfiles: [], host: null, cloudRun: [], failures: [] };
  const stacks = selection.stack ? deps.stacks.filter((s) => s.name === selection.stack) : deps.stacks;
  if (selection.stack && stacks.length === 0) {
    const known = deps.stacks.map((s) => s.name).join(', ') || 'none';
    facts.failures.push({ scope: 'stack', message: `unknown stack ${printable(selection.stack)}; the configured stacks are: ${known}` });
  }
  const engine = `Docker engine at ${deps.endpoint.display}`;
  // Every scope starts at once; those that need the engine wait for its answer to one ping.
  const engineProblem = pingEngine(deps.docker, ONE_OFF_PING).then(
    () => null,
    (error: unknown) => `${engine} does not answer: ${describeEngineError(error)}`,
  );
  const engineUp = async () => {
    const problem = await engineProblem;
    if (problem) throw new Unreadable(problem);
  };
  const now = Date.now();
  const context = { onProgress, failures: facts.failures };
  const work: Array<Promise<void>> = [];

  work.push(
    scoped(['container'], context, (e) => `cannot read the containers from the ${engine}: ${describeEngineError(e)}`, async () => {
      await engineUp();
      const listed = (await deps.docker.listContainers({ all: true })) as Listed[];
      const ids = selectContainers(listed, deps, selection, stacks);
      if (typeof ids === 'string') throw new Unreadable(ids);
      facts.containers = await readContainerFacts(deps.docker, ids, { stacks: deps.stacks, measurements: deps.measurements, now });
    }),
  );
  if (!selection.stack && !selection.service && !selection.container) {
    work.push(
      scoped(['host'], context, (e) => `cannot read the engine's host: ${describeEngineError(e)}`, async () => {
        await engineUp();
        facts.host = await readHostFacts(deps.docker, deps.endpoint);
      }),
    );
  }
  if (!selection.container) {
    work.push(
      scoped(['stack', 'service', 'dockerfile'], context, (e) => `cannot read the stacks: ${errorLine(e)}`, async () => {
        const read = await readStackFacts(deps, stacks, { service: selection.service, engineProblem: await engineProblem });
        Object.assign(facts, { compose: read.compose, images: read.images, dockerfiles: read.dockerfiles });
        facts.failures.push(...read.failures);
      }),
    );
  }
  const cloud = cloudRunScope(deps, selection);
  if (cloud) {
    work.push(
      scoped(['cloudrun'], context, (e) => `cannot read Cloud Run: ${errorLine(e)}`, async () => {
        const read = await readCloudRunFacts(cloud, now);
        facts.cloudRun = cloud.only === undefined ? read.facts : read.facts.filter((f) => f.service === cloud.only);
        facts.failures.push(...read.failures);
      }),
    );
  }
  await Promise.all(work);
  return facts;
}
