import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { postGraphQL } from '../support/graphql-client';
import { issueKey, startTestApp, type TestApp } from '../support/test-app';
import { type GatewayFixture, INVENTORY_TOKEN, startGatewayFixture } from './support/gateway-fixture';

/**
 * Keygate in front of two real upstream GraphQL servers: "inventory" (introspected, guarded by
 * the config's policies) and "reviews" (from a schemaFile whose SDL carries the directives).
 */
let f: GatewayFixture;
let t: TestApp;
let admin: { token: string; userId: string };
let readProducts: { key: string; id: string };

beforeAll(async () => {
  f = await startGatewayFixture();
  t = await startTestApp({ env: { KEYGATE_CONFIG: f.configFile } });
  admin = await t.login();
  readProducts = await issueKey(t, admin, { scopes: ['read:products'], rateLimitPerMinute: 10_000 });
});
afterAll(async () => {
  await t?.close();
  await f?.close();
});

function lastInventoryRequest() {
  return f.inventory.received[f.inventory.received.length - 1];
}

describe('upstream root fields join Keygate schema under their own names', () => {
  it('answers Keygate and upstream fields in one operation at /graphql', async () => {
    const res = await t.gql('{ viewer { kind } products { id name price } reviewCount }', {}, { key: readProducts.key });
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({
      viewer: { kind: 'CLIENT_KEY' },
      products: [
        { id: 'p1', name: 'Kettle', price: 30 },
        { id: 'p2', name: 'Teapot', price: 25 },
      ],
      reviewCount: 1,
    });
  });

  it('runs upstream mutations for a key holding the policy scope, and passes arguments through', async () => {
    const writer = await issueKey(t, admin, { scopes: ['write:products'] });
    const res = await t.gql('mutation($n: String!) { createProduct(name: $n, price: 9.5) { id name price } }', { n: 'Mug' }, { key: writer.key });
    expect(res.errors).toBeUndefined();
    expect(res.data.createProduct).toEqual({ id: 'p3', name: 'Mug', price: 9.5 });
    expect(lastInventoryRequest().query).toContain('createProduct');
  });
});

describe("Keygate's own fields behind the stitched schema", () => {
  it('keep their errors, codes and HTTP statuses', async () => {
    const missing = await t.gql('{ clientKey(id: "00000000-0000-0000-0000-000000000000") { id } status }', {}, { token: admin.token });
    expect(missing.code).toBe('NOT_FOUND');
    expect(missing.data).toBeUndefined();
    const forbidden = await t.gql('{ users { totalCount } }', {}, { key: readProducts.key });
    expect(forbidden.errors![0].extensions).toEqual({ code: 'FORBIDDEN', requiredScopes: [['read:users']] });
    const anonymous = await t.gql('{ viewer { id } }');
    expect(anonymous.code).toBe('UNAUTHENTICATED');
    expect(anonymous.status).toBe(401);
    const badKey = await t.gql('{ status }', {}, { key: 'kg_not-a-real-key' });
    expect(badKey.status).toBe(401);
  });
});

describe('policies (default deny, same directive machinery as Keygate fields)', () => {
  it('refuses a root field without the policy scope and sends the upstream nothing', async () => {
    const other = await issueKey(t, admin, { scopes: ['read:clientkeys'] });
    const before = f.inventory.received.length;
    const res = await t.gql('{ product(id: "p1") { name } status }', {}, { key: other.key });
    expect(res.data).toEqual({ product: null, status: 'ok' });
    expect(res.errors).toEqual([expect.objectContaining({ path: ['product'], extensions: { code: 'FORBIDDEN', requiredScopes: [['read:products']] } })]);
    expect(lastInventoryRequest().query).not.toContain('product');
    const all = await t.gql('{ products { id } product(id: "p1") { name } }', {}, { key: other.key });
    expect(new Set(all.errors!.map((e) => e.extensions!.code))).toEqual(new Set(['FORBIDDEN']));
    // status was asked once; nothing else reached the upstream.
    expect(f.inventory.received.length).toBe(before + 1);
    const mutation = await t.gql('mutation { createProduct(name: "x", price: 1) { id } }', {}, { key: readProducts.key });
    expect(mutation.code).toBe('FORBIDDEN');
    expect(f.inventory.received.length).toBe(before + 1);
  });

  it('refuses anonymous callers on guarded fields and answers @public ones without an identity', async () => {
    const before = f.inventory.received.length;
    const refused = await t.gql('{ products { id } }');
    expect(refused.code).toBe('UNAUTHENTICATED');
    expect(f.inventory.received.length).toBe(before);
    const open = await t.gql('{ status reviewCount }');
    expect(open.data).toEqual({ status: 'ok', reviewCount: 1 });
    expect(lastInventoryRequest().headers['x-keygate-identity']).toBeUndefined();
  });

  it('applies SDL directives of a schemaFile upstream: @authenticated and @requiresScopes', async () => {
    expect((await t.gql('{ myReviews { id } }')).code).toBe('UNAUTHENTICATED');
    expect((await t.gql('{ reviews(productId: "p1") { id } }', {}, { key: readProducts.key })).code).toBe('FORBIDDEN');
    // Config roles: members hold read:products and read:reviews.
    const member = await t.member('reviewer');
    const res = await t.gql('{ reviews(productId: "p1") { id body } myReviews { id } }', {}, { token: member.token });
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ reviews: [{ id: 'r1', body: 'Boils fast' }], myReviews: [{ id: 'r1' }] });
  });
});

