import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { createHandler } from 'graphql-http/lib/use/http';

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

function main() {
  const schema = buildSubgraphSchema({ typeDefs: parse(UPSTREAM_SDL), resolvers: { Query: { products: () => products } } });
  const handler = createHandler({ schema });
  const server = http.createServer((req, res) => void handler(req, res));
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ port: (server.address() as AddressInfo).port })));
  process.on('SIGTERM', () => process.exit(0));
}

if (require.main === module) main();
