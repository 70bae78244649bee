import { invalidArgument } from '../rpc-error';
import { fromTimestamp, parseRfc3339 } from '../time';
import type { StoredEntry } from './history';
import type { Json } from './struct';

// A subset of the Logging query language: comparisons (`=`, `!=`, `<`, `<=`, `>`, `>=`, `:` has, `=~` / `!~` regex)
// joined by AND or by line breaks. Anything else (OR, NOT, parentheses, bare text search) is refused with
// INVALID_ARGUMENT so that a console relying on it finds out here rather than in production.

type Operator = '=' | '!=' | '<' | '<=' | '>' | '>=' | ':' | '=~' | '!~';

interface Comparison {
  field: string;
  operator: Operator;
  value: string;
}

export type EntryFilter = (entry: StoredEntry) => boolean;

const SMALL_INTEGER = /^-?\d{1,15}$/;

const OPERATORS: Operator[] = ['>=', '<=', '!=', '=~', '!~', '=', '<', '>', ':'];

const SEVERITIES = [
  'DEFAULT',
  'DEBUG',
  'INFO',
  'NOTICE',
  'WARNING',
  'ERROR',
  'CRITICAL',
  'ALERT',
  'EMERGENCY',
] as const;

export function compileFilter(filter: string): EntryFilter {
  const tests = parse(filter).map(compileComparison);
  return (entry) => tests.every((test) => test(entry));
}

function parse(filter: string): Comparison[] {
  const comparisons: Comparison[] = [];
  let i = 0;
  const skipSpace = () => {
    while (i < filter.length && /\s/.test(filter[i] ?? '')) i++;
  };
  for (;;) {
    skipSpace();
    if (i >= filter.length) return comparisons;
    const word = /^[A-Za-z_][\w.]*/.exec(filter.slice(i))?.[0];
    if (!word) throw unsupported(filter, i, `unexpected '${filter[i]}'`);
    if (word === 'AND' && comparisons.length > 0) {
      i += word.length;
      continue;
    }
    if (word === 'OR' || word === 'NOT') throw unsupported(filter, i, `${word} is not supported`);
    i += word.length;
    skipSpace();
    const operator = OPERATORS.find((op) => filter.startsWith(op, i));
    if (!operator) throw unsupported(filter, i, `expected a comparison operator after '${word}'`);
    i += operator.length;
    skipSpace();
    let value: string;
    if (filter[i] === '"') {
      const match = /^"((?:[^"\\]|\\.)*)"/.exec(filter.slice(i));
      if (!match) throw invalidArgument(`Invalid filter: unterminated string at position ${i}: ${filter}`);
      value = (match[1] ?? '').replace(/\\(.)/g, '$1');
      i += match[0].length;
    } else {
      value = /^[^\s()"]*/.exec(filter.slice(i))?.[0] ?? '';
      if (!value) throw unsupported(filter, i, `expected a value after '${word}${operator}'`);
      i += value.length;
    }
    comparisons.push({ field: word, operator, value });
  }
}

function unsupported(filter: string, position: number, what: string): Error {
  return invalidArgument(
    `Invalid filter at position ${position}: ${what}. The sandbox supports comparisons joined by AND or line breaks: ${filter}`,
  );
}

function compileComparison({ field, operator, value }: Comparison): EntryFilter {
  const path = field.split('.').map((part, i) => (i === 0 || !isMapField(field) ? camel(part) : part));
  const top = path[0];
  if (top === 'severity') {
    const wanted = severityRank(value);
    return (entry) => compare(severityRank(String(entry.entry.severity || 'DEFAULT')), wanted, operator);
  }
  if (top === 'timestamp' || top === 'receiveTimestamp') {
    const wanted = parseRfc3339(value);
    if (wanted === null) {
      throw invalidArgument(
        `Invalid filter: ${field} needs an RFC 3339 time, e.g. "2026-01-05T10:00:00Z", not '${value}'`,
      );
    }
    return (entry) => {
      const time = top === 'timestamp' ? entry.time : fromTimestamp(entry.entry.receiveTimestamp);
      return time !== null && compare(time, wanted, operator);
    };
  }
  const regex = operator === '=~' || operator === '!~' ? compileRegex(value) : null;
  return (entry) => {
    const actual = lookup(entry, path);
    if (actual === undefined || actual === null || typeof actual === 'object') return false;
    const text = String(actual);
    if (regex) return regex.test(text) === (operator === '=~');
    if (operator === ':') return text.toLowerCase().includes(value.toLowerCase());
    // Numbers compare as numbers, and so do small integers in strings (labels, int64 fields); the rest, such as
    // insert ids, compare as text.
    const numeric = typeof actual === 'number' || (SMALL_INTEGER.test(text) && SMALL_INTEGER.test(value));
    return numeric ? compare(Number(text), Number(value), operator) : compare(text, value, operator);
  };
}

/** Where keys are free-form (labels, JSON payload) rather than proto field names to camelCase. */
function isMapField(field: string): boolean {
  return /^(labels|resource\.labels|jsonPayload|json_payload)\./.test(field);
}

function camel(name: string): string {
  return name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
}

function lookup(entry: StoredEntry, path: string[]): Json | undefined {
  let current: unknown =
    path[0] === 'jsonPayload' ? entry.payload : (entry.entry as Record<string, unknown>)[path[0] ?? ''];
  for (const key of path.slice(1)) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current as Json | undefined;
}

function compare<T extends number | bigint | string>(actual: T, wanted: T, operator: Operator): boolean {
  switch (operator) {
    case '=':
    case ':':
      return actual === wanted;
    case '!=':
      return actual !== wanted;
    case '<':
      return actual < wanted;
    case '<=':
      return actual <= wanted;
    case '>':
      return actual > wanted;
    case '>=':
      return actual >= wanted;
    default:
      return false;
  }
}

function severityRank(severity: string): number {
  const upper = severity.toUpperCase();
  const index = SEVERITIES.indexOf(upper as (typeof SEVERITIES)[number]);
  if (index >= 0) return index * 100;
  if (/^\d+$/.test(severity)) return Number(severity);
  throw invalidArgument(`Invalid filter: unknown severity '${severity}'; use one of ${SEVERITIES.join(', ')}`);
}

function compileRegex(pattern: string): RegExp {
  try {
    return new RegExp(pattern);
  } catch {
    throw invalidArgument(`Invalid filter: bad regular expression '${pattern}'`);
  }
}
