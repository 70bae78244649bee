/**
 * What the NC3xx checks recognise in Dockerfile instructions: dependency installs, dependency manifests, copies
 * from the build context, system packages that are build tools. Heuristics over the text, kept in one place.
 */
import { execForm, splitFlags, type DockerInstruction } from './dockerfile-parse';

/** Dependency manifests and lock files: what must reach the image before the code, so installs stay cached. */
const MANIFEST_NAMES = String.raw`requirements[\w.*-]*\.(?:txt|in)|constraints[\w.*-]*\.txt|package\*?\.json|package-lock\.json|npm-shrinkwrap\.json|yarn\.lock|\.yarnrc(?:\.yml)?|\.npmrc|pnpm-lock\.yaml|pnpm-workspace\.yaml|pyproject\.toml|poetry\.lock|uv\.lock|Pipfile(?:\.lock)?|setup\.(?:py|cfg)|go\.(?:mod|sum)|Gemfile(?:\.lock)?|composer\.(?:json|lock)|Cargo\.(?:toml|lock)`;
// A trailing `*` is the usual "copy it if it exists" glob (`poetry.lock*`).
const MANIFEST_FILE = new RegExp(`^(?:${MANIFEST_NAMES})\\*?$`);
const MANIFEST_MENTION = new RegExp(`(?:^|[\\s/'"=<])(${MANIFEST_NAMES})(?=$|[\\s'";|&)])`);

/** Language package managers installing dependencies, with the cache directory a cache mount should target. */
const INSTALLERS: Array<{ pattern: RegExp; cache: string }> = [
  { pattern: /\buv\s+(?:pip\s+install|sync)\b/, cache: '/root/.cache/uv' },
  { pattern: /\b(?:pip3?|python3?\s+-m\s+pip)\s+install\b/, cache: '/root/.cache/pip' },
  { pattern: /\bpoetry\s+install\b/, cache: '/root/.cache/pypoetry' },
  { pattern: /\bpipenv\s+(?:install|sync)\b/, cache: '/root/.cache/pipenv' },
  { pattern: /\bnpm\s+(?:ci|install|i)\b/, cache: '/root/.npm' },
  { pattern: /\byarn(?:\s+install)?\s*(?:$|&&|;|\||--)/m, cache: '/usr/local/share/.cache/yarn' },
  { pattern: /\bpnpm\s+(?:install|i)\b/, cache: '/root/.local/share/pnpm/store' },
  { pattern: /\bbundle\s+install\b/, cache: '/usr/local/bundle/cache' },
  { pattern: /\bcomposer\s+install\b/, cache: '/root/.composer/cache' },
  { pattern: /\bgo\s+mod\s+download\b/, cache: '/go/pkg/mod' },
];

/** Allows leading `VAR=value` words (`DEBIAN_FRONTEND=noninteractive apt-get install …`). */
const SYSTEM_INSTALL = /^\s*(?:\w+=\S*\s+)*(?:apk|apt-get|apt|yum|dnf|microdnf)\s+(?:-\S+\s+)*(?:add|install)\b/;
const SYSTEM_REMOVE = /^\s*(?:\w+=\S*\s+)*(?:apk|apt-get|apt|yum|dnf|microdnf)\s+(?:-\S+\s+)*(?:del|purge|remove|autoremove)\b/;
/** Flags of those commands that take the next word as their value. */
const VALUE_FLAGS = new Set(['--virtual', '-t', '-o', '--repository', '-X']);
const BUILD_TOOL =
  /^(?:gcc|g\+\+|clang|make|cmake|build-base|build-essential|musl-dev|libc-dev|libc6-dev|linux-headers|autoconf|automake|libtool|pkgconf|pkg-config|git|cargo|rust|.+-dev|.+-devel)$/;

/** A RUN's command without its `--mount`/`--network` flags. */
export function runCommand(instruction: DockerInstruction): { flags: string[]; command: string } {
  const { flags, rest } = splitFlags(instruction.args);
  return { flags, command: execForm(rest)?.join(' ') ?? rest };
}

