import { sharedRedisUrl } from '../support/redis';
import { startTestApp, type TestApp } from '../support/test-app';
import { createKey, remaining, until } from './budget-http';

const redisUrl = sharedRedisUrl('an owner budget shared by the owner’s keys on two instances');
const describeWithRedis = redisUrl ? describe : describe.skip;

const UPDATE_USER = `mutation($id: ID!, $i: UpdateUserInput!) { updateUser(id: $id, input: $i) { id limits { name unit limit periodSeconds } } }`;
const team = (limit: number) => [{ name: 'team', unit: 'REQUESTS', limit, periodSeconds: 60 }];

describeWithRedis('an owner budget (User.limits) shared by all of the owner’s keys', () => {
  let a: TestApp;
  let b: TestApp;
  let admin: { token: string };

  beforeAll(async () => {
    a = await startTestApp({ env: { REDIS_URL: redisUrl!, REDIS_TIMEOUT_MS: '2000' } });
    b = await startTestApp({ db: a.db, env: { REDIS_URL: redisUrl!, REDIS_TIMEOUT_MS: '2000' } });
    admin = await a.login();
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  it('admits exactly the owner’s 6 requests over 3 keys and 2 instances, refusing the rest as RATE_LIMITED by USER', async () => {
    const owner = await a.member('team');
    const keys = [await createKey(a, owner, { name: 'k1' }), await createKey(a, owner, { name: 'k2' }), await createKey(a, owner, { name: 'k3' })];
    const set = await a.gql(UPDATE_USER, { id: owner.userId, i: { limits: team(6) } }, admin);
    expect(set.errors).toBeUndefined();
    expect(set.data.updateUser.limits).toEqual([{ name: 'team', unit: 'REQUESTS', limit: 6, periodSeconds: 60 }]);
    for (const t of [a, b]) await until('the instance sees the owner’s limit', async () => (await remaining(t, keys[2].key))['user.team'] === 6);

    const sent = Array.from({ length: 18 }, (_, i) => ({ t: i % 2 ? a : b, key: keys[i % 3].key }));
    const results = await Promise.all(sent.map((s) => s.t.gql('{ viewer { id } }', {}, { key: s.key })));
    expect(results.filter((r) => r.status === 200 && r.data?.viewer)).toHaveLength(6);
    const refused = results.filter((r) => r.status === 429);
    expect(refused).toHaveLength(12);
    for (const r of refused) expect(r.errors![0].extensions).toMatchObject({ code: 'RATE_LIMITED', limit: 'team', limitOf: 'USER' });
    for (const t of [a, b]) for (const k of keys) expect((await remaining(t, k.key))['user.team']).toBe(0);
  });

  it('lets a user tighten but not loosen their own limits (FORBIDDEN), and an admin loosen them', async () => {
    const email = `second-admin-${Date.now()}@example.com`;
    const created = await a.gql(
      `mutation($i: CreateUserInput!) { createUser(input: $i) { id } }`,
      { i: { email, password: 'second-admin-password', role: 'ADMIN' } },
      admin,
    );
    expect(created.errors).toBeUndefined();
    const id = created.data.createUser.id;
    expect((await a.gql(UPDATE_USER, { id, i: { limits: team(10) } }, admin)).errors).toBeUndefined();
    // Holding write:users is not enough to raise one's own budget.
    const self = await a.login(email, 'second-admin-password');
    const loosened = await a.gql(UPDATE_USER, { id, i: { limits: team(100) } }, { token: self.token });
    expect(loosened.code).toBe('FORBIDDEN');
    const removed = await a.gql(UPDATE_USER, { id, i: { limits: [] } }, { token: self.token });
    expect(removed.code).toBe('FORBIDDEN');
    const tightened = await a.gql(UPDATE_USER, { id, i: { limits: team(5) } }, { token: self.token });
    expect(tightened.errors).toBeUndefined();
    expect(tightened.data.updateUser.limits[0].limit).toBe(5);
    // A member cannot touch their own at all; an admin raises another user's.
    const member = await a.member('self');
    expect((await a.gql(UPDATE_USER, { id: member.userId, i: { limits: team(100) } }, member)).code).toBe('FORBIDDEN');
    const raised = await a.gql(UPDATE_USER, { id, i: { limits: team(100) } }, admin);
    expect(raised.errors).toBeUndefined();
    expect(raised.data.updateUser.limits[0].limit).toBe(100);
  });
});
