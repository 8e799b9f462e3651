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

  /** A memory store and a Redis store on one clock, the second known to Redis; both stopped after `use`. */
  const bothStores = async (use: (memory: BudgetStore, shared: BudgetStore) => Promise<void>, now?: () => number) => {
    const memory = new BudgetStore({ timeoutMs: 1000, now });
    const shared = new BudgetStore({ redis, timeoutMs: 1000, keyPrefix: prefix, now });
    try {
      await until('Redis knows the store', () => !shared.degraded);
      await use(memory, shared);
    } finally {
      memory.stop();
      shared.stop();
    }
  };

  it.each([3, 11, 29, 47, 83])('gives the same verdicts as the memory store (seed %i)', async (start) => {
    let ms = Math.floor(Date.now() / 60_000) * 60_000;
    const now = () => ms;
    await bothStores(async (memory, shared) => {
      let seed = start;
      const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
      const pick = (n: number) => Math.floor(random() * n);
      const tickets: Array<[Admission, Admission, number[]]> = [];
      for (let i = 0; i < 300; i++) {
        const jump = random();
        ms += jump < 0.7 ? pick(400) : jump < 0.95 ? pick(8_000) : pick(200_000);
        // 'a' and 'b' have a hash each; the payer 'p' keeps two windows and its credits in one hash.
        const counters = (): Counter[] => {
          const list: Counter[] = [
            { kind: 'window', id: 'a', limit: 40, periodSeconds: 10, units: pick(6) },
            { kind: 'window', id: 'b', limit: 200, periodSeconds: 60, units: pick(12) },
            { kind: 'window', id: 'p|short', limit: 30, periodSeconds: 10, units: pick(5) },
            { kind: 'window', id: 'p|long', limit: 150, periodSeconds: 60, units: pick(9) },
            { kind: 'balance', id: 'p|credits', units: pick(4), initial: 400 },
          ];
          if (random() < 0.3) list.push({ kind: 'window', id: 'a', limit: 40, periodSeconds: 10, units: pick(3) });
          if (random() < 0.3) list.push({ kind: 'window', id: 'p|short', limit: 30, periodSeconds: 10, units: pick(3) });
          return list;
        };
        // Charges asked together go to Redis in one script call, decided in turn: as the memory store decides them.
        const asked = Array.from({ length: 1 + pick(3) }, counters);
        // Requests of the same shape are sent once per call (one charge's counters and units): the same again, and a peek of it.
        if (random() < 0.4) asked.push(asked[0].map((c) => ({ ...c })));
        // A busy key's run: the same request again and again, decided as one by Redis when all of it fits.
        if (random() < 0.3) asked.push(...Array.from({ length: 2 + pick(6) }, () => asked[asked.length - 1].map((c) => ({ ...c }))));
        const peekAt = random() < 0.3 ? pick(asked.length + 1) : -1;
        const ask = (store: BudgetStore) => {
          const answers = asked.map((c) => store.charge(c));
          if (peekAt >= 0) answers.splice(peekAt, 0, store.peek(asked[0]));
          return Promise.all(answers);
        };
        const [fromMemory, fromRedis] = [await ask(memory), await ask(shared)];
        expect({ i, verdicts: fromRedis.map(verdict) }).toEqual({ i, verdicts: fromMemory.map(verdict) });
        if (peekAt >= 0) {
          expect(fromRedis[peekAt].ticket.entries).toHaveLength(0);
          fromMemory.splice(peekAt, 1);
          fromRedis.splice(peekAt, 1);
        }
        // Half the refunds give back all of the newest charge: a newest slot left empty must move 'n' back.
        const whole = random() < 0.5;
        asked.forEach((c, j) => {
          if (fromMemory[j].admitted) tickets.push([fromMemory[j], fromRedis[j], c.map((x) => (whole ? x.units : pick(x.units + 1)))]);
        });
        if (tickets.length && random() < 0.4) {
          const [m, r, units] = tickets.splice(whole ? tickets.length - 1 : pick(tickets.length), 1)[0];
          memory.refund(m.ticket, units);
          shared.refund(r.ticket, units);
        }
      }
      // The bookkeeping of every window: 't' the sum of its slots, 'n' the newest, no slot below 'o'; and every hash expires.
      const keys = (await redis.keys(`${prefix}*`)).filter((key) => key.startsWith(`${prefix}w:`) || key.startsWith(`${prefix}p:`));
      expect(keys.some((key) => key.startsWith(`${prefix}p:`))).toBe(true);
      let windows = 0;
      for (const key of keys) {
        const hash = await redis.hgetall(key);
        for (const base of Object.keys(hash)
          .filter((field) => field.endsWith('t'))
          .map((field) => field.slice(0, -1))) {
          windows++;
          const slots = Object.entries(hash)
            .filter(([field]) => field.startsWith(base) && /^\d+$/.test(field.slice(base.length)))
            .map(([field, units]) => [Number(field.slice(base.length)), Number(units)]);
          expect(slots.every(([, units]) => units > 0)).toBe(true);
          expect(Number(hash[`${base}t`])).toBe(slots.reduce((sum, [, units]) => sum + units, 0));
          expect(Number(hash[`${base}n`])).toBe(Math.max(...slots.map(([slot]) => slot)));
          expect(slots.every(([slot]) => slot >= Number(hash[`${base}o`]))).toBe(true);
        }
        // It expires: a hash outlives the slots and credits it holds, not forever.
        expect(await redis.pttl(key)).toBeGreaterThan(0);
      }
      expect(windows).toBeGreaterThan(0);
    }, now);
  });

  it('decides a run of requests of one shape in turn, as the memory store does: all of them fitting, and only some', async () => {
    let ms = Math.floor(Date.now() / 60_000) * 60_000;
    const now = () => ms;
    await bothStores(async (memory, shared) => {
      // One payer's two windows and its credits, and a window of its own: a busy key's requests, all alike.
      const shape = (units: number): Counter[] => [
        { kind: 'window', id: 'k|short', limit: 50, periodSeconds: 10, units },
        { kind: 'window', id: 'k|long', limit: 200, periodSeconds: 60, units: 1 },
        { kind: 'balance', id: 'k|credits', units, initial: 120 },
        { kind: 'window', id: 'parent', limit: 1000, periodSeconds: 60, units: 0 },
      ];
      const turn = (store: BudgetStore, count: number, units: number, peekAt = -1) =>
        Promise.all(Array.from({ length: count }, (_, j) => (j === peekAt ? store.peek(shape(units)) : store.charge(shape(units)))));
      // [requests in one turn, units each, a peek among them at, ms to the next turn]
      const turns: Array<[number, number, number, number]> = [
        [8, 3, -1, 1_500],
        [12, 2, 5, 2_000],
        // 50 per 10 s: the first few fit, the rest are refused with the slot they would fit from.
        [20, 4, -1, 3_000],
        [6, 1, 0, 9_000],
        // Credits run short before the windows do.
        [30, 5, -1, 0],
      ];
      for (const [count, units, peekAt, step] of turns) {
        const fromMemory = await turn(memory, count, units, peekAt);
        const fromRedis = await turn(shared, count, units, peekAt);
        expect(fromRedis.map(verdict)).toEqual(fromMemory.map(verdict));
        ms += step;
      }
      // Some were refused, so the run was decided one by one as well as whole.
      expect((await turn(shared, 3, 5)).map((a) => a.admitted)).toEqual([false, false, false]);
    }, now);
  });

  it('agrees with the memory store past 2^53: a window refund near its limit, and a balance a refund put above it', async () => {
    await bothStores(async (memory, shared) => {
      const MAX = Number.MAX_SAFE_INTEGER;
      const big: Counter[] = [{ kind: 'window', id: 'p|big', limit: MAX, periodSeconds: 60, units: 2 ** 52 + 2 ** 51 + 1 }];
      const credits = (units: number): Counter[] => [{ kind: 'balance', id: 'p|credits', units }];
      const peekBoth = async (counters: Counter[]) => [(await memory.peek(counters)).states, (await shared.peek(counters)).states];
      const agree = async (what: string, counters: Counter[]) => {
        // A refund is sent in the background: Redis has it once its answer matches (or never, and the wait fails).
        await until(what, async () => {
          const [fromMemory, fromRedis] = await peekBoth(counters);
          return JSON.stringify(fromMemory) === JSON.stringify(fromRedis);
        });
      };
      // The window's total plus the slot's units would pass 2^53 if added before the refund is taken off.
      const charged = await Promise.all([memory.charge(big), shared.charge(big)]);
      memory.refund(charged[0].ticket, [1]);
      shared.refund(charged[1].ticket, [1]);
      await agree('Redis counts the window refund exactly', [{ ...big[0], units: 0 }]);
      // A charge of 3, the balance then set to MAX_SAFE_INTEGER (a top-up), then the 3 given back: 2^53 + 2.
      await Promise.all([memory.setBalance('p|credits', 100), shared.setBalance('p|credits', 100)]);
      const spent = await Promise.all([memory.charge(credits(3)), shared.charge(credits(3))]);
      await Promise.all([memory.setBalance('p|credits', MAX), shared.setBalance('p|credits', MAX)]);
      memory.refund(spent[0].ticket, [3]);
      shared.refund(spent[1].ticket, [3]);
      await agree('Redis has the refund', credits(0));
      // A run of two charges of 1 from above 2^53: decided one by one, as the memory store does.
      const [fromMemory, fromRedis] = [
        await Promise.all([memory.charge(credits(1)), memory.charge(credits(1))]),
        await Promise.all([shared.charge(credits(1)), shared.charge(credits(1))]),
      ];
      expect(fromRedis.map(verdict)).toEqual(fromMemory.map(verdict));
      const [left, leftInRedis] = await peekBoth(credits(0));
      expect(leftInRedis).toEqual(left);
    });
  });

  it('keeps a balance started from its initial only when charged, not when peeked, in both stores', async () => {
    await bothStores(async (memory, shared) => {
      const credits = (units: number, initial: number): Counter[] => [{ kind: 'balance', id: 'p|credits', units, initial }];
      const both = async (ask: (store: BudgetStore) => Promise<Admission>) => [verdict(await ask(memory)), verdict(await ask(shared))];
      // A peek reads 10 and keeps nothing: the charge then starts from its own initial (20) and fits.
      const [peekedInMemory, peekedInRedis] = await both((store) => store.peek(credits(1, 10)));
      expect(peekedInRedis).toEqual(peekedInMemory);
      const [fromMemory, fromRedis] = await both((store) => store.charge(credits(15, 20)));
      expect(fromRedis).toEqual(fromMemory);
      expect(fromMemory).toMatchObject({ admitted: true, states: [{ remaining: 5 }] });
      // In one turn, a peek and then a charge of 0 (both initial 10): the charge keeps 10, whatever the peek read before it.
      const other = (units: number, initial: number): Counter[] => [{ kind: 'balance', id: 'q|credits', units, initial }];
      const turn = async (store: BudgetStore) => (await Promise.all([store.peek(other(1, 10)), store.charge(other(0, 10))])).map(verdict);
      expect(await turn(shared)).toEqual(await turn(memory));
      const [laterInMemory, laterInRedis] = await both((store) => store.charge(other(15, 20)));
      expect(laterInRedis).toEqual(laterInMemory);
      expect(laterInMemory).toMatchObject({ admitted: false, states: [{ remaining: 10 }] });
    });
  });

  it('tells a request refused in a batch when it fits, counting what the batch charged before it', async () => {
    let ms = Math.floor(Date.now() / 60_000) * 60_000;
    const now = () => ms;
    await bothStores(async (memory, shared) => {
      const limit = (units: number): Counter[] => [{ kind: 'window', id: 'p|w', limit: 10, periodSeconds: 60, units }];
      expect((await Promise.all([memory.charge(limit(4)), shared.charge(limit(4))])).map((a) => a.admitted)).toEqual([true, true]);
      ms += 5_000;
      // The second fits only once the slot the first just charged has left the window: 61 one-second slots from now.
      const fromMemory = await Promise.all([memory.charge(limit(5)), memory.charge(limit(6))]);
      const fromRedis = await Promise.all([shared.charge(limit(5)), shared.charge(limit(6))]);
      expect(fromMemory.map(verdict)).toEqual(fromRedis.map(verdict));
      expect(fromRedis[1]).toMatchObject({ admitted: false, retryAfterSeconds: 61 });
    }, now);
  });

  it("keeps one credit balance per payer: loading a new period's balance drops the older ones from the payer's hash", async () => {
    const store = new BudgetStore({ redis, timeoutMs: 1000, keyPrefix: prefix });
    try {
      await until('Redis knows the store', () => !store.degraded);
      const limit: Counter = { kind: 'window', id: 'k:payer|default', limit: 100, periodSeconds: 60, units: 1 };
      expect((await store.charge([limit, { kind: 'balance', id: 'k:payer|c:1', units: 1, initial: 50 }])).admitted).toBe(true);
      expect((await store.charge([limit, { kind: 'balance', id: 'k:payer|c:2', units: 1, initial: 70 }])).admitted).toBe(true);
      const fields = await redis.hkeys(`${prefix}p:k:payer`);
      expect(fields.filter((f) => f.startsWith('b:'))).toEqual(['b:c:2']);
      expect(fields).toEqual(expect.arrayContaining(['60:default:t', '60:default:n', '60:default:o']));
    } finally {
      store.stop();
    }
  });

  it('answers every request of a turn too large for one script call (a long lineage each), and the process lives on', async () => {
    const store = new BudgetStore({ redis, timeoutMs: 5000, keyPrefix: prefix });
    try {
      await until('Redis knows the store', () => !store.degraded);
      // 64 requests, each paying into 80 payers' 11 limits and credits: about 60,000 counters in one turn.
      const request = (): Counter[] =>
        Array.from({ length: 80 }, (_, payer) => [
          ...Array.from({ length: 11 }, (_, n): Counter => ({ kind: 'window', id: `k:${payer}|l${n}`, limit: 1_000_000, periodSeconds: 60, units: 1 })),
          { kind: 'balance', id: `k:${payer}|c:0`, units: 1, initial: 1_000_000 } as Counter,
        ]).flat();
      const answers = await Promise.all(Array.from({ length: 64 }, () => store.charge(request())));
      expect(answers.every((a) => a.admitted)).toBe(true);
      // Every one was charged, once: 64 units in each limit.
      expect((await store.peek(request())).states.slice(0, 11).map((s) => s.remaining)).toEqual(Array(11).fill(1_000_000 - 64));
    } finally {
      store.stop();
    }
  }, 30_000);
});
