import { BadUserInputError } from '../errors/app-errors';
import { checkIntRange } from './validation';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

/** A position in a newest-first listing: ties on the timestamp are broken by id. */
export interface Cursor {
  createdAt: Date;
  id: string;
}

export interface PageRequest {
  first: number;
  after?: Cursor;
}

export interface Page<T> {
  nodes: T[];
  /** Counted only when asked for: a page that does not show its total costs no COUNT(*). */
  totalCount: () => Promise<number>;
  endCursor: string | null;
  hasNextPage: boolean;
}

export function encodeCursor(row: { createdAt: Date; id: string }): string {
  return Buffer.from(JSON.stringify([row.createdAt.toISOString(), row.id])).toString('base64url');
}

/** What encodeCursor writes: an ISO timestamp to the millisecond, within PostgreSQL's and our own range. */
const CURSOR_TIME = /^(\d{4})-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const CURSOR_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const BASE64URL = /^[A-Za-z0-9_-]+={0,2}$/;
/** encodeCursor's output is about 90 characters; anything much longer is not ours. */
const MAX_CURSOR_LENGTH = 200;

/**
 * Cursors come back from clients, so each part is checked as strictly as encodeCursor writes
 * it: a forged one (a date in the year -271821, an id of 36 dashes) would otherwise reach
 * PostgreSQL, which refuses it with an error instead of an empty page.
 */
function parseCursor(cursor: string): Cursor | undefined {
  if (cursor.length > MAX_CURSOR_LENGTH || !BASE64URL.test(cursor)) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (!Array.isArray(parsed) || parsed.length !== 2) return undefined;
  const [createdAt, id] = parsed as unknown[];
  if (typeof createdAt !== 'string' || typeof id !== 'string' || !CURSOR_ID.test(id)) return undefined;
  const time = CURSOR_TIME.exec(createdAt);
  if (!time || Number(time[1]) < 1970) return undefined;
  const date = new Date(createdAt);
  // Round-tripping refuses impossible dates JavaScript would roll over (February 30th).
  if (Number.isNaN(date.getTime()) || date.toISOString() !== createdAt) return undefined;
  return { createdAt: date, id: id.toLowerCase() };
}

export function decodeCursor(cursor: string, field = 'after'): Cursor {
  const decoded = parseCursor(cursor);
  if (!decoded) throw new BadUserInputError(field, 'is not a cursor returned by this API');
  return decoded;
}

export function pageRequest(first: number | undefined | null, after: string | undefined | null): PageRequest {
  return {
    first: checkIntRange(first ?? DEFAULT_PAGE_SIZE, 'first', 1, MAX_PAGE_SIZE),
    after: after ? decodeCursor(after) : undefined,
  };
}

/** Builds the page from `first + 1` fetched rows: the extra row only tells whether more exist. */
export function toPage<T extends { createdAt: Date; id: string }>(rows: T[], first: number, totalCount: () => Promise<number>): Page<T> {
  const nodes = rows.slice(0, first);
  const last = nodes[nodes.length - 1];
  return { nodes, totalCount, endCursor: last ? encodeCursor(last) : null, hasNextPage: rows.length > first };
}
