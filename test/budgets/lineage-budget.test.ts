import { sharedRedisUrl } from '../support/redis';
import { startTestApp, type TestApp } from '../support/test-app';
import { createKey, remaining, until } from './budget-http';

const redisUrl = sharedRedisUrl('a lineage sharing its root key’s limit on two instances');
const describeWithRedis = redisUrl ? describe : describe.skip;

const LINEAGE = 100;
const ROOT_LIMIT = 50;

describeWithRedis('a lineage of 100 keys shares its root key’s limit, on two instances', () => {
  let a: TestApp;
  let b: TestApp;
  let owner: { token: string; userId: string };
  const keys: Array<{ key: string; id: string }> = [];

  beforeAll(async () => {
    // A generous REDIS_TIMEOUT_MS: 200 concurrent requests on a 2-core machine can make Redis answer later than
    // the default 50 ms, and then each instance falls back to its own counts (documented), which is not under test here.
    a = await startTestApp({ env: { REDIS_URL: redisUrl!, REDIS_TIMEOUT_MS: '5000' } });
    b = await startTestApp({ db: a.db, env: { REDIS_URL: redisUrl!, REDIS_TIMEOUT_MS: '5000' } });
    owner = await a.member('lineage');
    keys.push(await createKey(a, owner, { name: 'root' }));
    // Each key mints the next with its own secret: a chain 100 deep.
    for (let i = 1; i < LINEAGE; i++) keys.push(await createKey(a, { key: keys[i - 1].key }, { name: `gen-${i}` }));
    // The shared limit is added after minting, so its window starts empty.
    const updated = await a.gql(
      `mutation($id: ID!, $i: UpdateClientKeyInput!) { updateClientKey(id: $id, input: $i) { limits { name } } }`,
      { id: keys[0].id, i: { limits: [{ name: 'lineage', unit: 'REQUESTS', limit: ROOT_LIMIT, periodSeconds: 60 }] } },
      owner,
    );
    expect(updated.errors).toBeUndefined();
    const leaf = keys[LINEAGE - 1].key;
    for (const t of [a, b])
      await until('both instances see the root’s new limit', async () => (await remaining(t, leaf))[`parent${LINEAGE - 1}.lineage`] === ROOT_LIMIT);
  }, 120_000);
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  it('admits exactly the root’s 50 requests spread over all 100 keys and both instances, refusing the rest as RATE_LIMITED by PARENT_KEY', async () => {
    const viewer = '{ viewer { id } }';
    const sent = keys.flatMap((k, i) => [
      { t: i % 2 ? a : b, k, root: i === 0 },
      { t: i % 2 ? b : a, k, root: i === 0 },
    ]);
    const results = await Promise.all(sent.map(async (s) => ({ ...s, res: await s.t.gql(viewer, {}, { key: s.k.key }) })));
    const admitted = results.filter((r) => r.res.status === 200 && r.res.data?.viewer);
    const refused = results.filter((r) => r.res.code === 'RATE_LIMITED');
    expect(admitted).toHaveLength(ROOT_LIMIT);
    expect(refused).toHaveLength(sent.length - ROOT_LIMIT);
    for (const r of refused) {
      expect(r.res.status).toBe(429);
      expect(r.res.errors![0].extensions).toMatchObject({ limit: 'lineage', limitOf: r.root ? 'KEY' : 'PARENT_KEY' });
      expect(Number(r.res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    }
    // What the root and any descendant see now: nothing left, on either instance.
    expect((await remaining(a, keys[0].key)).lineage).toBe(0);
    expect((await remaining(b, keys[57].key))['parent57.lineage']).toBe(0);
  }, 60_000);
});
