import { closeSync, constants, existsSync, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { isCollection, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, visit, type Document, type YAMLError } from 'yaml';
import type * as z from 'zod/mini';
import { UsageError } from './errors';
import { configSchema, type Config } from './schema';

export const LOCAL_CONFIG_NAME = '.netra-console.yaml';

export interface LoadedConfig {
  config: Config;
  /** The file read, or null when only defaults apply. */
  path: string | null;
}

/** `.netra-console.yaml` in the working directory, else `$XDG_CONFIG_HOME/netra-console/config.yaml`. */
export function findConfigFile(cwd: string, env: NodeJS.ProcessEnv): string | null {
  const local = resolve(cwd, LOCAL_CONFIG_NAME);
  if (existsSync(local)) return local;
  const xdg = env.XDG_CONFIG_HOME || join(env.HOME || homedir(), '.config');
  const user = join(xdg, 'netra-console', 'config.yaml');
  return existsSync(user) ? user : null;
}

export function loadConfig(explicitPath: string | undefined, cwd: string, env: NodeJS.ProcessEnv): LoadedConfig {
  const path = explicitPath ? resolve(cwd, explicitPath) : findConfigFile(cwd, env);
  if (!path) return { config: configSchema.parse({}), path: null };
  return { config: parseConfigText(readConfigFile(path), path), path };
}

/** A config file is a few hundred bytes; a megabyte is surely a wrong path, and YAML parsing of it is slow. */
export const MAX_CONFIG_BYTES = 1024 * 1024;

/**
 * Reads a regular file of at most MAX_CONFIG_BYTES. /dev/zero would be read until memory runs out and a FIFO
 * would block for ever, so the file is opened non-blocking and checked before anything is read.
 */
function readConfigFile(path: string): string {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    throw new UsageError(`cannot read config file ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}; check the path given to --config`);
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) throw new UsageError(`config file ${path} is ${fileKind(stats)}, not a regular file; give --config the path of a YAML file`);
    if (stats.size > MAX_CONFIG_BYTES) {
      throw new UsageError(`config file ${path} is ${stats.size} bytes, over the 1 MiB a config may have; check the path given to --config`);
    }
    return readAtMost(fd, MAX_CONFIG_BYTES, path);
  } finally {
    closeSync(fd);
  }
}

function fileKind(stats: Stats): string {
  if (stats.isDirectory()) return 'a directory';
  if (stats.isFIFO()) return 'a FIFO';
  if (stats.isSocket()) return 'a socket';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device';
  return 'not a file';
}

/** The file's text; one byte more than `limit` means it grew since it was checked. */
function readAtMost(fd: number, limit: number, path: string): string {
  const buffer = Buffer.alloc(limit + 1);
  let length = 0;
  for (;;) {
    const read = readSync(fd, buffer, length, buffer.length - length, null);
    if (read === 0) return buffer.toString('utf8', 0, length);
    length += read;
    if (length > limit) throw new UsageError(`config file ${path} grew over the 1 MiB a config may have while it was read; check the path given to --config`);
  }
}

/** Validates config text; every error names the file, the line, the key and what to write instead. */
export function parseConfigText(text: string, path: string): Config {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const yamlError = doc.errors[0];
  if (yamlError) {
    const line = lineCounter.linePos(errorOffset(doc, yamlError)).line;
    const duplicate = yamlError.code === 'DUPLICATE_KEY' ? keyPathAt(doc, yamlError.pos[0]) : null;
    if (duplicate) throw new UsageError(`${path}:${line}: duplicate key "${duplicate}"; keep only one of them`);
    const reason = yamlError.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '');
    throw new UsageError(`${path}:${line}: invalid YAML: ${reason}; fix the syntax on that line`);
  }
  const data = documentData(doc, path);
  if (typeof data !== 'object' || Array.isArray(data)) {
    throw new UsageError(`${path}:1: the config must be a mapping of keys (docker:, thresholds:, …); see README "Configuration"`);
  }
  const result = configSchema.safeParse(data);
  if (result.success) return result.data;
  throw new UsageError(describeIssue(result.error.issues[0]!, doc, lineCounter, path));
}

