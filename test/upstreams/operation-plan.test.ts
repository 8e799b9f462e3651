import { withoutCost } from '../support/graphql-client';
import { issueKey, startTestApp, type TestApp } from '../support/test-app';
import { type GatewayFixture, startGatewayFixture } from './support/gateway-fixture';

/**
 * Operations that one upstream answers whole go to it in one request (upstreams/operation-plan.ts);
 * everything else is stitched. The two paths must give every caller the same answer: two
 * Keygates front the same upstreams, one planning, one stitching everything, and each operation
 * below is asked of both, by each kind of caller.
 */
let f: GatewayFixture;
let planned: TestApp;
let stitched: TestApp;
type Caller = { name: string; planned: Record<string, string>; stitched: Record<string, string> };
const callers: Caller[] = [];

async function ask(url: string, request: object, headers: Record<string, string>): Promise<{ status: number; body: any }> {
  const res = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(request) });
  // extensions.cost (what remains of the key's budget) moves with every request: compared elsewhere.
  return { status: res.status, body: withoutCost(await res.json()) };
}

async function keyHeaders(app: TestApp, scopes: string[]): Promise<Record<string, string>> {
  const admin = await app.login();
  const { key } = await issueKey(app, admin, { scopes, rateLimitPerMinute: 100_000 });
  return { 'x-client-key': key };
}

beforeAll(async () => {
  f = await startGatewayFixture({ shop: true });
  planned = await startTestApp({ env: { KEYGATE_CONFIG: f.configFile } });
  stitched = await startTestApp({ env: { KEYGATE_CONFIG: f.configFile }, config: (c) => ({ ...c, gatewayPlanning: false }) });
  callers.push({ name: 'anonymous', planned: {}, stitched: {} });
  for (const scopes of [['read:products'], ['read:products', 'read:costs', 'write:products'], ['read:reviews', 'read:products']]) {
    callers.push({ name: `key holding ${scopes.join(' ')}`, planned: await keyHeaders(planned, scopes), stitched: await keyHeaders(stitched, scopes) });
  }
  const [a, b] = [await planned.login(), await stitched.login()];
  callers.push({ name: 'admin user', planned: { authorization: `Bearer ${a.token}` }, stitched: { authorization: `Bearer ${b.token}` } });
});
afterAll(async () => {
  await planned?.close();
  await stitched?.close();
  await f?.close();
});

const OPERATIONS: Array<{ name: string; query: string; variables?: Record<string, unknown>; operationName?: string }> = [
  { name: 'one root field', query: '{ products { id name price } }' },
  {
    name: 'aliases, fragments, __typename',
    query: 'query Q { a: products { ...P } b: product(id: "p2") { id __typename ... on Product { price } } } fragment P on Product { id name }',
  },
  { name: 'variables', query: 'query($id: ID!) { product(id: $id) { name price } }', variables: { id: 'p1' } },
  { name: 'a missing variable', query: 'query($id: ID!) { product(id: $id) { name } }', variables: {} },
  { name: 'a variable of the wrong type', query: 'query($id: ID!) { product(id: $id) { name } }', variables: { id: { no: 1 } } },
  {
    name: '@skip and @include below the root',
    query: 'query($s: Boolean!) { products { id name @skip(if: $s) price @include(if: $s) } }',
    variables: { s: true },
  },
  { name: '@include at the root', query: 'query($s: Boolean!) { products @include(if: $s) { id } status }', variables: { s: false } },
  { name: 'an upstream error beside an answer', query: '{ failing status }' },
  { name: 'a refused field below the root', query: '{ products { id cost } }' },
  { name: 'a refused root field', query: '{ product(id: "p1") { name } }' },
  { name: 'a mutation', query: 'mutation { createProduct(name: "Mug", price: 2) { id name price } }' },
  { name: 'an upstream that is down', query: '{ stock(productId: "p1") }' },
  { name: 'a schemaFile upstream', query: '{ reviewCount reviews(productId: "p1") { id body } }' },
  { name: 'a refused field of a schemaFile upstream', query: '{ reviews(productId: "p1") { id author } }' },
  { name: 'two upstreams', query: '{ products { id } reviewCount }' },
  { name: "Keygate's own and an upstream's", query: '{ products { id } scopes { name } }' },
  { name: 'root __typename', query: '{ __typename products { id } }' },
  {
    name: 'an interface, a union, typed fragments',
    query: '{ items { id __typename ... on Widget { size } } search { ... on Service { id hours } } cheapest { id } }',
  },
  { name: 'an interface field guarded on the interface', query: '{ items { id secret } }' },
  { name: 'a field refused on one implementation only', query: '{ items { id cost } }' },
  { name: "an upstream's RATE_LIMITED beside an answer", query: '{ throttled items { id } }' },
  { name: 'one key asked twice, merged', query: '{ products { id } products { name ... on Product { price } } }' },
  { name: 'aliases of one field with different arguments', query: '{ a: product(id: "p1") { name } b: product(id: "nope") { name } }' },
  {
    name: '@skip and @include with variables inside fragments',
    query: 'query($s: Boolean!) { items { id ... on Widget @include(if: $s) { size } ...F } } fragment F on Service { hours @skip(if: $s) }',
    variables: { s: true },
  },
  { name: "a client's __typename under @skip on an abstract type", query: '{ items { __typename @skip(if: true) id } }' },
  { name: 'a field aliased __proto__', query: '{ __proto__: products { id } status }' },
  { name: 'a union asked only its __typename', query: '{ search { __typename } }' },
  { name: 'the named one of two operations', query: 'query A { viewer { kind } } query B { products { name } }', operationName: 'B' },
];

describe('a planned operation answers exactly as the stitched one', () => {
  it.each(OPERATIONS)('$name', async ({ query, variables, operationName }) => {
    for (const caller of callers) {
      const request = { query, variables, operationName };
      const [a, b] = await Promise.all([ask(planned.url, request, caller.planned), ask(stitched.url, request, caller.stitched)]);
      expect({ caller: caller.name, status: a.status, body: a.body }).toEqual({ caller: caller.name, status: b.status, body: b.body });
    }
  });

  it('sends one request to the upstream: the operation printed from the parsed document, never the client text', async () => {
    const before = f.inventory.received.length;
    // graphql-js reads U+2028 as part of the comment; graphql-java ends the comment there and would read a field.
    const query = 'query Mine { products { id # hidden\u2028 cost\n name } }';
    const res = await ask(planned.url, { query }, callers[1].planned);
    expect(res.body).toEqual({
      data: {
        products: [
          { id: 'p1', name: 'Kettle' },
          { id: 'p2', name: 'Teapot' },
        ],
      },
    });
    expect(f.inventory.received.length).toBe(before + 1);
    expect(f.inventory.received[before].query).toBe('query Mine {\n  products {\n    id\n    name\n  }\n}');
    expect(f.inventory.received[before].headers['x-keygate-identity']).toEqual(expect.any(String));
  });

  it('asks __typename of abstract types, and answers only what the client selected', async () => {
    const before = f.shop!.received.length;
    const res = await ask(planned.url, { query: '{ items { id } }' }, callers[1].planned);
    expect(res.body).toEqual({ data: { items: [{ id: 'w1' }, { id: 's1' }] } });
    expect(f.shop!.received[before].query).toBe('{\n  items {\n    id\n    __typename\n  }\n}');
  });
});
