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

export function decodeCursor(cursor: string, field = 'after'): Cursor {
  try {
    const [createdAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [string, string];
    const date = new Date(createdAt);
    if (typeof id === 'string' && /^[0-9a-f-]{36}$/i.test(id) && !Number.isNaN(date.getTime())) return { createdAt: date, id };
  } catch {
    // fall through to the error below
  }
  throw new BadUserInputError(field, 'is not a cursor returned by this API');
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
