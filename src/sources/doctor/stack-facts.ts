/**
 * The configured stacks as the compose CLI reads them: whether each variant's files validate (`compose config`),
 * whether each service's image is on the engine (inspected, never pulled), and the Dockerfiles they build from.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import type Docker from 'dockerode';
import { parse } from 'yaml';
import type { DockerEndpoint } from '../../config/docker-host';
import type { ComposeFacts, DockerfileFacts, DoctorFacts, ServiceImageFacts } from '../../domain/checks/types';
import { errorLine, printable } from '../../domain/printable';
import type { ComposeServiceModel, StackDefinition, StackVariant } from '../../domain/stacks';
import { ComposeError, composeEnvironment, detectCompose, runCompose, stripAnsi, type ComposeCli } from '../compose/compose-cli';
import { parseComposeConfig } from '../compose/compose-model';
import { describeEngineError } from '../docker/client';
import { serviceLocation } from './compose-location';

export type DoctorFailure = DoctorFacts['failures'][number];

export interface StackFactsDeps {
  docker: Docker;
  /** The docker CLI (`docker` on PATH or a path): compose v2 runs as its plugin, v1 is found next to it. */
  dockerCli: string;
  endpoint: DockerEndpoint;
}

export interface StackFacts {
  compose: ComposeFacts[];
  images: ServiceImageFacts[];
  dockerfiles: DockerfileFacts[];
  failures: DoctorFailure[];
}

const CONFIG_TIMEOUT_MS = 60_000;
/** compose's refusal is a few lines (v1: "The Compose file … is invalid because:" and the reasons). */
const ERROR_LINES = 4;
const MAX_ERROR_CHARS = 500;
const VARIANTS: readonly StackVariant[] = ['alpine', 'regular'];

/** One service's build: where its Dockerfile is, as `compose config` resolved it. */
interface BuildSource {
  service: string;
  context: string;
  dockerfile: string;
}

/** One stack variant that `compose config` accepted. */
interface ResolvedVariant {
  stack: StackDefinition;
  variant: StackVariant;
  services: ComposeServiceModel[];
  builds: BuildSource[];
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Build contexts and Dockerfiles from `compose config` output: both CLIs print the context as an absolute path
 * and the Dockerfile relative to it (or absolute). A remote context (a git URL) or an inline Dockerfile has no file here.
 */
export function buildSources(configText: string): BuildSource[] {
  const document: unknown = parse(configText, { maxAliasCount: 1000 });
  const services = isMap(document) && isMap(document.services) ? document.services : {};
  const sources: BuildSource[] = [];
  for (const [service, spec] of Object.entries(services)) {
    if (!isMap(spec) || spec.build === undefined || spec.build === null) continue;
    const build = typeof spec.build === 'string' ? { context: spec.build } : isMap(spec.build) ? spec.build : {};
    const context = typeof build.context === 'string' ? build.context : '';
    if (!isAbsolute(context) || build.dockerfile_inline !== undefined) continue;
    const dockerfile = typeof build.dockerfile === 'string' ? build.dockerfile : 'Dockerfile';
    sources.push({ service, context, dockerfile: isAbsolute(dockerfile) ? dockerfile : resolve(context, dockerfile) });
  }
  return sources;
}

/** compose's first words on why it refused the files, in one printable line. */
function composeWords(error: ComposeError): string {
  const lines = stripAnsi(error.output)
    .split(/\r?\n/)
    .map((line) => line.trim().replace(/^(ERROR|Error|error):\s*/, ''))
    .filter(Boolean);
  const words = printable(lines.slice(0, ERROR_LINES).join(' ')) || error.message;
  return words.length > MAX_ERROR_CHARS ? `${words.slice(0, MAX_ERROR_CHARS)}…` : words;
}

/** `compose config` of one variant: its verdict, and the services when it accepted the files. */
async function resolveVariant(
  cli: ComposeCli,
  deps: StackFactsDeps,
  stack: StackDefinition,
  variant: StackVariant,
): Promise<{ facts: ComposeFacts; resolved: ResolvedVariant | null }> {
  const files = stack.files[variant];
  const facts = (valid: boolean, error: string | null): ComposeFacts => ({ stack: stack.name, variant, files: files.map(printable), valid, error });
  if (files.length === 0) return { facts: facts(false, `stack ${stack.name} lists no compose files for ${variant}`), resolved: null };
  const missing = files.find((file) => !existsSync(file));
  if (missing && stack.implicit) {
    const absent = `not checked: no stacks: in the config, and the default ${printable(stack.name)} stack's ${printable(missing)} is not here (run in the platform checkout, or configure stacks:)`;
    return { facts: { ...facts(false, null), absent }, resolved: null };
  }
  if (missing) return { facts: facts(false, `compose file ${printable(missing)} does not exist`), resolved: null };
  const env = composeEnvironment({ cli: deps.dockerCli, endpoint: deps.endpoint, stackEnv: stack.env });
  let stdout: string;
  try {
    ({ stdout } = await runCompose(cli, ['config'], { files, project: stack.project, env, timeoutMs: CONFIG_TIMEOUT_MS }));
  } catch (error) {
    // A refusal comes with compose's words; a compose that could not run (or was killed) says nothing about the files.
    if (error instanceof ComposeError && error.output.trim()) return { facts: facts(false, composeWords(error)), resolved: null };
    throw error;
  }
  const model = parseComposeConfig(stdout, { project: stack.project });
  return { facts: facts(true, null), resolved: { stack, variant, services: model.services, builds: buildSources(stdout) } };
}

/** Whether the engine has the image, by name: inspected, never pulled. Rejects when the engine does not answer. */
async function imagePresence(docker: Docker, name: string): Promise<{ present: boolean; sizeBytes: number | null }> {
  try {
    const image = await docker.getImage(name).inspect();
    return { present: true, sizeBytes: image.Size ?? null };
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404) return { present: false, sizeBytes: null };
    throw error;
  }
}

