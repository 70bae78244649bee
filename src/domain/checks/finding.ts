/**
 * Small shared pieces of the check catalogues: findings, sizes as the docker CLI prints them, and the compose edit a
 * fix asks for. Evidence is foreign text (logs, probe output, names), so every line goes through `printable`.
 */
import { MB } from '../build-analysis';
import { boundedLine, printable } from '../printable';
import type { CheckFinding, CheckSeverity, ContainerFacts, SourceLocation } from './types';

export function pass(...evidence: string[]): CheckFinding {
  return { status: 'pass', evidence: evidence.map(printable) };
}

/** A check that does not apply or lacks facts: never a pass, and it says why. */
export function skip(reason: string): CheckFinding {
  return { status: 'skip', evidence: [printable(reason)] };
}

export function fail(evidence: string[], extra: Omit<CheckFinding, 'status' | 'evidence'> = {}): CheckFinding {
  const finding: CheckFinding = { status: 'fail', evidence: evidence.map(printable) };
  if (extra.fix !== undefined) finding.fix = printable(extra.fix);
  if (extra.location) finding.location = extra.location;
  if (extra.severity) finding.severity = extra.severity;
  return finding;
}

/** Multi-line foreign text (a health probe's output, a log line) as one bounded line. */
export function oneLine(text: string, wholeIn: string): string {
  return boundedLine(printable(text.replace(/\s+/g, ' ').trim()), wholeIn);
}

const MIB = 1024 ** 2;
/** Decimal, as the guides write sizes ("4GB"); `docker stats` prints memory in binary units. */
export const GB = 1_000 * MB;

/** As `docker stats` prints memory. */
export function mib(bytes: number): string {
  return `${(bytes / MIB).toFixed(bytes < 10 * MIB ? 1 : 0)} MiB`;
}

/** As `docker images` prints sizes. */
export function megabytes(bytes: number): string {
  return `${(bytes / MB).toFixed(bytes < 10 * MB ? 1 : 0)} MB`;
}

export function gigabytes(bytes: number): string {
  return `${(bytes / GB).toFixed(2)} GB`;
}

export function seconds(value: number): string {
  return `${Number.isInteger(value) ? value : value.toFixed(1)} s`;
}

/** `file:line`, or the file alone when the line is not known. */
export function locationText(location: SourceLocation): string {
  return location.line === null ? location.file : `${location.file}:${location.line}`;
}

/** What a container must say for a compose edit: its service and where the service is declared. */
export interface ComposeTarget {
  service: string | null;
  composeLocation: SourceLocation | null;
}

/**
 * Where an edit goes, for a fix to say "add …" or "set …": `yaml` under the service in its compose file (with file
 * and line when known), or the `docker run` flag when the container did not come from compose.
 */
export function composePlace(target: ComposeTarget, yaml: string, runFlag: string): string {
  const { service, composeLocation } = target;
  if (service === null) return `\`${runFlag}\` on its docker run (it was not started by compose)`;
  const where = composeLocation ? locationText(composeLocation) : 'its compose file';
  return `\`${yaml}\` under services.${service} in ${where}`;
}

/** The fields a failing compose-level finding carries: the edit and where to make it. */
export function composeFix(target: ComposeTarget, fix: string, severity?: CheckSeverity): Omit<CheckFinding, 'status' | 'evidence'> {
  return { fix, ...(target.composeLocation ? { location: target.composeLocation } : {}), ...(severity ? { severity } : {}) };
}

/** Evidence quotes at most this many log lines, probe outputs or matches. */
export const MAX_QUOTED = 3;

export const inspectCommand = (format: string) => (f: ContainerFacts) => `docker inspect --format '${format}' ${f.name}`;

/** Its last log lines, quoted as evidence of why it stopped. */
export function lastLogLines(f: ContainerFacts): string[] {
  return f.logTail.slice(-MAX_QUOTED).map((line) => `log: ${oneLine(line, `docker logs ${f.name}`)}`);
}

/** Inits that reap zombies and forward signals (002 "Use Tini Init System"); docker-init is docker's own tini. */
export const INITS: ReadonlySet<string> = new Set(['tini', 'tini-static', 'docker-init', 'dumb-init', 'catatonit']);

/** User names that mean root; an empty Config.User is the engine's default, root. */
export function isRootUser(user: string): boolean {
  return ['', 'root', '0'].includes(user.split(':')[0]!.trim());
}
