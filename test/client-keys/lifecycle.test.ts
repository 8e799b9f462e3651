import { AUDIT, CREATE_KEY, DELETE_KEY, futureIso, GET_KEY, LIST_KEYS, REVOKE_KEY, ROTATE_KEY, UPDATE_KEY } from '../support/documents';
import { startTestApp, type TestApp } from '../support/test-app';
import { until } from '../support/wait';

describe('client key lifecycle over HTTP', () => {
  let t: TestApp;
  let member: { token: string; userId: string };
  beforeAll(async () => {
    t = await startTestApp();
    member = await t.member('life');
  });
  afterAll(() => t.close());

  it('creates, lists, gets, updates, rotates, revokes and deletes a key, auditing each step', async () => {
    const expiresAt = futureIso(7 * 86_400);
    const created = await t.gql(
      CREATE_KEY,
      { i: { name: ' Billing service ', description: 'nightly job', scopes: ['read:clientkeys'], rateLimitPerMinute: 100, expiresAt } },
      member,
    );
    const { key, clientKey } = created.data.createClientKey;
    expect(key).toMatch(/^kg_/);
    expect(clientKey).toMatchObject({
      name: 'Billing service',
      description: 'nightly job',
      scopes: ['read:clientkeys'],
      rateLimitPerMinute: 100,
      status: 'ACTIVE',
      expiresAt,
      revokedAt: null,
      lastUsedAt: null,
      userId: member.userId,
      keyPrefix: key.slice(0, 11),
    });

    const listed = await t.gql(LIST_KEYS, {}, member);
    expect(listed.data.clientKeys.totalCount).toBe(1);
    expect(listed.data.clientKeys.nodes[0].id).toBe(clientKey.id);
    expect(JSON.stringify(listed.data)).not.toContain(key);

    const got = await t.gql(GET_KEY, { id: clientKey.id }, member);
    expect(got.data.clientKey).toEqual(clientKey);

    const updated = await t.gql(
      UPDATE_KEY,
      { id: clientKey.id, i: { name: 'Billing', rateLimitPerMinute: 200, scopes: ['read:clientkeys', 'read:audit'] } },
      member,
    );
    expect(updated.data.updateClientKey).toMatchObject({
      name: 'Billing',
      rateLimitPerMinute: 200,
      scopes: ['read:clientkeys', 'read:audit'],
      description: 'nightly job',
    });

    const rotated = await t.gql(ROTATE_KEY, { id: clientKey.id, g: 3600 }, member);
    expect(rotated.data.rotateClientKey.key).not.toBe(key);
    expect(rotated.data.rotateClientKey.clientKey).toMatchObject({ id: clientKey.id, name: 'Billing', rateLimitPerMinute: 200, expiresAt });
    expect(rotated.data.rotateClientKey.clientKey.keyPrefix).toBe(rotated.data.rotateClientKey.key.slice(0, 11));

    const revoked = await t.gql(REVOKE_KEY, { id: clientKey.id, r: 'leaked in a log' }, member);
    expect(revoked.data.revokeClientKey).toMatchObject({ status: 'REVOKED', revokedReason: 'leaked in a log' });
    const again = await t.gql(REVOKE_KEY, { id: clientKey.id, r: 'twice' }, member);
    expect(again.data.revokeClientKey).toMatchObject({
      status: 'REVOKED',
      revokedReason: 'leaked in a log',
      revokedAt: revoked.data.revokeClientKey.revokedAt,
    });

    const revokedList = await t.gql(LIST_KEYS, { status: 'REVOKED' }, member);
    expect(revokedList.data.clientKeys.nodes.map((n: { id: string }) => n.id)).toEqual([clientKey.id]);
    expect((await t.gql(LIST_KEYS, { status: 'ACTIVE' }, member)).data.clientKeys.totalCount).toBe(0);

    for (const [doc, vars] of [
      [UPDATE_KEY, { id: clientKey.id, i: { name: 'x' } }],
      [ROTATE_KEY, { id: clientKey.id, g: 0 }],
    ] as const) {
      const res = await t.gql(doc, vars, member);
      expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });
    }

    expect((await t.gql(DELETE_KEY, { id: clientKey.id }, member)).data).toEqual({ deleteClientKey: clientKey.id });
    expect((await t.gql(GET_KEY, { id: clientKey.id }, member)).code).toBe('NOT_FOUND');

    const audit = await t.gql(AUDIT, { clientKeyId: clientKey.id }, member);
    const events = audit.data.auditEvents.nodes.reverse();
    expect(events.map((e: { action: string }) => e.action)).toEqual([
      'client_key.created',
      'client_key.updated',
      'client_key.rotated',
      'client_key.revoked',
      'client_key.deleted',
    ]);
    for (const event of events) {
      expect(event).toMatchObject({
        actorKind: 'USER',
        actorId: member.userId,
        clientKeyId: clientKey.id,
        userId: member.userId,
        ip: expect.stringMatching(/127\.0\.0\.1/),
        userAgent: expect.any(String),
      });
    }
    expect(events[1].changes).toEqual({
      name: { from: 'Billing service', to: 'Billing' },
      rateLimitPerMinute: { from: 100, to: 200 },
      scopes: { from: ['read:clientkeys'], to: ['read:clientkeys', 'read:audit'] },
    });
    expect(events[3].changes).toEqual({ reason: 'leaked in a log' });
    const trail = JSON.stringify(events);
    expect(trail).not.toContain(key);
    expect(trail).not.toContain(rotated.data.rotateClientKey.key);
  });

  it("keeps the old secret for the grace period but never past the key's expiry", async () => {
    const expiresAt = futureIso(60);
    const created = await t.gql(CREATE_KEY, { i: { name: 'short-lived', scopes: ['read:clientkeys'], expiresAt } }, member);
    const id = created.data.createClientKey.clientKey.id;
    await t.gql(ROTATE_KEY, { id, g: 86_400 }, member);
    const [row] = await t.app.dataSource.query('SELECT previous_key_expires_at, expires_at FROM client_keys WHERE id = $1', [id]);
    expect(row.previous_key_expires_at.toISOString()).toBe(new Date(expiresAt).toISOString());

    await t.gql(ROTATE_KEY, { id, g: 0 }, member);
    const [after] = await t.app.dataSource.query('SELECT previous_key_hash FROM client_keys WHERE id = $1', [id]);
    expect(after.previous_key_hash).toBeNull();
  });

  it('pages through keys newest first with a stable keyset cursor', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) {
      const res = await t.gql(CREATE_KEY, { i: { name: `page-${i}`, scopes: ['read:audit'] } }, member);
      ids.unshift(res.data.createClientKey.clientKey.id);
    }
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const res: any = await t.gql(LIST_KEYS, { first: 3, after, status: 'ACTIVE' }, member);
      seen.push(...res.data.clientKeys.nodes.map((n: { id: string }) => n.id));
      if (!res.data.clientKeys.pageInfo.hasNextPage) break;
      after = res.data.clientKeys.pageInfo.endCursor;
    }
    expect(seen.slice(0, 7)).toEqual(ids);
  });

  it('lists an expired key as EXPIRED', async () => {
    const res = await t.gql(CREATE_KEY, { i: { name: 'soon', scopes: ['read:audit'], expiresAt: futureIso(1) } }, member);
    const id = res.data.createClientKey.clientKey.id;
    await until('the key has expired', async () => (await t.gql(GET_KEY, { id }, member)).data.clientKey.status !== 'ACTIVE', 5_000);
    const got = await t.gql(GET_KEY, { id }, member);
    expect(got.data.clientKey.status).toBe('EXPIRED');
    const expired = await t.gql(LIST_KEYS, { status: 'EXPIRED' }, member);
    expect(expired.data.clientKeys.nodes.map((n: { id: string }) => n.id)).toContain(res.data.createClientKey.clientKey.id);
  });
});
