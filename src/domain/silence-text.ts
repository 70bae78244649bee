/**
 * What a person types to silence alerts: matchers (`kind=memory subject=netra-test-backend-*`) and how long
 * (`30m`, `2h`, `1d`). A mistake is one line saying what is wrong and how to write it instead; a typo in a known
 * value is refused rather than turned into a silence that quietly matches nothing.
 */
import type { SilenceMatcher } from './alert-lifecycle-types';
import { ALERT_KINDS } from './alert-kinds';
import { printable } from './printable';
/** Label → the values it can take (null: any, e.g. a container name). */
const LABELS: Readonly<Record<string, readonly string[] | null>> = {
  source: ['docker', 'cloudrun'],
  kind: ALERT_KINDS,
  subject: null,
  level: ['warning', 'high', 'critical'],
  project: null,
  service: null,
};
const LABEL_NAMES = Object.keys(LABELS).join(', ');
const EXAMPLE = 'e.g. kind=memory subject=netra-test-backend-*';

function parseMatcher(token: string): SilenceMatcher {
  const at = token.indexOf('=');
  const label = token.slice(0, at);
  const value = token.slice(at + 1);
  if (at <= 0 || value === '') throw new Error(`silence matcher "${printable(token)}" is not label=value: write pairs like ${EXAMPLE}`);
  if (!(label in LABELS)) throw new Error(`silence matcher "${printable(token)}" names no known label: use ${LABEL_NAMES}`);
  const known = LABELS[label];
  if (known && !value.includes('*') && !known.includes(value)) {
    throw new Error(`silence matcher "${printable(token)}": ${label} is one of ${known.join(', ')} (or a glob with *)`);
  }
  return { label, value };
}

/** `label=value` pairs separated by spaces; every one must match for a silence to hide an alert. Throws one line. */
export function parseSilenceMatchers(text: string): SilenceMatcher[] {
  const tokens = text.trim().split(/\s+/).filter(Boolean);
  if (tokens.length === 0) throw new Error(`a silence needs at least one matcher: ${EXAMPLE}`);
  const matchers = tokens.map(parseMatcher);
  const labels = matchers.map((m) => m.label);
  const repeated = labels.find((label, i) => labels.indexOf(label) !== i);
  if (repeated) throw new Error(`silence matchers name ${repeated} twice; every matcher must match, so give it once (a glob with * can cover several)`);
  if (matchers.every((m) => /^\*+$/.test(m.value))) throw new Error(`silence matchers "${printable(text.trim())}" match every alert: name at least one value, ${EXAMPLE}`);
  return matchers;
}

/** The matchers as they would be typed: the inverse of parseSilenceMatchers (audit log, overlays). */
export function matchersText(matchers: readonly SilenceMatcher[]): string {
  return matchers.map((m) => `${m.label}=${m.value}`).join(' ');
}

/** `*` matches any run of characters (none included); everything else matches itself. */
export function globMatches(pattern: string, value: string): boolean {
  if (!pattern.includes('*')) return pattern === value;
  const source = pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*');
  return new RegExp(`^${source}$`, 's').test(value);
}

const UNIT_MS: Readonly<Record<string, number>> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const DURATION_EXAMPLE = 'e.g. 30m, 2h, 1d or 1h30m';

/** `30m`, `2h`, `1d`, `1h30m` → milliseconds. Zero, negative or anything else: throws one line. */
export function parseDuration(text: string): number {
  const trimmed = text.trim();
  if (/^-/.test(trimmed)) throw new Error(`duration "${printable(trimmed)}" is negative: give how long from now, ${DURATION_EXAMPLE}`);
  if (!/^(\d+[smhd])+$/.test(trimmed)) throw new Error(`duration "${printable(trimmed)}" is not a number with a unit (s, m, h, d): ${DURATION_EXAMPLE}`);
  let ms = 0;
  for (const [, amount, unit] of trimmed.matchAll(/(\d+)([smhd])/g)) ms += Number(amount) * UNIT_MS[unit!]!;
  if (ms === 0) throw new Error(`duration "${printable(trimmed)}" is zero: a silence must last a while, ${DURATION_EXAMPLE}`);
  if (!Number.isSafeInteger(ms)) throw new Error(`duration "${printable(trimmed)}" is too long: ${DURATION_EXAMPLE}`);
  return ms;
}
