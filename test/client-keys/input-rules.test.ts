import { CREATE_KEY, futureIso, GET_KEY, LIST_KEYS, ROTATE_KEY, UPDATE_KEY } from '../support/documents';
import { startTestApp, type TestApp } from '../support/test-app';

describe('client key input rules', () => {
  let t: TestApp;
  let member: { token: string; userId: string };
  let keyId: string;
  beforeAll(async () => {
    t = await startTestApp();
    member = await t.member('rules');
    keyId = (await t.gql(CREATE_KEY, { i: { name: 'base', scopes: ['read:audit'] } }, member)).data.createClientKey.clientKey.id;
  });
  afterAll(() => t.close());

  const valid = { name: 'ok', scopes: ['read:clientkeys'] };
  it.each([
    [{ ...valid, name: '' }, 'name'],
    [{ ...valid, name: '   ' }, 'name'],
    [{ ...valid, name: 'n'.repeat(101) }, 'name'],
    [{ ...valid, description: 'd'.repeat(501) }, 'description'],
    [{ ...valid, scopes: [] }, 'scopes'],
    [{ ...valid, scopes: ['read:everything'] }, 'scopes'],
    [{ ...valid, rateLimitPerMinute: 0 }, 'rateLimitPerMinute'],
    [{ ...valid, rateLimitPerMinute: 1_000_001 }, 'rateLimitPerMinute'],
    [{ ...valid, expiresAt: new Date(Date.now() - 60_000).toISOString() }, 'expiresAt'],
  ])('createClientKey refuses %j naming %s', async (input, field) => {
    const res = await t.gql(CREATE_KEY, { i: input }, member);
    expect(res.status).toBe(200);
    expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
  });

  it('refuses values of the wrong type before the service sees them', async () => {
    for (const input of [{ ...valid, expiresAt: 'tomorrow' }, { ...valid, rateLimitPerMinute: 1.5 }, { ...valid, scopes: [1] }, { name: 'x' }]) {
      const res = await t.gql(CREATE_KEY, { i: input }, member);
      expect(res.code).toBe('BAD_USER_INPUT');
    }
  });

  it.each([
    [{ name: '' }, 'name'],
    [{ scopes: [] }, 'scopes'],
    [{ scopes: ['nope'] }, 'scopes'],
    [{ rateLimitPerMinute: -5 }, 'rateLimitPerMinute'],
    [{ expiresAt: '2001-01-01T00:00:00Z' }, 'expiresAt'],
  ])('updateClientKey refuses %j naming %s', async (input, field) => {
    const res = await t.gql(UPDATE_KEY, { id: keyId, i: input }, member);
    expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
  });

  it('removes an expiry with expiresAt: null and sets a new one', async () => {
    const set = await t.gql(UPDATE_KEY, { id: keyId, i: { expiresAt: futureIso() } }, member);
    expect(set.data.updateClientKey.expiresAt).not.toBeNull();
    const cleared = await t.gql(UPDATE_KEY, { id: keyId, i: { expiresAt: null } }, member);
    expect(cleared.data.updateClientKey.expiresAt).toBeNull();
  });

  it('refuses malformed ids, cursors, page sizes, statuses and grace periods', async () => {
    expect((await t.gql(GET_KEY, { id: 'not-a-uuid' }, member)).errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });
    expect((await t.gql(LIST_KEYS, { after: '!!!' }, member)).errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
    expect((await t.gql(LIST_KEYS, { first: 101 }, member)).errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
    expect((await t.gql(LIST_KEYS, { userId: 'x' }, member)).errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'userId' });
    expect((await t.gql(LIST_KEYS, { status: 'DORMANT' }, member)).code).toBe('BAD_USER_INPUT');
    expect((await t.gql(ROTATE_KEY, { id: keyId, g: -1 }, member)).errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'gracePeriodSeconds',
    });
    expect((await t.gql(ROTATE_KEY, { id: keyId, g: 40 * 86_400 }, member)).errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'gracePeriodSeconds',
    });
  });

  it('deduplicates scopes', async () => {
    const res = await t.gql(CREATE_KEY, { i: { name: 'dup', scopes: ['read:audit', 'read:audit'] } }, member);
    expect(res.data.createClientKey.clientKey.scopes).toEqual(['read:audit']);
  });
});

describe('scope ceiling', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('refuses a member a key with a scope only admins hold, on create and on update', async () => {
    const member = await t.member('climber');
    const create = await t.gql(CREATE_KEY, { i: { name: 'escalate', scopes: ['read:clientkeys', 'write:users'] } }, member);
    expect(create.errors?.[0].extensions).toEqual({ code: 'FORBIDDEN', requiredScopes: [['write:users']] });
    const ok = await t.gql(CREATE_KEY, { i: { name: 'fine', scopes: ['read:clientkeys'] } }, member);
    const update = await t.gql(UPDATE_KEY, { id: ok.data.createClientKey.clientKey.id, i: { scopes: ['read:users'] } }, member);
    expect(update.errors?.[0].extensions).toEqual({ code: 'FORBIDDEN', requiredScopes: [['read:users']] });
    const count = await t.app.dataSource.query(`SELECT count(*)::int AS n FROM client_keys WHERE 'write:users' = ANY(scopes) OR 'read:users' = ANY(scopes)`);
    expect(count[0].n).toBe(0);
  });

  it('lets an admin grant any scope', async () => {
    const admin = await t.login();
    const res = await t.gql(
      CREATE_KEY,
      { i: { name: 'all', scopes: ['read:users', 'write:users', 'read:clientkeys', 'write:clientkeys', 'read:audit'] } },
      admin,
    );
    expect(res.data.createClientKey.clientKey.scopes).toHaveLength(5);
  });
});
