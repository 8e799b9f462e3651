import { issueKey, startTestApp, type TestApp } from '../support/test-app';
import { type GatewayFixture, startGatewayFixture } from './support/gateway-fixture';

/**
 * Policies meet interfaces and unions (the "shop" upstream): `Item.secret` is guarded on the
 * interface, `Widget.cost` on one implementation only. Whatever type a field is selected on
 * (the interface, an implementation, a union member, an untyped inline fragment), the policy
 * holds, and the upstream never computes a value the caller may not see.
 */
let f: GatewayFixture;
let t: TestApp;
let reader: string;
let costs: string;

beforeAll(async () => {
  f = await startGatewayFixture({ shop: true });
  t = await startTestApp({ env: { KEYGATE_CONFIG: f.configFile } });
  const admin = await t.login();
  reader = (await issueKey(t, admin, { scopes: ['read:products'] })).key;
  costs = (await issueKey(t, admin, { scopes: ['read:products', 'read:costs'] })).key;
});
afterAll(async () => {
  await t?.close();
  await f?.close();
});
beforeEach(() => f.shopReads.splice(0));

const forbidden = (path: Array<string | number>) => expect.objectContaining({ path, extensions: { code: 'FORBIDDEN', requiredScopes: [['read:costs']] } });

describe('a policy on an interface field binds every implementation', () => {
  it.each([
    ['on the interface', '{ items { id secret } }'],
    ['on an implementation', '{ items { id ... on Widget { secret } ... on Service { secret } } }'],
    ['on union members', '{ search { ... on Widget { id secret } ... on Service { id secret } } }'],
    ['in an untyped inline fragment', '{ cheapest { id ... { secret } } }'],
  ])('%s', async (_name, query) => {
    const res = await t.gql(query, {}, { key: reader });
    expect(res.status).toBe(200);
    expect(res.errors!.every((e) => e.extensions!.code === 'FORBIDDEN')).toBe(true);
    expect(JSON.stringify(res.data)).not.toContain('-secret');
    expect(f.shopReads).toEqual([]);
  });

  it('answers it to a caller holding the scope', async () => {
    const res = await t.gql('{ items { id secret } }', {}, { key: costs });
    expect(res.errors).toBeUndefined();
    expect(res.data.items).toEqual([
      { id: 'w1', secret: 'w1-secret' },
      { id: 's1', secret: 's1-secret' },
    ]);
  });
});

describe('a field refused on some implementations only', () => {
  it('is answered where allowed, refused where not, and never computed where refused', async () => {
    const res = await t.gql('{ items { id cost } }', {}, { key: reader });
    expect(res.data.items).toEqual([null, { id: 's1', cost: 7 }].map((v, i) => (i === 0 ? { id: 'w1', cost: null } : v)));
    expect(res.errors).toEqual([forbidden(['items', 0, 'cost'])]);
    expect(f.shopReads).toEqual(['s1.cost']);
  });

  it('survives an untyped inline fragment whose only field is refused', async () => {
    const res = await t.gql('{ cheapest { ... { cost } } }', {}, { key: reader });
    expect(res.status).toBe(200);
    expect(res.data).toEqual({ cheapest: { cost: null } });
    expect(res.errors).toEqual([forbidden(['cheapest', 'cost'])]);
    expect(f.shopReads).toEqual([]);
  });
});

describe('an object field refused alone inside a fragment', () => {
  it.each([
    ['an untyped inline fragment', '{ b: product(id: "p2") { ... { cost } } }', {}],
    ['a typed inline fragment under @include', 'query($y: Boolean!) { b: product(id: "p2") { ... on Product @include(if: $y) { cost } } }', { y: true }],
    ['a fragment spread', '{ b: product(id: "p2") { ...C } } fragment C on Product { cost }', {}],
  ])('keeps the object in %s, and asks the upstream nothing it may not see', async (_name, query, variables) => {
    const before = f.inventory.received.length;
    const res = await t.gql(query, variables, { key: reader });
    expect(res.status).toBe(200);
    expect(res.data).toEqual({ b: { cost: null } });
    expect(res.errors).toEqual([forbidden(['b', 'cost'])]);
    expect(
      f.inventory.received
        .slice(before)
        .map((r) => r.query)
        .join(),
    ).not.toContain('cost');
  });
});

describe("an upstream's own error codes", () => {
  it.each([
    ['RATE_LIMITED', '{ throttled items { id } }'],
    ['UNAUTHENTICATED', '{ signedOut items { id } }'],
  ])("%s is that field's error: it sets no HTTP status of Keygate's and no Retry-After", async (code, query) => {
    const res = await t.gql(query, {}, { key: reader });
    expect(res.status).toBe(200);
    expect(res.headers.get('retry-after')).toBeNull();
    expect(res.data.items).toHaveLength(2);
    expect(res.errors).toEqual([expect.objectContaining({ extensions: { code, upstream: 'shop' } })]);
  });
});
