// A small product-catalogue GraphQL service, the kind of upstream Keygate fronts.
// Run: node examples/product-catalogue/server.mjs   (PORT defaults to 4001)
import http from 'node:http';
import { buildSchema } from 'graphql';
import { createHandler } from 'graphql-http/lib/use/http';
import { createRemoteJWKSet, jwtVerify } from 'jose';

const schema = buildSchema(/* GraphQL */ `
  type Query {
    products: [Product!]!
    product(id: ID!): Product
    status: String!
  }
  type Mutation {
    createProduct(name: String!, price: Float!, cost: Float): Product!
  }
  type Product {
    id: ID!
    name: String!
    price: Float!
    "What we paid: Keygate shows it only to callers holding read:costs."
    cost: Float
  }
`);

const products = [
  { id: '1', name: 'Kettle', price: 30, cost: 12 },
  { id: '2', name: 'Teapot', price: 25, cost: 9 },
  { id: '3', name: 'Mug', price: 8, cost: 2.5 },
];

const rootValue = {
  products: () => products,
  product: ({ id }) => products.find((p) => p.id === id) ?? null,
  status: () => 'ok',
  createProduct: ({ name, price, cost }) => {
    const product = { id: String(products.length + 1), name, price, cost: cost ?? null };
    products.push(product);
    return product;
  },
};

// Keygate signs who is calling into x-keygate-identity; its public keys are at /.well-known/jwks.json.
const KEYGATE = process.env.KEYGATE_URL ?? 'http://localhost:8080';
const jwks = createRemoteJWKSet(new URL('/.well-known/jwks.json', KEYGATE));

const handler = createHandler({
  schema,
  rootValue,
  context: async (req, params) => {
    const token = req.raw.headers['x-keygate-identity'];
    let caller = 'anonymous';
    if (typeof token === 'string') {
      const { payload } = await jwtVerify(token, jwks, { issuer: process.env.KEYGATE_ISSUER ?? 'keygate', audience: 'inventory' });
      caller = `${payload.keygate_kind} ${payload.keygate_key_id ?? payload.sub} (scopes: ${payload.scope})`;
    }
    // Shows what Keygate asked for: fields the caller may not read never arrive here.
    console.log(`[catalogue] ${req.raw.headers['x-request-id']} ${caller}: ${params.query?.replace(/\s+/g, ' ')}`);
    return undefined;
  },
});

const port = Number(process.env.PORT ?? 4001);
http
  .createServer((req, res) => {
    if (req.url === '/graphql') return void handler(req, res);
    res.writeHead(404).end();
  })
  .listen(port, '127.0.0.1', () => console.log(`product catalogue on http://127.0.0.1:${port}/graphql`));
