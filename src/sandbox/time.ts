import type { Duration, Timestamp } from './wire';

// Times are nanoseconds since the epoch as bigint: log entries need sub-millisecond order and exact comparisons.

const NANOS_PER_MS = 1_000_000n;
const NANOS_PER_SECOND = 1_000_000_000n;

/** Now, to the microsecond. */
export function nowNanos(): bigint {
  return BigInt(Math.round((performance.timeOrigin + performance.now()) * 1000)) * 1000n;
}

export const msToNanos = (ms: number): bigint => BigInt(Math.round(ms)) * NANOS_PER_MS;

export function toTimestamp(nanos: bigint): Timestamp {
  return { seconds: String(nanos / NANOS_PER_SECOND), nanos: Number(nanos % NANOS_PER_SECOND) };
}

export function timestampMs(ms: number): Timestamp {
  return toTimestamp(msToNanos(ms));
}

export function fromTimestamp(timestamp: Timestamp | null | undefined): bigint | null {
  if (!timestamp) return null;
  return BigInt(String(timestamp.seconds ?? 0)) * NANOS_PER_SECOND + BigInt(timestamp.nanos ?? 0);
}

export function durationMs(duration: Duration | null | undefined): number | null {
  if (!duration) return null;
  return Number(duration.seconds ?? 0) * 1000 + (duration.nanos ?? 0) / 1e6;
}

export function toDuration(ms: number): Duration {
  const seconds = Math.floor(ms / 1000);
  return { seconds: String(seconds), nanos: Math.round((ms - seconds * 1000) * 1e6) };
}

/** RFC 3339 as the Logging query language takes it ("2026-01-05T10:00:00.5Z", "…+02:00"), or null. */
export function parseRfc3339(text: string): bigint | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?([Zz]|[+-]\d{2}:\d{2})$/.exec(
    text,
  );
  if (!match) return null;
  const [, y, mo, d, h, mi, s, fraction = '', zone = 'Z'] = match;
  const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  if (Number.isNaN(ms)) return null;
  let offsetMinutes = 0;
  if (zone !== 'Z' && zone !== 'z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    offsetMinutes = sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6)));
  }
  return msToNanos(ms - offsetMinutes * 60_000) + BigInt(fraction.padEnd(9, '0') || '0');
}
