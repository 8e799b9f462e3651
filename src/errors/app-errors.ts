/**
 * The typed errors services throw. They carry no GraphQL or HTTP knowledge:
 * `error-codes.ts` maps each code to its HTTP status in one place, and
 * `format-error.ts` turns them into GraphQL errors.
 */
import { type ErrorCode, errorExtensions } from './error-codes';

export type { ErrorCode };

export type KeyFailureReason = 'KEY_INVALID' | 'KEY_EXPIRED' | 'KEY_REVOKED';

export abstract class AppError extends Error {
  abstract readonly code: ErrorCode;
  readonly httpStatus?: number;
  /** Extra, client-safe details placed in `extensions` next to `code`. */
  details(): Record<string, unknown> {
    return {};
  }
  /** Response headers this error asks for (e.g. Retry-After). */
  httpHeaders(): Record<string, string> {
    return {};
  }
  /**
   * graphql-js copies an original error's `extensions` onto the GraphQLError it builds,
   * and Apollo reads `extensions.http` from it for the response status and headers.
   */
  get extensions(): Record<string, unknown> {
    return errorExtensions(this);
  }
}

export class UnauthenticatedError extends AppError {
  readonly code = 'UNAUTHENTICATED';
  constructor(message = 'Authentication required', readonly reason?: KeyFailureReason) {
    super(message);
  }
  override details() {
    return this.reason ? { reason: this.reason } : {};
  }
}

export class ForbiddenError extends AppError {
  readonly code = 'FORBIDDEN';
  constructor(readonly requiredScopes: string[][], message = 'Missing required scopes') {
    super(message);
  }
  override details() {
    return { requiredScopes: this.requiredScopes };
  }
}

export class BadUserInputError extends AppError {
  readonly code = 'BAD_USER_INPUT';
  constructor(readonly field: string, reason: string) {
    super(`${field}: ${reason}`);
  }
  override details() {
    return { field: this.field };
  }
}

export class NotFoundError extends AppError {
  readonly code = 'NOT_FOUND';
  constructor(entity: string) {
    super(`${entity} not found`);
  }
}

export class RateLimitedError extends AppError {
  readonly code = 'RATE_LIMITED';
  constructor(readonly retryAfterSeconds: number, readonly headers: Record<string, string> = {}, message = 'Rate limit exceeded') {
    super(message);
  }
  override details() {
    return { retryAfter: this.retryAfterSeconds };
  }
  override httpHeaders() {
    return { ...this.headers, 'retry-after': String(this.retryAfterSeconds) };
  }
}

/** A dependency (database, cache) is unavailable: retrying later may succeed. */
export class ServiceUnavailableError extends AppError {
  readonly code = 'INTERNAL_SERVER_ERROR';
  override readonly httpStatus = 503;
  constructor() {
    super('Service temporarily unavailable, try again shortly');
  }
  override details() {
    return { retryable: true };
  }
  override httpHeaders() {
    return { 'retry-after': '1' };
  }
}
