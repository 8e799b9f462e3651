import { randomUUID } from 'node:crypto';
import { buildHTTPExecutor } from '@graphql-tools/executor-http';
import { createGraphQLError, type ExecutionResult, type Executor, isAsyncIterable } from '@graphql-tools/utils';
import type { GraphQLError } from 'graphql';
import type { Principal } from '../identity/principal';
import type { Logger } from '../logging/logger';
import type { UpstreamConfig } from './gateway-config';
import { HttpTransport, type SmallResponse } from './http-transport';
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
  /** Closes its idle keep-alive connections. */
  close(): void;
}

export function createUpstreamExecutor(upstream: UpstreamConfig, identity: IdentitySource, logger: Logger, stats: UpstreamStats = { sent: 0 }): UpstreamExecutor {
  const staticHeaders = { ...upstream.headers };

  const transport = new HttpTransport(upstream.url);

  const send = async (url: string, init: RequestInit | undefined, context: RequestSide | undefined): Promise<SmallResponse> => {
    const headers: Record<string, string> = { ...(init?.headers as Record<string, string>), ...staticHeaders };
    return sendWith(url, init?.method ?? 'POST', headers, init?.body as string | undefined, context);
  };

  const sendWith = async (url: string, method: string, headers: Record<string, string>, body: string | undefined, context: RequestSide | undefined): Promise<SmallResponse> => {
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
  return { executor, close: () => transport.close() };
}
