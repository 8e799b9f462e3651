import { spawnSync } from 'node:child_process';
import { Client } from 'pg';
import { MIGRATIONS } from '../../src/database/data-source';
import { REPO_ROOT } from '../support/spawn-keygate';
import { createTestDatabase } from '../support/test-database';

describe("npm run migration:run (the operators' TypeORM CLI path)", () => {
  it('applies every migration to DATABASE_URL, and a second run finds nothing pending', async () => {
    const db = await createTestDatabase();
    try {
      const run = () =>
        spawnSync('npm', ['run', 'migration:run', '--silent'], { cwd: REPO_ROOT, env: { ...process.env, DATABASE_URL: db.url }, encoding: 'utf8' });
      const first = run();
      expect(first.status).toBe(0);
      const client = new Client({ connectionString: db.url });
      await client.connect();
      const applied = await client.query('SELECT name FROM migrations ORDER BY id');
      const tables = await client.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'`);
      await client.end();
      expect(applied.rows.map((r) => r.name)).toEqual(MIGRATIONS.map((m) => m.name));
      expect(tables.rows.map((r) => r.table_name)).toEqual(expect.arrayContaining(['users', 'refresh_tokens', 'client_keys', 'audit_events']));
      const second = run();
      expect(second.status).toBe(0);
      expect(second.stdout).toContain('No migrations are pending');
    } finally {
      await db.drop();
    }
  }, 180_000);
});
