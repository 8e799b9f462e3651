import type { Redis } from 'ioredis';
import { BudgetStore } from '../../src/budgets/budget-store';
import type { Counter } from '../../src/budgets/budget-types';
import { connect, deleteKeys, testPrefix } from './budget-redis';
import { until } from '../support/wait';

/** A clock the test moves: the start of a minute, so 59 s and 61 s fall where the names say. */
class Clock {
  ms = Math.floor(Date.now() / 60_000) * 60_000;
  readonly start = this.ms;
  at(seconds: number): void {
    this.ms = this.start + seconds * 1000;
  }
}

const window = (id: string, limit: number, units: number, periodSeconds = 60): Counter => ({ kind: 'window', id, limit, periodSeconds, units });
const balance = (id: string, units: number, initial?: number): Counter => ({ kind: 'balance', id, units, initial });

const redisUrl = process.env.REDIS_URL;
if (!redisUrl) console.warn('[keygate tests] SKIPPED budget store against Redis: REDIS_URL is not set');
const modes: Array<'memory' | 'redis'> = redisUrl ? ['memory', 'redis'] : ['memory'];

describe.each(modes)('BudgetStore (%s)', (mode) => {
  let redis: Redis | undefined;
  let prefix: string;
  const stores: BudgetStore[] = [];
  const clock = new Clock();

  const newStore = () => {
    const store = new BudgetStore({ redis, timeoutMs: 1000, keyPrefix: prefix, now: () => clock.ms });
    stores.push(store);
    return store;
  };

  beforeAll(async () => {
    if (mode === 'redis') redis = await connect(redisUrl!);
  });
  beforeEach(() => {
    prefix = testPrefix();
  });
  afterEach(async () => {
    stores.splice(0).forEach((s) => s.stop());
    if (redis) await deleteKeys(redis, prefix);
  });
  afterAll(() => redis?.disconnect());

  it('lets no double burst through a window edge: N at 59 s and N at 61 s do not both pass', async () => {
    const store = newStore();
    // A fixed window opened by the first unit (at 0 s) would start afresh at 60 s and let 9 + 10 through in 2 s.
    clock.at(0);
    expect((await store.charge([window('edge', 10, 1)])).admitted).toBe(true);
    clock.at(59);
    expect((await store.charge([window('edge', 10, 9)])).admitted).toBe(true);
    clock.at(61);
    const refused = await store.charge([window('edge', 10, 10)]);
    expect(refused).toMatchObject({ admitted: false, refusedIndex: 0, states: [{ remaining: 1 }] });
    // The 59th-second slot leaves the window at 120 s (one slot later than an exact sliding window would).
    expect(refused.retryAfterSeconds).toBe(59);
    clock.at(119.5);
    expect((await store.charge([window('edge', 10, 2)])).admitted).toBe(false);
    clock.at(120);
    expect((await store.charge([window('edge', 10, 10)])).admitted).toBe(true);
  });

  it("decides the requests of one event-loop turn together, at the turn's end, in the order they came", async () => {
    const store = newStore();
    clock.at(10);
    const asked = [store.charge([window('turn', 2, 1)]), store.charge([window('turn', 2, 1)]), store.charge([window('turn', 2, 1)])];
    // Still in the same turn: the charges are decided after it, at the time it ends.
    clock.at(30);
    const answers = await Promise.all(asked);
    expect(answers.map((a) => a.admitted)).toEqual([true, true, false]);
    expect(answers[0].ticket.entries[0].slot).toBe(Math.floor(clock.ms / 1000));
    // The units were counted at 30 s: they leave the window 61 one-second slots later.
    expect(answers[2].retryAfterSeconds).toBe(61);
  });

  it("takes a request's counters as they are when it is asked, though it is decided at the turn's end", async () => {
    const store = newStore();
    clock.at(10);
    const list: Counter[] = [window('asked', 10, 1)];
    const first = store.charge(list);
    // The caller reuses its array for the next request of the turn.
    list[0] = window('asked', 10, 5);
    const second = store.charge(list);
    const answers = await Promise.all([first, second]);
    expect(answers.map((a) => a.ticket.entries[0].units)).toEqual([1, 5]);
    expect(answers.map((a) => a.states[0].remaining)).toEqual([9, 4]);
  });

  it('never lets more than N units through in any span of one period (random charges, 1 s period)', async () => {
    const store = newStore();
    const admitted: Array<{ t: number; units: number }> = [];
    let seed = 7;
    const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    for (let i = 0; i < 400; i++) {
      clock.ms += Math.floor(random() * 40);
      const units = 1 + Math.floor(random() * 6);
      if ((await store.charge([window('span', 20, units, 1)])).admitted) admitted.push({ t: clock.ms, units });
    }
    let worst = 0;
    for (const first of admitted) {
      const inSpan = admitted.filter((a) => a.t >= first.t && a.t <= first.t + 1000).reduce((sum, a) => sum + a.units, 0);
      worst = Math.max(worst, inSpan);
    }
    expect(worst).toBeLessThanOrEqual(20);
    // Not refusing everything: at least 18 of 20 (at most 1/60 of N refused early, plus whole charges that no longer fit).
    expect(worst).toBeGreaterThanOrEqual(15);
    expect(admitted.length).toBeGreaterThan(50);
  });

  it('charges all or nothing: one counter that cannot hold its units leaves every other untouched', async () => {
    const store = newStore();
    await store.setBalance('credits', 3);
    const counters = [window('key', 100, 5), window('parent', 100, 5), window('owner', 4, 5), balance('credits', 2)];
    const refused = await store.charge(counters);
    expect(refused).toMatchObject({ admitted: false, refusedIndex: 2 });
    expect(refused.retryAfterSeconds).toBe(60);
    const poorer = await store.charge([window('key', 100, 5), balance('credits', 5)]);
    expect(poorer).toMatchObject({ admitted: false, refusedIndex: 1 });
    expect(poorer.retryAfterSeconds).toBeUndefined();
    const after = await store.peek([window('key', 100, 0), window('parent', 100, 0), window('owner', 4, 0), balance('credits', 0)]);
    expect(after.states.map((s) => s.remaining)).toEqual([100, 100, 4, 3]);
    const fits = await store.charge([window('key', 100, 5), window('parent', 100, 5), window('owner', 4, 4), balance('credits', 3)]);
    expect(fits.admitted).toBe(true);
    expect(fits.states.map((s) => s.remaining)).toEqual([95, 95, 0, 0]);
    expect(fits.states[0].resetSeconds).toBe(61);
  });

  it('peeks without charging, and a charge of 0 units only reads', async () => {
    const store = newStore();
    await store.charge([window('p', 10, 4)]);
    for (let i = 0; i < 3; i++) expect((await store.peek([window('p', 10, 6)])).states[0].remaining).toBe(6);
    expect((await store.peek([window('p', 10, 7)])).admitted).toBe(false);
    expect((await store.charge([window('p', 10, 0)])).states[0].remaining).toBe(6);
    expect((await store.charge([window('p', 10, 6)])).admitted).toBe(true);
  });

  it('gives back what refund() returns, to windows and balances', async () => {
    const store = newStore();
    const charged = await store.charge([window('r', 1000, 800), balance('rc', 50, 100)]);
    expect(charged.states.map((s) => s.remaining)).toEqual([200, 50]);
    store.refund(charged.ticket, [790, 20]);
    await until('the refund is applied', async () => {
      const now = await store.peek([window('r', 1000, 0), balance('rc', 0)]);
      return now.states[0].remaining === 990 && now.states[1].remaining === 70;
    });
    // Never more than was charged.
    store.refund(charged.ticket, [1e6, 0]);
    await until('the second refund is applied', async () => (await store.peek([window('r', 1000, 0)])).states[0].remaining === 1000);
    expect((await store.charge([window('r', 1000, 1001)])).admitted).toBe(false);
  });

  it('reports a balance with no value and no initial as missing, charging nothing, and starts one from initial', async () => {
    const store = newStore();
    const unknown = await store.charge([window('m', 10, 3), balance('fresh', 5)]);
    expect(unknown).toMatchObject({ admitted: false, missing: [1] });
    expect(unknown.refusedIndex).toBeUndefined();
    expect((await store.peek([window('m', 10, 0)])).states[0].remaining).toBe(10);
    const loaded = await store.charge([window('m', 10, 3), balance('fresh', 5, 12)]);
    expect(loaded).toMatchObject({ admitted: true, states: [{ remaining: 7 }, { remaining: 7 }] });
    // The stored value wins over a later initial.
    expect((await store.peek([balance('fresh', 0, 1000)])).states[0].remaining).toBe(7);
    await store.dropBalance('fresh');
    expect((await store.peek([balance('fresh', 0)])).missing).toEqual([0]);
    await store.setBalance('fresh', 2);
    expect((await store.charge([balance('fresh', 3)])).admitted).toBe(false);
  });

  it('counts a counter listed twice in one request once for each', async () => {
    const store = newStore();
    expect((await store.charge([window('twice', 10, 6), window('twice', 10, 6)])).admitted).toBe(false);
    expect((await store.charge([window('twice', 10, 5), window('twice', 10, 5)])).admitted).toBe(true);
    expect((await store.peek([window('twice', 10, 0)])).states[0].remaining).toBe(0);
  });

  it('takes periods from 1 s to a day, and large units, and refuses malformed counters with a clear error', async () => {
    const store = newStore();
    expect((await store.charge([window('day', 1e9, 999_999_999, 86_400)])).states[0].remaining).toBe(1);
    // Slots of a day's window are 24 minutes: the units leave it 61 slots after the one they were charged in.
    const retry = (await store.charge([window('day', 1e9, 2, 86_400)])).retryAfterSeconds!;
    expect(retry).toBeGreaterThanOrEqual(86_400);
    expect(retry).toBeLessThanOrEqual(86_400 + 1_440);
    await expect(store.charge([window('bad', 10, 1, 86_401)])).rejects.toThrow(RangeError);
    await expect(store.charge([window('bad', 10, 1.5)])).rejects.toThrow('units must be an integer');
    await expect(store.charge([window('bad', 10, -1)])).rejects.toThrow(RangeError);
  });
});
