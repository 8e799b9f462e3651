/** A failure reported by Keygate (or on the way to it), with the server's error code. */
export class KeygateError extends Error {
  override name = 'KeygateError';

  constructor(
    message: string,
    /** `extensions.code` from the server (UNAUTHENTICATED, FORBIDDEN, BAD_USER_INPUT, NOT_FOUND, RATE_LIMITED, ...), or NETWORK_ERROR. */
    readonly code: string,
    /** The HTTP status of the response, when there was one. */
    readonly status?: number,
    /** The rest of `extensions`: `reason`, `field`, `requiredScopes`, `retryAfter`... */
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}
