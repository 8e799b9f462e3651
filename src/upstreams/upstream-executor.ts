import { randomUUID } from 'node:crypto';
import { buildHTTPExecutor } from '@graphql-tools/executor-http';
import { createGraphQLError, type ExecutionResult, type Executor, isAsyncIterable } from '@graphql-tools/utils';
import type { GraphQLError } from 'graphql';
import type { Principal } from '../context/principal';
import type { Logger } from '../logging/logger';
import type { UpstreamConfig } from './gateway-config';
import { UpstreamGraphQLError, UpstreamUnavailableError } from './upstream-errors';

/** What the executor reads from a request's GraphQL context (absent while introspecting at start). */
interface RequestSide {
  principal?: Principal;
  requestId?: string;
}

export interface IdentitySource {
  tokenFor(principal: Principal, upstream: string): string | Promise<string>;
}

/** Thrown by the fetch below for any transport failure, so the executor can tell it from an upstream's GraphQL error. */
class TransportFailure extends Error {
  override name = 'UpstreamTransportFailure';
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
export function createUpstreamExecutor(upstream: UpstreamConfig, identity: IdentitySource, logger: Logger, stats: UpstreamStats = { sent: 0 }): Executor {
  const staticHeaders = { ...upstream.headers };

  const send = async (url: string, init: RequestInit | undefined, context: RequestSide | undefined): Promise<Response> => {
    const headers: Record<string, string> = { ...(init?.headers as Record<string, string>), ...staticHeaders };
    headers['x-request-id'] = context?.requestId ?? randomUUID();
    const principal = context?.principal;
    if (principal) {
      const token = identity.tokenFor(principal, upstream.name);
      headers['x-keygate-identity'] = typeof token === 'string' ? token : await token;
    }
    stats.sent++;
    // The timeout is set here rather than through the executor's option, whose signal combining
    // leaves a listener per request on a long-lived signal until garbage collection.
    const timeout = AbortSignal.timeout(upstream.timeoutMs);
    const signal = init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
    try {
      return await fetch(url, { ...init, headers, signal });
    } catch (err) {
      throw new TransportFailure(err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : 'fetch failed');
    }
  };

  const http = buildHTTPExecutor({
    endpoint: upstream.url,
    fetch: send as never,
    // Two callers' identical queries still go separately: each carries its own identity.
    deduplicateInflightRequests: false,
  });

  const unavailable = (cause: GraphQLError): ExecutionResult => {
    // The cause (connection refused, timeout, a non-GraphQL answer) goes to the log, never to the client.
    logger.warn({ upstream: upstream.name, cause: cause.message.split('\n')[0].slice(0, 200) }, 'upstream unavailable');
    const error = new UpstreamUnavailableError(upstream.name);
    return { errors: [createGraphQLError(error.message, { originalError: error, extensions: error.extensions })] };
  };

  return async (request) => {
    // executor-http pins its own copy of @graphql-tools/utils: the request type is the same shape.
    const result = await http(request as Parameters<typeof http>[0]);
    if (isAsyncIterable(result)) return result;
    const errors = result.errors;
    if (!errors?.length) return result;
    // Errors built from the upstream's own JSON carry no originalError; transport failures, timeouts
    // and unparseable answers always do.
    const broken = errors.find((e) => e.originalError);
    if (broken) return unavailable(broken);
    return {
      ...result,
      errors: errors.map((e) => {
        const passed = new UpstreamGraphQLError(e.message, e.extensions as Record<string, unknown> | undefined, upstream.name);
        return createGraphQLError(e.message, { path: e.path, originalError: passed, extensions: passed.extensions });
      }),
    };
  };
}
