import { AUDIT, CREATE_KEY, DELETE_KEY, GET_KEY, LIST_KEYS, REVOKE_KEY, ROTATE_KEY, UPDATE_KEY } from '../support/documents';
import { startTestApp, type TestApp } from '../support/test-app';

type Caller = { token: string; userId: string };

/** Two members and an admin against every key operation: nobody reaches another member's key. */
describe('client key ownership matrix', () => {
  let t: TestApp;
  let alice: Caller;
  let bob: Caller;
  let admin: Caller;

  beforeAll(async () => {
    t = await startTestApp();
    alice = await t.member('alice');
    bob = await t.member('bob');
    admin = await t.login();
  });
  afterAll(() => t.close());

  async function keyOf(owner: Caller): Promise<string> {
    const res = await t.gql(CREATE_KEY, { i: { name: 'k', scopes: ['read:clientkeys'] } }, owner);
    return res.data.createClientKey.clientKey.id;
  }

  const operations: Array<[string, string, (id: string) => Record<string, unknown>]> = [
    ['clientKey', GET_KEY, (id) => ({ id })],
    ['updateClientKey', UPDATE_KEY, (id) => ({ id, i: { name: 'taken over' } })],
    ['rotateClientKey', ROTATE_KEY, (id) => ({ id, g: 0 })],
    ['revokeClientKey', REVOKE_KEY, (id) => ({ id })],
    ['deleteClientKey', DELETE_KEY, (id) => ({ id })],
  ];

  it.each(operations)("%s on another member's key is NOT_FOUND and changes nothing", async (_name, doc, vars) => {
    const id = await keyOf(alice);
    const before = (await t.gql(GET_KEY, { id }, alice)).data.clientKey;
    const res = await t.gql(doc, vars(id), bob);
    expect(res.code).toBe('NOT_FOUND');
    expect(res.errors?.[0].message).toBe('Client key not found');
    expect((await t.gql(GET_KEY, { id }, alice)).data.clientKey).toEqual(before);
  });

  it.each(operations)('%s by the owner succeeds', async (_name, doc, vars) => {
    const id = await keyOf(bob);
    const res = await t.gql(doc, vars(id), bob);
    expect(res.errors).toBeUndefined();
  });

  it.each(operations)("%s by an admin on a member's key succeeds", async (_name, doc, vars) => {
    const id = await keyOf(alice);
    const res = await t.gql(doc, vars(id), admin);
    expect(res.errors).toBeUndefined();
  });

  it("lists only the caller's own keys for members, everyone's for admins, filtered by userId", async () => {
    const aliceKey = await keyOf(alice);
    const bobKey = await keyOf(bob);
    const ids = async (caller: Caller, vars: Record<string, unknown> = {}) =>
      (await t.gql(LIST_KEYS, { first: 100, ...vars }, caller)).data.clientKeys.nodes.map((n: { id: string; userId: string }) => n);

    const aliceSees = await ids(alice);
    expect(aliceSees.every((k: { userId: string }) => k.userId === alice.userId)).toBe(true);
    expect(aliceSees.map((k: { id: string }) => k.id)).toContain(aliceKey);
    expect(await ids(alice, { userId: bob.userId })).toEqual([]);

    const adminSees = (await ids(admin)).map((k: { id: string }) => k.id);
    expect(adminSees).toEqual(expect.arrayContaining([aliceKey, bobKey]));
    const onlyBob = await ids(admin, { userId: bob.userId });
    expect(onlyBob.length).toBeGreaterThan(0);
    expect(onlyBob.every((k: { userId: string }) => k.userId === bob.userId)).toBe(true);
  });

  it('shows members only the audit events about their own keys', async () => {
    const aliceKey = await keyOf(alice);
    const bobSees = await t.gql(AUDIT, { first: 100 }, bob);
    expect(bobSees.data.auditEvents.nodes.every((e: { userId: string }) => e.userId === bob.userId)).toBe(true);
    expect((await t.gql(AUDIT, { clientKeyId: aliceKey }, bob)).data.auditEvents.totalCount).toBe(0);
    expect((await t.gql(AUDIT, { clientKeyId: aliceKey }, admin)).data.auditEvents.totalCount).toBe(1);
  });

  it('keeps the owner of a key created by an admin as the admin', async () => {
    const res = await t.gql(CREATE_KEY, { i: { name: 'admin key', scopes: ['read:users'] } }, admin);
    expect(res.data.createClientKey.clientKey.userId).toBe(admin.userId);
  });
});
