import { sharedRedisUrl } from '../support/redis';
import { startTestApp, type TestApp } from '../support/test-app';
import { createKey, post, until } from './budget-http';

const redisUrl = sharedRedisUrl('credits through HTTP');
const describeWithRedis = redisUrl ? describe : describe.skip;

/** Estimated at 52 (the connection 1, nodes 1, 50 owners); actually 3 for an owner with one key. */
const LIST = '{ clientKeys(first: 50) { nodes { id owner { id } } } }';
const ADJUST = `mutation($id: ID!, $op: CreditsOperation!, $n: Float!) { adjustClientKeyCredits(id: $id, operation: $op, amount: $n) { credits { remaining } } }`;

describeWithRedis('credits: a quota spent by actual cost, refused when it cannot hold the estimate', () => {
  let t: TestApp;
  let admin: { token: string };
  let owner: { token: string; userId: string };
  let caller: { key: string; id: string };

  const creditsOf = async (): Promise<number> => {
    const res = await t.gql(`query($id: ID!) { clientKey(id: $id) { credits { remaining } } }`, { id: caller.id }, owner);
    return res.data.clientKey.credits.remaining;
  };

  beforeAll(async () => {
    t = await startTestApp({ env: { REDIS_URL: redisUrl!, REDIS_TIMEOUT_MS: '2000' } });
    admin = await t.login();
    owner = await t.member('credits');
    caller = await createKey(t, owner, { name: 'metered', credits: { remaining: 60 } });
  });
  afterAll(() => t?.close());

  it('spends the actual cost, told in extensions.cost and in ClientKey.credits.remaining within a few seconds', async () => {
    const res = await post(t, LIST, {}, { key: caller.key });
    expect(res.errors).toBeUndefined();
    expect(res.extensions?.cost).toMatchObject({ estimated: 52, actual: 3, credits: { remaining: 57 } });
    await until('PostgreSQL holds the debit', async () => (await creditsOf()) === 57, 5_000);
  });

  it('answers QUOTA_EXCEEDED (429) when the credits cannot hold the estimate, charging nothing', async () => {
    const set = await t.gql(ADJUST, { id: caller.id, op: 'SET', n: 40 }, owner);
    expect(set.data.adjustClientKeyCredits.credits.remaining).toBe(40);
    const res = await post(t, LIST, {}, { key: caller.key });
    expect(res.status).toBe(429);
    expect(res.data).toBeUndefined();
    expect(res.errors![0].extensions).toMatchObject({ code: 'QUOTA_EXCEEDED', limitOf: 'KEY' });
    expect(res.extensions?.cost.credits).toEqual({ remaining: 40 });
    // A cheaper request still fits, and only it is spent.
    const cheap = await post(t, '{ clientKeys(first: 5) { nodes { id owner { id } } } }', {}, { key: caller.key });
    expect(cheap.errors).toBeUndefined();
    expect(cheap.extensions?.cost.credits).toEqual({ remaining: 37 });
    await until('PostgreSQL holds the debit', async () => (await creditsOf()) === 37, 5_000);
  });

  it('audits every adjustClientKeyCredits: SET, INCREMENT and DECREMENT', async () => {
    for (const [op, n, to] of [
      ['SET', 100, 100],
      ['INCREMENT', 20, 120],
      ['DECREMENT', 5, 115],
    ] as const) {
      const res = await t.gql(ADJUST, { id: caller.id, op, n }, owner);
      expect(res.errors).toBeUndefined();
      expect(res.data.adjustClientKeyCredits.credits.remaining).toBe(to);
    }
    expect(await creditsOf()).toBe(115);
    const audit = await t.gql(
      `query($id: ID!) { auditEvents(clientKeyId: $id, action: "client_key.updated", first: 20) { nodes { actorId changes } } }`,
      { id: caller.id },
      admin,
    );
    const adjustments = audit.data.auditEvents.nodes.filter((e: { changes: any }) => e.changes.credits?.operation).reverse();
    expect(adjustments.map((e: { actorId: string; changes: any }) => ({ actorId: e.actorId, ...e.changes.credits }))).toEqual([
      { actorId: owner.userId, operation: 'SET', amount: 40, from: 57, to: 40 },
      { actorId: owner.userId, operation: 'SET', amount: 100, from: 37, to: 100 },
      { actorId: owner.userId, operation: 'INCREMENT', amount: 20, from: 100, to: 120 },
      { actorId: owner.userId, operation: 'DECREMENT', amount: 5, from: 120, to: 115 },
    ]);
    // The key itself may lower its credits, never raise them.
    expect((await t.gql(ADJUST, { id: caller.id, op: 'INCREMENT', n: 1 }, { key: caller.key })).code).toBe('FORBIDDEN');
    expect(await creditsOf()).toBe(115);
  });
});
