import { CREATE_KEY, VIEWER } from '../support/documents';
import { issueKey, type TestApp } from '../support/test-app';
import { useTwoInstances } from '../support/two-instances';
import { timeUntil } from '../support/wait';

const UPDATE_USER = `mutation($id: ID!, $i: UpdateUserInput!) { updateUser(id: $id, input: $i) { id } }`;
const DELETE_USER = `mutation($id: ID!) { deleteUser(id: $id) }`;
const CREATE_USER = `mutation($i: CreateUserInput!) { createUser(input: $i) { id } }`;
const LOGIN = `mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }`;
const ADMIN_SCOPES = ['read:audit', 'read:clientkeys', 'read:users', 'write:clientkeys', 'write:users'];
const MEMBER_SCOPES = ['read:audit', 'read:clientkeys', 'write:clientkeys'];

type Cred = { token: string } | { key: string };

/**
 * Authority follows the current state: a change made on instance A (role, deletion, password,
 * log out everywhere) is honoured by instance B, whose caches were warm, within one second.
 */
describe('authority follows the current state, across instances', () => {
  const two = useTwoInstances();
  let a: TestApp;
  let b: TestApp;
  let admin: { token: string; userId: string };
  beforeAll(() => ({ a, b, admin } = two));

  /** Polls `probe` on B until it holds, for at most a second; returns how long it took. */
  const within1s = (probe: () => Promise<boolean>): Promise<number> => timeUntil('honoured on B within 1 second', probe, 1000);

  const scopesOn = async (t: TestApp, cred: Cred) => (await t.gql(VIEWER, {}, cred)).data?.viewer.scopes as string[] | undefined;

  async function adminUser(label: string) {
    const member = await a.member(label);
    expect((await a.gql(UPDATE_USER, { id: member.userId, i: { role: 'ADMIN' } }, admin)).errors).toBeUndefined();
    const session = await a.login(member.email, 'member-password-1');
    return { ...member, token: session.token };
  }

  it('demotion: an access token and a key minted while admin lose the admin scopes on B', async () => {
    const promoted = await adminUser('demoted');
    const key = await issueKey(a, promoted, { scopes: ['read:users', 'write:users', 'read:clientkeys'], rateLimitPerMinute: 10_000 });
    expect(await scopesOn(b, promoted)).toEqual(ADMIN_SCOPES);
    expect(await scopesOn(b, key)).toEqual(['read:clientkeys', 'read:users', 'write:users']);

    await a.gql(UPDATE_USER, { id: promoted.userId, i: { role: 'MEMBER' } }, admin);
    await within1s(async () => JSON.stringify(await scopesOn(b, promoted)) === JSON.stringify(MEMBER_SCOPES));
    await within1s(async () => JSON.stringify(await scopesOn(b, key)) === JSON.stringify(['read:clientkeys']));
    // Neither re-promotes its owner: both are refused what only admins hold.
    const viaToken = await b.gql(CREATE_USER, { i: { email: `x-${Date.now()}@example.com`, password: 'password-123', role: 'ADMIN' } }, promoted);
    expect(viaToken.code).toBe('FORBIDDEN');
    const viaKey = await b.gql(CREATE_USER, { i: { email: `y-${Date.now()}@example.com`, password: 'password-123', role: 'ADMIN' } }, { key: key.key });
    expect(viaKey.code).toBe('FORBIDDEN');
    expect((await b.gql(`{ users { totalCount } }`, {}, { key: key.key })).code).toBe('FORBIDDEN');
    // Promotion gives the key its scopes back: it was never changed, only bounded.
    await a.gql(UPDATE_USER, { id: promoted.userId, i: { role: 'ADMIN' } }, admin);
    await within1s(async () => (await scopesOn(b, key))?.includes('write:users') === true);
  });

  it("deletion: a deleted admin's token and keys get UNAUTHENTICATED on B, never an internal error", async () => {
    const doomed = await adminUser('deleted-admin');
    const key = await issueKey(a, doomed, { scopes: ['write:users', 'write:clientkeys'], rateLimitPerMinute: 10_000 });
    expect(await scopesOn(b, doomed)).toEqual(ADMIN_SCOPES);
    expect((await a.gql(DELETE_USER, { id: doomed.userId }, admin)).errors).toBeUndefined();
    await within1s(async () => (await b.gql(VIEWER, {}, doomed)).status === 401);
    for (const cred of [doomed, { key: key.key }] as Cred[]) {
      for (const t of [a, b]) {
        const created = await t.gql(CREATE_USER, { i: { email: `z-${Date.now()}@example.com`, password: 'password-123' } }, cred);
        expect(created.code).toBe('UNAUTHENTICATED');
        const minted = await t.gql(CREATE_KEY, { i: { name: 'after death', scopes: ['read:clientkeys'] } }, cred);
        expect(minted.code).toBe('UNAUTHENTICATED');
        expect(minted.status).toBe(401);
      }
    }
  });

  it("deletion: a deleted member's token cannot create a key (UNAUTHENTICATED, no foreign-key error)", async () => {
    const member = await a.member('deleted-member');
    expect((await b.gql(VIEWER, {}, member)).status).toBe(200);
    await a.gql(DELETE_USER, { id: member.userId }, admin);
    await within1s(async () => (await b.gql(CREATE_KEY, { i: { name: 'k', scopes: ['read:clientkeys'] } }, member)).code === 'UNAUTHENTICATED');
    const res = await a.gql(CREATE_KEY, { i: { name: 'k', scopes: ['read:clientkeys'] } }, member);
    expect(res.code).toBe('UNAUTHENTICATED');
  });

  it('password change: tokens issued before it stop on B; a token issued right after it works at once', async () => {
    const member = await a.member('password');
    const key = await issueKey(a, member, { scopes: ['read:clientkeys'], rateLimitPerMinute: 10_000 });
    expect((await b.gql(VIEWER, {}, member)).status).toBe(200);
    await a.gql(UPDATE_USER, { id: member.userId, i: { password: 'a-new-password-2' } }, admin);
    // Logged in within the same second as the change: must not be mistaken for an older token.
    const fresh = (await a.gql(LOGIN, { e: member.email, p: 'a-new-password-2' })).data.login.accessToken as string;
    await within1s(async () => (await b.gql(VIEWER, {}, member)).status === 401);
    expect((await a.gql(VIEWER, {}, member)).code).toBe('UNAUTHENTICATED');
    expect((await b.gql(VIEWER, {}, { token: fresh })).status).toBe(200);
    expect((await a.gql(VIEWER, {}, { token: fresh })).status).toBe(200);
    // Client keys are not sessions: they keep working (revoke them to stop them).
    expect((await b.gql(VIEWER, {}, key)).status).toBe(200);
  });

  it('log out everywhere: every access token of the user stops on B within a second', async () => {
    const member = await a.member('everywhere');
    const second = await a.login(member.email, 'member-password-1');
    expect((await b.gql(VIEWER, {}, member)).status).toBe(200);
    expect((await b.gql(VIEWER, {}, { token: second.token })).status).toBe(200);
    expect((await a.gql(`mutation { logout }`, {}, { token: second.token })).data).toEqual({ logout: true });
    await within1s(async () => (await b.gql(VIEWER, {}, member)).status === 401);
    expect((await b.gql(VIEWER, {}, { token: second.token })).status).toBe(401);
    expect((await a.gql(VIEWER, {}, member)).status).toBe(401);
    const again = await a.login(member.email, 'member-password-1');
    expect((await b.gql(VIEWER, {}, { token: again.token })).status).toBe(200);
  });

  it('costs no database query for a warm principal, token or key, on either instance', async () => {
    const member = await a.member('warm');
    const key = await issueKey(a, member, { scopes: ['read:clientkeys'], rateLimitPerMinute: 10_000 });
    for (const t of [a, b]) {
      await t.gql(VIEWER, {}, member);
      await t.gql(VIEWER, {}, key);
      t.takeQueries();
      for (let i = 0; i < 5; i++) {
        expect((await t.gql(VIEWER, {}, member)).status).toBe(200);
        expect((await t.gql(VIEWER, {}, key)).status).toBe(200);
      }
      // lastUsedAt and usage are written by background flushes, not by the request.
      expect(t.takeQueries().filter((q) => !q.includes('last_used_at') && !q.includes('key_usage'))).toEqual([]);
    }
  });

  it('race: two admins deleting each other at once on two instances never both succeed, nor answer 500', async () => {
    for (let round = 0; round < 3; round++) {
      const one = await adminUser(`duel-a${round}`);
      const two = await adminUser(`duel-b${round}`);
      const [x, y] = await Promise.all([a.gql(DELETE_USER, { id: two.userId }, one), b.gql(DELETE_USER, { id: one.userId }, two)]);
      for (const res of [x, y]) expect(['UNAUTHENTICATED', undefined]).toContain(res.code);
      expect([x, y].filter((r) => !r.errors)).toHaveLength(1);
    }
  });
});
