import type { Redis } from 'ioredis';
import { BudgetStore } from '../../src/budgets/budget-store';
import type { Admission, Counter } from '../../src/budgets/budget-types';
import { connect, deleteKeys, testPrefix } from './budget-redis';
import { until } from '../support/wait';

const redisUrl = process.env.REDIS_URL;
const describeWithRedis = redisUrl ? describe : describe.skip;
if (!redisUrl) console.warn('[keygate tests] SKIPPED budget store conformance: REDIS_URL is not set');

const verdict = (a: Admission) => ({ admitted: a.admitted, refusedIndex: a.refusedIndex, retryAfterSeconds: a.retryAfterSeconds, states: a.states });

/**
 * Redis keeps each window's total, newest slot and floor beside its slots, so that a charge
 * reads three fields instead of every slot. Random charges, refunds and clock jumps (within a
 * slot, across slots, across whole periods) must get the same verdicts from Redis as from the
 * memory store, which adds up its slots every time; and the bookkeeping must match the slots.
 */
describeWithRedis('BudgetStore: Redis bookkeeping agrees with counting every slot', () => {
  let redis: Redis;
  let prefix: string;

  beforeAll(async () => {
    redis = await connect(redisUrl!);
  });
  beforeEach(() => {
    prefix = testPrefix();
  });
  afterEach(() => deleteKeys(redis, prefix));
  afterAll(() => redis.disconnect());

  it.each([3, 11, 29])('gives the same verdicts as the memory store (seed %i)', async (start) => {
    let ms = Math.floor(Date.now() / 60_000) * 60_000;
    const now = () => ms;
    const memory = new BudgetStore({ timeoutMs: 1000, now });
    const shared = new BudgetStore({ redis, timeoutMs: 1000, keyPrefix: prefix, now });
    let seed = start;
    const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    const pick = (n: number) => Math.floor(random() * n);
    try {
      await until('Redis knows the store', () => !shared.degraded);
      const tickets: Array<[Admission, Admission, number[]]> = [];
      for (let i = 0; i < 300; i++) {
        const jump = random();
        ms += jump < 0.7 ? pick(400) : jump < 0.95 ? pick(8_000) : pick(200_000);
        const counters: Counter[] = [
          { kind: 'window', id: 'a', limit: 40, periodSeconds: 10, units: pick(6) },
          { kind: 'window', id: 'b', limit: 200, periodSeconds: 60, units: pick(12) },
        ];
        if (random() < 0.3) counters.push({ kind: 'window', id: 'a', limit: 40, periodSeconds: 10, units: pick(3) });
        const [fromMemory, fromRedis] = [await memory.charge(counters), await shared.charge(counters)];
        expect({ i, ...verdict(fromRedis) }).toEqual({ i, ...verdict(fromMemory) });
        // Half the refunds give back all of the newest charge: a newest slot left empty must move 'n' back.
        const whole = random() < 0.5;
        if (fromMemory.admitted) tickets.push([fromMemory, fromRedis, counters.map((c) => (whole ? c.units : pick(c.units + 1)))]);
        if (tickets.length && random() < 0.4) {
          const [m, r, units] = tickets.splice(whole ? tickets.length - 1 : pick(tickets.length), 1)[0];
          memory.refund(m.ticket, units);
          shared.refund(r.ticket, units);
        }
      }
      // The bookkeeping of every window hash: 't' the sum of the slots, 'n' the newest, no slot below 'o', and a time to live.
      const keys = await redis.keys(`${prefix}w:*`);
      expect(keys.length).toBeGreaterThan(0);
      for (const key of keys) {
        const hash = await redis.hgetall(key);
        const slots = Object.entries(hash)
          .filter(([field]) => /^\d+$/.test(field))
          .map(([field, units]) => [Number(field), Number(units)]);
        expect(slots.every(([, units]) => units > 0)).toBe(true);
        expect(Number(hash.t)).toBe(slots.reduce((sum, [, units]) => sum + units, 0));
        expect(Number(hash.n)).toBe(Math.max(...slots.map(([slot]) => slot)));
        expect(slots.every(([slot]) => slot >= Number(hash.o))).toBe(true);
        // It expires: a window's key outlives its slots, not forever.
        expect(await redis.pttl(key)).toBeGreaterThan(0);
      }
    } finally {
      memory.stop();
      shared.stop();
    }
  });
});
