import type { IncomingHttpHeaders } from 'node:http';

/**
 * The request shape nearly every client sends: a JSON POST of one operation, accepting JSON.
 * Such a request needs none of Apollo's HTTP handling (GET parameters, batching, CSRF checks,
 * Accept negotiation), so it can go straight to the operation pipeline. Anything else takes
 * the full path.
 */
export interface SimpleOperation {
  query: string;
  variables?: Record<string, unknown>;
  operationName?: string;
  /** The media type to answer with. */
  mediaType: 'application/json' | 'application/graphql-response+json';
}

const PLAIN_JSON = new Set(['application/json', 'application/json; charset=utf-8', 'application/json;charset=utf-8']);

function answeredMediaType(accept: string | undefined): SimpleOperation['mediaType'] | undefined {
  if (accept === undefined || accept === '*/*' || accept === 'application/json') return 'application/json';
  if (accept === 'application/graphql-response+json') return 'application/graphql-response+json';
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function simpleOperation(headers: IncomingHttpHeaders, body: unknown): SimpleOperation | undefined {
  const contentType = headers['content-type']?.toLowerCase();
  if (!contentType || !PLAIN_JSON.has(contentType)) return undefined;
  const mediaType = answeredMediaType(headers.accept);
  if (!mediaType || !isRecord(body) || typeof body.query !== 'string' || body.extensions !== undefined) return undefined;
  const { variables, operationName } = body;
  if (variables !== undefined && variables !== null && !isRecord(variables)) return undefined;
  if (operationName !== undefined && operationName !== null && typeof operationName !== 'string') return undefined;
  for (const key of Object.keys(body)) if (key !== 'query' && key !== 'variables' && key !== 'operationName') return undefined;
  return { query: body.query, variables: variables ?? undefined, operationName: operationName ?? undefined, mediaType };
}
