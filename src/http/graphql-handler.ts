import type { IncomingMessage, ServerResponse } from 'node:http';
import { type ApolloServer, HeaderMap } from '@apollo/server';
import type { GraphQLContext } from '../context/graphql-context';
import { toGraphQLError } from '../errors/format-error';
import { legacyJsonStatus } from './legacy-json-status';
import { PayloadTooLargeError, readBody } from './read-body';
import { sendRequestError } from './send';

export type ContextBuilder = (req: IncomingMessage, responseHeaders: Map<string, string>) => Promise<GraphQLContext>;

function isJson(contentType: string | undefined): boolean {
  const type = contentType?.split(';')[0].trim().toLowerCase();
  return type === 'application/json' || type === 'application/graphql-response+json';
}

/** Apollo Server on plain node:http: the body is read and parsed here, everything GraphQL is Apollo's. */
export function createGraphQLHandler(apollo: ApolloServer<GraphQLContext>, buildContext: ContextBuilder, bodyLimit: number) {
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

    const headers = new HeaderMap();
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
    }
    const extraHeaders = new Map<string, string>();
    const response = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: req.method ?? 'GET', headers, search, body },
      context: async () => {
        try {
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
