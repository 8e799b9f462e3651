import fc from 'fast-check';
import { DELETE_KEY, GET_KEY, REVOKE_KEY, ROTATE_KEY, UPDATE_KEY, VIEWER } from '../support/documents';
import { issueKey, startTestApp, type TestApp } from '../support/test-app';

const ALL = ['read:users', 'write:users', 'read:clientkeys', 'write:clientkeys', 'read:audit'];

/** Acting on a key (update, rotate, revoke, delete) needs every scope that key has. */
describe('the ceiling for acting on a key', () => {
  let t: TestApp;
  let admin: { token: string; userId: string };
  beforeAll(async () => {
    t = await startTestApp();
    admin = await t.login();
  });
  afterAll(() => t.close());

  it("refuses a narrow key rotating its owner's wider sibling (member), with requiredScopes", async () => {
    const member = await t.member('sibling');
    const narrow = await issueKey(t, member, { scopes: ['read:clientkeys', 'write:clientkeys'] });
    const wide = await issueKey(t, member, { scopes: ['read:audit'] });
    const before = (await t.gql(GET_KEY, { id: wide.id }, member)).data.clientKey;
    const res = await t.gql(ROTATE_KEY, { id: wide.id, g: 0 }, { key: narrow.key });
    expect(res.code).toBe('FORBIDDEN');
    expect(res.errors?.[0].extensions?.requiredScopes).toEqual([['read:audit']]);
    expect((await t.gql(GET_KEY, { id: wide.id }, member)).data.clientKey).toEqual(before);
    expect((await t.gql(VIEWER, {}, { key: wide.key })).status).toBe(200);
  });

  it("refuses an admin's narrow key rotating the admin's write:users key (no route to createUser)", async () => {
    const narrow = await issueKey(t, admin, { scopes: ['read:clientkeys', 'write:clientkeys'] });
    const powerful = await issueKey(t, admin, { scopes: ['write:users'] });
    for (const [doc, vars] of [
      [ROTATE_KEY, { id: powerful.id, g: 3600 }],
      [UPDATE_KEY, { id: powerful.id, i: { name: 'mine now' } }],
      [REVOKE_KEY, { id: powerful.id }],
      [DELETE_KEY, { id: powerful.id }],
    ] as const) {
      const res = await t.gql(doc, vars, { key: narrow.key });
      expect(res.code).toBe('FORBIDDEN');
      expect(JSON.stringify(res)).not.toMatch(/kg_[0-9A-Za-z]{20}/);
    }
    expect((await t.gql(VIEWER, {}, { key: powerful.key })).data.viewer.scopes).toEqual(['write:users']);
  });

  it("still reports another member's key as NOT_FOUND, before any ceiling", async () => {
    const alice = await t.member('alice');
    const bob = await t.member('bob');
    const hers = await issueKey(t, alice, { scopes: ['read:audit'] });
    const his = await issueKey(t, bob, { scopes: ['read:clientkeys', 'write:clientkeys'] });
    for (const cred of [bob, { key: his.key }]) expect((await t.gql(ROTATE_KEY, { id: hers.id, g: 0 }, cred)).code).toBe('NOT_FOUND');
  });

  it('allows acting on a key whose scopes the actor all holds, including itself', async () => {
    const member = await t.member('self');
    const manager = await issueKey(t, member, { scopes: ['read:clientkeys', 'write:clientkeys', 'read:audit'] });
    const sibling = await issueKey(t, member, { scopes: ['read:audit'] });
    expect((await t.gql(ROTATE_KEY, { id: sibling.id, g: 0 }, { key: manager.key })).errors).toBeUndefined();
    expect((await t.gql(UPDATE_KEY, { id: manager.id, i: { name: 'renamed' } }, { key: manager.key })).errors).toBeUndefined();
  });

  it("measures the target by its effective scopes: a demoted owner's admin-only scopes no longer count", async () => {
    const member = await t.member('was-admin');
    await t.gql(`mutation($id: ID!) { updateUser(id: $id, input: { role: ADMIN }) { id } }`, { id: member.userId }, admin);
    const session = await t.login(member.email, 'member-password-1');
    const wide = await issueKey(t, session, { scopes: ['write:users', 'read:audit'] });
    await t.gql(`mutation($id: ID!) { updateUser(id: $id, input: { role: MEMBER }) { id } }`, { id: member.userId }, admin);
    // Now a member: the key can do read:audit only, and the member may clean it up.
    expect((await t.gql(REVOKE_KEY, { id: wide.id }, session)).errors).toBeUndefined();
  });

  it('property: a key may act on a sibling exactly when it holds every scope the sibling has', async () => {
    const subset = fc.subarray(ALL, { minLength: 1 });
    await fc.assert(
      fc.asyncProperty(subset, subset, fc.constantFrom('rotate', 'update', 'revoke', 'delete'), async (extra, target, action) => {
        const actorScopes = [...new Set(['read:clientkeys', 'write:clientkeys', ...extra])];
        const actor = await issueKey(t, admin, { scopes: actorScopes });
        const victim = await issueKey(t, admin, { scopes: target });
        const [doc, vars] = {
          rotate: [ROTATE_KEY, { id: victim.id, g: 0 }],
          update: [UPDATE_KEY, { id: victim.id, i: { description: 'touched' } }],
          revoke: [REVOKE_KEY, { id: victim.id }],
          delete: [DELETE_KEY, { id: victim.id }],
        }[action] as [string, Record<string, unknown>];
        const res = await t.gql(doc, vars, { key: actor.key });
        const allowed = target.every((s) => actorScopes.includes(s));
        if (allowed) expect(res.errors).toBeUndefined();
        else {
          expect(res.code).toBe('FORBIDDEN');
          expect((await t.gql(VIEWER, {}, { key: victim.key })).status).toBe(200);
        }
      }),
      { numRuns: 25 },
    );
  });
});
