/**
 * The typed errors services throw. They carry no GraphQL or HTTP knowledge:
 * `error-policy.ts` alone decides what a client sees of them and which HTTP status they give.
 */
export type ErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'BAD_USER_INPUT'
  | 'NOT_FOUND'
  | 'RATE_LIMITED'
  | 'QUOTA_EXCEEDED'
  | 'COST_ESTIMATED_TOO_EXPENSIVE'
  | 'UPSTREAM_UNAVAILABLE'
  | 'INTERNAL_SERVER_ERROR'
  // Transport-level refusals, raised before any GraphQL is read.
  | 'BAD_REQUEST'
  | 'PAYLOAD_TOO_LARGE';

export type KeyFailureReason = 'KEY_INVALID' | 'KEY_EXPIRED' | 'KEY_REVOKED';

export abstract class AppError extends Error {
  abstract readonly code: ErrorCode;
  /** Extra, client-safe details placed in `extensions` next to `code`. */
  details(): Record<string, unknown> {
    return {};
  }
  /**
   * Whether `code` is Keygate's own, and so may set the HTTP status. An upstream's error passes
   * its code through (it may well say RATE_LIMITED or UNAUTHENTICATED) but is about that
   * upstream's field alone: it must not make Keygate answer 429 or 401.
   */
  get decidesStatus(): boolean {
    return true;
  }
  /** Response headers this error asks for (e.g. Retry-After). */
  httpHeaders(): Record<string, string> {
    return {};
  }
  /** graphql-js copies an original error's `extensions` onto the GraphQLError it builds around it. */
  get extensions(): Record<string, unknown> {
    return { code: this.code, ...this.details() };
  }
}

export class UnauthenticatedError extends AppError {
  readonly code = 'UNAUTHENTICATED';
  constructor(
    message = 'Authentication required',
    readonly reason?: KeyFailureReason,
  ) {
    super(message);
  }
  override details() {
    return this.reason ? { reason: this.reason } : {};
  }
}

export class ForbiddenError extends AppError {
  readonly code = 'FORBIDDEN';
  constructor(
    readonly requiredScopes: string[][],
    message = 'Missing required scopes',
  ) {
    super(message);
  }
  override details() {
    return { requiredScopes: this.requiredScopes };
  }
}

export class BadUserInputError extends AppError {
  readonly code = 'BAD_USER_INPUT';
  constructor(
    readonly field: string,
    reason: string,
  ) {
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

/** Whose limit refused a key's request: the key's own, an ancestor key's (shared down its lineage), or its owner's. */
export type LimitOf = 'KEY' | 'PARENT_KEY' | 'USER';

export class RateLimitedError extends AppError {
  readonly code = 'RATE_LIMITED';
  constructor(
    readonly retryAfterSeconds: number,
    readonly headers: Record<string, string> = {},
    message = 'Rate limit exceeded',
    /** Which limit refused it (its name), and whose. */
    readonly limit?: { name: string; of: LimitOf },
  ) {
    super(message);
  }
  override details() {
    return { retryAfter: this.retryAfterSeconds, ...(this.limit ? { limit: this.limit.name, limitOf: this.limit.of } : {}) };
  }
  override httpHeaders() {
    return { ...this.headers, 'retry-after': String(this.retryAfterSeconds) };
  }
}

/** Credits (a quota) cannot hold the request's estimated cost; `retryAfterSeconds`: the next refill, if any. */
export class QuotaExceededError extends AppError {
  readonly code = 'QUOTA_EXCEEDED';
  constructor(
    readonly of: LimitOf,
    readonly retryAfterSeconds: number | null,
    readonly headers: Record<string, string> = {},
  ) {
    super(
      of === 'KEY'
        ? "This client key's credits cannot cover the request's estimated cost"
        : of === 'PARENT_KEY'
          ? "The credits of a key above this one cannot cover the request's estimated cost"
          : "The key owner's credits cannot cover the request's estimated cost",
    );
  }
  override details() {
    return { limitOf: this.of, ...(this.retryAfterSeconds === null ? {} : { retryAfter: this.retryAfterSeconds }) };
  }
  override httpHeaders() {
    return this.retryAfterSeconds === null ? { ...this.headers } : { ...this.headers, 'retry-after': String(this.retryAfterSeconds) };
  }
}

/** The operation's estimated cost is above the key's maxOperationCost: nothing ran. */
export class CostEstimatedTooExpensiveError extends AppError {
  readonly code = 'COST_ESTIMATED_TOO_EXPENSIVE';
  constructor(
    readonly estimated: number,
    readonly max: number,
  ) {
    super(`The operation's estimated cost ${estimated} is above the maximum of ${max} for one operation`);
  }
  override details() {
    return { cost: { estimated: this.estimated, max: this.max } };
  }
}

/** An upstream GraphQL service is down or too slow: its fields fail, the others still answer. */
export class UpstreamUnavailableError extends AppError {
  readonly code = 'UPSTREAM_UNAVAILABLE';
  constructor(readonly upstream: string) {
    super(`Upstream ${upstream} is unavailable`);
  }
  override details() {
    return { upstream: this.upstream };
  }
}

/** A dependency (database, cache) is unavailable: retrying later may succeed. */
export class ServiceUnavailableError extends AppError {
  readonly code = 'INTERNAL_SERVER_ERROR';
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

/** A request refused before its GraphQL was read: a malformed or oversized body. */
export class HttpRequestError extends AppError {
  constructor(
    readonly code: 'BAD_REQUEST' | 'PAYLOAD_TOO_LARGE',
    message: string,
  ) {
    super(message);
  }
}
