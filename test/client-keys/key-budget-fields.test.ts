import { issueKey, startTestApp, type TestApp } from '../support/test-app';

const KEY_BUDGET = `query($id: ID!) { clientKey(id: $id) {
  limits { name unit limit periodSeconds } maxOperationCost credits { remaining refill { amount interval dayOfMonth } }
  remaining { name unit limit remaining limitOf }
} }`;

describe('a key budget as GraphQL shows it', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it("shows limits, the cap, credits, and what remains of its own and its parent key's limits", async () => {
    const admin = await t.login();
    const parent = await issueKey(t, admin, { scopes: ['read:clientkeys', 'write:clientkeys'], rateLimitPerMinute: 50 });
    const set = await t.gql(
      `mutation($id: ID!) { updateClientKey(id: $id, input: { limits: [{ name: "cost", unit: COST, limit: 300, periodSeconds: 600 }],
         credits: { remaining: 1000, refill: { amount: 1000, interval: MONTHLY, dayOfMonth: 15 } } }) { id } }`,
      { id: parent.id },
      admin,
    );
    expect(set.errors).toBeUndefined();
    const child = await issueKey(t, { key: parent.key }, { scopes: ['read:clientkeys'], rateLimitPerMinute: 20 });
    // The parent's mint (one root field; cost 12: a mutation 10, its payload and key 1 each), then two
    // requests by the child: each charges the child's default and its parent's limits and credits.
    for (let i = 0; i < 2; i++) expect((await t.gql('{ viewer { id } }', {}, { key: child.key })).errors).toBeUndefined();

    const shown = (await t.gql(KEY_BUDGET, { id: child.id }, admin)).data.clientKey;
    expect(shown.limits).toEqual([{ name: 'default', unit: 'ROOT_FIELDS', limit: 20, periodSeconds: 60 }]);
    expect(shown.maxOperationCost).toBe(5000);
    expect(shown.credits).toBeNull();
    expect(shown.remaining).toEqual([
      { name: 'default', unit: 'ROOT_FIELDS', limit: 20, remaining: 18, limitOf: 'KEY' },
      { name: 'parent.default', unit: 'ROOT_FIELDS', limit: 50, remaining: 47, limitOf: 'PARENT_KEY' },
      { name: 'parent.cost', unit: 'COST', limit: 300, remaining: 286, limitOf: 'PARENT_KEY' },
    ]);
    const parentShown = (await t.gql(KEY_BUDGET, { id: parent.id }, admin)).data.clientKey;
    expect(parentShown.credits).toEqual({ remaining: 986, refill: { amount: 1000, interval: 'MONTHLY', dayOfMonth: 15 } });
  });
});
