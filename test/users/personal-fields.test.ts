import { AUDIT } from '../support/documents';
import { issueKey, startTestApp, type TestApp } from '../support/test-app';

const OWNERS = `{ clientKeys(first: 100) { nodes { id userId owner { id email role } } } }`;
const OWNER_IDS = `{ clientKeys(first: 100) { nodes { id owner { id } } } }`;

/** Another user's email and role need read:users, wherever a User appears; one's own are always visible. */
describe('personal fields of other users', () => {
  let t: TestApp;
  let admin: { token: string; userId: string };
  let member: { token: string; userId: string; email: string };
  beforeAll(async () => {
    t = await startTestApp();
    admin = await t.login();
    member = await t.member('private');
    await issueKey(t, member, { scopes: ['read:clientkeys'] });
  });
  afterAll(() => t.close());

  it("refuses an admin's read:clientkeys key the owners' email and role (FORBIDDEN on the field), never leaking them", async () => {
    const narrow = await issueKey(t, admin, { scopes: ['read:clientkeys'] });
    const res = await t.gql(OWNERS, {}, { key: narrow.key });
    expect(res.code).toBe('FORBIDDEN');
    expect(res.errors?.[0].extensions?.requiredScopes).toEqual([['read:users']]);
    expect(res.errors?.[0].path).toEqual(expect.arrayContaining(['owner']));
    expect(JSON.stringify(res)).not.toContain(member.email);
    // Owner ids remain readable: only personal fields are guarded.
    const ids = await t.gql(OWNER_IDS, {}, { key: narrow.key });
    expect(ids.errors).toBeUndefined();
    expect(ids.data.clientKeys.nodes.map((n: { owner: { id: string } }) => n.owner.id)).toContain(member.userId);
  });

  it('shows them with read:users, and always shows callers their own', async () => {
    const wide = await issueKey(t, admin, { scopes: ['read:clientkeys', 'read:users'] });
    const res = await t.gql(OWNERS, {}, { key: wide.key });
    expect(res.errors).toBeUndefined();
    expect(res.data.clientKeys.nodes.map((n: { owner: { email: string } }) => n.owner.email)).toContain(member.email);
    const own = await issueKey(t, member, { scopes: ['read:clientkeys'] });
    const mine = await t.gql(OWNERS, {}, { key: own.key });
    expect(mine.errors).toBeUndefined();
    expect(
      mine.data.clientKeys.nodes.every((n: { owner: { email: string; role: string } }) => n.owner.email === member.email && n.owner.role === 'MEMBER'),
    ).toBe(true);
    expect((await t.gql(`{ me { email role } }`, {}, member)).data.me).toEqual({ email: member.email, role: 'MEMBER' });
  });

  it("redacts other users' email and role in audit changes without read:users", async () => {
    const auditor = await issueKey(t, admin, { scopes: ['read:audit'] });
    const res = await t.gql(AUDIT, { action: 'user.created', userId: member.userId }, { key: auditor.key });
    expect(res.errors).toBeUndefined();
    const changes = res.data.auditEvents.nodes[0].changes;
    expect(JSON.stringify(res)).not.toContain(member.email);
    expect(Object.keys(changes).sort()).toEqual(['email', 'role']);
    expect(changes.email).toMatch(/redacted/);
    const withUsers = await issueKey(t, admin, { scopes: ['read:audit', 'read:users'] });
    const full = await t.gql(AUDIT, { action: 'user.created', userId: member.userId }, { key: withUsers.key });
    expect(full.data.auditEvents.nodes[0].changes).toEqual({ email: member.email, role: 'member' });
    // The member sees its own.
    const own = await t.gql(AUDIT, { action: 'user.created' }, member);
    expect(own.data.auditEvents.nodes[0].changes.email).toBe(member.email);
  });
});