describe('refused fields are removed from the delegated selection', () => {
  it('answers FORBIDDEN on Product.cost wherever it appears, and never asks the upstream for it', async () => {
    const res = await t.gql('{ products { id cost } product(id: "p2") { name cost } }', {}, { key: readProducts.key });
    expect(res.data).toEqual({
      products: [
        { id: 'p1', cost: null },
        { id: 'p2', cost: null },
      ],
      product: { name: 'Teapot', cost: null },
    });
    expect(res.errors!.map((e) => [e.extensions!.code, e.path!.join('.')])).toEqual([
      ['FORBIDDEN', 'products.0.cost'],
      ['FORBIDDEN', 'products.1.cost'],
      ['FORBIDDEN', 'product.cost'],
    ]);
    const sent = lastInventoryRequest().query;
    expect(sent).toContain('products');
    expect(sent).not.toContain('cost');
  });

  it('keeps the object when every selected field is refused (asks only __typename)', async () => {
    const res = await t.gql('{ product(id: "p1") { cost } }', {}, { key: readProducts.key });
    expect(res.data).toEqual({ product: { cost: null } });
    expect(res.code).toBe('FORBIDDEN');
    expect(lastInventoryRequest().query).not.toContain('cost');
  });

  it('requests the field for a caller who may read it (admins hold every scope)', async () => {
    const res = await t.gql('{ product(id: "p1") { cost } }', {}, { token: admin.token });
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ product: { cost: 12 } });
    expect(lastInventoryRequest().query).toContain('cost');
  });

  it('prunes directive-guarded fields of a schemaFile upstream too', async () => {
    const member = await t.member('pruned');
    const res = await t.gql('{ reviews(productId: "p1") { body author } }', {}, { token: member.token });
    expect(res.data).toEqual({ reviews: [{ body: 'Boils fast', author: null }] });
    expect(res.code).toBe('FORBIDDEN');
    const sent = f.reviews.received[f.reviews.received.length - 1].query;
    expect(sent).toContain('body');
    expect(sent).not.toContain('author');
  });
});

