import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { QueryRunnerAlreadyReleasedError, QueryRunnerProviderAlreadyReleasedError } from 'typeorm';
import type { Logger } from '../logging/logger';
import { AppError, ServiceUnavailableError } from './app-errors';
import { documentOf } from './client-text';
import { withoutEchoedValues } from './echoed-values';

/**
 * The one place where an error object becomes what a client sees: its code, its (masked)
 * message, its extensions, and the HTTP status and headers of the response it ends up in.
 * Everything works on the error objects themselves; no response is ever parsed back.
 */

/** Codes Apollo and graphql-js produce for malformed requests: their messages are safe to show (once echoes are cut). */
const REQUEST_ERROR_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
]);

/**
 * GraphQL over HTTP: a client that accepts only `application/json` predates
 * `application/graphql-response+json` and SHOULD get 200 for a well-formed GraphQL response.
 * Documents that fail to parse, validate or coerce their variables are such responses; other
 * refusals (CSRF, malformed bodies, batching) keep their status.
 */
const DOCUMENT_ERROR_CODES = new Set(['GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_USER_INPUT']);

/** The status of a response refused before any field ran, by the code of its error. */
const REQUEST_STATUS: Record<string, number> = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  RATE_LIMITED: 429,
  QUOTA_EXCEEDED: 429,
  COST_ESTIMATED_TOO_EXPENSIVE: 400,
  PAYLOAD_TOO_LARGE: 413,
  BAD_REQUEST: 400,
  BAD_USER_INPUT: 400,
  GRAPHQL_PARSE_FAILED: 400,
  GRAPHQL_VALIDATION_FAILED: 400,
  OPERATION_RESOLUTION_FAILURE: 400,
  PERSISTED_QUERY_NOT_FOUND: 400,
  PERSISTED_QUERY_NOT_SUPPORTED: 400,
};

/** Statuses that decide the response even when raised by one field among others, strongest first. */
const DOMINANT_STATUSES = [503, 401, 429];

const CONNECTION_ERROR_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', '57P01', '57P03', '08006', '08001', '08003', '57014']);
/** Node's socket errors also name their code in the message, which is all some wrappers keep. */
const CONNECTION_ERROR_MESSAGE =
  /Connection terminated|timeout exceeded when trying to connect|Query read timeout|Client has encountered a connection error|Client was closed and is not queryable|\b(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE)\b/i;

export function isDependencyUnavailable(error: unknown): boolean {
  if (!error || typeof error !== 'object') return false;
  // TypeORM releases a transaction's query runner when its connection fails: the next statement reports this instead.
  if (error instanceof QueryRunnerAlreadyReleasedError || error instanceof QueryRunnerProviderAlreadyReleasedError) return true;
  const e = error as { code?: unknown; message?: unknown; driverError?: unknown; originalError?: unknown; thrownValue?: unknown };
  if (typeof e.code === 'string' && CONNECTION_ERROR_CODES.has(e.code)) return true;
  if (typeof e.message === 'string' && CONNECTION_ERROR_MESSAGE.test(e.message)) return true;
  // The cause may sit inside a wrapper: TypeORM's, a GraphQLError, or graphql-js's NonErrorThrown
  // (for a value that is not an Error of this realm, e.g. a socket error seen from a jest sandbox).
  return [e.driverError, e.originalError, e.thrownValue].some((inner) => inner !== undefined && isDependencyUnavailable(inner));
}

function toAppError(original: unknown): AppError | undefined {
  if (original instanceof AppError) return original;
  if (original instanceof GraphQLError) {
    // Errors that cross a schema delegation (stitched upstreams) are wrapped once per hop.
    let inner: unknown = original.originalError;
    while (inner instanceof GraphQLError) inner = inner.originalError;
    if (inner instanceof AppError) return inner;
    // Several errors for one field (an upstream's, merged by stitching): the first one speaks for them.
    if (inner instanceof AggregateError && inner.errors.length > 0) return toAppError(inner.errors[0]);
  }
  if (isDependencyUnavailable(original)) return new ServiceUnavailableError();
  return undefined;
}

/** What one error shows a client, and what it asks of the HTTP response. */
export interface ErrorDescription {
  code: string;
  /** Client-safe: masked for anything not thrown on purpose, with echoed client values cut out. */
  message: string;
  /** Client-safe extensions, `code` first. */
  extensions: Record<string, unknown>;
  /** The response status this error asks for; undefined for a field error that leaves the response a 200. */
  status?: number;
  headers: Record<string, string>;
  /** Not thrown on purpose: logged (with the original) and masked. */
  unexpected: boolean;
}

