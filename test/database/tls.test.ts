import { Client } from 'pg';
import { createLogger } from '../../src/logging/logger';
import { createUsagePool } from '../../src/usage/usage-pool';
import { startTestApp } from '../support/test-app';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

/**
 * docs/operations.md tells operators to put `sslmode` in DATABASE_URL. The test server has no TLS,
 * so a URL that demands it must fail on every kind of connection Keygate opens (the pool and
 * migrations, the usage writer, the LISTEN client) instead of silently connecting in the clear.
 */
describe('sslmode in DATABASE_URL', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db?.drop());

  const withSslmode = (mode: string) => {
    const url = new URL(db.url);
    url.searchParams.set('sslmode', mode);
    return url.toString();
  };

  it('sslmode=verify-full is honoured by Keygate start-up, the usage writer and the LISTEN client', async () => {
    const url = withSslmode('verify-full');
    await expect(startTestApp({ db: { ...db, url, drop: async () => undefined } })).rejects.toThrow(/does not support SSL/);
    const usage = createUsagePool(url, 3000, createLogger('silent'));
    await expect(usage.query('SELECT 1')).rejects.toThrow(/does not support SSL/);
    await usage.end();
    await expect(new Client({ connectionString: url }).connect()).rejects.toThrow(/does not support SSL/);
  });

  it('sslmode=disable connects in the clear', async () => {
    const t = await startTestApp({ db: { ...db, url: withSslmode('disable'), drop: async () => undefined } });
    try {
      expect((await fetch(`${t.url}/readyz`)).status).toBe(200);
    } finally {
      await t.close();
    }
  });
});
