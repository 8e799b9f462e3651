import bcrypt from 'bcrypt';
import { ADMIN, startTestApp, type TestApp } from '../support/test-app';

const CREATE = `mutation($i: CreateUserInput!) { createUser(input: $i) { id email role createdAt } }`;
const UPDATE = `mutation($id: ID!, $i: UpdateUserInput!) { updateUser(id: $id, input: $i) { id email role } }`;
const DELETE = `mutation($id: ID!) { deleteUser(id: $id) }`;
const USERS = `query($first: Int, $after: String) { users(first: $first, after: $after) { totalCount nodes { email } pageInfo { endCursor hasNextPage } } }`;

describe('users over HTTP', () => {
  let t: TestApp;
  let admin: { token: string; userId: string };
  beforeAll(async () => {
    t = await startTestApp();
    admin = await t.login();
  });
  afterAll(() => t.close());

  it('creates a member who can log in, stored with a bcrypt hash of cost >= 10', async () => {
    const res = await t.gql(CREATE, { i: { email: 'New.Person@Example.com', password: 'a-good-password' } }, admin);
    expect(res.data.createUser).toMatchObject({ email: 'new.person@example.com', role: 'MEMBER' });
    expect(new Date(res.data.createUser.createdAt).toISOString()).toBe(res.data.createUser.createdAt);
    const [row] = await t.app.dataSource.query('SELECT password_hash FROM users WHERE id = $1', [res.data.createUser.id]);
    expect(bcrypt.getRounds(row.password_hash)).toBeGreaterThanOrEqual(10);
    await expect(t.login('new.person@example.com', 'a-good-password')).resolves.toBeDefined();
  });

  it.each([
    [{ email: 'not-an-email', password: 'a-good-password' }, 'email'],
    [{ email: 'short@example.com', password: 'short' }, 'password'],
    [{ email: 'long@example.com', password: 'é'.repeat(40) }, 'password'],
    [{ email: ADMIN.email, password: 'a-good-password' }, 'email'],
  ])('refuses %j with BAD_USER_INPUT naming %s', async (input, field) => {
    const res = await t.gql(CREATE, { i: input }, admin);
    expect(res.status).toBe(200);
    expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
  });

  it('refuses a role outside the enum before reaching the service', async () => {
    const res = await t.gql(CREATE, { i: { email: 'x@example.com', password: 'a-good-password', role: 'ROOT' } }, admin);
    expect(res.code).toBe('BAD_USER_INPUT');
  });

  it('pages through users newest first without gaps or repeats', async () => {
    for (let i = 0; i < 5; i++) await t.gql(CREATE, { i: { email: `page-${i}@example.com`, password: 'a-good-password' } }, admin);
    const seen: string[] = [];
    let after: string | null = null;
    let total = 0;
    do {
      const res: any = await t.gql(USERS, { first: 2, after }, admin);
      total = res.data.users.totalCount;
      seen.push(...res.data.users.nodes.map((n: { email: string }) => n.email));
      after = res.data.users.pageInfo.hasNextPage ? res.data.users.pageInfo.endCursor : null;
    } while (after);
    expect(seen).toHaveLength(total);
    expect(new Set(seen).size).toBe(total);
    expect(seen.indexOf('page-4@example.com')).toBeLessThan(seen.indexOf('page-0@example.com'));
  });

  it('refuses a bad cursor and an out-of-range page size', async () => {
    expect((await t.gql(USERS, { after: 'bm9wZQ' }, admin)).errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
    expect((await t.gql(USERS, { first: 0 }, admin)).errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
    expect((await t.gql(USERS, { first: 1000 }, admin)).errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
  });

  it('gets one user, NOT_FOUND for an unknown id and BAD_USER_INPUT for a malformed one', async () => {
    const one = await t.gql(`query($id: ID!) { user(id: $id) { email } }`, { id: admin.userId }, admin);
    expect(one.data.user.email).toBe(ADMIN.email);
    const missing = await t.gql(`query($id: ID!) { user(id: $id) { email } }`, { id: '00000000-0000-4000-8000-000000000000' }, admin);
    expect(missing.code).toBe('NOT_FOUND');
    const malformed = await t.gql(`query($id: ID!) { user(id: $id) { email } }`, { id: 'abc' }, admin);
    expect(malformed.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });
  });

  it('updates email and role; a new password ends existing sessions', async () => {
    const member = await t.member('upd');
    const session = await t.login(member.email, 'member-password-1');
    const res = await t.gql(UPDATE, { id: member.userId, i: { role: 'ADMIN', email: 'promoted@example.com' } }, admin);
    expect(res.data.updateUser).toMatchObject({ email: 'promoted@example.com', role: 'ADMIN' });
    await t.gql(UPDATE, { id: member.userId, i: { password: 'another-password' } }, admin);
    const refreshed = await t.gql(`mutation($t: String!) { refreshToken(refreshToken: $t) { accessToken } }`, { t: session.refreshToken });
    expect(refreshed.code).toBe('UNAUTHENTICATED');
    await expect(t.login('promoted@example.com', 'another-password')).resolves.toBeDefined();
  });

  it('never leaves Keygate without an admin', async () => {
    const fresh = await startTestApp();
    try {
      const only = await fresh.login();
      const demote = await fresh.gql(UPDATE, { id: only.userId, i: { role: 'MEMBER' } }, only);
      expect(demote.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'role' });
      const remove = await fresh.gql(DELETE, { id: only.userId }, only);
      expect(remove.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });
    } finally {
      await fresh.close();
    }
  });

  it('deletes a user, who can no longer log in', async () => {
    const member = await t.member('del');
    expect((await t.gql(DELETE, { id: member.userId }, admin)).data).toEqual({ deleteUser: member.userId });
    await expect(t.login(member.email, 'member-password-1')).rejects.toThrow(/login failed/);
    expect((await t.gql(DELETE, { id: member.userId }, admin)).code).toBe('NOT_FOUND');
  });

  it('keeps members out of user management with FORBIDDEN and the scopes needed', async () => {
    const member = await t.member('nosy');
    const list = await t.gql(USERS, {}, member);
    expect(list.errors?.[0].extensions).toEqual({ code: 'FORBIDDEN', requiredScopes: [['read:users']] });
    const create = await t.gql(CREATE, { i: { email: 'evil@example.com', password: 'a-good-password' } }, member);
    expect(create.errors?.[0].extensions).toEqual({ code: 'FORBIDDEN', requiredScopes: [['write:users']] });
    expect((await t.gql(`{ me { email } }`, {}, member)).data.me.email).toBe(member.email);
  });

  it('answers UNAUTHENTICATED (401) to anonymous callers', async () => {
    const res = await t.gql(USERS);
    expect(res.status).toBe(401);
    expect(res.code).toBe('UNAUTHENTICATED');
  });
});
