/**
 * NC3xx: the backend image audit (guide 002) applied to any Dockerfile a stack builds from, as far as the file
 * alone can tell. Every finding points at the line to change and quotes it.
 */
import { printable } from '../printable';
import {
  finalImage,
  lineage,
  parseDockerfile,
  execForm,
  splitFlags,
  type DockerInstruction,
  type DockerStage,
  type ParsedDockerfile,
} from './dockerfile-parse';
import { buildToolsKept, contextSources, dependencyInstall, hasCacheMount, isCodeCopy, manifestMentioned } from './dockerfile-steps';
import { fail, INITS, isRootUser, pass, skip } from './finding';
import { shellWord } from './shell-word';
import type { CheckDefinition, CheckFinding, DockerfileFacts } from './types';

/** Inits that forward signals and reap zombies as PID 1. */
const TINI_FIX =
  'install tini (Alpine: apk add --no-cache tini; Debian: apt-get install -y --no-install-recommends tini) and set ENTRYPOINT ["tini", "--"] in the final stage, keeping the program in CMD';

/** Characters of an instruction quoted in evidence (a RUN joined from its continuation lines can be long). */
const MAX_QUOTE = 160;

function quote(instruction: DockerInstruction): string {
  const text = printable(instruction.text);
  return `line ${instruction.line}: ${text.length > MAX_QUOTE ? `${text.slice(0, MAX_QUOTE)}…` : text}`;
}

function at(facts: DockerfileFacts, instruction: DockerInstruction) {
  return { file: facts.path, line: instruction.line };
}

function stageName(stage: DockerStage): string {
  return stage.name ? `'${stage.name}'` : `from line ${stage.from.line}`;
}

function grep(facts: DockerfileFacts, keywords: string): string {
  return `grep -n -i -E '^\\s*(${keywords})\\b' ${shellWord(facts.path)}`;
}

/** The probe of a check that needs the file's stages: a file with no FROM is no image at all. */
function withStages(probe: (parsed: ParsedDockerfile, facts: DockerfileFacts) => CheckFinding) {
  return (facts: DockerfileFacts): CheckFinding => {
    const parsed = parseDockerfile(facts.text);
    if (parsed.stages.length === 0) {
      return { status: 'error', evidence: [`no FROM instruction in ${printable(facts.path)}: docker cannot build it`] };
    }
    return probe(parsed, facts);
  };
}

/** The last instruction with this keyword, if any (a later USER, ENTRYPOINT or HEALTHCHECK wins). */
function lastOf(instructions: readonly DockerInstruction[], keyword: string): DockerInstruction | undefined {
  return instructions.findLast((instruction) => instruction.keyword === keyword);
}

function installs(parsed: ParsedDockerfile): DockerInstruction[] {
  return parsed.stages.flatMap((stage) => stage.instructions).filter((instruction) => dependencyInstall(instruction) !== null);
}

const multiStage: CheckDefinition<DockerfileFacts> = {
  code: 'NC301',
  title: 'Multi-stage build (builder and runtime stages)',
  severity: 'warning',
  scope: 'dockerfile',
  guide: '002 Missing Optimizations: No Multi-Stage Build',
  fix: 'install and build in a `FROM <base> AS builder` stage, then start the runtime from a fresh `FROM <base> AS runtime` and COPY --from=builder only what it produced',
  command: (facts) => grep(facts, 'FROM'),
  probe: withStages((parsed, facts) => {
    const { stages } = parsed;
    if (stages.length >= 2) return pass(`${stages.length} stages: ${stages.map((s) => quote(s.from)).join('; ')}`);
    const heavy = parsed.instructions.find((i) => dependencyInstall(i) !== null || buildToolsKept(i).length > 0);
    const from = stages[0]!.from;
    if (!heavy) {
      return skip(`one stage (${quote(from)}) and no step installs dependencies or build tools: a builder stage would have nothing to leave behind`);
    }
    const evidence = [`one stage: ${quote(from)}`, `${quote(heavy)}: what it installs to build stays in the final image`];
    return fail(evidence, { location: at(facts, from) });
  }),
};

const cacheMounts: CheckDefinition<DockerfileFacts> = {
  code: 'NC302',
  title: 'BuildKit cache mounts on dependency installs',
  severity: 'info',
  scope: 'dockerfile',
  guide: '002 Missing Optimizations: Missing BuildKit Features',
  fix: 'start each dependency install with RUN --mount=type=cache,target=<the package manager cache>, e.g. --mount=type=cache,target=/root/.cache/pip',
  command: (facts) => grep(facts, 'RUN'),
  probe: withStages((parsed, facts) => {
    const steps = installs(parsed);
    if (steps.length === 0) return skip('no RUN step installs dependencies');
    const missing = steps.filter((step) => !hasCacheMount(step));
    if (missing.length === 0) return pass(...steps.map((step) => `${quote(step)} (cache mount)`));
    const first = missing[0]!;
    const target = dependencyInstall(first)?.cache ?? '<the package manager cache directory>';
    const evidence = missing.map((step) => `${quote(step)}: no --mount=type=cache, every build downloads the packages again`);
    const fix = `start the RUN at line ${first.line} with --mount=type=cache,target=${target} (RUN --mount=type=cache,target=${target} <its command>)`;
    return fail(evidence, { fix, location: at(facts, first) });
  }),
};

