/**
 * NC4xx: a stack variant's compose files as compose itself judges them (`config -q`). Its refusal is quoted as it
 * came, so the person reads the key compose names, not a paraphrase.
 */
import { fail, pass, skip } from './finding';
import { shellWord } from './shell-word';
import type { CheckDefinition, ComposeFacts, SourceLocation } from './types';

/** Compose error lines quoted at most (the first name the problem; the rest repeat it per service). */
const MAX_ERROR_LINES = 5;

function configCommand(facts: ComposeFacts): string {
  return `docker-compose ${facts.files.map((file) => `-f ${shellWord(file)}`).join(' ')} config -q`;
}

/** "./docker-compose.yml" and "/repo/docker-compose.yml" name the same file when one path ends the other. */
function samePath(a: string, b: string): boolean {
  const [short, long] = [a, b].map((path) => path.replace(/^\.\//, '')).sort((x, y) => x.length - y.length) as [string, string];
  return long === short || long.endsWith(`/${short}`);
}

/**
 * The file compose blamed: v1 says "The Compose file './x.yml' is invalid", v2 "validating /abs/x.yml: …".
 * With one file, that file. Null when it cannot be told.
 */
function blamedFile(facts: ComposeFacts, error: string): SourceLocation | null {
  const named = /The Compose file '([^']+)'/.exec(error)?.[1] ?? /validating (\S+?):/.exec(error)?.[1];
  const file = named ? facts.files.find((f) => samePath(f, named)) : facts.files.length === 1 ? facts.files[0] : undefined;
  return file ? { file, line: null } : null;
}

const composeValid: CheckDefinition<ComposeFacts> = {
  code: 'NC401',
  title: 'Compose files validate',
  severity: 'error',
  scope: 'stack',
  guide: '000 Deployment Process: 1. Pre-Deployment Validation (validate compose file)',
  fix: 'run docker-compose config -q on the stack files and fix the key it names',
  command: configCommand,
  probe: (facts) => {
    const variant = `${facts.stack} (${facts.variant})`;
    if (facts.files.length === 0) return skip(`stack ${variant} has no compose files configured`);
    if (facts.absent) return skip(facts.absent);
    if (facts.error?.startsWith('compose file ') && facts.error.endsWith(' does not exist')) {
      return fail([facts.error], { fix: `correct the path under stacks.${facts.stack}.${facts.variant} in the config (relative to the config file), or create the file` });
    }
    if (facts.valid) return pass(`compose accepts ${facts.files.join(', ')}`);
    const lines = (facts.error ?? '').split(/\r?\n/).map((line) => line.trim()).filter(Boolean);
    const evidence = lines.length > 0 ? lines.slice(0, MAX_ERROR_LINES) : [`compose refused ${facts.files.join(', ')} without saying why`];
    if (lines.length > MAX_ERROR_LINES) evidence.push(`… ${lines.length - MAX_ERROR_LINES} more lines from ${configCommand(facts)}`);
    const location = blamedFile(facts, facts.error ?? '');
    const fix = `run ${configCommand(facts)} and fix the named key`;
    return fail(evidence, location ? { fix, location } : { fix });
  },
};

export const STACK_CHECKS: readonly CheckDefinition<ComposeFacts>[] = [composeValid];
