import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { createHandler } from 'graphql-http';

/**
 * The upstream every gateway of bench/gateway.ts fronts: a small product catalogue. It is a
 * federation subgraph (@apollo/subgraph) so that @apollo/gateway can compose it too; the others
 * (and the direct row) simply query it.
 */
export const UPSTREAM_SDL = /* GraphQL */ `
  type Query {
    products: [Product!]!
  }
  type Product {
    id: ID!
    name: String!
    price: Float!
  }
`;

const products = Array.from({ length: 5 }, (_, i) => ({ id: String(i + 1), name: `Product ${i + 1}`, price: 10 + i }));

/**
 * Answers already given are replayed for the same request body: the upstream must not be what
 * limits the gateways' throughput (the gateways still send, and parse, every request and answer).
 */
function main() {
  const schema = buildSubgraphSchema({ typeDefs: parse(UPSTREAM_SDL), resolvers: { Query: { products: () => products } } });
  const handle = createHandler({ schema });
  const replay = new Map<string, { status: number; headers: Record<string, string>; body: string }>();
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', async () => {
      let answer = replay.get(body);
      if (!answer) {
        const [text, init] = await handle({
          method: req.method!,
          url: req.url!,
          headers: req.headers as Record<string, string>,
          body,
          raw: req,
          context: undefined,
        });
        answer = { status: init.status, headers: { ...(init.headers as Record<string, string>) }, body: text ?? '' };
        if (init.status === 200) replay.set(body, answer);
      }
      res.writeHead(answer.status, { ...answer.headers, 'content-length': Buffer.byteLength(answer.body) });
      res.end(answer.body);
    });
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ port: (server.address() as AddressInfo).port })));
  process.on('SIGTERM', () => process.exit(0));
}

if (require.main === module) main();
