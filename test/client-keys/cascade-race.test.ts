import { issueKey, sleep, type TestApp } from '../support/test-app';
import { useTwoInstances } from '../support/two-instances';

const CREATE = `mutation($i: CreateClientKeyInput!) { createClientKey(input: $i) { key clientKey { id } } }`;
const REVOKE = `mutation($id: ID!) { revokeClientKey(id: $id, reason: "compromised", cascade: true) { id status } }`;
const MANAGE = ['read:clientkeys', 'write:clientkeys'];

/** Keys minted while a cascade revocation runs are either revoked by it or refused: none escapes. */
describe('cascade revocation racing concurrent mints', () => {
  const two = useTwoInstances();
  let a: TestApp;
  let b: TestApp;
  let admin: { token: string; userId: string };
  beforeAll(() => ({ a, b, admin } = two));

  async function activeDescendants(rootId: string): Promise<number> {
    const [row] = await a.app.dataSource.query(
      `WITH RECURSIVE minted(id) AS (
         SELECT id FROM client_keys WHERE created_by_key_id = $1
         UNION SELECT k.id FROM client_keys k JOIN minted m ON k.created_by_key_id = m.id
       )
       SELECT count(*)::int AS n FROM client_keys WHERE id IN (SELECT id FROM minted) AND revoked_at IS NULL`,
      [rootId],
    );
    return row.n;
  }

  it.each([8, 12, 16, 20])('admin key A minted B; B mints 12 keys at once; A is cascade-revoked %i ms later', async (delayMs) => {
    const rootKey = await issueKey(a, admin, { scopes: MANAGE, rateLimitPerMinute: 100_000 });
    const minted = await a.gql(CREATE, { i: { name: 'B', scopes: MANAGE, rateLimitPerMinute: 100_000 } }, { key: rootKey.key });
    const parent = { key: minted.data.createClientKey.key as string };
    const mints = Array.from({ length: 12 }, (_, i) => (i % 2 ? a : b).gql(CREATE, { i: { name: `child-${i}`, scopes: MANAGE } }, parent));
    await sleep(delayMs);
    const revoked = await a.gql(REVOKE, { id: rootKey.id }, admin);
    const results = await Promise.all(mints);
    expect(revoked.errors).toBeUndefined();
    for (const res of results) {
      // Each mint committed before the cascade (and was revoked by it) or was refused after it.
      if (res.errors) expect(res.errors[0].extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'KEY_REVOKED' });
      else expect(res.data.createClientKey.key).toMatch(/^kg_/);
    }
    expect(await activeDescendants(rootKey.id)).toBe(0);
  });
});
