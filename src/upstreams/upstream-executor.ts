import { randomUUID } from 'node:crypto';
import { buildHTTPExecutor } from '@graphql-tools/executor-http';
import { createGraphQLError, type ExecutionResult, type Executor, isAsyncIterable } from '@graphql-tools/utils';
import type { GraphQLError } from 'graphql';
import type { Principal } from '../identity/principal';
import type { Logger } from '../logging/logger';
import type { UpstreamConfig } from './gateway-config';
import { HttpTransport, type SmallResponse } from './http-transport';
import { redactedUpstreamError } from './upstream-error-log';
import { UpstreamGraphQLError, UpstreamUnavailableError } from './upstream-errors';

/** What the executor reads from a request's GraphQL context (absent while introspecting at start). */
export interface RequestSide {
  principal?: Principal;
  requestId?: string;
}

export interface IdentitySource {
  tokenFor(principal: Principal, upstream: string): string | Promise<string>;
}

/** Counts for tests and the benchmark: requests sent to each upstream. */
export interface UpstreamStats {
  sent: number;
}

/**
 * A remote executor for one upstream: graphql-tools' HTTP executor with Keygate's headers. Only
 * the headers set here are sent: the client's Authorization, X-Client-Key and Cookie never reach
 * an upstream. A signed-in caller's identity goes as x-keygate-identity, a JWT the upstream can
 * verify against /.well-known/jwks.json.
 */
export interface UpstreamExecutor {
  executor: Executor;
  /**
   * Sends one GraphQL request body as it is (an operation the gateway planned for this upstream
   * alone), with the same headers as `executor`: the upstream's answer with its errors passed
   * through sanitized, or why the upstream is unavailable.
   */
  send(body: string, context: RequestSide | undefined): Promise<UpstreamAnswer>;
  /** Closes its idle keep-alive connections. */
  close(): void;
}

export type UpstreamAnswer = { result: ExecutionResult } | { unavailable: UpstreamUnavailableError };

/** What executor-http asks for: the planned requests ask the same, so an upstream answers both alike. */
const ACCEPT = 'application/graphql-response+json, application/json, multipart/mixed';

/** Turns one of an upstream's own GraphQL errors into what the client sees (see UpstreamGraphQLError). */
type PassError = (message: string, path: ReadonlyArray<string | number> | undefined, extensions: Record<string, unknown> | undefined) => GraphQLError;

/**
 * The error as the client sees it: masked unless coded, extensions cut to the allowlist. The whole
 * error goes to the debug log first, redacted: what the upstream said is an operator's clue.
 */
function errorPasser(upstream: UpstreamConfig, logger: Logger): PassError {
  const exposed = upstream.exposeExtensions;
  return (message, path, extensions) => {
    if (logger.isLevelEnabled('debug'))
      logger.debug({ upstream: upstream.name, upstreamError: redactedUpstreamError({ message, path, extensions }) }, 'upstream returned an error');
    const passed = new UpstreamGraphQLError(message, extensions, upstream.name, exposed);
    return createGraphQLError(passed.message, { path, originalError: passed, extensions: passed.extensions });
  };
}

/**
 * Reads an upstream's answer the way executor-http does: JSON whatever the status, with `data`
 * or a non-empty `errors`; anything else means the upstream is not answering GraphQL.
 */
