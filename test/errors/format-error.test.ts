import { GraphQLError } from 'graphql';
import { BadUserInputError, ForbiddenError, RateLimitedError, ServiceUnavailableError, UnauthenticatedError } from '../../src/errors/app-errors';
import { QueryRunnerAlreadyReleasedError, QueryRunnerProviderAlreadyReleasedError } from 'typeorm';
import { withoutEchoedValues } from '../../src/errors/echoed-values';
import { createFormatError, isDependencyUnavailable } from '../../src/errors/format-error';
import { createLogger } from '../../src/logging/logger';

const format = createFormatError(createLogger('silent'));

function resolverError(original: Error): GraphQLError {
  return new GraphQLError(original.message, { path: ['field'], originalError: original });
}

describe('formatError', () => {
  it('masks unexpected errors: no message, stack or SQL reaches the client', () => {
    const sqlError = Object.assign(new Error('duplicate key value violates unique constraint "users_email_key" SELECT * FROM users WHERE password_hash = $1'), {
      query: 'SELECT * FROM users',
      parameters: ['$2b$10$secret'],
    });
    const formatted = format({ message: sqlError.message, path: ['field'], extensions: { code: 'INTERNAL_SERVER_ERROR', stacktrace: ['at x'] } }, resolverError(sqlError));
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

  it('asks for HTTP 503 with Retry-After during an outage', () => {
    const http = new ServiceUnavailableError().extensions.http as { status: number; headers: Map<string, string> };
    expect(http.status).toBe(503);
    expect(http.headers.get('retry-after')).toBe('1');
  });

  it('keeps the messages of malformed-request errors from graphql-js', () => {
    const formatted = format({ message: 'Cannot query field "x" on type "Query".', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }, new GraphQLError('x'));
    expect(formatted).toMatchObject({ message: 'Cannot query field "x" on type "Query".', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });
  });

  it('recognises an outage however it is wrapped', () => {
    expect(isDependencyUnavailable(new QueryRunnerAlreadyReleasedError())).toBe(true);
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
      const cleaned = format({ message, extensions: { code: 'BAD_USER_INPUT' } }, new GraphQLError(message)).message;
      expect(cleaned).not.toContain(secret);
      expect(cleaned).toBe(withoutEchoedValues(message));
    }
    expect(withoutEchoedValues(messages[0])).toBe('Variable "$i" got an invalid value at "i.rateLimitPerMinute"; expected a value of type "Int"');
    expect(withoutEchoedValues(messages[2])).toBe('Variable "$i" got an invalid value; field "scopes" of required type "[String!]!" was not provided');
    expect(withoutEchoedValues(messages[3])).toBe('Variable "$i" got an invalid value at "i.expiresAt"; expected a value of type "DateTime"');
  });
});
