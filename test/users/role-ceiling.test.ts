import { randomBytes } from 'node:crypto';
import { ADMIN, issueKey, startTestApp, type TestApp } from '../support/test-app';

const CREATE = `mutation($i: CreateUserInput!) { createUser(input: $i) { id role } }`;
const UPDATE = `mutation($id: ID!, $i: UpdateUserInput!) { updateUser(id: $id, input: $i) { id role } }`;
const DELETE = `mutation($id: ID!) { deleteUser(id: $id) }`;
const ALL = ['read:audit', 'read:clientkeys', 'read:users', 'write:clientkeys', 'write:users'];
const MEMBER = ['read:audit', 'read:clientkeys', 'write:clientkeys'];

/** write:users grants and acts on roles only up to the actor's own scopes: no way to mint an admin. */
describe('the role ceiling for users', () => {
  let t: TestApp;
  let admin: { token: string; userId: string };
  let manager: { key: string };
  beforeAll(async () => {
    t = await startTestApp();
    admin = await t.login();
    // An admin's key that may manage users, and holds every member scope, but not read:users.
    manager = { key: (await issueKey(t, admin, { scopes: ['write:users', ...MEMBER] })).key };
  });
  afterAll(() => t.close());

  const email = () => `role-${randomBytes(4).toString('hex')}@example.com`;
  const roleOf = async (id: string) => (await t.app.dataSource.query('SELECT role FROM users WHERE id = $1', [id]))[0]?.role;

  it('refuses creating an admin, and a member when the actor lacks a member scope', async () => {
    const address = email();
    const res = await t.gql(CREATE, { i: { email: address, password: 'a-good-password', role: 'ADMIN' } }, manager);
    expect(res.errors?.[0].extensions).toEqual({ code: 'FORBIDDEN', requiredScopes: [ALL] });
    expect(await t.app.dataSource.query('SELECT id FROM users WHERE email = $1', [address])).toHaveLength(0);
    const narrow = { key: (await issueKey(t, admin, { scopes: ['write:users'] })).key };
    expect((await t.gql(CREATE, { i: { email: email(), password: 'a-good-password' } }, narrow)).errors?.[0].extensions).toEqual({
      code: 'FORBIDDEN',
      requiredScopes: [MEMBER],
    });
    const created = await t.gql(CREATE.replace(' role', ''), { i: { email: email(), password: 'a-good-password' } }, manager);
    expect(await roleOf(created.data.createUser.id)).toBe('member');
  });

  it('refuses promoting anyone (its own owner included) to admin', async () => {
    const member = await t.member('promote');
    const res = await t.gql(UPDATE, { id: member.userId, i: { role: 'ADMIN' } }, manager);
    expect(res.errors?.[0].extensions).toEqual({ code: 'FORBIDDEN', requiredScopes: [ALL] });
    expect(await roleOf(member.userId)).toBe('member');
    expect((await t.gql(UPDATE.replace(' role', ''), { id: member.userId, i: { email: email() } }, manager)).errors).toBeUndefined();
  });

  it('refuses resetting the password of, changing or deleting a user whose role holds more', async () => {
    const other = (await t.gql(CREATE, { i: { email: email(), password: 'a-good-password', role: 'ADMIN' } }, admin)).data.createUser;
    for (const [doc, vars] of [
      [UPDATE, { id: admin.userId, i: { password: 'taken-over-password' } }],
      [UPDATE, { id: other.id, i: { email: email() } }],
      [UPDATE, { id: other.id, i: { role: 'MEMBER' } }],
      [DELETE, { id: other.id }],
    ] as const) {
      expect((await t.gql(doc, vars, manager)).errors?.[0].extensions).toEqual({ code: 'FORBIDDEN', requiredScopes: [ALL] });
    }
    await expect(t.login(ADMIN.email, ADMIN.password)).resolves.toBeDefined();
    expect(await roleOf(other.id)).toBe('admin');
    expect((await t.gql(DELETE, { id: other.id }, admin)).errors).toBeUndefined();
  });

  it('lets an admin user grant and change any role', async () => {
    const member = await t.member('by-admin');
    expect((await t.gql(UPDATE, { id: member.userId, i: { role: 'ADMIN' } }, admin)).data.updateUser.role).toBe('ADMIN');
    expect((await t.gql(UPDATE, { id: member.userId, i: { role: 'MEMBER' } }, admin)).data.updateUser.role).toBe('MEMBER');
  });
});
