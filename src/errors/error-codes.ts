export type ErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'BAD_USER_INPUT'
  | 'NOT_FOUND'
  | 'RATE_LIMITED'
  | 'UPSTREAM_UNAVAILABLE'
  | 'INTERNAL_SERVER_ERROR';

/** The HTTP status each SPEC.md error code answers with; the others answer 200 with `errors`. */
const HTTP_STATUS_BY_CODE: Partial<Record<ErrorCode, number>> = {
  UNAUTHENTICATED: 401,
  RATE_LIMITED: 429,
};

interface CodedError {
  readonly code: ErrorCode;
  /** A status more precise than the code's own (an outage is a 503 INTERNAL_SERVER_ERROR). */
  readonly httpStatus?: number;
  details(): Record<string, unknown>;
  httpHeaders(): Record<string, string>;
}

export function errorExtensions(error: CodedError): Record<string, unknown> {
  const status = error.httpStatus ?? HTTP_STATUS_BY_CODE[error.code];
  const http = status !== undefined ? { status, headers: new Map(Object.entries(error.httpHeaders())) } : undefined;
  return { code: error.code, ...error.details(), ...(http ? { http } : {}) };
}
