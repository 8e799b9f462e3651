import { GraphQLError } from 'graphql';
import {
  BadUserInputError,
  ForbiddenError,
  HttpRequestError,
  NotFoundError,
  RateLimitedError,
  ServiceUnavailableError,
  UnauthenticatedError,
  UpstreamUnavailableError,
} from '../../src/errors/app-errors';
import { QueryRunnerAlreadyReleasedError, QueryRunnerProviderAlreadyReleasedError } from 'typeorm';
import { withoutEchoedValues } from '../../src/errors/echoed-values';
import { createFormatError, isDependencyUnavailable, responseHead } from '../../src/errors/error-policy';
import { createLogger } from '../../src/logging/logger';

const format = createFormatError(createLogger('silent'));
const JSON_TYPE = 'application/json; charset=utf-8';

function resolverError(original: Error): GraphQLError {
  return new GraphQLError(original.message, { path: ['field'], originalError: original });
}

describe('formatError', () => {
  it('masks unexpected errors: no message, stack or SQL reaches the client', () => {
    const sqlError = Object.assign(new Error('duplicate key value violates unique constraint "users_email_key" SELECT * FROM users WHERE password_hash = $1'), {
      query: 'SELECT * FROM users',
      parameters: ['$2b$10$secret'],
    });
    const formatted = format(
      { message: sqlError.message, path: ['field'], extensions: { code: 'INTERNAL_SERVER_ERROR', stacktrace: ['at x'] } },
      resolverError(sqlError),
    );
    expect(formatted).toEqual({ message: 'Internal server error', path: ['field'], extensions: { code: 'INTERNAL_SERVER_ERROR' } });
  });

  it('maps typed errors to their codes and details', () => {
    const cases: Array<[Error, Record<string, unknown>]> = [
      [new UnauthenticatedError('Invalid client key', 'KEY_REVOKED'), { code: 'UNAUTHENTICATED', reason: 'KEY_REVOKED' }],
      [new ForbiddenError([['read:users']]), { code: 'FORBIDDEN', requiredScopes: [['read:users']] }],
      [new BadUserInputError('name', 'must not be empty'), { code: 'BAD_USER_INPUT', field: 'name' }],
      [new RateLimitedError(7), { code: 'RATE_LIMITED', retryAfter: 7 }],
    ];
    for (const [error, extensions] of cases) {
      const formatted = format({ message: error.message }, resolverError(error));
      expect(formatted.extensions).toEqual(extensions);
    }
  });

  it('tells a client when the database is unreachable, without details', () => {
    const down = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    const formatted = format({ message: down.message }, resolverError(down));
    expect(formatted.message).not.toContain('5432');
    expect(formatted.extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR', retryable: true });
  });

  it('asks for HTTP 503 with Retry-After during an outage, wherever it was met', () => {
    const down = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    expect(responseHead([new ServiceUnavailableError()], JSON_TYPE)).toEqual({ status: 503, headers: { 'retry-after': '1' } });
    expect(responseHead([resolverError(new NotFoundError('x')), resolverError(down)], JSON_TYPE)).toEqual({ status: 503, headers: { 'retry-after': '1' } });
  });

  it('picks the status of a response from its error objects', () => {
    const limited = new RateLimitedError(7, { ratelimit: '"per-key";r=0;t=7' });
    expect(responseHead([new GraphQLError('limited', { originalError: limited })], JSON_TYPE)).toEqual({
      status: 429,
      headers: { ratelimit: '"per-key";r=0;t=7', 'retry-after': '7' },
    });
    expect(responseHead([new UnauthenticatedError('Invalid client key', 'KEY_INVALID')], JSON_TYPE).status).toBe(401);
    // Anonymous access to a guarded field is a 401 even with other fields answered.
    expect(responseHead([resolverError(new UnauthenticatedError())], JSON_TYPE).status).toBe(401);
    // A refusal before anything ran is a 403; a field the caller may not read spoils only that field.
    expect(responseHead([new ForbiddenError([['read:users']])], JSON_TYPE).status).toBe(403);
    expect(responseHead([resolverError(new ForbiddenError([['read:users']]))], JSON_TYPE).status).toBe(200);
    expect(responseHead([resolverError(new NotFoundError('Client key'))], JSON_TYPE).status).toBe(200);
    expect(responseHead([new HttpRequestError('PAYLOAD_TOO_LARGE', 'too large')], JSON_TYPE).status).toBe(413);
    expect(responseHead([new HttpRequestError('BAD_REQUEST', 'not JSON')], JSON_TYPE).status).toBe(400);
    expect(responseHead([resolverError(new Error('boom'))], JSON_TYPE).status).toBe(200);
    expect(responseHead([new Error('boom')], JSON_TYPE).status).toBe(500);
  });

  it('passes the errors of an upstream through with their code and the upstream named, and names an unavailable one', () => {
    const fromUpstream = new GraphQLError('No such product', {
      path: ['product'],
      extensions: { code: 'NOT_FOUND', upstream: 'inventory', stacktrace: ['at x'] },
    });
    expect(format({ message: '', path: ['product'] }, fromUpstream)).toEqual({
      message: 'No such product',
      path: ['product'],
      extensions: { code: 'NOT_FOUND', upstream: 'inventory' },
    });
    const down = resolverError(new UpstreamUnavailableError('inventory'));
    expect(format({ message: '', path: ['field'] }, down)).toEqual({
      message: 'Upstream inventory is unavailable',
      path: ['field'],
      extensions: { code: 'UPSTREAM_UNAVAILABLE', upstream: 'inventory' },
    });
    expect(responseHead([down], JSON_TYPE).status).toBe(200);
  });

  it('answers documents that fail to parse, validate or coerce with 200 to application/json-only clients, 400 to the others', () => {
    const invalid = new GraphQLError('Cannot query field "x" on type "Query".', { extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });
    expect(responseHead([invalid], JSON_TYPE).status).toBe(200);
    expect(responseHead([invalid], 'application/graphql-response+json; charset=utf-8').status).toBe(400);
    const csrf = new GraphQLError('This operation has been blocked as a potential CSRF', { extensions: { code: 'BAD_REQUEST' } });
    expect(responseHead([csrf], JSON_TYPE).status).toBe(400);
  });

  it('keeps the messages of malformed-request errors from graphql-js', () => {
    // Apollo's own error classes carry their code on the error object, which is what is read.
    const message = 'Cannot query field "x" on type "Query".';
    const formatted = format(
      { message, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } },
      new GraphQLError(message, { extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }),
    );
    expect(formatted).toMatchObject({ message: 'Cannot query field "x" on type "Query".', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });
  });

  it('recognises an outage however it is wrapped', () => {
    expect(isDependencyUnavailable(new QueryRunnerAlreadyReleasedError())).toBe(true);
    expect(isDependencyUnavailable(new GraphQLError('x', { path: ['f'], originalError: new QueryRunnerProviderAlreadyReleasedError() }))).toBe(true);
    expect(isDependencyUnavailable(new QueryRunnerProviderAlreadyReleasedError())).toBe(true);
    expect(isDependencyUnavailable(new Error('Query read timeout'))).toBe(true);
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    expect(isDependencyUnavailable(new GraphQLError('x', { originalError: refused }))).toBe(true);
    expect(isDependencyUnavailable({ message: 'Unexpected error value', thrownValue: { code: 'ECONNRESET' } })).toBe(true);
    expect(isDependencyUnavailable(new Error('duplicate key value'))).toBe(false);
  });

  it('cuts the values a client sent out of coercion errors', () => {
    const secret = 'kg_' + 'S'.repeat(46);
    const messages = [
      `Variable "$i" got invalid value "${secret}" at "i.rateLimitPerMinute"; Int cannot represent non-integer value: "${secret}"`,
      `Variable "$p" got invalid value ["${secret}"]; String cannot represent a non string value: ["${secret}"]`,
      `Variable "$i" got invalid value { name: "${secret}" }; Field "scopes" of required type "[String!]!" was not provided.`,
      `Variable "$i" got invalid value "${secret}" at "i.expiresAt"; Expected type "DateTime". Value is not a valid DateTime: ${secret}`,
      `Expected value of type "Int!", found "${secret}".`,
      `Variable "$i" got invalid value "${secret}" at "i.role"; Value "${secret}" does not exist in "UserRole" enum.`,
      `Variable "$i" got invalid value ["${secret}"] at "i.expiresAt"; DateTime cannot represent non string or Date type ["${secret}"]`,
      `Variable "$i" got invalid value { ${secret}: 1 }; Field "${secret}" is not defined by type "UpdateClientKeyInput".`,
    ];
    for (const message of messages) {
      const cleaned = format(
        { message, extensions: { code: 'BAD_USER_INPUT' } },
        new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } }),
      ).message;
      expect(cleaned).not.toContain(secret);
      expect(cleaned).toBe(withoutEchoedValues(message));
    }
    expect(withoutEchoedValues(messages[0])).toBe('Variable "$i" got an invalid value at "i.rateLimitPerMinute"; expected a value of type "Int"');
    expect(withoutEchoedValues(messages[2])).toBe('Variable "$i" got an invalid value; field "scopes" of required type "[String!]!" was not provided');
    expect(withoutEchoedValues(messages[3])).toBe('Variable "$i" got an invalid value at "i.expiresAt"; expected a value of type "DateTime"');
  });
});
