import type { HeaderMap } from '@apollo/server';

/**
 * GraphQL over HTTP: a client that accepts only `application/json` predates the
 * `application/graphql-response+json` media type and SHOULD get 200 for a well-formed
 * GraphQL response, request errors included. Apollo answers 400 for documents that fail
 * to parse, validate or coerce their variables; those become 200. Everything else
 * (CSRF refusals, malformed bodies, batching) keeps its status.
 */
const DOCUMENT_ERROR_CODES = new Set(['GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_USER_INPUT']);

export function legacyJsonStatus(status: number, headers: HeaderMap, body: string, isJson = false): number {
  if (status !== 400 || !(isJson || headers.get('content-type')?.startsWith('application/json'))) return status;
  try {
    const parsed = JSON.parse(body) as { errors?: Array<{ extensions?: { code?: string } }> };
    const codes = parsed.errors?.map((e) => e.extensions?.code) ?? [];
    return codes.length > 0 && codes.every((c) => c !== undefined && DOCUMENT_ERROR_CODES.has(c)) ? 200 : status;
  } catch {
    return status;
  }
}