/** Aliases may repeat a node at most this often: a few hundred bytes of nested aliases ("billion laughs") expand to gigabytes. */
const MAX_ALIAS_COUNT = 100;

function documentData(doc: Document, path: string): unknown {
  try {
    return doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) ?? {};
  } catch (error) {
    // yaml throws a ReferenceError for an alias bomb (and an unknown anchor), with no position.
    throw new UsageError(`${path}: invalid YAML: ${(error as Error).message.split('\n')[0]}; use fewer aliases (*name), write the values out`);
  }
}

function describeIssue(issue: z.core.$ZodIssue, doc: Document, lines: LineCounter, path: string): string {
  const parent = issue.path.map(String);
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0]!;
    const keyPath = [...parent, key];
    const known = knownKeysAt(parent);
    return `${path}:${lineOf(doc, lines, keyPath, true)}: unknown key "${keyPath.join('.')}"; remove it${known ? ` (known keys here: ${known})` : ''}`;
  }
  return `${path}:${lineOf(doc, lines, parent, false)}: "${parent.join('.') || '(top level)'}" ${lowerFirst(issue.message)}; see README "Configuration"`;
}

/** zod's messages start a sentence; ours continue one. Only the first letter: codes and names keep their case. */
function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

function knownKeysAt(path: string[]): string {
  let shape: z.ZodMiniType = configSchema;
  for (const key of path) {
    const inner = unwrapObject(shape);
    const next = inner?.shape[key];
    if (!next) return '';
    shape = next as z.ZodMiniType;
  }
  const obj = unwrapObject(shape);
  return obj ? Object.keys(obj.shape).join(', ') : '';
}

function unwrapObject(schema: z.ZodMiniType): z.ZodMiniObject | null {
  let current: unknown = schema;
  for (let i = 0; i < 5 && current; i++) {
    const def = (current as { def?: { type?: string; innerType?: unknown; in?: unknown } }).def;
    if (def?.type === 'object') return current as z.ZodMiniObject;
    current = def?.innerType ?? def?.in;
  }
  return null;
}

/**
 * Where a YAML error is. An unclosed bracket or quote is detected only where its node ends (often past the last
 * line); point at the line that opened it instead.
 */
function errorOffset(doc: Document, error: YAMLError): number {
  const at = error.pos[0];
  let opened: number | null = null;
  visit(doc, (_, node) => {
    const unclosable = (isCollection(node) && node.flow) || (isScalar(node) && (node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE'));
    const range = unclosable ? node.range : undefined;
    if (range && range[1] === at && range[0] < at && (opened === null || range[0] > opened)) opened = range[0];
  });
  return opened ?? at;
}

/** The dotted path of the mapping key that starts at `offset`, e.g. "docker.cli". */
function keyPathAt(doc: Document, offset: number): string | null {
  let found: string | null = null;
  visit(doc, {
    Pair(_, pair, ancestors) {
      if (!isScalar(pair.key) || pair.key.range?.[0] !== offset) return;
      const parents = ancestors.filter(isPair).map((p) => String(isScalar(p.key) ? p.key.value : p.key));
      found = [...parents, String(pair.key.value)].join('.');
      return visit.BREAK;
    },
  });
  return found;
}

/** 1-based line of the key (or its value) at `path`, falling back to the nearest existing parent. */
function lineOf(doc: Document, lines: LineCounter, path: string[], keyItself: boolean): number {
  for (let depth = path.length; depth > 0; depth--) {
    const parentNode = depth === 1 ? doc.contents : doc.getIn(path.slice(0, depth - 1), true);
    const key = path[depth - 1];
    let node: unknown;
    if (isMap(parentNode)) {
      const pair = parentNode.items.find((item) => isScalar(item.key) && String(item.key.value) === key);
      node = pair && (keyItself || depth < path.length ? pair.key : (pair.value ?? pair.key));
    } else if (isSeq(parentNode)) {
      node = parentNode.items[Number(key)]; // a list item, e.g. services.1
    } else continue;
    const offset = (node as { range?: [number, number, number] } | undefined)?.range?.[0];
    if (offset !== undefined) return lines.linePos(offset).line;
  }
  return 1;
}
