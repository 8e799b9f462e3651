import { issueKey, startTestApp, type TestApp } from '../support/test-app';

const USAGE = `query($id: ID!, $since: DateTime!) { clientKey(id: $id) { id usage(since: $since) { requests } usageByField(since: $since) { coordinate } } }`;
const LIST_USAGE = `query($since: DateTime!) { clientKeys { nodes { id usage(since: $since, interval: DAY) { requests } } } }`;

/** Whoever can read a key can read its usage; anyone else is told the key does not exist. */
describe('usage visibility', () => {
  let t: TestApp;
  let admin: { token: string };
  let alice: { token: string; userId: string };
  let bob: { token: string; userId: string };
  let aliceKey: { id: string; key: string };
  const since = () => new Date(Date.now() - 3_600_000).toISOString();

  beforeAll(async () => {
    t = await startTestApp();
    admin = await t.login();
    alice = await t.member('alice');
    bob = await t.member('bob');
    aliceKey = await issueKey(t, alice, { scopes: ['read:clientkeys'], rateLimitPerMinute: 1000 });
    await t.gql('{ viewer { id } }', {}, { key: aliceKey.key });
    await t.app.wiring.usage.flush();
  });
  afterAll(() => t.close());

  it('shows the owner, an admin, and the key itself its usage', async () => {
    for (const caller of [alice, admin, { key: aliceKey.key }]) {
      const res = await t.gql(USAGE, { id: aliceKey.id, since: since() }, caller);
      expect(res.errors).toBeUndefined();
      // The key's own request for its usage counts too, once it is written: at least the first one is there.
      expect(res.data.clientKey.usage.reduce((n: number, b: { requests: number }) => n + b.requests, 0)).toBeGreaterThanOrEqual(1);
      expect(res.data.clientKey.usageByField.map((f: { coordinate: string }) => f.coordinate)).toContain('Query.viewer');
    }
  });

  it("answers NOT_FOUND for another member's key, as for the key itself", async () => {
    const res = await t.gql(USAGE, { id: aliceKey.id, since: since() }, bob);
    expect(res.code).toBe('NOT_FOUND');
    expect(res.data?.clientKey ?? null).toBeNull();
  });

  it('lists usage only for the keys the caller can list', async () => {
    const bobKey = await issueKey(t, bob, { scopes: ['read:clientkeys'] });
    const res = await t.gql(LIST_USAGE, { since: since() }, bob);
    expect(res.errors).toBeUndefined();
    expect(res.data.clientKeys.nodes.map((n: { id: string }) => n.id)).toEqual([bobKey.id]);
  });

  it('refuses an anonymous caller', async () => {
    const res = await t.gql(USAGE, { id: aliceKey.id, since: since() });
    expect(res.code).toBe('UNAUTHENTICATED');
  });

  it('reads the usage of a whole page of keys in one query', async () => {
    for (let i = 0; i < 4; i++) await issueKey(t, alice, { scopes: ['read:clientkeys'] });
    t.takeQueries();
    const res = await t.gql(LIST_USAGE, { since: since() }, alice);
    expect(res.errors).toBeUndefined();
    expect(res.data.clientKeys.nodes.length).toBeGreaterThanOrEqual(5);
    expect(t.takeQueries().filter((sql) => sql.includes('FROM key_usage'))).toHaveLength(1);
  });
});