/** A dependency manifest named in the text (`-r requirements.txt` → requirements.txt), or null. */
export function manifestMentioned(text: string): string | null {
  return MANIFEST_MENTION.exec(text)?.[1] ?? null;
}

/**
 * A RUN that installs language dependencies: a package manager's install, or a step that reads a dependency
 * manifest (a wrapper script or, in this repo, the offline stand-in installer). Returns the cache directory its
 * cache mount should target, or null when it installs nothing.
 */
export function dependencyInstall(instruction: DockerInstruction): { cache: string | null } | null {
  if (instruction.keyword !== 'RUN') return null;
  const { command } = runCommand(instruction);
  const installer = INSTALLERS.find(({ pattern }) => pattern.test(command));
  if (installer) return { cache: installer.cache };
  return manifestMentioned(command) ? { cache: null } : null;
}

export function hasCacheMount(instruction: DockerInstruction): boolean {
  return runCommand(instruction).flags.some((flag) => /^--mount=(?:[^,]*,)*type=cache(?:,|$)/.test(flag));
}

/** The sources of a COPY/ADD from the build context (not `--from`, not a URL or heredoc); null for other steps. */
export function contextSources(instruction: DockerInstruction): string[] | null {
  if (instruction.keyword !== 'COPY' && instruction.keyword !== 'ADD') return null;
  const { flags, rest } = splitFlags(instruction.args);
  if (flags.some((flag) => flag.startsWith('--from='))) return null;
  const words = execForm(rest) ?? rest.split('\n')[0]!.split(/\s+/);
  const sources = words.slice(0, -1).filter((word) => !word.startsWith('<<') && !/^(?:https?|git):\/\/|^git@/.test(word));
  return sources.length > 0 ? sources : null;
}

function isManifestPath(source: string): boolean {
  return MANIFEST_FILE.test(source.split('/').filter(Boolean).at(-1) ?? '');
}

/** A COPY/ADD that brings anything but dependency manifests from the context (`COPY . .`, `COPY src/ ./src`). */
export function isCodeCopy(instruction: DockerInstruction): boolean {
  const sources = contextSources(instruction);
  return sources !== null && sources.some((source) => !isManifestPath(source));
}

/** The words of a package-manager command after its subcommand, flag values set apart. */
function packageWords(segment: string, command: RegExp): { packages: string[]; flagValues: string[] } {
  const words = segment.replace(command, '').trim().split(/\s+/).filter(Boolean);
  const packages: string[] = [];
  const flagValues: string[] = [];
  for (let index = 0; index < words.length; index++) {
    const word = words[index]!;
    if (VALUE_FLAGS.has(word)) flagValues.push(words[++index] ?? '');
    else if (word.startsWith('--virtual=')) flagValues.push(word.slice('--virtual='.length));
    else if (!word.startsWith('-')) packages.push(word.replace(/[=<>~].*$/, ''));
  }
  return { packages, flagValues };
}

/**
 * The build tools (compilers, make, -dev headers, git) a RUN installs with the system package manager and does
 * not remove again in the same step (`apk add --virtual .build-deps gcc … && apk del .build-deps` leaves none).
 */
export function buildToolsKept(instruction: DockerInstruction): string[] {
  if (instruction.keyword !== 'RUN') return [];
  const segments = runCommand(instruction).command.split(/&&|\|\||[;|\n]/);
  const removed = new Set(segments.filter((s) => SYSTEM_REMOVE.test(s)).flatMap((s) => packageWords(s, SYSTEM_REMOVE).packages));
  return segments
    .filter((segment) => SYSTEM_INSTALL.test(segment))
    .map((segment) => packageWords(segment, SYSTEM_INSTALL))
    .filter(({ flagValues }) => !flagValues.some((value) => removed.has(value)))
    .flatMap(({ packages }) => packages.filter((name) => BUILD_TOOL.test(name) && !removed.has(name)));
}
