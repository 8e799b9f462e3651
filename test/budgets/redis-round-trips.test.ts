import { startTestApp, type TestApp } from '../support/test-app';
import { createKey, post } from './budget-http';
import { connect, OwnRedis } from './budget-redis';

/** Calls per command from INFO commandstats (`cmdstat_evalsha:calls=3,...`). */
function commandCalls(info: string): Record<string, number> {
  const calls: Record<string, number> = {};
  for (const m of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) calls[m[1]] = Number(m[2]);
  return calls;
}

describe('a key request with Redis: one blocking round trip for all its budgets', () => {
  let own: OwnRedis | undefined;
  let t: TestApp | undefined;

  beforeAll(async () => {
    own = await OwnRedis.start();
    if (!own) console.warn('[keygate tests] SKIPPED budget round trips over HTTP: no redis-server to start');
  });
  afterAll(async () => {
    await t?.close();
    await own?.stop();
  });

  it('sends one EVALSHA per request for a key with three limits, credits, a parent and an owner budget (INFO commandstats)', async () => {
    if (!own) return;
    t = await startTestApp({ env: { REDIS_URL: own.url, REDIS_TIMEOUT_MS: '1000' } });
    const admin = await t.login();
    const owner = await t.member('trips');
    await t.gql(
      `mutation($id: ID!, $i: UpdateUserInput!) { updateUser(id: $id, input: $i) { id } }`,
      { id: owner.userId, i: { limits: [{ name: 'team', unit: 'REQUESTS', limit: 10_000, periodSeconds: 3600 }] } },
      admin,
    );
    const parent = await createKey(t, owner, { name: 'parent', credits: { remaining: 1_000_000 } });
    const caller = await createKey(
      t,
      { key: parent.key },
      {
        name: 'child',
        credits: { remaining: 1_000_000 },
        limits: [
          { name: 'cost', unit: 'COST', limit: 100_000, periodSeconds: 3600 },
          { name: 'requests', unit: 'REQUESTS', limit: 10_000, periodSeconds: 60 },
        ],
      },
    );
    // viewer costs 1 estimated and 1 actual: nothing to give back, so no refund follows a request.
    const ask = async () => {
      const res = await post(t!, '{ viewer { id } }', {}, { key: caller.key });
      expect(res.errors).toBeUndefined();
      return res;
    };
    // The first requests load the plan and the credit balances.
    await ask();
    const warm = await ask();
    expect(warm.extensions?.cost.limits.map((l: { name: string }) => l.name)).toEqual(['default', 'cost', 'requests', 'parent.default', 'user.team']);
    const stats = await connect(own.url);
    try {
      const before = commandCalls(await stats.info('commandstats'));
      const requests = 20;
      for (let i = 0; i < requests; i++) await ask();
      const after = commandCalls(await stats.info('commandstats'));
      const delta: Record<string, number> = {};
      for (const [name, calls] of Object.entries(after)) if (name !== 'info' && calls !== (before[name] ?? 0)) delta[name] = calls - (before[name] ?? 0);
      // Redis counts a script's own calls too: each script run makes exactly one SISMEMBER, and every
      // other command seen is one the script makes. So: one EVALSHA per request and nothing else sent.
      expect(delta.evalsha).toBe(requests);
      expect(delta.sismember).toBe(requests);
      const fromScript = new Set(['evalsha', 'sismember', 'hmget', 'hset', 'hgetall', 'hdel', 'hincrby', 'hexists', 'pexpire', 'pttl']);
      expect(Object.keys(delta).filter((name) => !fromScript.has(name))).toEqual([]);
      // A payer's limits and credits share one hash: one read per payer (the key, its parent, its owner),
      // plus a read of the slots that just left a window when a slot turns over (at most one per window).
      expect(delta.hmget).toBeGreaterThanOrEqual(3 * requests);
      expect(delta.hmget).toBeLessThanOrEqual(3 * requests + 5 * 2);
    } finally {
      stats.disconnect();
    }
  });
});
