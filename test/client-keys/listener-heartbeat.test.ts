import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { REVOKE_KEY, VIEWER } from '../support/documents';
import { issueKey, startTestApp, type TestApp } from '../support/test-app';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { timeUntil, until } from '../support/wait';

async function listenerPids(db: TestDatabase): Promise<number[]> {
  const client = new Client({ connectionString: db.url });
  await client.connect();
  try {
    const { rows } = await client.query<{ pid: number }>(
      `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'keygate-listener'`,
    );
    return rows.map((r) => r.pid);
  } finally {
    await client.end();
  }
}

/**
 * Two instances on one database. Instance A's LISTEN connection is frozen on the server side
 * (its backend process SIGSTOPped, as a half-open connection would look): no error, no end,
 * no notifications. A must notice, bypass its key cache, reconnect, and honour revocations made
 * on B throughout.
 */
describe('a stuck LISTEN connection', () => {
  let db: TestDatabase;
  let a: TestApp;
  let b: TestApp;
  let frozen: number | undefined;

  beforeAll(async () => {
    db = await createTestDatabase();
    a = await startTestApp({ db, captureLogs: true });
    b = await startTestApp({ db });
  });

  afterAll(async () => {
    if (frozen !== undefined) {
      process.kill(frozen, 'SIGCONT');
      const client = new Client({ connectionString: db.url });
      await client.connect();
      await client.query('SELECT pg_terminate_backend($1)', [frozen]).catch(() => undefined);
      await client.end();
    }
    await b?.close();
    await a?.close();
    await db?.drop();
  });

  it('is noticed within a second, the cache is bypassed until it recovers, and a revocation is honoured within 2 s', async () => {
    const pids = await listenerPids(db);
    expect(pids).toHaveLength(2);
    const admin = await b.login();
    const { key, id } = await issueKey(b, admin, { scopes: ['read:clientkeys'] });
    const other = await issueKey(b, admin, { scopes: ['read:clientkeys'] });

    // Warm A's cache: a cached key costs no query.
    expect((await a.gql(VIEWER, {}, { key })).data?.viewer.kind).toBe('CLIENT_KEY');
    a.takeQueries();
    expect((await a.gql(VIEWER, {}, { key })).data?.viewer.kind).toBe('CLIENT_KEY');
    expect(a.takeQueries()).toEqual([]);

    // Freeze A's listener backend (A started first, so its listener is the older one).
    const stuck: number = (
      await a.app.dataSource.query(
        `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'keygate-listener' ORDER BY backend_start LIMIT 1`,
      )
    )[0].pid;
    process.kill(stuck, 'SIGSTOP');
    frozen = stuck;
    const frozenAt = performance.now();

    const revoked = await b.gql(REVOKE_KEY, { id }, admin);
    expect(revoked.data?.revokeClientKey.status).toBe('REVOKED');
    const refusedAfter = await timeUntil(
      'the revoked key refused on A',
      async () => (await a.gql(VIEWER, {}, { key })).errors?.[0]?.extensions?.reason === 'KEY_REVOKED',
      2_000,
    );
    const noticedAfter = await timeUntil('A has logged the stuck listener', () => a.logs().includes('stopped answering its heartbeat'), 2_000).then(
      () => performance.now() - frozenAt,
    );
    console.log(`[stuck listener] noticed after ${Math.round(noticedAfter)} ms; revocation honoured after ${Math.round(refusedAfter)} ms`);
    expect(noticedAfter).toBeLessThan(1_500);

    // A reconnects on a new backend by itself, and its cache (and NOTIFY) work again.
    await until('A listens again on a new backend', async () => (await listenerPids(db)).filter((pid) => pid !== stuck).length === 2, 10_000);
    expect((await a.gql(VIEWER, {}, { key: other.key })).data?.viewer.kind).toBe('CLIENT_KEY');
    a.takeQueries();
    expect((await a.gql(VIEWER, {}, { key: other.key })).data?.viewer.kind).toBe('CLIENT_KEY');
    expect(a.takeQueries()).toEqual([]);
    await b.gql(REVOKE_KEY, { id: other.id }, admin);
    await until(
      'the other key refused on A',
      async () => (await a.gql(VIEWER, {}, { key: other.key })).errors?.[0]?.extensions?.reason === 'KEY_REVOKED',
      1_000,
    );
  }, 60_000);
});
