import { generateKey } from '../../src/client-keys/key-material';
import { AUDIT, CREATE_KEY, REVOKE_KEY, ROTATE_KEY, VIEWER } from '../support/documents';
import { issueKey, sleep, startTestApp, type TestApp } from '../support/test-app';

describe('authenticating requests with client keys', () => {
  let t: TestApp;
  let admin: { token: string; userId: string };
  beforeAll(async () => {
    t = await startTestApp({ captureLogs: true });
    admin = await t.login();
  });
  afterAll(() => t.close());

  it('accepts a key in X-Client-Key and in Authorization: Bearer', async () => {
    const { key, id } = await issueKey(t, admin, { scopes: ['read:users'], rateLimitPerMinute: 500 });
    const viaHeader = await t.gql(VIEWER, {}, { key });
    expect(viaHeader.data.viewer).toMatchObject({
      kind: 'CLIENT_KEY',
      id,
      userId: admin.userId,
      scopes: ['read:users'],
      keyPrefix: key.slice(0, 11),
      rateLimitPerMinute: 500,
      expiresAt: null,
    });
    const res = await fetch(`${t.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ query: '{ viewer { kind id } }' }),
    });
    expect((await res.json()).data.viewer).toEqual({ kind: 'CLIENT_KEY', id });
  });

  it('refuses a key failing its checksum with 401 KEY_INVALID and no database query', async () => {
    const { key } = await issueKey(t, admin, { scopes: ['read:users'] });
    const typo = key.slice(0, 20) + (key[20] === 'x' ? 'y' : 'x') + key.slice(21);
    for (const bad of [typo, key.slice(0, -3), 'kg_nonsense', 'fbk_' + 'a'.repeat(64)]) {
      t.takeQueries();
      const res = await t.gql(VIEWER, {}, { key: bad });
      expect(res.status).toBe(401);
      expect(res.errors?.[0].extensions).toEqual({ code: 'UNAUTHENTICATED', reason: 'KEY_INVALID' });
      expect(t.takeQueries()).toEqual([]);
    }
  });

  it('refuses a well-formed unknown key as KEY_INVALID', async () => {
    const res = await t.gql(VIEWER, {}, { key: generateKey().key });
    expect(res.status).toBe(401);
    expect(res.errors?.[0].extensions).toEqual({ code: 'UNAUTHENTICATED', reason: 'KEY_INVALID' });
  });

  it('refuses a revoked key as KEY_REVOKED at once', async () => {
    const { key, id } = await issueKey(t, admin, { scopes: ['read:users'] });
    expect((await t.gql(VIEWER, {}, { key })).data.viewer.id).toBe(id);
    await t.gql(REVOKE_KEY, { id }, admin);
    const res = await t.gql(VIEWER, {}, { key });
    expect(res.status).toBe(401);
    expect(res.errors?.[0].extensions).toEqual({ code: 'UNAUTHENTICATED', reason: 'KEY_REVOKED' });
  });

  it('refuses a key the second it expires, though its verification is cached', async () => {
    const expiresAt = new Date(Math.ceil(Date.now() / 1000) * 1000 + 2000);
    const { key } = await issueKey(t, admin, { scopes: ['read:users'], expiresAt: expiresAt.toISOString() });
    expect((await t.gql(VIEWER, {}, { key })).data.viewer.expiresAt).toBe(expiresAt.toISOString());
    await sleep(expiresAt.getTime() - Date.now() - 300);
    expect((await t.gql(VIEWER, {}, { key })).status).toBe(200);
    await sleep(expiresAt.getTime() - Date.now() + 5);
    const res = await t.gql(VIEWER, {}, { key });
    expect(res.status).toBe(401);
    expect(res.errors?.[0].extensions).toEqual({ code: 'UNAUTHENTICATED', reason: 'KEY_EXPIRED' });
  });

  it('ignores a key in the URL query and never logs it', async () => {
    const { key } = await issueKey(t, admin, { scopes: ['read:users'] });
    for (const param of ['key', 'client_key', 'apiKey', 'x-client-key']) {
      const res = await fetch(`${t.url}/graphql?${param}=${key}&query=${encodeURIComponent('{ viewer { id } }')}`, {
        headers: { 'apollo-require-preflight': '1' },
      });
      const body = await res.json();
      expect(res.status).toBe(401);
      expect(body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
      expect(body.errors[0].extensions.reason).toBeUndefined();
    }
    expect(t.logs()).toContain('"path":"/graphql"');
    expect(t.logs()).not.toContain(key);
  });

  it("gates fields by the key's scopes exactly as a user's", async () => {
    const { key } = await issueKey(t, admin, { scopes: ['read:users'] });
    expect((await t.gql(`{ users { totalCount } }`, {}, { key })).data.users.totalCount).toBeGreaterThan(0);
    const create = await t.gql(`mutation { createUser(input: { email: "k@example.com", password: "password-123" }) { id } }`, {}, { key });
    expect(create.errors?.[0].extensions).toEqual({ code: 'FORBIDDEN', requiredScopes: [['write:users']] });
    const keys = await t.gql(`{ clientKeys { totalCount } }`, {}, { key });
    expect(keys.errors?.[0].extensions).toEqual({ code: 'FORBIDDEN', requiredScopes: [['read:clientkeys']] });
    expect((await t.gql(`{ me { id } }`, {}, { key })).code).toBe('FORBIDDEN');
  });

  it('lets a key with write:clientkeys mint keys only within its own scopes, audited as the key', async () => {
    const member = await t.member('minter');
    const minter = await issueKey(t, member, { scopes: ['write:clientkeys', 'read:clientkeys'] });
    const escalate = await t.gql(CREATE_KEY, { i: { name: 'more', scopes: ['read:audit'] } }, { key: minter.key });
    expect(escalate.errors?.[0].extensions).toEqual({ code: 'FORBIDDEN', requiredScopes: [['read:audit']] });
    const child = await t.gql(CREATE_KEY, { i: { name: 'child', scopes: ['read:clientkeys'] } }, { key: minter.key });
    expect(child.data.createClientKey.clientKey.userId).toBe(member.userId);
    const events = await t.gql(AUDIT, { clientKeyId: child.data.createClientKey.clientKey.id }, admin);
    expect(events.data.auditEvents.nodes[0]).toMatchObject({
      action: 'client_key.created',
      actorKind: 'CLIENT_KEY',
      actorId: minter.id,
      userId: member.userId,
    });
  });

  it("honours the old secret during a rotation's grace period, and not after", async () => {
    const { key: oldKey, id } = await issueKey(t, admin, { scopes: ['read:users'] });
    const rotated = await t.gql(ROTATE_KEY, { id, g: 2 }, admin);
    const newKey = rotated.data.rotateClientKey.key;
    expect((await t.gql(VIEWER, {}, { key: oldKey })).data.viewer.id).toBe(id);
    expect((await t.gql(VIEWER, {}, { key: newKey })).data.viewer.id).toBe(id);
    // The grace period is a span of time: wait it out (polling with the old key would spend its rate limit).
    await sleep(2100);
    expect((await t.gql(VIEWER, {}, { key: oldKey })).errors?.[0].extensions).toEqual({ code: 'UNAUTHENTICATED', reason: 'KEY_EXPIRED' });
    expect((await t.gql(VIEWER, {}, { key: newKey })).data.viewer.id).toBe(id);

    const again = await t.gql(ROTATE_KEY, { id, g: 0 }, admin);
    expect((await t.gql(VIEWER, {}, { key: newKey })).status).toBe(401);
    expect((await t.gql(VIEWER, {}, { key: again.data.rotateClientKey.key })).data.viewer.id).toBe(id);
  });

  it('answers a warm key with zero database queries', async () => {
    const { key } = await issueKey(t, admin, { scopes: ['read:users'], rateLimitPerMinute: 1000 });
    await t.gql(VIEWER, {}, { key });
    t.takeQueries();
    for (let i = 0; i < 20; i++) expect((await t.gql(VIEWER, {}, { key })).status).toBe(200);
    // Background writes (lastUsedAt, usage counts) may land in the window; none is on the request path.
    const queries = t.takeQueries().filter((q) => !q.includes('last_used_at') && !q.includes('INTO key_usage'));
    expect(queries).toEqual([]);
  });

  it('refuses both credentials at once', async () => {
    const { key } = await issueKey(t, admin, { scopes: ['read:users'] });
    const res = await fetch(`${t.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-client-key': key, authorization: `Bearer ${admin.token}` },
      body: JSON.stringify({ query: '{ viewer { id } }' }),
    });
    expect(res.status).toBe(401);
  });

  it('counts verifications by result and the cache hit ratio in /metrics', async () => {
    const text = await (await fetch(`${t.url}/metrics`)).text();
    for (const result of ['valid', 'invalid', 'expired', 'revoked'])
      expect(text).toMatch(new RegExp(`keygate_key_verifications_total\\{result="${result}"\\} [1-9]`));
    const ratio = Number(/keygate_key_cache_hit_ratio ([\d.]+)/.exec(text)?.[1]);
    expect(ratio).toBeGreaterThan(0.5);
    expect(ratio).toBeLessThanOrEqual(1);
  });
});
