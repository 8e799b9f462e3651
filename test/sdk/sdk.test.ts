import { createClient, graphqlTypes, KeygateError } from '@keygate/sdk';
import { ADMIN, issueKey, startTestApp, type TestApp } from '../support/test-app';

describe('@keygate/sdk', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  async function loggedIn() {
    const client = createClient({ url: t.url });
    await client.auth.login({ email: ADMIN.email, password: ADMIN.password });
    return client;
  }

  it('returns the seed shapes with snake_case names', async () => {
    const client = await loggedIn();
    const created = await client.management.clientKeys.create({ name: 'shapes', scopes: ['read:audit'], rate_limit_per_minute: 7 });
    expect(Object.keys(created).sort()).toEqual(['client_key', 'key']);
    expect(Object.keys(created.client_key).sort()).toEqual(
      [
        'created_at',
        'description',
        'expires_at',
        'id',
        'key_prefix',
        'last_used_at',
        'name',
        'rate_limit_per_minute',
        'revoked_at',
        'scopes',
        'updated_at',
        'user_id',
      ].sort(),
    );
    const listed = await client.management.clientKeys.list();
    expect(Object.keys(listed).sort()).toEqual(['client_keys', 'total']);
    expect(await client.management.clientKeys.delete(created.client_key.id)).toEqual({ message: 'Client key deleted' });
  });

  it('rotates, and lists every page', async () => {
    const client = await loggedIn();
    const { client_key, key } = await client.management.clientKeys.create({ name: 'rot', scopes: ['read:audit'] });
    const rotated = await client.management.clientKeys.rotate(client_key.id, { gracePeriodSeconds: 60 });
    expect(rotated.client_key.id).toBe(client_key.id);
    expect(rotated.key).not.toBe(key);
    for (let i = 0; i < 105; i++) await client.management.clientKeys.create({ name: `bulk-${i}`, scopes: ['read:audit'] });
    const all = await client.management.clientKeys.list();
    expect(all.client_keys.length).toBe(all.total);
    expect(all.total).toBeGreaterThan(105);
    expect((await client.management.clientKeys.list({ limit: 3 })).client_keys).toHaveLength(3);
  });

  it('throws a typed error with the server code and details', async () => {
    const client = await loggedIn();
    const err = await client.management.clientKeys.create({ name: 'bad', scopes: ['nope'] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KeygateError);
    expect(err).toMatchObject({ code: 'BAD_USER_INPUT', status: 200, details: { field: 'scopes' } });

    const anonymous = createClient({ url: t.url });
    const denied = await anonymous.management.clientKeys.list().catch((e: unknown) => e);
    expect(denied).toMatchObject({ code: 'UNAUTHENTICATED', status: 401 });

    const badLogin = await anonymous.auth.login({ email: ADMIN.email, password: 'wrong-password' }).catch((e: unknown) => e);
    expect(badLogin).toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(String((badLogin as Error).message)).not.toContain('wrong-password');

    const offline = await createClient({ url: 'http://127.0.0.1:1' })
      .management.clientKeys.list()
      .catch((e: unknown) => e);
    expect(offline).toMatchObject({ code: 'NETWORK_ERROR' });
  });

  it('acts as a client key, and offers a typed graphql() escape hatch', async () => {
    const admin = await loggedIn();
    const { key } = await admin.management.clientKeys.create({ name: 'svc', scopes: ['read:clientkeys', 'write:clientkeys'] });
    const service = createClient({ url: t.url, clientKey: key });
    const listed = await service.management.clientKeys.list({ limit: 1 });
    expect(listed.client_keys).toHaveLength(1);
    const forbidden = await service.management.clientKeys.create({ name: 'x', scopes: ['read:users'] }).catch((e: unknown) => e);
    expect(forbidden).toMatchObject({ code: 'FORBIDDEN', details: { requiredScopes: [['read:users']] } });

    const data = await service.graphql(graphqlTypes.SdkGetClientKeyDocument, { id: listed.client_keys[0].id });
    expect(data.clientKey.id).toBe(listed.client_keys[0].id);
    const viewer = await service.graphql<{ viewer: { kind: string } }>('{ viewer { kind } }');
    expect(viewer.viewer.kind).toBe('CLIENT_KEY');
  });

  it('refreshes and logs out the session it holds', async () => {
    const client = await loggedIn();
    const first = client.auth.session!;
    const renewed = await client.auth.refresh();
    expect(renewed.refresh_token).not.toBe(first.refresh_token);
    await client.auth.logout();
    expect(client.auth.session).toBeUndefined();
    await expect(client.management.clientKeys.list()).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('lists only the caller\'s own keys, an admin\'s too (the seed: "for the authenticated user")', async () => {
    const admin = await loggedIn();
    const member = await t.member('sdk-list');
    const theirs = await issueKey(t, { token: member.token }, { name: 'member key', scopes: ['read:clientkeys'] });
    const mine = await admin.management.clientKeys.create({ name: 'admin key', scopes: ['read:clientkeys'] });

    const listed = await admin.management.clientKeys.list();
    const ids = listed.client_keys.map((k) => k.id);
    expect(ids).toContain(mine.client_key.id);
    expect(ids).not.toContain(theirs.id);
    expect(new Set(listed.client_keys.map((k) => k.user_id))).toEqual(new Set([admin.auth.session!.user.id]));
    expect(listed.total).toBe(listed.client_keys.length);
    // Another user's keys only when asked by name (admins).
    expect((await admin.management.clientKeys.list({ user_id: member.userId })).client_keys.map((k) => k.id)).toEqual([theirs.id]);

    // A key lists its owner's keys.
    const asKey = createClient({ url: t.url, clientKey: theirs.key });
    expect((await asKey.management.clientKeys.list()).client_keys.map((k) => k.id)).toEqual([theirs.id]);
  });
});