/** The instructions an install's image has run before it: its own stage's and those of the stages it is FROM. */
function before(parsed: ParsedDockerfile, install: DockerInstruction): DockerInstruction[] {
  const stage = parsed.stages.find((s) => s.instructions.includes(install))!;
  return lineage(parsed, stage)
    .flatMap((s) => s.instructions)
    .filter((i) => i.line < install.line);
}

function manifestEvidence(parsed: ParsedDockerfile, install: DockerInstruction): string {
  const copies = before(parsed, install).filter((i) => contextSources(i) !== null);
  if (copies.length === 0) return `nothing is copied from the context before the install at line ${install.line}`;
  return `${copies.map(quote).join('; ')} (manifest only) before the install at line ${install.line}`;
}

const manifestFirst: CheckDefinition<DockerfileFacts> = {
  code: 'NC303',
  title: 'Dependency manifest copied before the application code',
  severity: 'warning',
  scope: 'dockerfile',
  guide: '002 Priority 1: Implement Layer Caching (copy requirements.txt first)',
  fix: 'COPY only the dependency manifest (requirements.txt, package.json and its lock file…) before the install, and the application code after it',
  command: (facts) => grep(facts, 'COPY|ADD|RUN'),
  probe: withStages((parsed, facts) => {
    const steps = installs(parsed);
    if (steps.length === 0) return skip('no RUN step installs dependencies');
    const late = steps.flatMap((install) => {
      const copy = before(parsed, install).find(isCodeCopy);
      return copy ? [{ install, copy }] : [];
    });
    if (late.length === 0) return pass(...steps.map((install) => manifestEvidence(parsed, install)));
    const { install, copy } = late[0]!;
    const manifest = manifestMentioned(splitFlags(install.args).rest) ?? 'the dependency manifest';
    const evidence = late.map((l) => `${quote(l.copy)} comes before the install at line ${l.install.line}: any code change re-installs every dependency`);
    const fix = `move "${copy.text}" (line ${copy.line}) below the install at line ${install.line}, and before the install COPY only ${manifest}`;
    return fail(evidence, { fix, location: at(facts, copy) });
  }),
};

/** An init by its file name, or s6-overlay's `/init`. */
function isInit(program: string): boolean {
  return INITS.has(program.split('/').at(-1)!) || program === '/init';
}

/** The shell-form ENTRYPOINT rewritten in exec form, with tini in front unless an init already is. */
function execFormFix(entrypoint: DockerInstruction): string {
  const words = entrypoint.args.split(/\s+/);
  const exec = isInit(words[0]!) ? words : ['tini', '--', ...words];
  const rewritten = `ENTRYPOINT [${exec.map((word) => JSON.stringify(word)).join(', ')}]`;
  return `write line ${entrypoint.line} in exec form: ${rewritten}${isInit(words[0]!) ? '' : ` (${TINI_FIX})`}`;
}

const initProcess: CheckDefinition<DockerfileFacts> = {
  code: 'NC304',
  title: 'tini (or another init) as PID 1',
  severity: 'warning',
  scope: 'dockerfile',
  guide: '002 Missing Optimizations: No Tini Init System',
  fix: TINI_FIX,
  command: (facts) => grep(facts, 'FROM|ENTRYPOINT'),
  probe: withStages((parsed, facts) => {
    const final = finalImage(parsed)!;
    const entrypoint = lastOf(final.instructions, 'ENTRYPOINT');
    if (!entrypoint) {
      const evidence = `no ENTRYPOINT in the final stage ${stageName(final.stage)}: the program itself (or the base image's entrypoint) is PID 1`;
      return fail([evidence], { location: at(facts, final.stage.from) });
    }
    const words = execForm(entrypoint.args);
    if (!words) {
      const evidence = `${quote(entrypoint)}: shell form, so /bin/sh -c is PID 1 and signals do not reach the program`;
      return fail([evidence], { fix: execFormFix(entrypoint), location: at(facts, entrypoint) });
    }
    const program = words[0];
    if (program === undefined) return fail([`${quote(entrypoint)}: empty, so the program itself is PID 1`], { location: at(facts, entrypoint) });
    if (isInit(program)) return pass(`${quote(entrypoint)}: ${program} is PID 1`);
    const evidence = `${quote(entrypoint)}: PID 1 is ${program}, not an init (signals are not forwarded, zombies not reaped)`;
    return fail([evidence], { location: at(facts, entrypoint) });
  }),
};


