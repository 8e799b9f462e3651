import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Redis } from 'ioredis';
import { BudgetStore } from '../../src/budgets/budget-store';
import type { Counter } from '../../src/budgets/budget-types';
import { createRequestListener } from '../../src/http/request-listener';
import { Playground } from '../../src/http/playground/playground';
import { createLogger } from '../../src/logging/logger';
import { Metrics } from '../../src/metrics/metrics';
import { connect, OwnRedis } from './budget-redis';
import { until } from '../support/wait';

const limit10 = (units: number): Counter => ({ kind: 'window', id: 'key', limit: 10, periodSeconds: 60, units });
const TIMEOUT_MS = 50;

/** Each test gets its own redis-server, so freezing or restarting it disturbs no one else. */
describe('BudgetStore when Redis is frozen or restarts', () => {
  let own: OwnRedis | undefined;
  const cleanups: Array<() => unknown> = [];
  beforeEach(async () => {
    own = await OwnRedis.start();
    if (!own) console.warn('[keygate tests] SKIPPED budget faults: no redis-server to start');
  });
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    await own?.stop();
  });

  async function instance(onFallback?: () => void): Promise<{ store: BudgetStore; redis: Redis }> {
    const redis = await connect(own!.url);
    const store = new BudgetStore({ redis, timeoutMs: TIMEOUT_MS, onFallback, probeIntervalMs: 100 });
    cleanups.push(
      () => redis.disconnect(),
      () => store.stop(),
    );
    return { store, redis };
  }

  it('a frozen Redis costs a charge about REDIS_TIMEOUT_MS once, then none; what was counted meanwhile reaches Redis when it thaws', async () => {
    if (!own) return;
    let fallbacks = 0;
    const { store: a } = await instance(() => fallbacks++);
    const { store: b } = await instance();
    expect((await a.charge([limit10(3)])).admitted).toBe(true);
    expect(fallbacks).toBe(0);

    own.freeze();
    cleanups.push(() => own?.thaw());
    const started = performance.now();
    const first = await a.charge([limit10(2)]);
    const firstMs = performance.now() - started;
    expect(first.admitted).toBe(true);
    expect(fallbacks).toBe(1);
    expect(a.degraded).toBe(true);
    expect(firstMs).toBeLessThan(1000);
    // Known to be down: later charges do not wait for it (four waits would take 4 x REDIS_TIMEOUT_MS at least).
    const later = performance.now();
    for (const units of [1, 1, 0, 0]) expect((await a.charge([limit10(units)])).admitted).toBe(true);
    expect(performance.now() - later).toBeLessThan(4 * TIMEOUT_MS);
    expect(fallbacks).toBe(5);
    // This instance still counts everything it charged (3 through Redis, 4 in memory).
    expect((await a.peek([limit10(0)])).states[0].remaining).toBe(3);

    own.thaw();
    await until('the instance uses Redis again', () => !a.degraded);
    // Redis got the 4 units counted in memory and nothing twice (the frozen charge, answered late, is given back).
    await until('another instance sees 7 units spent', async () => (await b.peek([limit10(0)])).states[0].remaining === 3);
    expect((await b.charge([limit10(4)])).admitted).toBe(false);
    expect((await b.charge([limit10(3)])).admitted).toBe(true);
  });

  it('a Redis busy for a moment (answering after REDIS_TIMEOUT_MS) is used again as soon as its late answer comes, not after a probe interval', async () => {
    if (!own) return;
    const redis = await connect(own.url);
    // A probe interval longer than the test: only the late answer can bring the store back.
    const store = new BudgetStore({ redis, timeoutMs: TIMEOUT_MS, probeIntervalMs: 600_000 });
    cleanups.push(
      () => redis.disconnect(),
      () => store.stop(),
    );
    await until('the store uses Redis', () => !store.degraded);
    expect((await store.charge([limit10(3)])).admitted).toBe(true);
    own.freeze();
    cleanups.push(() => own?.thaw());
    expect((await store.charge([limit10(2)])).admitted).toBe(true);
    expect(store.degraded).toBe(true);
    own.thaw();
    await until('the store uses Redis again', () => !store.degraded, 5_000);
    // Redis holds both charges once: the late one was given back, the one counted in memory synced.
    await until('Redis holds 5 units', async () => (await store.peek([limit10(0)])).states[0].remaining === 5);
    const other = new BudgetStore({ redis, timeoutMs: 1000 });
    cleanups.push(() => other.stop());
    await until('a second store uses Redis', () => !other.degraded);
    expect((await other.peek([limit10(0)])).states[0].remaining).toBe(5);
  });

  it('a Redis that restarts empty forgives nothing: each instance merges back what it charged', async () => {
    if (!own) return;
    const { store: a } = await instance();
    const { store: b } = await instance();
    expect((await a.charge([limit10(6)])).admitted).toBe(true);
    await own.stop();
    // While Redis is gone, A counts alone, and remembers.
    expect((await a.charge([limit10(4)])).admitted).toBe(true);
    expect(a.degraded).toBe(true);
    expect((await a.charge([limit10(1)])).admitted).toBe(false);

    await own.restart();
    await until('A is back on Redis', () => !a.degraded);
    await until('B is back on Redis', () => !b.degraded);
    const seen = await b.peek([limit10(0)]);
    expect(seen.states[0].remaining).toBe(0);
    expect((await b.charge([limit10(1)])).admitted).toBe(false);
    expect((await a.charge([limit10(1)])).admitted).toBe(false);
  });

  it('/readyz stays 200 but says degraded while Redis is away, and ok once it is back', async () => {
    if (!own) return;
    const { store } = await instance();
    const server = http.createServer(
      createRequestListener({
        graphql: async () => undefined,
        playground: new Playground('/graphql', false),
        isReady: async () => true,
        isDegraded: () => store.degraded,
        metrics: new Metrics(),
        logger: createLogger('silent'),
      }),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => server.close(resolve)));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/readyz`;
    const readyz = async () => {
      const res = await fetch(url);
      return { status: res.status, body: (await res.json()) as unknown };
    };
    expect(await readyz()).toEqual({ status: 200, body: { status: 'ok' } });

    own!.freeze();
    cleanups.push(() => own?.thaw());
    await store.charge([limit10(1)]);
    expect(await readyz()).toEqual({ status: 200, body: { status: 'degraded', redis: 'unavailable' } });

    own!.thaw();
    await until('the store is back on Redis', () => !store.degraded);
    expect(await readyz()).toEqual({ status: 200, body: { status: 'ok' } });
  });
});
