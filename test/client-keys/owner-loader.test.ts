import { CREATE_KEY } from '../support/documents';
import { startTestApp, type TestApp } from '../support/test-app';

describe('owner DataLoader', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('resolves the owners of a whole page with one users query', async () => {
    const members = await Promise.all([t.member('o1'), t.member('o2'), t.member('o3')]);
    for (const m of members) for (let i = 0; i < 4; i++) await t.gql(CREATE_KEY, { i: { name: `k${i}`, scopes: ['read:audit'] } }, m);
    const admin = await t.login();

    t.takeQueries();
    const res = await t.gql(`{ clientKeys(first: 50) { totalCount nodes { id owner { id email } } } }`, {}, admin);
    const queries = t.takeQueries();
    expect(res.data.clientKeys.nodes).toHaveLength(12);
    const emails = new Set(res.data.clientKeys.nodes.map((n: { owner: { email: string } }) => n.owner.email));
    expect(emails).toEqual(new Set(members.map((m) => m.email)));

    const userQueries = queries.filter((q) => /FROM "users"/i.test(q));
    expect(userQueries).toHaveLength(1);
    // The page, its count and the owners: nothing per row.
    expect(queries).toHaveLength(3);
  });
});
