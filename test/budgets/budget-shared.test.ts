import type { Redis } from 'ioredis';
import { BudgetStore } from '../../src/budgets/budget-store';
import type { Counter } from '../../src/budgets/budget-types';
import { connect, deleteKeys, OwnRedis, testPrefix } from './budget-redis';

const redisUrl = process.env.REDIS_URL;
if (!redisUrl) console.warn('[keygate tests] SKIPPED budgets shared through Redis: REDIS_URL is not set');
const describeWithRedis = redisUrl ? describe : describe.skip;

const window = (id: string, limit: number, units: number, periodSeconds = 60): Counter => ({ kind: 'window', id, limit, periodSeconds, units });

describeWithRedis('BudgetStore: instances sharing one Redis', () => {
  let redis: Redis;
  let prefix: string;
  const stores: BudgetStore[] = [];
  beforeAll(async () => {
    redis = await connect(redisUrl!);
  });
  beforeEach(() => {
    prefix = testPrefix();
  });
  afterEach(async () => {
    stores.splice(0).forEach((s) => s.stop());
    await deleteKeys(redis, prefix);
  });
  afterAll(() => redis.disconnect());

  it('shares limits exactly: concurrent charges on two instances never exceed N, and reach it', async () => {
    const second = await connect(redisUrl!);
    try {
      const a = new BudgetStore({ redis, timeoutMs: 1000, keyPrefix: prefix });
      const b = new BudgetStore({ redis: second, timeoutMs: 1000, keyPrefix: prefix });
      stores.push(a, b);
      const counters = () => [window('key', 100, 3), window('parent', 150, 3), { kind: 'balance', id: 'credits', units: 2, initial: 1000 } as Counter];
      const results = await Promise.all(Array.from({ length: 200 }, (_, i) => (i % 2 ? a : b).charge(counters())));
      const admitted = results.filter((r) => r.admitted).length;
      expect(admitted).toBe(33);
      expect(results.filter((r) => !r.admitted).every((r) => r.refusedIndex === 0)).toBe(true);
      const seen = await b.peek([window('key', 100, 0), window('parent', 150, 0), { kind: 'balance', id: 'credits', units: 0 }]);
      expect(seen.states.map((s) => s.remaining)).toEqual([1, 51, 1000 - 66]);
      expect(a.degraded || b.degraded).toBe(false);
    } finally {
      second.disconnect();
    }
  });
});

describe('BudgetStore: one Redis round trip per charge', () => {
  let own: OwnRedis | undefined;
  beforeAll(async () => {
    own = await OwnRedis.start();
    if (!own) console.warn('[keygate tests] SKIPPED budget round trips: no redis-server to start');
  });
  afterAll(() => own?.stop());

  it('sends each charge of 7 counters as one EVALSHA, and the charges of one event-loop turn together (INFO commandstats)', async () => {
    if (!own) return;
    const redis = await connect(own.url);
    const stats = await connect(own.url);
    const store = new BudgetStore({ redis, timeoutMs: 1000 });
    try {
      const counters: Counter[] = [
        window('key', 1000, 1),
        window('key-cost', 100_000, 40, 3600),
        window('parent', 1000, 1),
        window('grandparent', 1000, 1),
        window('owner', 5000, 1, 86_400),
        { kind: 'balance', id: 'key-credits', units: 40, initial: 1_000_000 },
        { kind: 'balance', id: 'owner-credits', units: 40, initial: 1_000_000 },
      ];
      // The first charge may load the script and register the instance.
      expect((await store.charge(counters)).admitted).toBe(true);
      const before = commandCalls(await stats.info('commandstats'));
      const sequential = 20;
      for (let i = 0; i < sequential; i++) expect((await store.charge(counters)).admitted).toBe(true);
      const middle = commandCalls(await stats.info('commandstats'));
      expect((middle.evalsha ?? 0) - (before.evalsha ?? 0)).toBe(sequential);
      const concurrent = await Promise.all(Array.from({ length: 30 }, () => store.charge(counters)));
      expect(concurrent.every((r) => r.admitted)).toBe(true);
      const after = commandCalls(await stats.info('commandstats'));
      const delta: Record<string, number> = {};
      for (const [name, calls] of Object.entries(after)) if (name !== 'info' && calls !== (before[name] ?? 0)) delta[name] = calls - (before[name] ?? 0);
      // Redis counts the script's own calls too: each script call makes exactly one SISMEMBER, and
      // every other command seen is one the script makes; nothing else reached Redis.
      // The 30 concurrent charges asked in one turn: one script call decided them all, in turn.
      expect(delta.evalsha).toBe(sequential + 1);
      expect(delta.sismember).toBe(sequential + 1);
      expect((await store.peek(counters)).states[0].remaining).toBe(1000 - 1 - sequential - 30);
      const fromScript = new Set(['sismember', 'hmget', 'hset', 'hgetall', 'hdel', 'hincrby', 'hexists', 'pexpire', 'pttl']);
      expect(Object.keys(delta).filter((name) => name !== 'evalsha' && !fromScript.has(name))).toEqual([]);
    } finally {
      store.stop();
      redis.disconnect();
      stats.disconnect();
    }
  });
});

function commandCalls(info: string): Record<string, number> {
  const calls: Record<string, number> = {};
  for (const m of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) calls[m[1]] = Number(m[2]);
  return calls;
}
