import { GraphQLError } from 'graphql';
import { BadUserInputError, ForbiddenError, RateLimitedError, UnauthenticatedError } from '../../src/errors/app-errors';
import { createFormatError } from '../../src/errors/format-error';
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

  it('keeps the messages of malformed-request errors from graphql-js', () => {
    const formatted = format({ message: 'Cannot query field "x" on type "Query".', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }, new GraphQLError('x'));
    expect(formatted).toMatchObject({ message: 'Cannot query field "x" on type "Query".', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });
  });
});
