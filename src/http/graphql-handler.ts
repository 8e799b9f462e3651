import type { IncomingMessage, ServerResponse } from 'node:http';
import { type ApolloServer, HeaderMap } from '@apollo/server';
import type { GraphQLContext } from '../context/graphql-context';
import { ServiceUnavailableError } from '../errors/app-errors';
import { toGraphQLError } from '../errors/format-error';
import type { PreparedQueries } from '../execution/prepared-queries';
import { legacyJsonStatus } from './legacy-json-status';
import { PayloadTooLargeError, readBody } from './read-body';
import { sendRequestError } from './send';
import { type SimpleOperation, simpleOperation } from './simple-post';

export type ContextBuilder = (req: IncomingMessage, responseHeaders: Map<string, string>) => Promise<GraphQLContext>;

function isJson(contentType: string | undefined): boolean {
  const type = contentType?.split(';')[0].trim().toLowerCase();
  return type === 'application/json' || type === 'application/graphql-response+json';
}

/**
 * A plain JSON operation whose caller is known: a query seen before runs straight on graphql-js,
 * anything else (and every result with errors) through Apollo's operation pipeline.
 */
async function answerSimple(
  apollo: ApolloServer<GraphQLContext>,
  prepared: PreparedQueries,
  simple: SimpleOperation,
  contextValue: GraphQLContext,
  extraHeaders: Map<string, string>,
  res: ServerResponse,
  forwarder?: Forwarder,
): Promise<void> {
  const { query, variables, operationName, mediaType } = simple;
  // With upstreams: an operation one upstream answers whole goes straight to it (upstreams/operation-forwarder).
  const forwarded = forwarder?.run(query, operationName, variables, contextValue);
  const direct = forwarded ? undefined : prepared.run(query, operationName, variables, contextValue);
  const result = direct instanceof Promise ? await direct : direct;
  const head: Record<string, string | number> = Object.fromEntries(extraHeaders);
  let status = 200;
  let payload: string;
  if (forwarded) {
    // The forwarder reports its own usage (upstreams/operation-forwarder).
    payload = await forwarded;
  } else if (result) {
    // Usage hook (prepared lane): a result here has no errors; Apollo's lane reports in usage-plugin.
    contextValue.usage?.finish(false);
    payload = JSON.stringify({ data: result.data });
  } else {
    // Apollo's run shares this request's context and DataLoaders with the prepared run (its copy
    // is shallow); DataLoader forgets keys whose batch failed, so no failure is served from cache.
    const response = await apollo.executeOperation({ query, variables, operationName }, { contextValue });
    // Keygate's schema has no @defer or @stream, so every result is a single one.
    if (response.body.kind !== 'single') throw new Error('incremental delivery is not supported');
    const { errors, data, extensions } = response.body.singleResult;
    // Apollo's field order: errors, then data, then extensions.
    payload = JSON.stringify({ errors, data, extensions });
    for (const [name, value] of response.http.headers) head[name] = value;
    status = response.http.status ?? 200;
    if (mediaType === 'application/json') status = legacyJsonStatus(status, response.http.headers, payload, true);
  }
  head['content-type'] = `${mediaType}; charset=utf-8`;
  head['cache-control'] = 'no-store';
  head['content-length'] = Buffer.byteLength(payload);
  // One writeHead: headers validated and sent together with the body.
  res.writeHead(status, head);
  res.end(payload);
}

/** Apollo Server on plain node:http: the body is read and parsed here; GraphQL is Apollo's, but for prepared queries. */
/** Answers an operation without Apollo when it can (see upstreams/operation-forwarder), else undefined. */
export interface Forwarder {
  run(query: string, operationName: string | undefined, variables: Record<string, unknown> | undefined, context: GraphQLContext): Promise<string> | undefined;
}

export function createGraphQLHandler(apollo: ApolloServer<GraphQLContext>, prepared: PreparedQueries, buildContext: ContextBuilder, bodyLimit: number, forwarder?: Forwarder) {
  return async (req: IncomingMessage, res: ServerResponse, search: string): Promise<void> => {
    let body: unknown;
    if (req.method === 'POST') {
      let raw: Buffer;
      try {
        raw = await readBody(req, bodyLimit);
      } catch (err) {
        if (err instanceof PayloadTooLargeError) return sendRequestError(res, 413, 'PAYLOAD_TOO_LARGE', `Request body is larger than ${bodyLimit} bytes`);
        throw err;
      }
      if (isJson(req.headers['content-type']) && raw.length > 0) {
        try {
          body = JSON.parse(raw.toString('utf8'));
        } catch {
          return sendRequestError(res, 400, 'BAD_REQUEST', 'Request body is not valid JSON');
        }
      }
    }

    const extraHeaders = new Map<string, string>();
    const simple = req.method === 'POST' ? simpleOperation(req.headers, body) : undefined;
    let contextError: unknown;
    if (simple) {
      let contextValue: GraphQLContext | undefined;
      try {
        contextValue = await buildContext(req, extraHeaders);
      } catch (err) {
        // A refused credential or rate limit: answered below by Apollo's own error path.
        contextError = err;
      }
      if (contextValue) {
        try {
          return await answerSimple(apollo, prepared, simple, contextValue, extraHeaders, res, forwarder);
        } catch (err) {
          if (!(err instanceof ServiceUnavailableError)) throw err;
          // A prepared query met a database outage: answered like one met while authenticating.
          contextError = err;
        }
      }
    }

    const headers = new HeaderMap();
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
    }
    const response = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: req.method ?? 'GET', headers, search, body },
      context: async () => {
        try {
          if (contextError !== undefined) throw contextError;
          return await buildContext(req, extraHeaders);
        } catch (err) {
          // Typed errors and outages keep their code; Apollo would call anything else a 500.
          throw toGraphQLError(err);
        }
      },
    });

    for (const [name, value] of extraHeaders) res.setHeader(name, value);
    for (const [name, value] of response.headers) res.setHeader(name, value);
    res.statusCode = response.status ?? 200;
    if (response.body.kind === 'complete') {
      const payload = response.body.string;
      res.statusCode = legacyJsonStatus(res.statusCode, response.headers, payload);
      // A known length lets node send headers and body in one write instead of chunked pieces.
      res.setHeader('content-length', Buffer.byteLength(payload));
      res.end(payload);
      return;
    }
    for await (const chunk of response.body.asyncIterator) res.write(chunk);
    res.end();
  };
}
