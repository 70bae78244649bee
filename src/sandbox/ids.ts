import { createHash } from 'node:crypto';

const digest = (text: string) => createHash('sha256').update(text).digest();

/** A stable UUID-shaped id for a resource name (Cloud Run's uids are UUIDs). */
export function uidFrom(name: string): string {
  const hex = digest(name).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** An opaque etag that changes whenever `version` does. */
export function etagFrom(name: string, version: number): string {
  return digest(`${name}#${version}`).toString('base64url').slice(0, 24);
}
