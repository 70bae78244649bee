/**
 * A small Dockerfile reader for the NC3xx checks: instructions with their 1-based lines, and the build stages.
 * It follows what BuildKit does with the text: `\` joins lines, `#` lines are comments (also inside a
 * continuation), keywords are case-insensitive, `<<EOF` heredocs belong to their instruction. Pure: no I/O.
 */

export interface DockerInstruction {
  /** Upper-case: FROM, RUN, COPY… */
  keyword: string;
  /** Everything after the keyword, continuation lines joined with a space (heredoc bodies with a line break). */
  args: string;
  /** 1-based line of the keyword. */
  line: number;
  /** The instruction as written on one line: continuation lines joined, comments and heredoc bodies left out. */
  text: string;
}

export interface DockerStage {
  /** `FROM … AS name`, lower-cased as docker treats it; null when unnamed. */
  name: string | null;
  /** The FROM image with the global ARG defaults put in (`${BASE_IMAGE}` → `python:3.11-slim`). */
  base: string;
  /** The stage's FROM instruction. */
  from: DockerInstruction;
  /** The instructions after FROM, up to the next FROM. */
  instructions: DockerInstruction[];
}

export interface ParsedDockerfile {
  instructions: DockerInstruction[];
  stages: DockerStage[];
}

const INSTRUCTION = /^\s*([A-Za-z]+)(?:\s+(.*))?$/;
const HEREDOC = /(?<!<)<<(?!<)(-?)["']?([A-Za-z_][A-Za-z0-9_]*)["']?/g;
/** The instructions BuildKit reads heredocs for. */
const HEREDOC_KEYWORDS = new Set(['RUN', 'COPY', 'ADD']);

function isComment(line: string): boolean {
  return /^\s*#/.test(line);
}

function continues(line: string): boolean {
  return /\\\s*$/.test(line);
}

/** The lines of the heredocs an instruction opens, through their terminators; the index after them. */
function heredocBody(lines: readonly string[], start: number, args: string): { body: string[]; next: number } {
  const body: string[] = [];
  let index = start;
  for (const match of args.matchAll(HEREDOC)) {
    const [, dash, word] = match;
    while (index < lines.length) {
      const line = lines[index++]!;
      if ((dash ? line.replace(/^\t+/, '') : line) === word) break;
      body.push(line);
    }
  }
  return { body, next: index };
}

/** Every instruction of the text, in order. Lines that are not instructions (stray text) are left out. */
export function parseInstructions(text: string): DockerInstruction[] {
  const lines = text.split(/\r?\n/);
  const instructions: DockerInstruction[] = [];
  let index = 0;
  while (index < lines.length) {
    const first = lines[index]!;
    const line = index + 1;
    index++;
    if (isComment(first) || first.trim() === '') continue;
    const parts = [first];
    while (continues(parts.at(-1)!) && index < lines.length) {
      const next = lines[index++]!;
      if (!isComment(next) && next.trim() !== '') parts.push(next);
    }
    const joined = parts.map((part) => part.replace(/\\\s*$/, '').trim()).join(' ');
    const match = INSTRUCTION.exec(joined);
    if (!match) continue;
    const keyword = match[1]!.toUpperCase();
    const { body, next } = HEREDOC_KEYWORDS.has(keyword) ? heredocBody(lines, index, match[2] ?? '') : { body: [], next: index };
    index = next;
    const args = [match[2] ?? '', ...body].join('\n').trim();
    instructions.push({ keyword, args, line, text: joined });
  }
  return instructions;
}

/** `ARG NAME=default` (and `ARG A=1 B=2`): the defaults it gives; quotes removed. */
function argDefaults(args: string): Array<[string, string]> {
  return [...args.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("[^"]*"|'[^']*'|\S*)/g)].map(([, name, value]) => [
    name!,
    value!.replace(/^(["'])(.*)\1$/, '$2'),
  ]);
}

/** `$NAME` and `${NAME}` replaced by their values; unknown names are left as written. */
function expandArgs(text: string, values: ReadonlyMap<string, string>): string {
  return text.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (whole, braced, bare) => {
    return values.get(braced ?? bare) ?? whole;
  });
}

/** The leading `--flag` / `--flag=value` words of an instruction's arguments, and what follows them. */
export function splitFlags(args: string): { flags: string[]; rest: string } {
  const flags: string[] = [];
  let rest = args;
  for (let match = /^(--\S+)\s*/.exec(rest); match; match = /^(--\S+)\s*/.exec(rest)) {
    flags.push(match[1]!);
    rest = rest.slice(match[0].length);
  }
  return { flags, rest };
}

/** An exec-form (`["a", "b"]`) argument list, or null for the shell form. */
export function execForm(rest: string): string[] | null {
  if (!rest.trimStart().startsWith('[')) return null;
  try {
    const words: unknown = JSON.parse(rest);
    return Array.isArray(words) && words.every((word) => typeof word === 'string') ? words : null;
  } catch {
    return null;
  }
}

function toStage(from: DockerInstruction, globals: ReadonlyMap<string, string>): DockerStage {
  const { rest } = splitFlags(from.args);
  const [image = '', as, name] = rest.split(/\s+/);
  return {
    name: as?.toLowerCase() === 'as' && name ? name.toLowerCase() : null,
    base: expandArgs(image, globals),
    from,
    instructions: [],
  };
}

export function parseDockerfile(text: string): ParsedDockerfile {
  const instructions = parseInstructions(text);
  const globals = new Map<string, string>();
  const stages: DockerStage[] = [];
  for (const instruction of instructions) {
    if (instruction.keyword === 'FROM') stages.push(toStage(instruction, globals));
    else if (stages.length > 0) stages.at(-1)!.instructions.push(instruction);
    else if (instruction.keyword === 'ARG') for (const [name, value] of argDefaults(instruction.args)) globals.set(name, value);
  }
  return { instructions, stages };
}

/**
 * A stage and the stages of the same file it is built FROM, oldest first: what ends up in its image
 * (`FROM runtime-base AS runtime` inherits runtime-base's USER, ENTRYPOINT and packages).
 */
export function lineage(parsed: ParsedDockerfile, stage: DockerStage): DockerStage[] {
  const chain = [stage];
  for (let current = stage; ; ) {
    const position = parsed.stages.indexOf(current);
    const parent = parsed.stages.slice(0, position).findLast((s) => s.name !== null && s.name === current.base.toLowerCase());
    if (!parent) return chain;
    chain.unshift(parent);
    current = parent;
  }
}

/** The instructions that make the image of the last stage (its own and its in-file parents'), in order. */
export function finalImage(parsed: ParsedDockerfile): { stage: DockerStage; instructions: DockerInstruction[] } | null {
  const stage = parsed.stages.at(-1);
  if (!stage) return null;
  return { stage, instructions: lineage(parsed, stage).flatMap((s) => s.instructions) };
}
