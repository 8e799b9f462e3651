import { DELETE_KEY, REVOKE_KEY, UPDATE_KEY, VIEWER } from '../support/documents';
import { issueKey, type TestApp } from '../support/test-app';
import { useTwoInstances } from '../support/two-instances';
import { found, until } from '../support/wait';

/** Two instances on one database: a change on one is honoured by the other within a second. */
describe('cache invalidation across instances', () => {
  const two = useTwoInstances();
  let a: TestApp;
  let b: TestApp;
  let admin: { token: string; userId: string };
  beforeAll(() => ({ a, b, admin } = two));

  async function refusedWithin(t: TestApp, key: string, ms: number): Promise<{ elapsed: number; reason?: string }> {
    const started = performance.now();
    const res = await found(
      `the key refused within ${ms} ms`,
      async () => {
        const answer = await t.gql(VIEWER, {}, { key });
        return answer.status === 401 ? answer : undefined;
      },
      ms,
    );
    return { elapsed: performance.now() - started, reason: res.errors?.[0].extensions?.reason };
  }

  it('refuses on B a key revoked on A within 1 second', async () => {
    const { key, id } = await issueKey(a, admin, { scopes: ['read:users'], rateLimitPerMinute: 10_000 });
    // Warm B's cache so the refusal cannot come from a cache miss.
    for (let i = 0; i < 3; i++) expect((await b.gql(VIEWER, {}, { key })).status).toBe(200);
    b.takeQueries();
    await a.gql(REVOKE_KEY, { id }, admin);
    const outcome = await refusedWithin(b, key, 1000);
    expect(outcome.reason).toBe('KEY_REVOKED');
    expect(outcome.elapsed).toBeLessThan(1000);
  });

  it('refuses on B a key deleted on A, and applies a scope change made on A', async () => {
    const deleted = await issueKey(a, admin, { scopes: ['read:users'], rateLimitPerMinute: 10_000 });
    const changed = await issueKey(a, admin, { scopes: ['read:users', 'read:audit'], rateLimitPerMinute: 10_000 });
    await b.gql(VIEWER, {}, { key: deleted.key });
    await b.gql(VIEWER, {}, { key: changed.key });
    await a.gql(DELETE_KEY, { id: deleted.id }, admin);
    await a.gql(UPDATE_KEY, { id: changed.id, i: { scopes: ['read:audit'] } }, admin);
    expect((await refusedWithin(b, deleted.key, 1000)).reason).toBe('KEY_INVALID');
    let scopes: string[] = [];
    await until(
      'B applies the scope change within 1 second',
      async () => (scopes = (await b.gql(VIEWER, {}, { key: changed.key })).data.viewer.scopes).length === 1,
      1000,
    );
    expect(scopes).toEqual(['read:audit']);
  });

  it('refuses on B the keys of a user deleted on A', async () => {
    const member = await a.member('leaver');
    const { key } = await issueKey(a, member, { scopes: ['read:clientkeys'], rateLimitPerMinute: 10_000 });
    expect((await b.gql(VIEWER, {}, { key })).status).toBe(200);
    await a.gql(`mutation($id: ID!) { deleteUser(id: $id) }`, { id: member.userId }, admin);
    expect((await refusedWithin(b, key, 1000)).reason).toBe('KEY_INVALID');
  });
});