describe('identity and headers sent to upstreams', () => {
  it('signs x-keygate-identity for a key, verifiable against /.well-known/jwks.json', async () => {
    await t.gql('{ products { id } }', {}, { key: readProducts.key });
    const token = lastInventoryRequest().headers['x-keygate-identity'] as string;
    expect(token).toEqual(expect.any(String));
    const header = decodeProtectedHeader(token);
    expect(['EdDSA', 'ES256']).toContain(header.alg);
    expect(header.kid).toEqual(expect.any(String));
    const jwks = createRemoteJWKSet(new URL(`${t.url}/.well-known/jwks.json`));
    const { payload } = await jwtVerify(token, jwks, { issuer: 'keygate', audience: 'inventory' });
    expect(payload).toMatchObject({ sub: admin.userId, keygate_kind: 'CLIENT_KEY', keygate_key_id: readProducts.id, scope: 'read:products' });
    expect(payload.exp! - payload.iat!).toBeLessThanOrEqual(60);
    expect(payload.exp! * 1000).toBeGreaterThan(Date.now());
  });

  it("signs a user's identity with its user id and effective scopes, per upstream audience", async () => {
    const member = await t.member('identity');
    await t.gql('{ products { id } reviews(productId: "p1") { id } }', {}, { token: member.token });
    const jwks = createRemoteJWKSet(new URL(`${t.url}/.well-known/jwks.json`));
    const inventory = await jwtVerify(lastInventoryRequest().headers['x-keygate-identity'] as string, jwks, { issuer: 'keygate', audience: 'inventory' });
    expect(inventory.payload).toMatchObject({ sub: member.userId, keygate_kind: 'USER' });
    expect(inventory.payload.keygate_key_id).toBeUndefined();
    expect((inventory.payload.scope as string).split(' ').sort()).toEqual([
      'read:audit',
      'read:clientkeys',
      'read:products',
      'read:reviews',
      'write:clientkeys',
    ]);
    const reviewsToken = f.reviews.received[f.reviews.received.length - 1].headers['x-keygate-identity'] as string;
    await expect(jwtVerify(reviewsToken, jwks, { issuer: 'keygate', audience: 'reviews' })).resolves.toBeDefined();
    await expect(jwtVerify(reviewsToken, jwks, { issuer: 'keygate', audience: 'inventory' })).rejects.toThrow();
  });

  it("never forwards the client's Authorization, X-Client-Key or Cookie; sends the config's static headers", async () => {
    const viaBearer = await postGraphQL(t.url, '{ products { id } }', {}, { authorization: `Bearer ${readProducts.key}`, cookie: 'session=abc' });
    expect(viaBearer.errors).toBeUndefined();
    let headers = lastInventoryRequest().headers;
    expect(headers.authorization).toBeUndefined();
    expect(headers.cookie).toBeUndefined();
    expect(headers['x-api-token']).toBe(INVENTORY_TOKEN);
    await postGraphQL(t.url, '{ products { id } }', {}, { 'x-client-key': readProducts.key, cookie: 'session=abc' });
    headers = lastInventoryRequest().headers;
    expect(headers['x-client-key']).toBeUndefined();
    expect(headers.cookie).toBeUndefined();
    expect(JSON.stringify(headers)).not.toContain(readProducts.key);
  });

  it('sends x-request-id on every upstream request: the client one, or a new one', async () => {
    await postGraphQL(t.url, '{ status }', {}, { 'x-request-id': 'trace-123' });
    expect(lastInventoryRequest().headers['x-request-id']).toBe('trace-123');
    await postGraphQL(t.url, '{ status }');
    const generated = lastInventoryRequest().headers['x-request-id'];
    expect(generated).toEqual(expect.stringMatching(/^[0-9a-f-]{36}$/));
    await postGraphQL(t.url, '{ status }');
    expect(lastInventoryRequest().headers['x-request-id']).not.toBe(generated);
  });

  it('publishes only public key material at /.well-known/jwks.json', async () => {
    const res = await fetch(`${t.url}/.well-known/jwks.json`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { keys: Array<Record<string, unknown>> };
    expect(body.keys).toHaveLength(1);
    expect(body.keys[0]).toMatchObject({ kid: expect.any(String), use: 'sig' });
    expect(body.keys[0].d).toBeUndefined();
  });
});

describe('upstream failures', () => {
  it('passes an upstream GraphQL error through with its message and code, the upstream named, no stack', async () => {
    const res = await t.gql('{ failing status viewer { kind } }', {}, { key: readProducts.key });
    expect(res.data).toEqual({ failing: null, status: 'ok', viewer: { kind: 'CLIENT_KEY' } });
    expect(res.errors).toEqual([
      { message: 'Inventory database is read-only', path: ['failing'], extensions: { code: 'INVENTORY_READ_ONLY', upstream: 'inventory' } },
    ]);
  });

  it('answers UPSTREAM_UNAVAILABLE on a slow upstream fields within timeoutMs + 1 s; the other fields answer', async () => {
    f.inventory.delayMs = 10_000;
    try {
      const started = Date.now();
      const res = await t.gql('{ product(id: "p1") { id } reviewCount viewer { kind } }', {}, { key: readProducts.key });
      const elapsed = Date.now() - started;
      expect(res.data).toEqual({ product: null, reviewCount: 1, viewer: { kind: 'CLIENT_KEY' } });
      expect(res.errors).toEqual([
        { message: 'Upstream "inventory" is unavailable', path: ['product'], extensions: { code: 'UPSTREAM_UNAVAILABLE', upstream: 'inventory' } },
      ]);
      // inventory's timeoutMs is 1500.
      expect(elapsed).toBeLessThan(1500 + 1000);
    } finally {
      f.inventory.delayMs = 0;
    }
  });

  it('answers UPSTREAM_UNAVAILABLE for an upstream that is down, without its URL; the other fields answer', async () => {
    const res = await t.gql('{ stock(productId: "p1") status }');
    expect(res.data).toEqual({ stock: null, status: 'ok' });
    expect(res.errors).toEqual([
      { message: 'Upstream "warehouse" is unavailable', path: ['stock'], extensions: { code: 'UPSTREAM_UNAVAILABLE', upstream: 'warehouse' } },
    ]);
    expect(JSON.stringify(res.errors)).not.toContain('127.0.0.1');
  });
});

describe('rate limits', () => {
  it("count upstream fields against the key's budget; a refused request never reaches the upstream", async () => {
    const tight = await issueKey(t, admin, { scopes: ['read:products'], rateLimitPerMinute: 1 });
    expect((await t.gql('{ product(id: "p1") { name } }', {}, { key: tight.key })).data).toEqual({ product: { name: 'Kettle' } });
    const before = f.inventory.received.length;
    const refused = await t.gql('{ product(id: "p1") { name } }', {}, { key: tight.key });
    expect(refused.status).toBe(429);
    expect(refused.code).toBe('RATE_LIMITED');
    expect(f.inventory.received.length).toBe(before);
  });
});

describe('usage', () => {
  it("counts upstream root fields like Keygate's own, errors included", async () => {
    const key = await issueKey(t, admin, { scopes: ['read:products'], rateLimitPerMinute: 10_000 });
    const since = new Date(Date.now() - 60_000).toISOString();
    await t.gql('{ products { id } viewer { kind } }', {}, { key: key.key });
    await t.gql('{ failing }', {}, { key: key.key });
    await t.gql('{ failing }', {}, { key: key.key });
    await t.app.wiring.usage.flush();
    const res = await t.gql(
      'query($id: ID!, $since: DateTime!) { clientKey(id: $id) { usageByField(since: $since) { coordinate requests errors } } }',
      { id: key.id, since },
      { token: admin.token },
    );
    const byField = Object.fromEntries(
      res.data.clientKey.usageByField.map((u: { coordinate: string; requests: number; errors: number }) => [u.coordinate, [u.requests, u.errors]]),
    );
    expect(byField).toEqual({ 'Query.products': [1, 0], 'Query.viewer': [1, 0], 'Query.failing': [2, 2] });
  });
});

describe('the scope catalog', () => {
  it('lists Keygate and upstream scopes in Query.scopes (config ones with their descriptions, SDL ones too) to signed-in callers', async () => {
    const res = await t.gql('{ scopes { name description } }', {}, { key: readProducts.key });
    expect(res.errors).toBeUndefined();
    const byName = new Map(res.data.scopes.map((s: { name: string; description: string }) => [s.name, s.description]));
    for (const builtIn of ['read:users', 'write:users', 'read:clientkeys', 'write:clientkeys', 'read:audit'])
      expect(byName.get(builtIn)).toEqual(expect.any(String));
    expect(byName.get('read:products')).toBe('Read the product catalogue');
    expect(byName.get('read:costs')).toBe('See purchase costs');
    // Named only in the reviews SDL: still in the catalog, so keys can be granted it.
    expect(byName.has('read:reviewers')).toBe(true);
    expect((await t.gql('{ scopes { name } }')).code).toBe('UNAUTHENTICATED');
  });

  it("grants upstream scopes to keys within the creator's scopes: config roles extend a member's", async () => {
    const member = await t.member('granter');
    const ok = await t.gql(
      'mutation { createClientKey(input: { name: "shop", scopes: ["read:products"] }) { clientKey { scopes } } }',
      {},
      { token: member.token },
    );
    expect(ok.errors).toBeUndefined();
    expect(ok.data.createClientKey.clientKey.scopes).toEqual(['read:products']);
    const above = await t.gql('mutation { createClientKey(input: { name: "costs", scopes: ["read:costs"] }) { key } }', {}, { token: member.token });
    expect(above.code).toBe('FORBIDDEN');
    const unknown = await t.gql('mutation { createClientKey(input: { name: "x", scopes: ["read:nothing"] }) { key } }', {}, { token: admin.token });
    expect(unknown.code).toBe('BAD_USER_INPUT');
  });
});
