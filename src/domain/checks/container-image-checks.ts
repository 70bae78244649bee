/**
 * Container checks about the image it runs: the variant its stack asks for, musl/glibc trouble in its logs, and
 * (for a container of no configured stack) its size.
 */
import { fail, inspectCommand, MAX_QUOTED, oneLine, pass, skip } from './finding';
import { IMAGE_SIZE_FIX, imageSizeFinding } from './image-checks';
import type { CheckDefinition, ContainerFacts } from './types';

/**
 * What musl's loader (and programs built for glibc on it) print: "Error loading shared library libc.so.6: …",
 * "Error relocating /app/native/ext: __fprintf_chk: symbol not found" (001 Troubleshooting Issue 2).
 */
const MUSL_GLIBC = /Error loading shared librar(y|ies)|libc\.so\.6|symbol not found|Error relocating/i;

const alpineImage: CheckDefinition<ContainerFacts> = {
  code: 'NC114',
  title: 'Alpine stack runs an Alpine image',
  severity: 'warning',
  scope: 'container',
  guide: '001 Troubleshooting: Issue 3 (verify Alpine containers are actually running)',
  fix: 'Recreate it from the Alpine compose files (switch the stack to Alpine, or `docker compose -f <alpine file> up -d`)',
  command: inspectCommand('{{.Config.Image}} {{index .Config.Labels "com.netra.variant"}}'),
  probe: (f) => {
    if (f.stackVariant === null) return skip('not a container of a configured stack');
    if (f.stackVariant === 'regular') return skip('regular stack: its images may be of either kind (e.g. redis:alpine)');
    const stack = f.stack === null ? 'the Alpine stack' : `the Alpine stack ${f.stack}`;
    if (f.imageVariant === 'alpine') return pass(`container of ${stack} runs ${f.image}, an Alpine image`);
    const judged = f.imageVariant === 'regular' ? 'is a regular (glibc) image' : 'is not recognisably Alpine (no /etc/alpine-release, variant label or name)';
    return fail([`container of ${stack} runs ${f.image}, which ${judged}`]);
  },
};

function matchingLines(f: ContainerFacts): string[] {
  const matching = f.logTail.filter((line) => MUSL_GLIBC.test(line));
  const quoted = matching.slice(-MAX_QUOTED).map((line) => `log: ${oneLine(line, `docker logs ${f.name}`)}`);
  const earlier = matching.length - quoted.length;
  return earlier > 0 ? [`${earlier} earlier matching line(s) not quoted`, ...quoted] : quoted;
}

const muslGlibc: CheckDefinition<ContainerFacts> = {
  code: 'NC115',
  title: 'musl/glibc incompatibility in its logs',
  severity: 'error',
  scope: 'container',
  guide: '001 Troubleshooting: Issue 2 (Package Compatibility Issues)',
  fix: 'Alpine uses musl, not glibc: run the regular variant of this service, or install a musl build of the dependency (its Alpine package via `apk add`, or libc6-compat) in its Alpine Dockerfile and rebuild',
  command: (f) => `docker logs --tail 200 ${f.name} 2>&1 | grep -E 'Error loading shared librar|libc\\.so\\.6|symbol not found|Error relocating'`,
  safeFix: 'open-rebuild',
  probe: (f) => {
    if (f.logTail.length === 0) return skip('no log lines were read');
    const lines = matchingLines(f);
    if (lines.length === 0) return pass(`none of its last ${f.logTail.length} log lines mention a missing shared library or symbol`);
    // The lines are musl's words; on an image that is not Alpine the cause may be another, and the evidence says so.
    const caveat = f.imageVariant === 'alpine' ? [] : [`${f.image} does not look Alpine (musl): the cause may be another`];
    return fail([...lines, ...caveat]);
  },
};

const containerImageSize: CheckDefinition<ContainerFacts> = {
  code: 'NC204',
  title: 'Container image size',
  severity: 'warning',
  scope: 'container',
  guide: '001 Alerting Thresholds: image_size',
  fix: IMAGE_SIZE_FIX,
  command: (f) => `docker image ls ${f.image}`,
  probe: (f) => {
    // A configured stack's images are sized once, by NC203, whether a container runs them or not.
    if (f.stack !== null) return skip(`image of the configured stack ${f.stack}: its size is checked by NC203`);
    if (f.imageSizeBytes === null) return skip(`the size of ${f.image} was not read`);
    return imageSizeFinding(f.image, f.imageSizeBytes);
  },
};

export const CONTAINER_IMAGE_CHECKS: readonly CheckDefinition<ContainerFacts>[] = [alpineImage, muslGlibc, containerImageSize];
