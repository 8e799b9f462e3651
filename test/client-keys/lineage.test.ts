import fc from 'fast-check';
import { AUDIT, futureIso, GET_KEY, ROTATE_KEY, UPDATE_KEY, VIEWER } from '../support/documents';
import { issueKey, type TestApp } from '../support/test-app';
import { useTwoInstances } from '../support/two-instances';
import { until } from '../support/wait';

const CREATE = `mutation($i: CreateClientKeyInput!) { createClientKey(input: $i) { key clientKey { id createdByKeyId expiresAt rateLimitPerMinute } } }`;
const REVOKE = `mutation($id: ID!, $cascade: Boolean) { revokeClientKey(id: $id, reason: "compromised", cascade: $cascade) { id status } }`;
const MANAGE = ['read:clientkeys', 'write:clientkeys'];

/** Keys minted by keys: lineage, bounded terms, cascading revocation; keys never extend a key. */
describe('key lineage and terms', () => {
  const two = useTwoInstances();
  let a: TestApp;
  let b: TestApp;
  let admin: { token: string; userId: string };
  beforeAll(() => ({ a, b, admin } = two));

  async function mint(parent: { key: string }, input: Record<string, unknown> = {}) {
    const res = await a.gql(CREATE, { i: { name: 'child', scopes: MANAGE, ...input } }, parent);
    if (!res.data) return { error: res.errors![0] };
    return { key: res.data.createClientKey.key as string, ...res.data.createClientKey.clientKey };
  }

  it("records which key minted a key, and none for a user's", async () => {
    const member = await a.member('lineage');
    const parent = await issueKey(a, member, { scopes: MANAGE });
    expect((await a.gql(GET_KEY.replace('lastUsedAt', 'lastUsedAt createdByKeyId'), { id: parent.id }, member)).data.clientKey.createdByKeyId).toBeNull();
    const child = await mint(parent);
    expect(child.createdByKeyId).toBe(parent.id);
    const events = (await a.gql(AUDIT, { clientKeyId: child.id, action: 'client_key.created' }, member)).data.auditEvents.nodes;
    expect(events[0]).toMatchObject({ actorKind: 'CLIENT_KEY', actorId: parent.id, changes: expect.objectContaining({ createdByKeyId: parent.id }) });
  });

  it("a minted key inherits its parent's expiry, may shorten it, never exceed it", async () => {
    const expiresAt = futureIso(3600);
    const parent = await issueKey(a, admin, { scopes: MANAGE, expiresAt });
    expect((await mint(parent)).expiresAt).toBe(expiresAt);
    expect((await mint(parent, { expiresAt: futureIso(600) })).expiresAt).not.toBe(expiresAt);
    const later = await mint(parent, { expiresAt: futureIso(7200) });
    expect(later.error?.extensions).toMatchObject({ code: 'FORBIDDEN', field: 'expiresAt' });
  });

  it("a minted key never has a higher rate limit; the default is capped by the parent's", async () => {
    const parent = await issueKey(a, admin, { scopes: MANAGE, rateLimitPerMinute: 30 });
    expect((await mint(parent)).rateLimitPerMinute).toBe(30);
    expect((await mint(parent, { rateLimitPerMinute: 10 })).rateLimitPerMinute).toBe(10);
    expect((await mint(parent, { rateLimitPerMinute: 31 })).error?.extensions).toMatchObject({ code: 'FORBIDDEN', field: 'rateLimitPerMinute' });
  });

  it('a key cannot remove or push back its own expiry nor raise its own limit; a user can', async () => {
    const own = await issueKey(a, admin, { scopes: MANAGE, rateLimitPerMinute: 5, expiresAt: futureIso(3600) });
    for (const input of [{ expiresAt: null }, { expiresAt: futureIso(7200) }, { rateLimitPerMinute: 1_000_000 }, { rateLimitPerMinute: 6 }]) {
      const res = await a.gql(UPDATE_KEY, { id: own.id, i: input }, { key: own.key });
      expect(res.code).toBe('FORBIDDEN');
    }
    const narrowed = await a.gql(UPDATE_KEY, { id: own.id, i: { rateLimitPerMinute: 4, expiresAt: futureIso(1800) } }, { key: own.key });
    expect(narrowed.errors).toBeUndefined();
    const widened = await a.gql(UPDATE_KEY, { id: own.id, i: { rateLimitPerMinute: 1_000_000, expiresAt: null } }, admin);
    expect(widened.data.updateClientKey).toMatchObject({ rateLimitPerMinute: 1_000_000, expiresAt: null });
  });

  it("rotation by a key keeps the key's expiry and limit, and its grace ends by the expiry", async () => {
    const expiresAt = futureIso(60);
    const target = await issueKey(a, admin, { scopes: ['read:audit'], rateLimitPerMinute: 7, expiresAt });
    const rotator = await issueKey(a, admin, { scopes: [...MANAGE, 'read:audit'] });
    const res = await a.gql(ROTATE_KEY, { id: target.id, g: 2_592_000 }, { key: rotator.key });
    expect(res.data.rotateClientKey.clientKey).toMatchObject({ expiresAt, rateLimitPerMinute: 7 });
  });

  it("property: a key's update is allowed exactly when it neither lengthens the life nor raises the limit", async () => {
    const own = await issueKey(a, admin, { scopes: MANAGE, rateLimitPerMinute: 1000, expiresAt: futureIso(86_400) });
    await fc.assert(
      fc.asyncProperty(
        fc.option(fc.integer({ min: 1, max: 1_000_000 }), { nil: undefined }),
        fc.option(fc.option(fc.integer({ min: 60, max: 3 * 86_400 }), { nil: null }), { nil: undefined }),
        async (limit, expirySeconds) => {
          const current = (await a.gql(GET_KEY, { id: own.id }, admin)).data.clientKey;
          const input: Record<string, unknown> = {};
          if (limit !== undefined) input.rateLimitPerMinute = limit;
          if (expirySeconds !== undefined) input.expiresAt = expirySeconds === null ? null : futureIso(expirySeconds);
          const res = await a.gql(UPDATE_KEY, { id: own.id, i: input }, { key: own.key });
          const raises = limit !== undefined && limit > current.rateLimitPerMinute;
          const lengthens = expirySeconds !== undefined && (expirySeconds === null || new Date(input.expiresAt as string) > new Date(current.expiresAt));
          if (raises || lengthens) {
            expect(res.code).toBe('FORBIDDEN');
            const after = (await a.gql(GET_KEY, { id: own.id }, admin)).data.clientKey;
            expect([after.rateLimitPerMinute, after.expiresAt]).toEqual([current.rateLimitPerMinute, current.expiresAt]);
          } else expect(res.errors).toBeUndefined();
          // Restore generous terms (as a user) so the next run has room to try.
          await a.gql(UPDATE_KEY, { id: own.id, i: { rateLimitPerMinute: 1000, expiresAt: futureIso(86_400) } }, admin);
        },
      ),
      { numRuns: 30 },
    );
  });

  it('cascade revokes the minted keys transitively, with an audit row each, honoured on B within a second', async () => {
    const member = await a.member('cascade');
    const root = await issueKey(a, member, { scopes: MANAGE, rateLimitPerMinute: 10_000 });
    const child = await mint(root, { rateLimitPerMinute: 1000 });
    const grandchild = await mint({ key: child.key }, { rateLimitPerMinute: 1000 });
    const sibling = await issueKey(a, member, { scopes: MANAGE, rateLimitPerMinute: 1000 });
    for (const k of [child, grandchild, sibling]) expect((await b.gql(VIEWER, {}, { key: k.key })).status).toBe(200);

    const res = await a.gql(REVOKE, { id: root.id, cascade: true }, member);
    expect(res.data.revokeClientKey.status).toBe('REVOKED');
    const started = Date.now();
    for (const k of [child, grandchild])
      await until(
        'the descendants refused on B as KEY_REVOKED within 1 second',
        async () => (await b.gql(VIEWER, {}, { key: k.key })).errors?.[0].extensions?.reason === 'KEY_REVOKED',
        1000 - (Date.now() - started),
      );
    expect((await b.gql(VIEWER, {}, { key: sibling.key })).status).toBe(200);
    const revoked = (await a.gql(AUDIT, { action: 'client_key.revoked', userId: member.userId, first: 10 }, member)).data.auditEvents.nodes;
    expect(revoked.map((e: { clientKeyId: string }) => e.clientKeyId).sort()).toEqual([root.id, child.id, grandchild.id].sort());
    expect(revoked.filter((e: { changes: { cascadeFrom?: string } }) => e.changes.cascadeFrom === root.id)).toHaveLength(2);
  });

  it('without cascade, the minted keys keep working; cascading later from a revoked parent still reaches them', async () => {
    const root = await issueKey(a, admin, { scopes: MANAGE });
    const child = await mint(root);
    await a.gql(REVOKE, { id: root.id }, admin);
    expect((await a.gql(VIEWER, {}, { key: child.key })).status).toBe(200);
    await a.gql(REVOKE, { id: root.id, cascade: true }, admin);
    expect((await a.gql(VIEWER, {}, { key: child.key })).errors?.[0].extensions?.reason).toBe('KEY_REVOKED');
  });

  it('cascade is all or nothing: a descendant wider than the caller stops the whole revocation', async () => {
    const root = await issueKey(a, admin, { scopes: [...MANAGE, 'read:audit'] });
    const child = await mint(root, { scopes: [...MANAGE, 'read:audit'] });
    // A user narrows the root afterwards; a key holding the root's scopes cannot reach the child's read:audit.
    await a.gql(UPDATE_KEY, { id: root.id, i: { scopes: MANAGE } }, admin);
    const caller = await issueKey(a, admin, { scopes: MANAGE });
    const res = await a.gql(REVOKE, { id: root.id, cascade: true }, { key: caller.key });
    expect(res.code).toBe('FORBIDDEN');
    expect((await a.gql(VIEWER, {}, { key: root.key })).status).toBe(200);
    expect((await a.gql(VIEWER, {}, { key: child.key })).status).toBe(200);
  });

  it('race: concurrent cascades over one lineage on two instances all succeed, none answers 500', async () => {
    const root = await issueKey(a, admin, { scopes: MANAGE, rateLimitPerMinute: 10_000 });
    const chain = [root as { key: string; id: string }];
    for (let i = 0; i < 4; i++) chain.push(await mint(chain[chain.length - 1], { rateLimitPerMinute: 1000 }));
    const results = await Promise.all(chain.map((k, i) => (i % 2 ? a : b).gql(REVOKE, { id: k.id, cascade: true }, admin)));
    for (const res of results) expect(res.errors).toBeUndefined();
    for (const k of chain) expect((await a.gql(VIEWER, {}, { key: k.key })).errors?.[0].extensions?.reason).toBe('KEY_REVOKED');
  });

  it("a minted key cannot delete its lineage's root (the keys it minted would leave the root's budget); a user can", async () => {
    const root = await issueKey(a, admin, { scopes: MANAGE, rateLimitPerMinute: 10 });
    const child = await mint(root, { rateLimitPerMinute: 10 });
    const refused = await a.gql(`mutation($id: ID!) { deleteClientKey(id: $id) }`, { id: root.id }, { key: child.key });
    expect(refused.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await a.gql(VIEWER, {}, { key: root.key })).errors).toBeUndefined();
    expect((await a.gql(`mutation($id: ID!) { deleteClientKey(id: $id) }`, { id: root.id }, admin)).errors).toBeUndefined();
  });

  it('deleting a key in the middle of a lineage does not let its descendants escape a cascade', async () => {
    const root = await issueKey(a, admin, { scopes: MANAGE, rateLimitPerMinute: 10_000 });
    const middle = await mint(root, { rateLimitPerMinute: 1000 });
    const leaf = await mint({ key: middle.key }, { rateLimitPerMinute: 1000 });
    // The middle key deletes itself (it holds its own scopes).
    expect((await a.gql(`mutation($id: ID!) { deleteClientKey(id: $id) }`, { id: middle.id }, { key: middle.key })).errors).toBeUndefined();
    await a.gql(REVOKE, { id: root.id, cascade: true }, admin);
    expect((await a.gql(VIEWER, {}, { key: leaf.key })).errors?.[0].extensions?.reason).toBe('KEY_REVOKED');
  });
});
