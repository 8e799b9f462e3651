import { sharedRedisUrl } from '../support/redis';
import { startTestApp, type TestApp } from '../support/test-app';
import { createKey, post, remaining } from './budget-http';

const redisUrl = sharedRedisUrl('maxOperationCost through HTTP');
const describeWithRedis = redisUrl ? describe : describe.skip;

/** Estimated at 52: the connection 1, nodes 1, 50 owners. */
const EXPENSIVE = '{ clientKeys(first: 50) { nodes { id owner { id } } } }';
const UPDATE = `mutation($id: ID!, $i: UpdateClientKeyInput!) { updateClientKey(id: $id, input: $i) { id maxOperationCost } }`;
// The update's own estimate (a mutation: 1 + 10) stays under the caps below.

describeWithRedis('maxOperationCost: refused before anything runs, and not escaped down a lineage', () => {
  let t: TestApp;
  let owner: { token: string; userId: string };
  let capped: { key: string; id: string };

  beforeAll(async () => {
    t = await startTestApp({ env: { REDIS_URL: redisUrl!, REDIS_TIMEOUT_MS: '2000' } });
    owner = await t.member('cap');
    capped = await createKey(t, owner, {
      name: 'capped',
      maxOperationCost: 20,
      limits: [{ name: 'cost', unit: 'COST', limit: 1000, periodSeconds: 3600 }],
    });
  });
  afterAll(() => t?.close());

  it('answers COST_ESTIMATED_TOO_EXPENSIVE (400, extensions.cost { estimated max }) and charges nothing', async () => {
    const before = await remaining(t, capped.key);
    const res = await post(t, EXPENSIVE, {}, { key: capped.key });
    expect(res.status).toBe(400);
    expect(res.data).toBeUndefined();
    expect(res.errors![0].extensions).toMatchObject({ code: 'COST_ESTIMATED_TOO_EXPENSIVE', cost: { estimated: 52, max: 20 } });
    expect(await remaining(t, capped.key)).toEqual(before);
    // Under the cap the same kind of query runs.
    const cheap = await post(t, '{ clientKeys(first: 5) { nodes { id owner { id } } } }', {}, { key: capped.key });
    expect(cheap.errors).toBeUndefined();
  });

  it('holds a minted key to its parent’s cap, whatever the minted key asks for', async () => {
    const child = await createKey(t, { key: capped.key }, { name: 'child' });
    const res = await post(t, EXPENSIVE, {}, { key: child.key });
    expect(res.status).toBe(400);
    expect(res.errors![0].extensions).toMatchObject({ code: 'COST_ESTIMATED_TOO_EXPENSIVE', cost: { estimated: 52, max: 20 } });
    const looser = await t.gql(
      `mutation($i: CreateClientKeyInput!) { createClientKey(input: $i) { key clientKey { id } } }`,
      { i: { name: 'looser', scopes: ['read:clientkeys'], maxOperationCost: 1000 } },
      { key: capped.key },
    );
    // Minting with a higher cap is accepted, but the lineage's lowest cap still applies.
    expect(looser.errors).toBeUndefined();
    const escaped = await post(t, EXPENSIVE, {}, { key: looser.data.createClientKey.key });
    expect(escaped.status).toBe(400);
    expect(escaped.errors![0].extensions).toMatchObject({ code: 'COST_ESTIMATED_TOO_EXPENSIVE', cost: { estimated: 52, max: 20 } });
  });

  it('lets a client key raise neither a cap nor a limit (FORBIDDEN), and the owner do both', async () => {
    const child = await createKey(
      t,
      { key: capped.key },
      { name: 'child-2', maxOperationCost: 15, limits: [{ name: 'cost', unit: 'COST', limit: 100, periodSeconds: 3600 }] },
    );
    for (const [who, id] of [
      [capped.key, child.id],
      [child.key, child.id],
      [capped.key, capped.id],
    ]) {
      const cap = await t.gql(UPDATE, { id, i: { maxOperationCost: 5000 } }, { key: who });
      expect(cap.code).toBe('FORBIDDEN');
      const limit = await t.gql(UPDATE, { id, i: { limits: [{ name: 'cost', unit: 'COST', limit: 100_000, periodSeconds: 3600 }] } }, { key: who });
      expect(limit.code).toBe('FORBIDDEN');
    }
    // Tightening is allowed to a key.
    const tighter = await t.gql(UPDATE, { id: child.id, i: { maxOperationCost: 12 } }, { key: capped.key });
    expect(tighter.errors).toBeUndefined();
    expect(tighter.data.updateClientKey.maxOperationCost).toBe(12);
    const raised = await t.gql(UPDATE, { id: capped.id, i: { maxOperationCost: 100 } }, owner);
    expect(raised.errors).toBeUndefined();
    expect(raised.data.updateClientKey.maxOperationCost).toBe(100);
  });
});
