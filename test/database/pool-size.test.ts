import { Client } from 'pg';
import { issueKey, sleep, startTestApp, type TestApp } from '../support/test-app';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

const POOL_SIZE = 4;
const LIST_KEYS = `query { clientKeys(first: 50) { totalCount nodes { id name owner { id } } } }`;

interface Peak {
  total: number;
  byName: Record<string, number>;
}

/**
 * Samples pg_stat_activity for one database until stopped, keeping the most connections seen at
 * once and, per application_name, the most of each (the sampler itself sits in another database).
 */
function sampleConnections(admin: Client, database: string) {
  const peak: Peak = { total: 0, byName: {} };
  let running = true;
  const done = (async () => {
    while (running) {
      const { rows } = await admin.query<{ name: string; n: number }>(
        `SELECT application_name AS name, count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 GROUP BY 1`,
        [database],
      );
      peak.total = Math.max(
        peak.total,
        rows.reduce((sum, row) => sum + row.n, 0),
      );
      for (const row of rows) peak.byName[row.name] = Math.max(peak.byName[row.name] ?? 0, row.n);
      await sleep(5);
    }
  })();
  return {
    peak,
    async stop(): Promise<Peak> {
      running = false;
      await done;
      return peak;
    },
  };
}

describe('DB_POOL_SIZE', () => {
  let db: TestDatabase;
  let admin: Client;
  let t: TestApp | undefined;
  beforeAll(async () => {
    db = await createTestDatabase();
    admin = new Client({ connectionString: process.env.DATABASE_URL, application_name: 'pool-size-test' });
    await admin.connect();
  });
  afterAll(async () => {
    await t?.close();
    await admin?.end();
    await db?.drop();
  });

  it('bounds every connection an instance opens, from migrations to concurrent load, to DB_POOL_SIZE plus one for LISTEN', async () => {
    const sampler = sampleConnections(admin, db.name);
    try {
      t = await startTestApp({ db, env: { DB_POOL_SIZE: String(POOL_SIZE) } });
      const owner = await t.login();
      const { key } = await issueKey(t, owner, { scopes: ['read:clientkeys', 'read:users'], rateLimitPerMinute: 1_000_000 });

      // Load until the request pool has filled and the usage writer has flushed (every 5 s), or a deadline.
      const deadline = Date.now() + 30_000;
      while (Date.now() < deadline && !((sampler.peak.byName.keygate ?? 0) >= POOL_SIZE - 1 && sampler.peak.byName['keygate-usage'])) {
        const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => t!.gql(LIST_KEYS, {}, i % 2 ? { key } : owner)));
        for (const answer of answers) expect(answer.errors).toBeUndefined();
      }
    } finally {
      await sampler.stop();
    }
    const { peak } = sampler;
    // The load did reach every kind of connection: the bound below is not met by idling.
    expect(peak.byName.keygate).toBe(POOL_SIZE - 1);
    expect(peak.byName['keygate-usage']).toBe(1);
    expect(peak.byName['keygate-listener']).toBe(1);
    expect(peak.total).toBeLessThanOrEqual(POOL_SIZE + 1);
  }, 90_000);
});
