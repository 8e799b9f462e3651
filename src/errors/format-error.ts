import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { QueryRunnerAlreadyReleasedError, QueryRunnerProviderAlreadyReleasedError } from 'typeorm';
import type { Logger } from '../logging/logger';
import { AppError, ServiceUnavailableError } from './app-errors';
import { documentOf } from './client-text';
import { withoutEchoedValues } from './echoed-values';

/** Codes Apollo and graphql-js produce for malformed requests: their messages are safe to show. */
const REQUEST_ERROR_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
]);

const CONNECTION_ERROR_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', '57P01', '57P03', '08006', '08001', '08003', '57014']);
/** Node's socket errors also name their code in the message, which is all some wrappers keep. */
const CONNECTION_ERROR_MESSAGE =
  /Connection terminated|timeout exceeded when trying to connect|Query read timeout|Client has encountered a connection error|Client was closed and is not queryable|\b(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE)\b/i;

export function isDependencyUnavailable(error: unknown): boolean {
  if (!error || typeof error !== 'object') return false;
  // TypeORM releases a transaction's query runner when its connection fails: the next statement reports this instead.
  // (An EntityManager bound to that runner reports QueryRunnerProviderAlreadyReleasedError.)
  if (error instanceof QueryRunnerAlreadyReleasedError || error instanceof QueryRunnerProviderAlreadyReleasedError) return true;
  const e = error as { code?: unknown; message?: unknown; driverError?: unknown; originalError?: unknown; thrownValue?: unknown };
  if (typeof e.code === 'string' && CONNECTION_ERROR_CODES.has(e.code)) return true;
  if (typeof e.message === 'string' && CONNECTION_ERROR_MESSAGE.test(e.message)) return true;
  // The cause may sit inside a wrapper: TypeORM's, a GraphQLError (Apollo wraps context failures), or graphql-js's
  // NonErrorThrown (for a value that is not an Error of this realm, e.g. a socket error seen from a jest sandbox).
  return [e.driverError, e.originalError, e.thrownValue].some((inner) => inner !== undefined && isDependencyUnavailable(inner));
}

function toAppError(original: unknown): AppError | undefined {
  if (original instanceof AppError) return original;
  if (original instanceof GraphQLError) {
    // Errors that crossed a stitching delegation are wrapped once per hop (see upstreams/).
    let inner: unknown = original.originalError;
    while (inner instanceof GraphQLError) inner = inner.originalError;
    if (inner instanceof AppError) return inner;
  }
  if (isDependencyUnavailable(original)) return new ServiceUnavailableError();
  return undefined;
}

/**
 * The single place where thrown errors become what a client sees. Anything we did not
 * throw on purpose is masked: its message, stack and SQL stay in the server log.
 */
export function createFormatError(logger: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    const appError = toAppError(original);
    if (appError) {
      const { http: _http, ...extensions } = appError.extensions;
      return { message: appError.message, locations: formatted.locations, path: formatted.path, extensions };
    }
    const code = formatted.extensions?.code;
    if (typeof code === 'string' && REQUEST_ERROR_CODES.has(code)) {
      return { message: withoutEchoedValues(formatted.message, documentOf(error)), locations: formatted.locations, path: formatted.path, extensions: { code } };
    }
    logger.error({ err: original, path: formatted.path }, 'unexpected error while handling a GraphQL request');
    return { message: 'Internal server error', path: formatted.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
  };
}

/** For errors raised outside resolvers (while building the context), which Apollo needs as GraphQLErrors. */
export function toGraphQLError(error: unknown): unknown {
  const appError = toAppError(error);
  return appError ? new GraphQLError(appError.message, { originalError: appError, extensions: appError.extensions }) : error;
}
