import { invalidArgument } from './rpc-error';

const MAX_PAGE_SIZE = 1_000;

/** The page size to use: the client's, else the sandbox default; capped like Google's APIs cap it. */
export function pageSizeOf(requested: number | null | undefined, fallback: number): number {
  const size = requested ?? 0;
  if (size < 0) throw invalidArgument(`page_size must not be negative, got ${size}`);
  return Math.min(size || fallback, MAX_PAGE_SIZE);
}

/** Opaque page tokens: the state the next page resumes from, tied to the request that began the listing. */
export function encodePageToken(state: object): string {
  return Buffer.from(JSON.stringify(state)).toString('base64url');
}

export function decodePageToken<T>(token: string, isValid: (state: unknown) => state is T): T {
  let state: unknown;
  try {
    state = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    state = undefined;
  }
  if (!isValid(state)) {
    throw invalidArgument('Invalid page token. Pass the next_page_token of the previous page of the same request.');
  }
  return state;
}

interface OffsetToken {
  offset: number;
  scope: string;
}

/** One page of a short, rarely changing list (services, revisions): the token is an offset into it. */
export function pageOf<T>(
  items: readonly T[],
  request: { pageSize?: number | null; pageToken?: string | null },
  defaultPageSize: number,
  scope: string,
): { page: T[]; nextPageToken: string } {
  const size = pageSizeOf(request.pageSize, defaultPageSize);
  const offset = request.pageToken
    ? decodePageToken(request.pageToken, (s): s is OffsetToken => isOffsetToken(s) && s.scope === scope).offset
    : 0;
  const end = offset + size;
  return {
    page: items.slice(offset, end),
    nextPageToken: end < items.length ? encodePageToken({ offset: end, scope }) : '',
  };
}

function isOffsetToken(state: unknown): state is OffsetToken {
  const s = state as OffsetToken | null | undefined;
  return typeof s?.offset === 'number' && Number.isInteger(s.offset) && s.offset >= 0 && typeof s.scope === 'string';
}