async function readImages(docker: Docker, variants: readonly ResolvedVariant[], service: string | undefined): Promise<ServiceImageFacts[]> {
  const lookups = new Map<string, Promise<{ present: boolean; sizeBytes: number | null }>>();
  const wanted = variants.flatMap((v) => v.services.filter((s) => s.image && (!service || s.name === service)).map((s) => ({ v, s })));
  return Promise.all(
    wanted.map(async ({ v, s }) => {
      if (!lookups.has(s.image)) lookups.set(s.image, imagePresence(docker, s.image));
      const [presence, composeLocation] = await Promise.all([lookups.get(s.image)!, serviceLocation(v.stack.files[v.variant], s.name)]);
      return {
        stack: v.stack.name,
        variant: v.variant,
        service: printable(s.name),
        image: printable(s.image),
        ...presence,
        buildable: s.build !== null,
        composeLocation,
      };
    }),
  );
}

/** Every Dockerfile the variants build from, once per path, with the `stack/service`s that use it. */
async function readDockerfiles(
  variants: readonly ResolvedVariant[],
  service: string | undefined,
): Promise<{ dockerfiles: DockerfileFacts[]; failures: DoctorFailure[] }> {
  const byPath = new Map<string, { contexts: Set<string>; usedBy: Set<string> }>();
  for (const v of variants) {
    for (const build of v.builds.filter((b) => !service || b.service === service)) {
      const entry = byPath.get(build.dockerfile) ?? { contexts: new Set<string>(), usedBy: new Set<string>() };
      entry.contexts.add(build.context);
      entry.usedBy.add(`${v.stack.name}/${build.service}`);
      byPath.set(build.dockerfile, entry);
    }
  }
  const dockerfiles: DockerfileFacts[] = [];
  const failures: DoctorFailure[] = [];
  for (const [path, { contexts, usedBy }] of byPath) {
    const users = [...usedBy].sort().map(printable);
    try {
      const text = await readFile(path, 'utf8');
      // A Dockerfile built from several contexts is only covered when each of them has one.
      const dockerignore = [...contexts].every((context) => existsSync(join(context, '.dockerignore')));
      dockerfiles.push({ path: printable(path), text, dockerignore, usedBy: users });
    } catch (error) {
      failures.push({ scope: 'dockerfile', message: `cannot read ${printable(path)} (built by ${users.join(', ')}): ${errorLine(error)}` });
    }
  }
  return { dockerfiles, failures };
}

/** Compose could not read `what`: its verdict, its images and its Dockerfiles are all unknown, and each scope says so. */
function unread(what: string, why: string): DoctorFailure[] {
  return [
    { scope: 'stack', message: `cannot read ${what} with compose: ${why}` },
    { scope: 'service', message: `images of ${what} not checked: ${why}` },
    { scope: 'dockerfile', message: `Dockerfiles of ${what} not found: ${why}` },
  ];
}

/**
 * Compose verdicts for every variant of the stacks, and (narrowed to `service` when given) their images and
 * Dockerfiles. What cannot be read is a failure of its scope, never an empty answer.
 */
export async function readStackFacts(
  deps: StackFactsDeps,
  stacks: readonly StackDefinition[],
  options: { service?: string; /** Why the engine cannot be asked about images (it did not answer a ping). */ engineProblem?: string | null } = {},
): Promise<StackFacts> {
  const { service, engineProblem } = options;
  let cli: ComposeCli;
  try {
    cli = await detectCompose(deps.dockerCli, composeEnvironment({ cli: deps.dockerCli, endpoint: deps.endpoint }));
  } catch (error) {
    return { compose: [], images: [], dockerfiles: [], failures: unread('the stacks', errorLine(error)) };
  }
  const failures: DoctorFailure[] = [];
  const results = await Promise.all(
    stacks.flatMap((stack) =>
      VARIANTS.map((variant) =>
        resolveVariant(cli, deps, stack, variant).catch((error: unknown) => {
          failures.push(...unread(`stack ${stack.name} (${variant})`, errorLine(error)));
          return null;
        }),
      ),
    ),
  );
  const read = results.filter((r) => r !== null);
  const resolved = read.map((r) => r.resolved).filter((r): r is ResolvedVariant => r !== null);
  const imagesUnread = (why: string): ServiceImageFacts[] => {
    failures.push({ scope: 'service', message: `cannot inspect the stacks' images: ${printable(why)}` });
    return [];
  };
  const [images, dockerfiles] = await Promise.all([
    engineProblem
      ? imagesUnread(engineProblem)
      : readImages(deps.docker, resolved, service).catch((error: unknown) => imagesUnread(describeEngineError(error))),
    readDockerfiles(resolved, service),
  ]);
  return { compose: read.map((r) => r.facts), images, dockerfiles: dockerfiles.dockerfiles, failures: [...failures, ...dockerfiles.failures] };
}
