import { futureIso, UPDATE_KEY, VIEWER } from '../support/documents';
import { issueKey, startTestApp, type TestApp } from '../support/test-app';

const CREATE = `mutation($i: CreateClientKeyInput!) { createClientKey(input: $i) { key clientKey { id } } }`;
const MANAGE = ['read:clientkeys', 'write:clientkeys'];

/** A key minted by a key never expires after its parent nor has a higher limit, even once the parent is narrowed. */
describe('narrowing a parent key narrows the keys it minted', () => {
  let t: TestApp;
  let member: { token: string; userId: string };
  beforeAll(async () => {
    t = await startTestApp();
    member = await t.member('caps');
  });
  afterAll(() => t.close());

  async function mint(parent: { key: string }, input: Record<string, unknown> = {}) {
    const res = await t.gql(CREATE, { i: { name: 'child', scopes: MANAGE, ...input } }, parent);
    return { key: res.data.createClientKey.key as string, id: res.data.createClientKey.clientKey.id as string };
  }
  const termsOf = async (k: { key: string }) => {
    const viewer = (await t.gql(VIEWER, {}, k)).data.viewer;
    return { rateLimitPerMinute: viewer.rateLimitPerMinute, expiresAt: viewer.expiresAt };
  };

  it("a user lowering a parent's limit and expiry caps its children and grandchildren at once", async () => {
    const root = await issueKey(t, member, { scopes: MANAGE, rateLimitPerMinute: 1000, expiresAt: futureIso(7200) });
    const child = await mint(root, { rateLimitPerMinute: 500 });
    const grandchild = await mint(child, { rateLimitPerMinute: 400 });
    const small = await mint(root, { rateLimitPerMinute: 5, expiresAt: futureIso(600) });
    const smallBefore = await termsOf(small);
    const expiresAt = futureIso(3600);
    const res = await t.gql(UPDATE_KEY, { id: root.id, i: { rateLimitPerMinute: 50, expiresAt } }, member);
    expect(res.errors).toBeUndefined();
    for (const k of [child, grandchild]) expect(await termsOf(k)).toEqual({ rateLimitPerMinute: 50, expiresAt });
    expect(await termsOf(small)).toEqual(smallBefore);
  });

  it('a key lowering its own limit caps the keys it minted', async () => {
    const parent = await issueKey(t, member, { scopes: MANAGE, rateLimitPerMinute: 100 });
    const child = await mint(parent, { rateLimitPerMinute: 100 });
    expect((await t.gql(UPDATE_KEY, { id: parent.id, i: { rateLimitPerMinute: 10 } }, parent)).errors).toBeUndefined();
    expect((await termsOf(child)).rateLimitPerMinute).toBe(10);
  });
});