function apolloHttp(error: unknown): { status?: number; headers: Record<string, string> } | undefined {
  const http = error instanceof GraphQLError ? (error.extensions?.http as { status?: unknown; headers?: unknown } | undefined) : undefined;
  if (!http) return undefined;
  const headers = http.headers instanceof Map ? Object.fromEntries(http.headers as Map<string, string>) : {};
  return { status: typeof http.status === 'number' ? http.status : undefined, headers };
}

/**
 * Describes any thrown value: a typed AppError (ours), a GraphQLError of graphql-js or Apollo
 * (request errors), or anything else (masked). `error` may wrap the original, as resolver
 * errors do.
 */
export function describeError(error: unknown): ErrorDescription {
  const original = unwrapResolverError(error);
  // A field error has a path: it spoils one field, not the whole response.
  const inField = error instanceof GraphQLError && error.path !== undefined;
  const appError = toAppError(original) ?? toAppError(error);
  if (appError) {
    const outage = appError instanceof ServiceUnavailableError;
    // An upstream's error outside any field means the upstream failed the whole request: a bad gateway.
    const status = outage ? 503 : appError.decidesStatus ? REQUEST_STATUS[appError.code] : 502;
    const dominant = status !== undefined && DOMINANT_STATUSES.includes(status);
    return {
      code: appError.code,
      message: appError.message,
      extensions: appError.extensions,
      status: inField && !dominant ? undefined : status,
      headers: appError.httpHeaders(),
      unexpected: false,
    };
  }
  const code = error instanceof GraphQLError ? error.extensions?.code : undefined;
  const upstream = error instanceof GraphQLError ? error.extensions?.upstream : undefined;
  if (typeof upstream === 'string') {
    // An upstream service's own GraphQL error passes through with its message and code, named
    // after the upstream, without stack traces or exception details.
    const { stacktrace: _stacktrace, exception: _exception, http: _http, ...rest } = (error as GraphQLError).extensions;
    const passed = typeof code === 'string' ? code : 'INTERNAL_SERVER_ERROR';
    return {
      code: passed,
      message: (error as GraphQLError).message,
      extensions: { ...rest, code: passed, upstream },
      status: inField ? undefined : 502,
      headers: {},
      unexpected: false,
    };
  }
  if (typeof code === 'string' && REQUEST_ERROR_CODES.has(code) && !inField) {
    const http = apolloHttp(error);
    return {
      code,
      message: withoutEchoedValues((error as GraphQLError).message, documentOf(error)),
      extensions: { code },
      status: http?.status ?? REQUEST_STATUS[code],
      headers: http?.headers ?? {},
      unexpected: false,
    };
  }
  return {
    code: 'INTERNAL_SERVER_ERROR',
    message: 'Internal server error',
    extensions: { code: 'INTERNAL_SERVER_ERROR' },
    status: inField ? undefined : 500,
    headers: {},
    unexpected: true,
  };
}

/** Apollo's `formatError`, and the shape of every error Keygate writes itself. */
export function createFormatError(logger: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const described = describeError(error);
    if (described.unexpected) {
      logger.error({ err: unwrapResolverError(error), path: formatted.path }, 'unexpected error while handling a GraphQL request');
      return { message: described.message, path: formatted.path, extensions: described.extensions };
    }
    return { message: described.message, locations: formatted.locations, path: formatted.path, extensions: described.extensions };
  };
}

export interface ResponseHead {
  status: number;
  headers: Record<string, string>;
}

/**
 * The status and headers of a GraphQL response, from the errors it carries. An outage (503),
 * a refused credential (401) or rate limit (429) decide it wherever they were raised; otherwise
 * a response refused before any field ran takes its first error's status, and one with field
 * errors stays a 200 (its data says what worked). `mediaType` is the negotiated response type:
 * `application/json` clients get 200 for documents that fail to parse, validate or coerce.
 */
export function responseHead(errors: readonly unknown[], mediaType: string | undefined): ResponseHead {
  const described = errors.map(describeError);
  const headers: Record<string, string> = {};
  for (const d of described) Object.assign(headers, d.headers);
  let status = 200;
  const dominant = DOMINANT_STATUSES.find((s) => described.some((d) => d.status === s));
  if (dominant !== undefined) status = dominant;
  else status = described.find((d) => d.status !== undefined)?.status ?? 200;
  if (status === 400 && isPlainJson(mediaType) && described.every((d) => DOCUMENT_ERROR_CODES.has(d.code))) status = 200;
  return { status, headers };
}

function isPlainJson(mediaType: string | undefined): boolean {
  return mediaType === undefined || mediaType.startsWith('application/json');
}

/** The body of a response refused before Apollo saw it (a bad credential, a malformed body). */
export function errorBody(errors: readonly unknown[], logger: Logger): string {
  const format = createFormatError(logger);
  return JSON.stringify({ errors: errors.map((error) => format({ message: '' }, error)) });
}
