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

/**
 * Names that never pass, even when listed in `exposeExtensions`: Keygate sets `code` and
 * `upstream` itself, and stacks, traces and exceptions are the upstream's internals.
 */
export const NEVER_EXPOSED = ['code', 'upstream', 'stack', 'stacktrace', 'trace', 'exception', 'originalError'] as const;
const NEVER = new Set<string>(NEVER_EXPOSED);

/** A code as GraphQL servers write them (NOT_FOUND, BAD_USER_INPUT); anything else is not a code. */
const CODE_SHAPE = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/;
/** An exposed extension bigger than this (as JSON) is dropped rather than passed on. */
const MAX_EXPOSED_JSON = 4096;

/** An exposed extension's value, without anything stack-like nested in it; undefined: not passed. */
function exposable(value: unknown, depth = 0): unknown {
  if (value === null || typeof value !== 'object')
    return typeof value === 'function' || typeof value === 'symbol' || typeof value === 'bigint' ? undefined : value;
  if (depth >= 8) return undefined;
  if (Array.isArray(value)) return value.map((item) => exposable(item, depth + 1) ?? null);
  const out: Record<string, unknown> = {};
  for (const [name, inner] of Object.entries(value)) {
    if (NEVER.has(name) || name.startsWith('__')) continue;
    const kept = exposable(inner, depth + 1);
    if (kept !== undefined) out[name] = kept;
  }
  return out;
}

/**
 * A GraphQL error the upstream itself returned, as the client sees it (SPEC "Upstream errors"):
 * a coded error (other than INTERNAL_SERVER_ERROR) keeps its message and code, any other becomes
 * "Upstream error" with code UPSTREAM_ERROR, since its message is the upstream's internals (SQL,
 * file paths, connection strings). `extensions` keeps only `code`, `upstream` and the names the
 * upstream's `exposeExtensions` lists. It never sets Keygate's HTTP status.
 */
export class UpstreamGraphQLError extends AppError {
  // The upstream's own code: not one of Keygate's, which is why `extensions` is built here.
  readonly code: ErrorCode;
  private readonly passed: Record<string, unknown>;

  constructor(
    message: string,
    extensions: Record<string, unknown> | undefined,
    readonly upstream: string,
    exposed: readonly string[] = [],
  ) {
    const given = extensions?.code;
    const coded = typeof given === 'string' && CODE_SHAPE.test(given) && given !== 'INTERNAL_SERVER_ERROR';
    super(coded ? message : 'Upstream error');
    this.code = (coded ? given : 'UPSTREAM_ERROR') as ErrorCode;
    this.passed = {};
    for (const name of exposed) {
      if (!extensions || !Object.hasOwn(extensions, name) || NEVER.has(name) || name.startsWith('__')) continue;
      const value = exposable(extensions[name]);
      if (value !== undefined && JSON.stringify(value).length <= MAX_EXPOSED_JSON) this.passed[name] = value;
    }
  }

  override get decidesStatus(): boolean {
    return false;
  }

  override get extensions(): Record<string, unknown> {
    return { code: this.code, ...this.passed, upstream: this.upstream };
  }
}
