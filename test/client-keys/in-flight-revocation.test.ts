import { type DelayingProxy, startDelayingProxy } from '../support/delaying-proxy';
import { REVOKE_KEY, VIEWER } from '../support/documents';
import { issueKey, startTestApp, type TestApp } from '../support/test-app';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { until } from '../support/wait';

/** A fragment of KeyVerifier's lookup SQL: the proxy holds the reply to that query only. */
const KEY_LOOKUP = 'AS is_previous';
const HOLD_MS = 2000;
/** The channel KeyInvalidationBus listens on: its NOTIFY passing the proxy means A has heard. */
const CHANNEL = 'keygate_key_changes';

/**
 * Issue #20, finding 3: a lookup of a key that read the row before its revocation must not serve
 * requests arriving after the revocation. Instance A reaches PostgreSQL through a proxy that
 * holds the key lookup's reply for 2 s; the revocation commits meanwhile (through A's other
 * connections, or through B, which is not delayed).
 */
describe('a key revoked while its lookup is in flight', () => {
  let database: TestDatabase;
  let proxy: DelayingProxy;
  let a: TestApp;
  let b: TestApp;
  let admin: { token: string };

  beforeAll(async () => {
    database = await createTestDatabase();
    const server = new URL(database.url);
    proxy = await startDelayingProxy({ host: server.hostname, port: Number(server.port || 5432) });
    a = await startTestApp({ db: { ...database, url: proxy.url(database.url) } });
    b = await startTestApp({ db: database });
    admin = await b.login();
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await proxy?.close();
    await database?.drop();
  });

  /** Starts a request on A whose key lookup is held, and resolves once that lookup is in flight. */
  async function heldRequest(key: string) {
    const inFlight = proxy.holdNextReply(KEY_LOOKUP, HOLD_MS);
    const answered = { at: Infinity };
    const request = a.gql(VIEWER, {}, { key }).then((res) => {
      answered.at = Date.now();
      return res;
    });
    await inFlight;
    return { request, answered };
  }

  async function probe(key: string) {
    const sentAt = Date.now();
    const res = await a.gql(VIEWER, {}, { key });
    return { sentAt, status: res.status, code: res.errors?.[0]?.extensions?.code, reason: res.errors?.[0]?.extensions?.reason };
  }

  it('refuses on A, once revokeClientKey on A has returned, requests that would have joined the old lookup', async () => {
    const { key, id } = await issueKey(b, admin, { scopes: ['read:users'], rateLimitPerMinute: 10_000 });
    const held = await heldRequest(key);
    const revoked = await a.gql(REVOKE_KEY, { id }, admin);
    expect(revoked.data?.revokeClientKey.status).toBe('REVOKED');

    const probes = await Promise.all([probe(key), probe(key), probe(key)]);
    for (const p of probes) expect(p).toMatchObject({ status: 401, code: 'UNAUTHENTICATED', reason: 'KEY_REVOKED' });
    // The probes were answered while the old lookup was still held: they did not wait for it.
    const answeredAt = Date.now();
    expect(held.answered.at).toBe(Infinity);
    await held.request;
    expect(held.answered.at).toBeGreaterThan(answeredAt);
    // Nor did the old lookup's answer stay cached once it came back.
    expect(await probe(key)).toMatchObject({ status: 401, reason: 'KEY_REVOKED' });
  });

  it('refuses on A a key revoked on B, once B has returned and its NOTIFY has reached A', async () => {
    const { key, id } = await issueKey(b, admin, { scopes: ['read:users'], rateLimitPerMinute: 10_000 });
    const heard = proxy.watchServer(CHANNEL);
    const held = await heldRequest(key);
    const revokedAt = Date.now();
    const revoked = await b.gql(REVOKE_KEY, { id }, admin);
    expect(revoked.data?.revokeClientKey.status).toBe('REVOKED');

    // SPEC: a revocation on one instance is honoured by all within 1 s.
    await until('the revocation NOTIFY has reached A (within 1 s)', () => heard() > 0, 1000 - (Date.now() - revokedAt));
    const probes = await Promise.all([probe(key), probe(key), probe(key)]);
    for (const p of probes) expect(p).toMatchObject({ status: 401, code: 'UNAUTHENTICATED', reason: 'KEY_REVOKED' });
    expect(held.answered.at).toBe(Infinity);
    await held.request;
    expect(await probe(key)).toMatchObject({ status: 401, reason: 'KEY_REVOKED' });
  });
});
