import { sharedRedisUrl } from '../support/redis';
import { startTestApp, type TestApp } from '../support/test-app';
import { createKey, post, remaining, until } from './budget-http';

const redisUrl = sharedRedisUrl('COST limits through HTTP');
const describeWithRedis = redisUrl ? describe : describe.skip;

const LIST = '{ clientKeys(first: 50) { nodes { id owner { id } } } }';

describeWithRedis('COST limits: the estimate is charged, the unused part given back, and the client told', () => {
  let t: TestApp;
  let owner: { token: string; userId: string };
  let caller: { key: string; id: string };

  beforeAll(async () => {
    t = await startTestApp({ env: { REDIS_URL: redisUrl!, REDIS_TIMEOUT_MS: '2000' } });
    owner = await t.member('cost');
    caller = await createKey(t, owner, { name: 'priced', limits: [{ name: 'cost', unit: 'COST', limit: 1000, periodSeconds: 60 }] });
    // The owner has exactly two keys: the list returns 2 nodes of the 50 it may return.
    await createKey(t, owner, { name: 'second' });
  });
  afterAll(() => t?.close());

  it('charges clientKeys(first: 50) its estimate of 52, keeps its actual cost of 4, and says so in extensions.cost and the headers', async () => {
    const res = await post(t, LIST, {}, { key: caller.key });
    expect(res.errors).toBeUndefined();
    expect(res.data.clientKeys.nodes).toHaveLength(2);
    // The connection 1, nodes 1, each of the 50 nodes' owner 1 (scalars 0): 52; actually 1 + 1 + 2 owners.
    const cost = res.extensions?.cost;
    expect(cost).toMatchObject({ estimated: 52, actual: 4, credits: null });
    expect(cost.limits).toEqual([
      { name: 'default', unit: 'ROOT_FIELDS', limit: 1000, remaining: 999, resetSeconds: expect.any(Number) },
      { name: 'cost', unit: 'COST', limit: 1000, remaining: 996, resetSeconds: expect.any(Number) },
    ]);
    for (const l of cost.limits) expect(l.resetSeconds).toBeGreaterThan(0);
    expect(res.headers.get('ratelimit-policy')).toBe('"default";q=1000;w=60, "cost";q=1000;w=60');
    expect(res.headers.get('ratelimit')).toMatch(/^"default";r=999;t=\d+, "cost";r=996;t=\d+$/);
    // The refund (52 - 4) reaches the store in the background: the shared count shows it soon.
    await until('the unused estimate is given back', async () => (await remaining(t, caller.key)).cost === 996);
  });

  it('admits by the estimate: with 55 per minute, a second request estimated at 52 no longer fits once 4 were kept', async () => {
    const tight = await createKey(t, owner, { name: 'tight', limits: [{ name: 'cost', unit: 'COST', limit: 55, periodSeconds: 60 }] });
    const first = await post(t, LIST, {}, { key: tight.key });
    expect(first.errors).toBeUndefined();
    await until('the unused estimate is given back', async () => (await remaining(t, tight.key)).cost === 55 - 5);
    const second = await post(t, LIST, {}, { key: tight.key });
    expect(second.status).toBe(429);
    expect(second.errors![0].extensions).toMatchObject({ code: 'RATE_LIMITED', limit: 'cost', limitOf: 'KEY' });
    expect(second.data).toBeUndefined();
    expect((await remaining(t, tight.key)).cost).toBe(50);
  });
});