function readAnswer(text: string, pass: PassError): ExecutionResult | string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return 'the answer is not JSON';
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return 'the answer is not a GraphQL response';
  const { data, errors } = parsed as { data?: unknown; errors?: unknown };
  if (errors !== undefined && errors !== null && !Array.isArray(errors)) return "the answer's errors are not a list";
  if ((data === undefined || data === null) && !(errors as unknown[] | undefined)?.length) return 'the answer has neither data nor errors';
  if (data !== undefined && data !== null && (typeof data !== 'object' || Array.isArray(data))) return "the answer's data is not an object";
  const result: ExecutionResult = { data: data as ExecutionResult['data'] };
  if ((errors as unknown[] | undefined)?.length) {
    // An error that is not an object with a message is not GraphQL either (executor-http fails on it the same way).
    if (!(errors as unknown[]).every((e) => e !== null && typeof e === 'object' && typeof (e as { message?: unknown }).message === 'string'))
      return "the answer's errors are not GraphQL errors";
    result.errors = (errors as unknown[]).map((raw) => {
      const e = raw as { message: string; path?: unknown; extensions?: unknown };
      const path =
        Array.isArray(e.path) && e.path.every((p) => typeof p === 'string' || typeof p === 'number') ? (e.path as Array<string | number>) : undefined;
      const extensions =
        e.extensions !== null && typeof e.extensions === 'object' && !Array.isArray(e.extensions) ? (e.extensions as Record<string, unknown>) : undefined;
      return pass(e.message, path, extensions);
    });
  }
  return result;
}

export function createUpstreamExecutor(
  upstream: UpstreamConfig,
  identity: IdentitySource,
  logger: Logger,
  stats: UpstreamStats = { sent: 0 },
): UpstreamExecutor {
  const staticHeaders = { ...upstream.headers };
  const pass = errorPasser(upstream, logger);

  const transport = new HttpTransport(upstream.url);

  const send = async (url: string, init: RequestInit | undefined, context: RequestSide | undefined): Promise<SmallResponse> => {
    const headers: Record<string, string> = { ...(init?.headers as Record<string, string>), ...staticHeaders };
    return sendWith(url, init?.method ?? 'POST', headers, init?.body as string | undefined, context);
  };

  const sendWith = async (
    url: string,
    method: string,
    headers: Record<string, string>,
    body: string | undefined,
    context: RequestSide | undefined,
  ): Promise<SmallResponse> => {
    headers['x-request-id'] = context?.requestId ?? randomUUID();
    const principal = context?.principal;
    if (principal) {
      const token = identity.tokenFor(principal, upstream.name);
      headers['x-keygate-identity'] = typeof token === 'string' ? token : await token;
    }
    stats.sent++;
    return transport.send(url, method, headers, body, upstream.timeoutMs);
  };

  const logUnavailable = (cause: string): UpstreamUnavailableError => {
    // The cause (connection refused, timeout, a non-GraphQL answer) goes to the log, never to the client.
    logger.warn({ upstream: upstream.name, cause: cause.split('\n')[0].slice(0, 200) }, 'upstream unavailable');
    return new UpstreamUnavailableError(upstream.name);
  };

  const http = buildHTTPExecutor({
    endpoint: upstream.url,
    fetch: send as never,
    // Two callers' identical queries still go separately: each carries its own identity.
    deduplicateInflightRequests: false,
  });

  const unavailable = (cause: GraphQLError): ExecutionResult => {
    const error = logUnavailable(cause.message);
    return { errors: [createGraphQLError(error.message, { originalError: error, extensions: error.extensions })] };
  };

  const executor: Executor = async (request) => {
    const result = await http(request);
    if (isAsyncIterable(result)) return result;
    const errors = result.errors;
    if (!errors?.length) return result;
    // Errors built from the upstream's own JSON carry no originalError; transport failures, timeouts
    // and unparseable answers always do.
    const broken = errors.find((e) => e.originalError);
    if (broken) return unavailable(broken);
    return { ...result, errors: errors.map((e) => pass(e.message, e.path, e.extensions as Record<string, unknown> | undefined)) };
  };

  const sendPlanned = async (body: string, context: RequestSide | undefined): Promise<UpstreamAnswer> => {
    let text: string;
    try {
      const response = await sendWith(upstream.url, 'POST', { accept: ACCEPT, 'content-type': 'application/json', ...staticHeaders }, body, context);
      text = await response.text();
    } catch (err) {
      return { unavailable: logUnavailable((err as Error).message) };
    }
    const answer = readAnswer(text, pass);
    return typeof answer === 'string' ? { unavailable: logUnavailable(answer) } : { result: answer };
  };
  return { executor, send: sendPlanned, close: () => transport.close() };
}
