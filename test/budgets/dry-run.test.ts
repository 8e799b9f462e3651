import { sharedRedisUrl } from '../support/redis';
import { startTestApp, type TestApp } from '../support/test-app';
import { createKey, post, remaining } from './budget-http';

const redisUrl = sharedRedisUrl('rateLimit(dryRun) through HTTP');
const describeWithRedis = redisUrl ? describe : describe.skip;

const PRICED = (dryRun: boolean) =>
  `{ rateLimit(dryRun: ${dryRun}) { cost nodeCount limits { name remaining } } clientKeys(first: 10) { nodes { id owner { id } } } }`;

describeWithRedis('rateLimit(dryRun: true) beside another root field', () => {
  let t: TestApp;
  let caller: { key: string; id: string };

  beforeAll(async () => {
    t = await startTestApp({ env: { REDIS_URL: redisUrl!, REDIS_TIMEOUT_MS: '2000' } });
    const owner = await t.member('dry');
    caller = await createKey(t, owner, { name: 'pricing', limits: [{ name: 'cost', unit: 'COST', limit: 500, periodSeconds: 60 }] });
  });
  afterAll(() => t?.close());

  it('answers only rateLimit, with the full estimate and what remains now, and charges nothing', async () => {
    const before = await remaining(t, caller.key);
    // A fresh key: every unit is still there (not one more).
    expect(before).toEqual({ default: 1000, cost: 500 });
    const dry = await post(t, PRICED(true), {}, { key: caller.key });
    expect(dry.errors).toBeUndefined();
    expect(Object.keys(dry.data)).toEqual(['rateLimit']);
    // rateLimit: 1 + limits 1 (scalars inside); clientKeys 1 + nodes 1 + 10 owners.
    const full = dry.data.rateLimit.cost;
    expect(full).toBe(2 + 12);
    expect(dry.data.rateLimit.limits).toEqual([
      { name: 'default', remaining: 1000 },
      { name: 'cost', remaining: 500 },
    ]);
    expect(dry.extensions?.cost).toMatchObject({ estimated: full, actual: 0 });
    expect(await remaining(t, caller.key)).toEqual(before);
  });

  it('without dryRun runs everything and reports the same cost, charged', async () => {
    const before = await remaining(t, caller.key);
    const res = await post(t, PRICED(false), {}, { key: caller.key });
    expect(res.errors).toBeUndefined();
    expect(res.data.clientKeys.nodes).toHaveLength(1);
    expect(res.data.rateLimit.cost).toBe(14);
    expect(res.extensions?.cost.estimated).toBe(14);
    // rateLimit reports the budgets as charged with the estimate, before the refund after the response.
    expect(res.data.rateLimit.limits).toEqual([
      { name: 'default', remaining: before.default - 2 },
      { name: 'cost', remaining: before.cost - 14 },
    ]);
  });
});