const nonRootUser: CheckDefinition<DockerfileFacts> = {
  code: 'NC305',
  title: 'Non-root USER in the final stage',
  severity: 'error',
  scope: 'dockerfile',
  guide: '002 Priority 3: Security Enhancements (run entirely as non-root)',
  fix: 'create an unprivileged user in the final stage and end it with USER <that user> (e.g. USER netra, uid 1000)',
  command: (facts) => grep(facts, 'FROM|USER'),
  probe: withStages((parsed, facts) => {
    const final = finalImage(parsed)!;
    const user = lastOf(final.instructions, 'USER');
    if (!user) {
      const evidence = `no USER in the final stage ${stageName(final.stage)}: the container runs as root unless its base image says otherwise`;
      return fail([evidence], { location: at(facts, final.stage.from) });
    }
    const name = user.args.split(':')[0]!.trim();
    if (name.includes('$')) return skip(`${quote(user)}: the user is a build argument, not known from the file`);
    if (isRootUser(name)) return fail([`${quote(user)}: the container runs as root`], { location: at(facts, user) });
    return pass(`${quote(user)}: runs as ${name}`);
  }),
};

const dockerignore: CheckDefinition<DockerfileFacts> = {
  code: 'NC306',
  title: '.dockerignore in the build context',
  severity: 'warning',
  scope: 'dockerfile',
  guide: '004 Phase 2: .dockerignore Files',
  fix: 'add a .dockerignore at the root of the build context that leaves out .git, .env files, tests, __pycache__ and node_modules',
  // The build context is not in the facts: the person puts it in (it is the compose service's build.context).
  command: () => 'ls -a BUILD_CONTEXT/.dockerignore',
  probe: (facts) => {
    const users = facts.usedBy.length > 0 ? ` (built for ${facts.usedBy.map(printable).join(', ')})` : '';
    if (facts.dockerignore) return pass(`the build context has a .dockerignore${users}`);
    const evidence = `no .dockerignore in the build context${users}: the whole directory is sent to every build and COPY . . takes it all`;
    return fail([evidence], { location: { file: facts.path, line: null } });
  },
};

const noBuildTools: CheckDefinition<DockerfileFacts> = {
  code: 'NC307',
  title: 'No build tools in the final stage',
  severity: 'warning',
  scope: 'dockerfile',
  guide: '002 Priority 2: Multi-Stage Build Pattern (remove build dependencies from final image)',
  fix: 'install compilers and -dev packages only in a builder stage and COPY --from=builder what they built',
  command: (facts) => grep(facts, 'FROM|RUN'),
  probe: withStages((parsed, facts) => {
    const final = finalImage(parsed)!;
    const offenders = final.instructions.filter((i) => buildToolsKept(i).length > 0);
    if (offenders.length === 0) {
      return pass(`the final stage ${stageName(final.stage)} installs no compiler, make, git or -dev package`);
    }
    const first = offenders[0]!;
    const evidence = offenders.map((i) => `${quote(i)}: ${buildToolsKept(i).join(', ')} stay in the final image`);
    const fix = `move the install of ${buildToolsKept(first).join(', ')} (line ${first.line}) into a builder stage, or remove them in the same RUN once the build is done`;
    return fail(evidence, { fix, location: at(facts, first) });
  }),
};

const healthcheck: CheckDefinition<DockerfileFacts> = {
  code: 'NC308',
  title: 'HEALTHCHECK in the final stage',
  severity: 'info',
  scope: 'dockerfile',
  guide: '002 Security Analysis (health checks configured)',
  fix: 'add HEALTHCHECK --interval=30s --timeout=3s --start-period=<above the start-up time> CMD <probe of the health endpoint> || exit 1 to the final stage (or a healthcheck to its compose service)',
  command: (facts) => grep(facts, 'FROM|HEALTHCHECK'),
  probe: withStages((parsed, facts) => {
    const final = finalImage(parsed)!;
    const check = lastOf(final.instructions, 'HEALTHCHECK');
    if (!check) {
      const evidence = `no HEALTHCHECK in the final stage ${stageName(final.stage)}: the engine cannot tell a hung service from a healthy one`;
      return fail([evidence], { location: at(facts, final.stage.from) });
    }
    if (/^NONE$/i.test(check.args.trim())) return skip(`${quote(check)}: health checking is turned off on purpose (e.g. a one-shot job)`);
    return pass(quote(check));
  }),
};

export const DOCKERFILE_CHECKS: readonly CheckDefinition<DockerfileFacts>[] = [
  multiStage,
  cacheMounts,
  manifestFirst,
  initProcess,
  nonRootUser,
  dockerignore,
  noBuildTools,
  healthcheck,
];
