import { VIEWER } from '../support/documents';
import { issueKey, type TestApp } from '../support/test-app';
import { useTwoInstances } from '../support/two-instances';
import { found } from '../support/wait';

const LOGOUT = `mutation($t: String!) { logout(refreshToken: $t) }`;
const REFRESH = `mutation($t: String!) { refreshToken(refreshToken: $t) { accessToken refreshToken } }`;
const UPDATE_USER = `mutation($id: ID!, $i: UpdateUserInput!) { updateUser(id: $id, input: $i) { id } }`;

/**
 * Issue #20, finding 7: ending a session ends its access tokens too, within 1 s, on every
 * instance (SPEC "Authority follows the current state"), while the user's client keys live on.
 */
describe('ending a session ends its access tokens on every instance', () => {
  const two = useTwoInstances();
  let a: TestApp;
  let b: TestApp;
  let admin: { token: string };
  beforeAll(() => ({ a, b, admin } = two));

  /** Polls until `t` refuses the token, for at most a second, and returns how long that took and the refusal. */
  async function refusedWithin1s(t: TestApp, token: string): Promise<{ ms: number; code?: string; status?: number }> {
    const started = performance.now();
    const res = await found(
      'the token refused within 1 second',
      async () => {
        const answer = await t.gql(VIEWER, {}, { token });
        return answer.status !== 200 ? answer : undefined;
      },
      1000,
    );
    return { ms: performance.now() - started, code: res.errors?.[0]?.extensions?.code, status: res.status };
  }

  async function session(email: string) {
    return a.login(email, 'member-password-1');
  }

  it('logout(refreshToken) on A refuses that session on B within 1 s, and on A at once; other sessions go on', async () => {
    const member = await a.member('logout');
    const ended = await session(member.email);
    const other = await session(member.email);
    // The session's tokens, including one issued by refreshing it, are warm on both instances.
    const renewed = (await a.gql(REFRESH, { t: ended.refreshToken })).data.refreshToken;
    for (const t of [a, b]) {
      expect((await t.gql(VIEWER, {}, { token: ended.token })).status).toBe(200);
      expect((await t.gql(VIEWER, {}, { token: renewed.accessToken })).status).toBe(200);
    }

    expect((await a.gql(LOGOUT, { t: renewed.refreshToken })).data).toEqual({ logout: true });
    expect(await a.gql(VIEWER, {}, { token: ended.token })).toMatchObject({ status: 401 });
    expect(await a.gql(VIEWER, {}, { token: renewed.accessToken })).toMatchObject({ status: 401 });
    const onB = await refusedWithin1s(b, renewed.accessToken);
    expect(onB).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
    expect(onB.ms).toBeLessThan(1000);
    expect((await b.gql(VIEWER, {}, { token: ended.token })).status).toBe(401);
    // The session cannot be renewed either.
    expect((await b.gql(REFRESH, { t: renewed.refreshToken })).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');

    // Only that session ended: the user's other session and the user's standing are untouched.
    for (const t of [a, b]) expect((await t.gql(VIEWER, {}, { token: other.token })).status).toBe(200);
    expect((await b.gql(REFRESH, { t: other.refreshToken })).data?.refreshToken.accessToken).toEqual(expect.any(String));
  });

  it('a refresh token presented twice (theft) ends its whole session, access tokens included, on every instance', async () => {
    const member = await a.member('reuse');
    const stolen = await session(member.email);
    const next = (await a.gql(REFRESH, { t: stolen.refreshToken })).data.refreshToken;
    expect((await b.gql(VIEWER, {}, { token: next.accessToken })).status).toBe(200);
    expect((await a.gql(REFRESH, { t: stolen.refreshToken })).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const onB = await refusedWithin1s(b, next.accessToken);
    expect(onB.ms).toBeLessThan(1000);
    expect((await a.gql(VIEWER, {}, { token: stolen.token })).status).toBe(401);
  });

  it("a password change ends every session of the user within 1 s on B and leaves the user's client keys working", async () => {
    const member = await a.member('password');
    const key = await issueKey(a, member, { scopes: ['read:clientkeys'], rateLimitPerMinute: 10_000 });
    const second = await session(member.email);
    for (const token of [member.token, second.token]) expect((await b.gql(VIEWER, {}, { token })).status).toBe(200);
    expect((await b.gql(VIEWER, {}, key)).status).toBe(200);

    expect((await a.gql(UPDATE_USER, { id: member.userId, i: { password: 'a-new-password-2' } }, admin)).errors).toBeUndefined();
    for (const token of [member.token, second.token]) expect((await refusedWithin1s(b, token)).ms).toBeLessThan(1000);
    expect((await b.gql(REFRESH, { t: second.refreshToken })).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    // Keys are service credentials with their own life: only revoking them stops them.
    for (const t of [a, b]) expect(await t.gql(VIEWER, {}, key)).toMatchObject({ status: 200, data: { viewer: { kind: 'CLIENT_KEY' } } });
  });
});
