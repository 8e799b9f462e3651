import http, { type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildSchema, type GraphQLSchema } from 'graphql';
import { createHandler } from 'graphql-http/lib/use/http';

export interface ReceivedRequest {
  headers: IncomingHttpHeaders;
  query: string;
  variables?: Record<string, unknown>;
}

export interface FakeUpstream {
  url: string;
  port: number;
  schema: GraphQLSchema;
  /** Every GraphQL request the upstream received, oldest first. */
  received: ReceivedRequest[];
  /** Milliseconds each request waits before it is answered (a slow upstream). */
  delayMs: number;
  /** Requests that reached the server, counted on arrival (before `delayMs`; `received` fills after it). */
  arrived: number;
  close(): Promise<void>;
}

/**
 * A real GraphQL server over HTTP (graphql-http on node:http), as a team's own service would be.
 * `rootValue` answers the root fields; it records what it receives so tests can see exactly
 * which fields Keygate asked for and which headers it sent.
 */
export async function startFakeUpstream(sdl: string, rootValue: Record<string, unknown>, port = 0): Promise<FakeUpstream> {
  const schema = buildSchema(sdl, { assumeValidSDL: true });
  const upstream: FakeUpstream = { url: '', port: 0, schema, received: [], delayMs: 0, arrived: 0, close: async () => undefined };
  const handler = createHandler({
    schema,
    rootValue,
    context: (req, params) => {
      upstream.received.push({ headers: req.raw.headers, query: params.query ?? '', variables: params.variables ?? undefined });
      return undefined;
    },
  });
  const sockets = new Set<import('node:net').Socket>();
  const server = http.createServer((req, res) => {
    upstream.arrived++;
    const go = () => handler(req, res).catch(() => res.destroy());
    if (upstream.delayMs > 0) setTimeout(go, upstream.delayMs).unref();
    else go();
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  upstream.port = (server.address() as AddressInfo).port;
  upstream.url = `http://127.0.0.1:${upstream.port}/graphql`;
  upstream.close = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
  return upstream;
}

export const INVENTORY_SDL = /* GraphQL */ `
  type Query {
    products: [Product!]!
    product(id: ID!): Product
    status: String!
    failing: String
  }
  type Mutation {
    createProduct(name: String!, price: Float!): Product!
  }
  type Product {
    id: ID!
    name: String!
    price: Float!
    cost: Float
  }
`;

export const PRODUCTS = [
  { id: 'p1', name: 'Kettle', price: 30, cost: 12 },
  { id: 'p2', name: 'Teapot', price: 25, cost: 9 },
];

export function inventoryRoot() {
  return {
    products: () => PRODUCTS,
    product: ({ id }: { id: string }) => PRODUCTS.find((p) => p.id === id) ?? null,
    status: () => 'ok',
    failing: () => {
      const err = new Error('Inventory database is read-only') as Error & { extensions?: unknown };
      throw Object.assign(err, { extensions: { code: 'INVENTORY_READ_ONLY' } });
    },
    createProduct: ({ name, price }: { name: string; price: number }) => ({ id: 'p3', name, price, cost: null }),
  };
}

/** The second upstream: served from a schemaFile whose SDL carries the guard directives. */
export const REVIEWS_SDL = /* GraphQL */ `
  type Query {
    reviews(productId: ID!): [Review!]! @requiresScopes(scopes: [["read:reviews"]])
    reviewCount: Int! @public
    myReviews: [Review!]! @authenticated
  }
  type Review {
    id: ID!
    body: String!
    author: String @requiresScopes(scopes: [["read:reviewers"]])
  }
`;

export function reviewsRoot() {
  const reviews = [{ id: 'r1', body: 'Boils fast', author: 'Ann' }];
  return { reviews: () => reviews, reviewCount: () => reviews.length, myReviews: () => reviews };
}

/** A third upstream with an interface and a union, for policies that meet abstract types. */
export const SHOP_SDL = /* GraphQL */ `
  type Query {
    items: [Item!]!
    search: [Result!]!
    cheapest: Item!
    throttled: String
    signedOut: String
  }
  interface Item {
    id: ID!
    cost: Float
    secret: String
  }
  type Widget implements Item {
    id: ID!
    cost: Float
    secret: String
    size: Int
  }
  type Service implements Item {
    id: ID!
    cost: Float
    secret: String
    hours: Int
  }
  union Result = Widget | Service
`;

/** The shop's config: `Widget.cost` alone is guarded (so an Item's cost is refused only on Widgets), `Item.secret` on the interface. */
export const SHOP_POLICIES = `
      Query.items: [["read:products"]]
      Query.search: [["read:products"]]
      Query.cheapest: [["read:products"]]
      Query.throttled: public
      Query.signedOut: public
      Widget.cost: [["read:costs"]]
      Item.secret: [["read:costs"]]`;

/** `reads` hears every guarded value the shop computes (`w1.cost`): what a gateway must never ask for, it never computes. */
export function shopRoot(reads: string[]) {
  const item = (__typename: string, id: string, cost: number, extra: Record<string, number>) => ({
    __typename,
    id,
    ...extra,
    get cost() {
      reads.push(`${id}.cost`);
      return cost;
    },
    get secret() {
      reads.push(`${id}.secret`);
      return `${id}-secret`;
    },
  });
  const items = [item('Widget', 'w1', 4, { size: 3 }), item('Service', 's1', 7, { hours: 2 })];
  // The shop's own refusals: codes that, were they Keygate's, would set the HTTP status.
  const refusal = (message: string, code: string) => () => {
    throw Object.assign(new Error(message), { extensions: { code } });
  };
  return {
    items: () => items,
    search: () => items,
    cheapest: () => items[0],
    throttled: refusal('The shop is busy', 'RATE_LIMITED'),
    signedOut: refusal('Sign in to the shop', 'UNAUTHENTICATED'),
  };
}
