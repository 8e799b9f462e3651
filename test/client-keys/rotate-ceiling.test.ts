import { futureIso, GET_KEY, ROTATE_KEY, VIEWER } from '../support/documents';
import { issueKey, startTestApp, type TestApp } from '../support/test-app';

const MANAGE = ['read:clientkeys', 'write:clientkeys'];
const CREATE = `mutation($i: CreateClientKeyInput!) { createClientKey(input: $i) { key clientKey { id } } }`;

/**
 * Rotating hands the caller a working secret for the target: a client key may rotate only a key
 * whose terms (limit, expiry, allowedCidrs, scopes) lie within its own. Users are not limited so.
 */
describe("rotation by a client key stays within the rotating key's terms", () => {
  let t: TestApp;
  let member: { token: string; userId: string };
  beforeAll(async () => {
    t = await startTestApp();
    member = await t.member('rotate-ceiling');
  });
  afterAll(() => t.close());

  async function expectRefused(actor: { key: string }, target: { id: string; key: string }, field: string) {
    const before = (await t.gql(GET_KEY, { id: target.id }, member)).data.clientKey;
    const res = await t.gql(ROTATE_KEY, { id: target.id, g: 0 }, actor);
    expect(res.errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN', field });
    expect(JSON.stringify(res)).not.toMatch(/kg_[0-9A-Za-z]{20}/);
    // Nothing changed: same prefix, and the old secret still works.
    expect((await t.gql(GET_KEY, { id: target.id }, member)).data.clientKey.keyPrefix).toBe(before.keyPrefix);
    expect((await t.gql(VIEWER, {}, { key: target.key })).status).toBe(200);
  }

  it('refuses a limited, expiring key rotating a sibling with a higher limit or a later (or no) expiry', async () => {
    const expiresAt = futureIso(3600);
    const small = await issueKey(t, member, { scopes: [...MANAGE, 'read:audit'], rateLimitPerMinute: 5, expiresAt });
    const big = await issueKey(t, member, { scopes: ['read:audit'], rateLimitPerMinute: 100_000 });
    await expectRefused(small, big, 'expiresAt');
    const fast = await issueKey(t, member, { scopes: ['read:audit'], rateLimitPerMinute: 100_000, expiresAt });
    await expectRefused(small, fast, 'rateLimitPerMinute');
    const later = await issueKey(t, member, { scopes: ['read:audit'], rateLimitPerMinute: 5, expiresAt: futureIso(7200) });
    await expectRefused(small, later, 'expiresAt');
  });

  it('refuses a key restricted by allowedCidrs rotating a sibling usable from anywhere or elsewhere', async () => {
    const restricted = await t.gql(CREATE, { i: { name: 'inside', scopes: [...MANAGE, 'read:audit'], allowedCidrs: ['127.0.0.1/32'] } }, member);
    const actor = { key: restricted.data.createClientKey.key as string };
    const open = await issueKey(t, member, { scopes: ['read:audit'] });
    await expectRefused(actor, open, 'allowedCidrs');
    const wider = await t.gql(CREATE, { i: { name: 'wider', scopes: ['read:audit'], allowedCidrs: ['127.0.0.0/8'] } }, member);
    await expectRefused(actor, { id: wider.data.createClientKey.clientKey.id, key: wider.data.createClientKey.key }, 'allowedCidrs');
    const inside = await t.gql(CREATE, { i: { name: 'same', scopes: ['read:audit'], allowedCidrs: ['127.0.0.1/32'] } }, member);
    const ok = await t.gql(ROTATE_KEY, { id: inside.data.createClientKey.clientKey.id, g: 0 }, actor);
    expect(ok.errors).toBeUndefined();
    expect((await t.gql(VIEWER, {}, { key: ok.data.rotateClientKey.key })).status).toBe(200);
  });

  it('allows a key to rotate a sibling within its terms, and itself', async () => {
    const expiresAt = futureIso(3600);
    const actor = await issueKey(t, member, { scopes: [...MANAGE, 'read:audit'], rateLimitPerMinute: 50, expiresAt });
    const within = await issueKey(t, member, { scopes: ['read:audit'], rateLimitPerMinute: 50, expiresAt: futureIso(1800) });
    expect((await t.gql(ROTATE_KEY, { id: within.id, g: 0 }, actor)).errors).toBeUndefined();
    const self = await t.gql(ROTATE_KEY, { id: actor.id, g: 60 }, actor);
    expect(self.errors).toBeUndefined();
    expect(self.data.rotateClientKey.clientKey).toMatchObject({ rateLimitPerMinute: 50, expiresAt });
  });

  it('lets a user rotate any of their keys whatever its terms', async () => {
    const big = await issueKey(t, member, { scopes: ['read:audit'], rateLimitPerMinute: 100_000 });
    const res = await t.gql(ROTATE_KEY, { id: big.id, g: 0 }, member);
    expect(res.data.rotateClientKey.clientKey).toMatchObject({ rateLimitPerMinute: 100_000, expiresAt: null });
  });
});
