import { AppError, type ErrorCode } from '../errors/app-errors';

/** An upstream that is down, too slow, or answers something that is not GraphQL. */
export class UpstreamUnavailableError extends AppError {
  readonly code = 'UPSTREAM_UNAVAILABLE';
  constructor(readonly upstream: string) {
    // No URL, no cause: the client learns which upstream, the log learns why.
    super(`Upstream "${upstream}" is unavailable`);
  }
  override details() {
    return { upstream: this.upstream };
  }
}

/** Extension keys an upstream's error never passes on: stacks, and what HTTP clients attach. */
const DROPPED_EXTENSIONS = new Set([
  'stacktrace',
  'stack',
  'exception',
  'originalError',
  'http',
  'request',
  'response',
  'requestBody',
  'responseDetails',
  'upstream',
]);

/**
 * A GraphQL error the upstream itself returned: its message and code pass through, with
 * `extensions.upstream` added and anything stack-like removed. It never sets Keygate's HTTP status.
 */
export class UpstreamGraphQLError extends AppError {
  // The upstream's own code: not one of Keygate's, which is why `extensions` is built here.
  readonly code: ErrorCode;
  private readonly passed: Record<string, unknown>;

  constructor(
    message: string,
    extensions: Record<string, unknown> | undefined,
    readonly upstream: string,
  ) {
    super(message);
    const code = extensions?.code;
    this.code = (typeof code === 'string' && code ? code : 'UPSTREAM_ERROR') as ErrorCode;
    this.passed = {};
    for (const [name, value] of Object.entries(extensions ?? {})) {
      if (name !== 'code' && !DROPPED_EXTENSIONS.has(name) && (value === null || typeof value !== 'object' || Array.isArray(value))) this.passed[name] = value;
    }
  }

  override get decidesStatus(): boolean {
    return false;
  }

  override get extensions(): Record<string, unknown> {
    return { code: this.code, ...this.passed, upstream: this.upstream };
  }
}
