import { AUDIT, CREATE_KEY, DELETE_KEY } from '../support/documents';
import { startTestApp, type TestApp } from '../support/test-app';

describe('audit trail', () => {
  let t: TestApp;
  let admin: { token: string; userId: string };
  beforeAll(async () => {
    t = await startTestApp();
    admin = await t.login();
  });
  afterAll(() => t.close());

  it('records user changes with the acting admin, target, changes and client details', async () => {
    const created = await t.gql(`mutation { createUser(input: { email: "audited@example.com", password: "secret-password-9" }) { id } }`, {}, admin);
    const userId = created.data.createUser.id;
    await t.gql(`mutation($id: ID!) { updateUser(id: $id, input: { role: ADMIN, password: "other-password-9" }) { id } }`, { id: userId }, admin);
    await t.gql(`mutation($id: ID!) { deleteUser(id: $id) }`, { id: userId }, admin);

    const events = (await t.gql(AUDIT, { userId }, admin)).data.auditEvents.nodes.reverse();
    expect(events.map((e: { action: string }) => e.action)).toEqual(['user.created', 'user.updated', 'user.deleted']);
    expect(events[0]).toMatchObject({ actorKind: 'USER', actorId: admin.userId, userId, changes: { email: 'audited@example.com', role: 'member' } });
    expect(events[1].changes).toEqual({ role: { from: 'member', to: 'admin' }, password: 'changed' });
    const trail = JSON.stringify(events);
    expect(trail).not.toContain('secret-password-9');
    expect(trail).not.toContain('other-password-9');
    expect(trail).not.toContain('$2b$');
  });

  it('filters by action and keeps events after the key is deleted', async () => {
    const res = await t.gql(CREATE_KEY, { i: { name: 'gone', scopes: ['read:audit'] } }, admin);
    const id = res.data.createClientKey.clientKey.id;
    await t.gql(DELETE_KEY, { id }, admin);
    const deleted = await t.gql(AUDIT, { action: 'client_key.deleted', clientKeyId: id }, admin);
    expect(deleted.data.auditEvents.nodes).toHaveLength(1);
    expect(deleted.data.auditEvents.nodes[0].changes).toEqual({ name: 'gone', keyPrefix: res.data.createClientKey.clientKey.keyPrefix });
    expect((await t.gql(AUDIT, { clientKeyId: id }, admin)).data.auditEvents.totalCount).toBe(2);
  });

  it('refuses an unknown action filter naming the field', async () => {
    const res = await t.gql(AUDIT, { action: 'key.exploded' }, admin);
    expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'action' });
  });

  it('writes the event in the same transaction as the change: a failed change leaves no event', async () => {
    const before = (await t.gql(AUDIT, { action: 'user.created' }, admin)).data.auditEvents.totalCount;
    const dup = await t.gql(`mutation { createUser(input: { email: "admin@example.com", password: "whatever-pass" }) { id } }`, {}, admin);
    expect(dup.code).toBe('BAD_USER_INPUT');
    expect((await t.gql(AUDIT, { action: 'user.created' }, admin)).data.auditEvents.totalCount).toBe(before);
  });
});
