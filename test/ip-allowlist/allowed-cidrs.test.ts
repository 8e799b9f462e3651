import { Client } from 'pg';
import { AUDIT, VIEWER } from '../support/documents';
import { postGraphQL } from '../support/graphql-client';
import { issueKey, startTestApp, type TestApp } from '../support/test-app';
import { until } from '../support/wait';

const CREATE = `mutation($i: CreateClientKeyInput!) { createClientKey(input: $i) { key clientKey { id allowedCidrs } } }`;
const UPDATE = `mutation($id: ID!, $i: UpdateClientKeyInput!) { updateClientKey(id: $id, input: $i) { id allowedCidrs } }`;

/**
 * allowedCidrs through real HTTP: socket addresses (v4, v6, IPv4-mapped) and X-Forwarded-For under
 * TRUST_PROXY (behind a real appending proxy: test/http/client-address.test.ts).
 */
describe('allowedCidrs', () => {
  let direct: TestApp; // TRUST_PROXY off, listening on 127.0.0.1
  let proxied: TestApp; // TRUST_PROXY=1: the test plays the one proxy, so the rightmost X-Forwarded-For entry is the client
  let dualStack: TestApp; // listening on :: (IPv4 clients appear as ::ffff:a.b.c.d)
  let admin: { token: string };

  beforeAll(async () => {
    direct = await startTestApp();
    proxied = await startTestApp({ db: direct.db, env: { TRUST_PROXY: '1' } });
    dualStack = await startTestApp({ db: direct.db, env: { HOST: '::' } });
    admin = await direct.login();
  });
  afterAll(async () => {
    await dualStack.close();
    await proxied.close();
    await direct.close();
  });

  async function keyFor(allowedCidrs: string[], rateLimitPerMinute = 1000) {
    const res = await direct.gql(CREATE, { i: { name: 'cidr', scopes: ['read:clientkeys'], rateLimitPerMinute, allowedCidrs } }, admin);
    expect(res.errors).toBeUndefined();
    return {
      key: res.data.createClientKey.key as string,
      id: res.data.createClientKey.clientKey.id as string,
      cidrs: res.data.createClientKey.clientKey.allowedCidrs,
    };
  }

  const call = (baseUrl: string, key: string, forwardedFor?: string) =>
    postGraphQL(baseUrl, VIEWER, {}, { 'x-client-key': key, ...(forwardedFor ? { 'x-forwarded-for': forwardedFor } : {}) });

  function expectRefused(res: Awaited<ReturnType<typeof call>>) {
    expect(res.status).toBe(403);
    expect(res.code).toBe('FORBIDDEN');
    expect(res.errors?.[0].extensions?.reason).toBe('IP_NOT_ALLOWED');
    expect(res.data?.viewer ?? null).toBeNull();
  }

  const v4 = () => `http://127.0.0.1:${direct.app.port}`;
  const viaProxy = () => `http://127.0.0.1:${proxied.app.port}`;

  it('returns the canonical list and allows anywhere when it is empty', async () => {
    const open = await keyFor([]);
    expect(open.cidrs).toEqual([]);
    expect((await call(v4(), open.key)).status).toBe(200);
    const listed = await keyFor(['203.0.113.9/24', '::ffff:127.0.0.1', '2001:DB8::/32']);
    expect(listed.cidrs).toEqual(['203.0.113.0/24', '127.0.0.1/32', '2001:db8::/32']);
  });

  describe('TRUST_PROXY off: the socket address, X-Forwarded-For ignored', () => {
    it.each([
      [['127.0.0.0/8'], undefined, 200],
      [['203.0.113.0/24'], undefined, 403],
      [['203.0.113.0/24'], '203.0.113.5', 403],
      [['127.0.0.0/8'], '203.0.113.5', 200],
      [['::1/128'], undefined, 403],
      [['::ffff:127.0.0.0/104'], undefined, 200],
      [['2001:db8::/32', '127.0.0.1'], undefined, 200],
    ])('%j, X-Forwarded-For %s: %i', async (cidrs, forwardedFor, status) => {
      const { key } = await keyFor(cidrs);
      const res = await call(v4(), key, forwardedFor);
      if (status === 200) expect(res.status).toBe(200);
      else expectRefused(res);
    });
  });

  describe('TRUST_PROXY=1: the rightmost X-Forwarded-For address, the one the proxy appended', () => {
    it.each([
      [['203.0.113.0/24'], '203.0.113.5', 200],
      [['203.0.113.0/24'], '10.0.0.1, 203.0.113.5', 200],
      [['203.0.113.0/24'], '198.51.100.1', 403],
      // What the client wrote to the left of the proxy's entry is never believed.
      [['203.0.113.0/24'], '203.0.113.5, 10.0.0.1', 403],
      [['203.0.113.0/24'], '::ffff:203.0.113.5', 200],
      [['::ffff:203.0.113.0/120'], '203.0.113.5', 200],
      [['2001:db8::/32'], '2001:db8:abcd::5', 200],
      // Not an address (a port, junk): the socket's address (127.0.0.1) stands.
      [['2001:db8::/32'], '[2001:db8::5]:443', 403],
      [['127.0.0.1/32'], '[2001:db8::5]:443', 200],
      [['2001:db8::/32'], '2001:db9::5', 403],
      [['2001:db8::/32'], '203.0.113.5', 403],
      [['203.0.113.0/24'], 'garbage', 403],
      [['127.0.0.1/32'], '203.0.113.5, garbage', 200],
      // No header: the socket's address (127.0.0.1).
      [['203.0.113.0/24'], undefined, 403],
      [['127.0.0.1/32'], undefined, 200],
    ])('%j, X-Forwarded-For %s: %i', async (cidrs, forwardedFor, status) => {
      const { key } = await keyFor(cidrs);
      const res = await call(viaProxy(), key, forwardedFor);
      if (status === 200) expect(res.status).toBe(200);
      else expectRefused(res);
    });
  });

  describe('dual-stack listener: IPv4 clients arrive as IPv4-mapped IPv6', () => {
    it.each([
      [['127.0.0.1/32'], 'v4', 200],
      [['::ffff:127.0.0.1/128'], 'v4', 200],
      [['::1/128'], 'v4', 403],
      [['::1/128'], 'v6', 200],
      [['127.0.0.0/8'], 'v6', 403],
    ])('%j from %s loopback: %i', async (cidrs, family, status) => {
      const { key } = await keyFor(cidrs);
      const host = family === 'v4' ? '127.0.0.1' : '[::1]';
      const res = await call(`http://${host}:${dualStack.app.port}`, key);
      if (status === 200) expect(res.status).toBe(200);
      else expectRefused(res);
    });
  });

  it('spends none of the rate limit on refused addresses, counts them as errors, and applies an update at once', async () => {
    const { key, id } = await keyFor(['203.0.113.0/24'], 1);
    for (let i = 0; i < 3; i++) expectRefused(await call(v4(), key));
    const updated = await direct.gql(UPDATE, { id, i: { allowedCidrs: ['127.0.0.0/8'] } }, admin);
    expect(updated.data.updateClientKey.allowedCidrs).toEqual(['127.0.0.0/8']);
    expect((await call(v4(), key)).status).toBe(200);
    await direct.app.wiring.usage.flush();
    const usage = await direct.gql(
      `query($id: ID!, $since: DateTime!) { clientKey(id: $id) { usage(since: $since, interval: DAY) { requests errors rateLimited } } }`,
      { id, since: new Date(Date.now() - 86_400_000).toISOString() },
      admin,
    );
    const total = usage.data.clientKey.usage.reduce(
      (sum: any, b: any) => ({ requests: sum.requests + b.requests, errors: sum.errors + b.errors, rateLimited: sum.rateLimited + b.rateLimited }),
      { requests: 0, errors: 0, rateLimited: 0 },
    );
    expect(total).toEqual({ requests: 4, errors: 3, rateLimited: 0 });
  });

  it('records allowedCidrs in the audit trail and clears the list with []', async () => {
    const { id } = await keyFor(['10.0.0.0/8']);
    await direct.gql(UPDATE, { id, i: { allowedCidrs: ['10.0.0.0/8', '2001:db8::/32'] } }, admin);
    const cleared = await direct.gql(UPDATE, { id, i: { allowedCidrs: [] } }, admin);
    expect(cleared.data.updateClientKey.allowedCidrs).toEqual([]);
    const events = (await direct.gql(AUDIT, { clientKeyId: id }, admin)).data.auditEvents.nodes;
    const created = events.find((e: any) => e.action === 'client_key.created');
    expect(created.changes.allowedCidrs).toEqual(['10.0.0.0/8']);
    const updates = events.filter((e: any) => e.action === 'client_key.updated').map((e: any) => e.changes.allowedCidrs);
    expect(updates).toEqual(
      expect.arrayContaining([
        { from: ['10.0.0.0/8'], to: ['10.0.0.0/8', '2001:db8::/32'] },
        { from: ['10.0.0.0/8', '2001:db8::/32'], to: [] },
      ]),
    );
  });

  it('refuses a malformed range with BAD_USER_INPUT naming the field, on create and update', async () => {
    const created = await direct.gql(CREATE, { i: { name: 'bad', scopes: ['read:clientkeys'], allowedCidrs: ['10.0.0.0/8', '10.0.0.0/99'] } }, admin);
    expect(created.code).toBe('BAD_USER_INPUT');
    expect(created.errors?.[0].extensions?.field).toBe('allowedCidrs');
    expect(created.errors?.[0].message).not.toContain('10.0.0.0/99');
    const { id } = await issueKey(direct, admin, { scopes: ['read:clientkeys'] });
    const updated = await direct.gql(UPDATE, { id, i: { allowedCidrs: ['not an address'] } }, admin);
    expect(updated.code).toBe('BAD_USER_INPUT');
    expect(updated.errors?.[0].extensions?.field).toBe('allowedCidrs');
  });

  it("keeps a restricted key's keys inside its own ranges", async () => {
    const parent = await direct.gql(
      CREATE,
      { i: { name: 'restricted', scopes: ['read:clientkeys', 'write:clientkeys'], rateLimitPerMinute: 1000, allowedCidrs: ['203.0.113.0/24'] } },
      admin,
    );
    const key = parent.data.createClientKey.key as string;
    const asParent = (query: string, variables: Record<string, unknown>) =>
      postGraphQL(viaProxy(), query, variables, { 'x-client-key': key, 'x-forwarded-for': '203.0.113.5' });
    const child = (allowedCidrs?: string[]) =>
      asParent(CREATE, { i: { name: 'child', scopes: ['read:clientkeys'], ...(allowedCidrs ? { allowedCidrs } : {}) } });

    const inherited = await child();
    expect(inherited.errors).toBeUndefined();
    expect(inherited.data.createClientKey.clientKey.allowedCidrs).toEqual(['203.0.113.0/24']);
    expect((await child(['203.0.113.128/25'])).data.createClientKey.clientKey.allowedCidrs).toEqual(['203.0.113.128/25']);
    for (const wider of [[], ['10.0.0.0/8'], ['203.0.112.0/23'], ['203.0.113.0/24', '::/0']]) {
      const res = await child(wider);
      expect(res.code).toBe('FORBIDDEN');
      expect(res.errors?.[0].extensions?.field).toBe('allowedCidrs');
    }
    const widened = await asParent(UPDATE, { id: inherited.data.createClientKey.clientKey.id, i: { allowedCidrs: [] } });
    expect(widened.code).toBe('FORBIDDEN');
    expect(widened.errors?.[0].extensions?.field).toBe('allowedCidrs');
    // A user may widen it.
    const byUser = await direct.gql(UPDATE, { id: inherited.data.createClientKey.clientKey.id, i: { allowedCidrs: [] } }, admin);
    expect(byUser.data.updateClientKey.allowedCidrs).toEqual([]);
  });

  it("narrows the keys a key minted when a user narrows that key's ranges, and revokes those left with no address", async () => {
    const created = await direct.gql(
      CREATE,
      { i: { name: 'parent', scopes: ['read:clientkeys', 'write:clientkeys'], rateLimitPerMinute: 1000, allowedCidrs: ['10.0.0.0/8'] } },
      admin,
    );
    const parent = { id: created.data.createClientKey.clientKey.id as string, key: created.data.createClientKey.key as string };
    const mint = async (by: string, allowedCidrs?: string[]) => {
      const res = await postGraphQL(
        viaProxy(),
        CREATE,
        { i: { name: 'minted', scopes: ['read:clientkeys', 'write:clientkeys'], ...(allowedCidrs ? { allowedCidrs } : {}) } },
        { 'x-client-key': by, 'x-forwarded-for': '10.1.2.3' },
      );
      expect(res.errors).toBeUndefined();
      return { id: res.data.createClientKey.clientKey.id as string, key: res.data.createClientKey.key as string };
    };
    const anywhere = await mint(parent.key); // inherits 10.0.0.0/8; a user then lifts its restriction
    expect((await direct.gql(UPDATE, { id: anywhere.id, i: { allowedCidrs: [] } }, admin)).errors).toBeUndefined();
    const wider = await mint(parent.key, ['10.0.0.0/9']);
    const inside = await mint(parent.key, ['10.1.0.0/16']);
    const grandchild = await mint(inside.key, ['10.1.2.0/24']);
    const elsewhere = await mint(parent.key, ['10.200.0.0/16']);

    const narrowed = await direct.gql(UPDATE, { id: parent.id, i: { allowedCidrs: ['10.1.0.0/16', '192.0.2.0/24'] } }, admin);
    expect(narrowed.errors).toBeUndefined();

    const read = async (id: string) =>
      (await direct.gql(`query($id: ID!) { clientKey(id: $id) { allowedCidrs status revokedReason } }`, { id }, admin)).data.clientKey;
    expect(await read(anywhere.id)).toMatchObject({ allowedCidrs: ['10.1.0.0/16', '192.0.2.0/24'], status: 'ACTIVE' });
    expect(await read(wider.id)).toMatchObject({ allowedCidrs: ['10.1.0.0/16'], status: 'ACTIVE' });
    expect(await read(inside.id)).toMatchObject({ allowedCidrs: ['10.1.0.0/16'], status: 'ACTIVE' });
    expect(await read(grandchild.id)).toMatchObject({ allowedCidrs: ['10.1.2.0/24'], status: 'ACTIVE' });
    const revoked = await read(elsewhere.id);
    expect(revoked.status).toBe('REVOKED');
    expect(revoked.revokedReason).toMatch(/no longer allows/);

    // Applied at once, through the verification cache: the old ranges no longer work, the kept ones do.
    expectRefused(await call(viaProxy(), anywhere.key, '10.3.0.1'));
    expect((await call(viaProxy(), anywhere.key, '192.0.2.9')).data.viewer.kind).toBe('CLIENT_KEY');
    expectRefused(await call(viaProxy(), wider.key, '10.64.0.1'));
    expect((await call(viaProxy(), wider.key, '10.1.9.9')).data.viewer.kind).toBe('CLIENT_KEY');
    expect((await call(viaProxy(), elsewhere.key, '10.200.0.1')).code).toBe('UNAUTHENTICATED');

    const trail = await direct.gql(AUDIT, { clientKeyId: wider.id, action: 'client_key.updated' }, admin);
    expect(trail.data.auditEvents.nodes[0].changes).toMatchObject({
      allowedCidrs: { from: ['10.0.0.0/9'], to: ['10.1.0.0/16'] },
      cappedBy: parent.id,
    });
  });

  async function restrictedParent(allowedCidrs: string[], scopes = ['read:clientkeys', 'write:clientkeys']) {
    const res = await direct.gql(CREATE, { i: { name: 'parent', scopes, rateLimitPerMinute: 1000, allowedCidrs } }, admin);
    expect(res.errors).toBeUndefined();
    return { id: res.data.createClientKey.clientKey.id as string, key: res.data.createClientKey.key as string };
  }
  const mintFrom = (parentKey: string, address: string, allowedCidrs?: string[]) =>
    postGraphQL(
      viaProxy(),
      CREATE,
      { i: { name: 'minted', scopes: ['read:clientkeys'], ...(allowedCidrs ? { allowedCidrs } : {}) } },
      { 'x-client-key': parentKey, 'x-forwarded-for': address },
    );

  it('judges a mint by the minting key’s ranges as they are when it commits, not as they were cached', async () => {
    const parent = await restrictedParent(['10.0.0.0/8']);
    expect((await call(viaProxy(), parent.key, '10.2.0.1')).data.viewer.kind).toBe('CLIENT_KEY'); // cached with 10.0.0.0/8
    // Hold the owner's row so the mint, already authenticated and checked, waits inside its transaction.
    const owner = (await direct.gql(`query($id: ID!) { clientKey(id: $id) { userId } }`, { id: parent.id }, admin)).data.clientKey.userId;
    const blocker = new Client({ connectionString: direct.db.url });
    await blocker.connect();
    try {
      await blocker.query('BEGIN');
      await blocker.query('SELECT 1 FROM users WHERE id = $1 FOR UPDATE', [owner]);
      const mint = mintFrom(parent.key, '10.2.0.1', ['10.2.0.0/16']);
      await until('the mint waits for the owner row', async () => (await blocker.query('SELECT 1 FROM pg_locks WHERE NOT granted')).rowCount! > 0);
      expect((await direct.gql(UPDATE, { id: parent.id, i: { allowedCidrs: ['10.1.0.0/16'] } }, admin)).errors).toBeUndefined();
      await blocker.query('ROLLBACK');
      const minted = await mint;
      expect(minted.code).toBe('FORBIDDEN');
      expect(minted.errors?.[0].extensions?.field).toBe('allowedCidrs');
    } finally {
      await blocker.end();
    }
  });

  it('refuses a narrowing that would revoke a minted key the actor could not act on, and changes nothing', async () => {
    const parent = await restrictedParent(['10.0.0.0/8']);
    const minted = await mintFrom(parent.key, '10.2.0.1', ['10.2.0.0/16']);
    const childId = minted.data.createClientKey.clientKey.id as string;
    // A user gives the minted key a scope its parent lacks: the parent may no longer act on it.
    expect((await direct.gql(UPDATE, { id: childId, i: { scopes: ['read:clientkeys', 'read:audit'] } }, admin)).errors).toBeUndefined();
    const narrowing = await postGraphQL(
      viaProxy(),
      UPDATE,
      { id: parent.id, i: { allowedCidrs: ['10.1.0.0/16'] } },
      { 'x-client-key': parent.key, 'x-forwarded-for': '10.1.0.1' },
    );
    expect(narrowing.code).toBe('FORBIDDEN');
    expect(narrowing.errors?.[0].extensions?.field).toBe('allowedCidrs');
    expect(JSON.stringify(narrowing.errors)).not.toContain('read:audit'); // the minted key's scopes stay unsaid
    const read = async (id: string) => (await direct.gql(`query($id: ID!) { clientKey(id: $id) { allowedCidrs status } }`, { id }, admin)).data.clientKey;
    expect(await read(childId)).toEqual({ allowedCidrs: ['10.2.0.0/16'], status: 'ACTIVE' });
    expect((await read(parent.id)).allowedCidrs).toEqual(['10.0.0.0/8']);
    // A user may: the minted key is revoked with the narrowing.
    expect((await direct.gql(UPDATE, { id: parent.id, i: { allowedCidrs: ['10.1.0.0/16'] } }, admin)).errors).toBeUndefined();
    expect((await read(childId)).status).toBe('REVOKED');
  });

  it("widening a key's ranges leaves the keys it minted as they are", async () => {
    const parent = await restrictedParent(['10.0.0.0/8']);
    const minted = await mintFrom(parent.key, '10.2.0.1');
    const childId = minted.data.createClientKey.clientKey.id as string;
    expect((await direct.gql(UPDATE, { id: childId, i: { allowedCidrs: [] } }, admin)).errors).toBeUndefined();
    expect((await direct.gql(UPDATE, { id: parent.id, i: { allowedCidrs: ['10.0.0.0/7'] } }, admin)).errors).toBeUndefined();
    expect((await direct.gql(`query($id: ID!) { clientKey(id: $id) { allowedCidrs } }`, { id: childId }, admin)).data.clientKey.allowedCidrs).toEqual([]);
  });

  it("lets a client key narrow a key's ranges but never widen them, as with expiry and limit", async () => {
    const parent = await restrictedParent(['10.0.0.0/8']);
    const minted = await mintFrom(parent.key, '10.1.0.1', ['10.1.0.0/16']);
    const childId = minted.data.createClientKey.clientKey.id as string;
    const asParent = (allowedCidrs: string[]) =>
      postGraphQL(viaProxy(), UPDATE, { id: childId, i: { allowedCidrs } }, { 'x-client-key': parent.key, 'x-forwarded-for': '10.1.0.1' });
    for (const wider of [['10.0.0.0/8'], ['10.1.0.0/16', '10.2.0.0/16']]) {
      const res = await asParent(wider);
      expect(res.code).toBe('FORBIDDEN');
      expect(res.errors?.[0].extensions?.field).toBe('allowedCidrs');
    }
    expect((await asParent(['10.1.2.0/24'])).data.updateClientKey.allowedCidrs).toEqual(['10.1.2.0/24']);
  });
});
