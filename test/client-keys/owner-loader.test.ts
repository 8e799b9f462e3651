import { CREATE_KEY } from '../support/documents';
import { startTestApp, type TestApp } from '../support/test-app';

describe('reading key owners', () => {
  let t: TestApp;
  let admin: { token: string };
  let members: Array<{ token: string; email: string }>;
  let keyIds: string[];
  beforeAll(async () => {
    t = await startTestApp();
    members = await Promise.all([t.member('o1'), t.member('o2'), t.member('o3')]);
    keyIds = [];
    for (const m of members) {
      for (let i = 0; i < 4; i++) keyIds.push((await t.gql(CREATE_KEY, { i: { name: `k${i}`, scopes: ['read:audit'] } }, m)).data.createClientKey.clientKey.id);
    }
    admin = await t.login();
  });
  afterAll(() => t.close());

  const ownerEmails = (nodes: Array<{ owner: { email: string } }>) => new Set(nodes.map((n) => n.owner.email));

  it('reads a page and its owners in one query', async () => {
    t.takeQueries();
    const res = await t.gql(`{ clientKeys(first: 50) { totalCount nodes { id owner { id email } } } }`, {}, admin);
    const queries = t.takeQueries();
    expect(res.data.clientKeys.nodes).toHaveLength(12);
    expect(ownerEmails(res.data.clientKeys.nodes)).toEqual(new Set(members.map((m) => m.email)));
    // The page with its owners, and the count: nothing per row, no separate users query.
    expect(queries).toHaveLength(2);
    expect(queries.filter((q) => /JOIN "users"/i.test(q))).toHaveLength(1);
    expect(queries.filter((q) => /FROM "users"/i.test(q))).toHaveLength(0);
  });

  it('sees an owner selected through fragments, and joins nothing when no owner is asked for', async () => {
    t.takeQueries();
    const res = await t.gql(
      `query { clientKeys(first: 50) { ...Page } }
       fragment Page on ClientKeyConnection { nodes { ... on ClientKey { owner { email } } } }`,
      {},
      admin,
    );
    expect(ownerEmails(res.data.clientKeys.nodes)).toEqual(new Set(members.map((m) => m.email)));
    expect(t.takeQueries()).toHaveLength(1);

    await t.gql(`{ clientKeys(first: 50) { nodes { id name } } }`, {}, admin);
    const plain = t.takeQueries();
    expect(plain).toHaveLength(1);
    expect(plain[0]).not.toMatch(/JOIN/i);
  });

  it('loads the owner of a key read on its own, once per request', async () => {
    t.takeQueries();
    const res = await t.gql(
      `query($a: ID!) { a: clientKey(id: $a) { owner { email } } again: clientKey(id: $a) { owner { email } } }`,
      { a: keyIds[4] },
      admin,
    );
    expect(res.data.a.owner.email).toBe(members[1].email);
    expect(res.data.again.owner.email).toBe(members[1].email);
    // The DataLoader caches within the request: one users query for both.
    expect(t.takeQueries().filter((q) => /FROM "users"/i.test(q))).toHaveLength(1);
  });
});
