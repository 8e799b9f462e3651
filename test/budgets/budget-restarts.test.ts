import { startTestApp, type TestApp } from '../support/test-app';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { createKey, post, remaining, until } from './budget-http';
import { OwnRedis } from './budget-redis';

/** Estimated at 7 (the connection 1, nodes 1, 5 owners); actually 3 for an owner with one key. */
const LIST = '{ clientKeys(first: 5) { nodes { id owner { id } } } }';

describe('spent budgets survive a Redis restart and an app restart', () => {
  let own: OwnRedis | undefined;
  let db: TestDatabase;
  /** The app running now; a restart closes it and starts another on the same database. */
  let t: TestApp | undefined;

  beforeAll(async () => {
    db = await createTestDatabase();
    own = await OwnRedis.start();
    if (!own) console.warn('[keygate tests] SKIPPED budget restarts: no redis-server to start');
  });
  afterAll(async () => {
    await t?.close();
    await db.drop();
    await own?.stop();
  });

  it('forgives neither the spent window nor the spent credits', async () => {
    if (!own) return;
    const env = { REDIS_URL: own.url, REDIS_TIMEOUT_MS: '500' };
    t = await startTestApp({ db, env });
    const owner = await t.member('restarts');
    const caller = await createKey(t, owner, {
      name: 'spent',
      credits: { remaining: 100 },
      limits: [{ name: 'burst', unit: 'REQUESTS', limit: 3, periodSeconds: 3600 }],
    });
    for (let i = 0; i < 3; i++) expect((await post(t, LIST, {}, { key: caller.key })).errors).toBeUndefined();
    await until('the refunds are counted', async () => (await remaining(t!, caller.key)).credits === 91);
    expect(await remaining(t, caller.key)).toMatchObject({ burst: 0, credits: 91 });

    // Redis restarts empty (SIGKILL, no save), with the debits perhaps not yet in PostgreSQL.
    await own.restart();
    // At once (the instance may not have noticed yet, or may be on its own counts): still refused.
    const refused = await post(t, LIST, {}, { key: caller.key });
    expect(refused.status).toBe(429);
    expect(refused.errors![0].extensions).toMatchObject({ code: 'RATE_LIMITED', limit: 'burst', limitOf: 'KEY' });
    expect(await remaining(t, caller.key)).toMatchObject({ burst: 0, credits: 91 });
    // Once the instance is back on Redis, Redis holds what it had counted.
    const store = t.app.wiring.budgetStore;
    await until('the instance uses Redis again', async () => !store.degraded && (await remaining(t!, caller.key)).burst === 0);

    // The app restarts (a new process's state: nothing in memory) on the same database and Redis.
    const stopping = t;
    t = undefined;
    await stopping.close();
    t = await startTestApp({ db, env });
    expect(await remaining(t, caller.key)).toMatchObject({ burst: 0, credits: 91 });
    expect((await post(t, LIST, {}, { key: caller.key })).code).toBe('RATE_LIMITED');
  });

  it('an app restart right after a Redis restart forgives nothing: the instance hands Redis its counts as it stops', async () => {
    if (!own) return;
    const env = { REDIS_URL: own.url, REDIS_TIMEOUT_MS: '500' };
    t ??= await startTestApp({ db, env });
    const owner = await t.member('quick-restart');
    const caller = await createKey(t, owner, { name: 'spent', limits: [{ name: 'burst', unit: 'REQUESTS', limit: 3, periodSeconds: 3600 }] });
    for (let i = 0; i < 3; i++) expect((await post(t, '{ viewer { id } }', {}, { key: caller.key })).errors).toBeUndefined();
    await own.restart();
    // Refused on the instance's own counts (Redis is back empty, and not yet told them)...
    expect((await post(t, '{ viewer { id } }', {}, { key: caller.key })).code).toBe('RATE_LIMITED');
    // ...and the instance stops at once, before its background probe could sync.
    const stopping = t;
    t = undefined;
    await stopping.close();
    t = await startTestApp({ db, env });
    expect((await remaining(t, caller.key)).burst).toBe(0);
    expect((await post(t, '{ viewer { id } }', {}, { key: caller.key })).code).toBe('RATE_LIMITED');
  });
});
