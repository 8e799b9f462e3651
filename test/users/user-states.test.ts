import type { DataSource } from 'typeorm';
import { createDataSource, runMigrations } from '../../src/database/data-source';
import { UserStates } from '../../src/users/user-states';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

/** The per-user authority cache: warm reads cost nothing, invalidation and a deaf listener force a read. */
describe('UserStates', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let queries = 0;
  let userId: string;
  beforeAll(async () => {
    db = await createTestDatabase();
    ds = createDataSource({ url: db.url, onQuery: (sql) => (/FROM users/.test(sql) ? queries++ : undefined) });
    await ds.initialize();
    await runMigrations(ds);
    userId = (await ds.query(`INSERT INTO users (email, password_hash, role) VALUES ('s@example.com', 'x', 'admin') RETURNING id`))[0].id;
  });
  afterAll(async () => {
    await ds.destroy();
    await db.drop();
  });

  it('answers a warm user synchronously, and reads again after an invalidation', async () => {
    const states = new UserStates(ds);
    queries = 0;
    expect(await states.get(userId)).toMatchObject({ role: 'admin', tokenVersion: 0 });
    expect(states.get(userId)).toMatchObject({ role: 'admin' });
    expect(queries).toBe(1);
    await ds.query(`UPDATE users SET role = 'member' WHERE id = $1`, [userId]);
    states.invalidate(userId);
    expect(await states.get(userId)).toMatchObject({ role: 'member' });
    expect(queries).toBe(2);
    await ds.query(`UPDATE users SET role = 'admin' WHERE id = $1`, [userId]);
  });

  it('does not cache a read that an invalidation overtook, nor let later requests join it', async () => {
    const states = new UserStates(ds);
    const racing = states.get(userId) as Promise<unknown>;
    await ds.query(`UPDATE users SET token_version = token_version + 1 WHERE id = $1`, [userId]);
    states.invalidate(userId);
    const after = await states.get(userId);
    await racing;
    expect(after).toMatchObject({ tokenVersion: 1 });
    expect(states.get(userId)).toMatchObject({ tokenVersion: 1 });
  });

  it('reads the database on every request while invalidations cannot be heard', async () => {
    let listening = false;
    const states = new UserStates(ds, { cacheUsable: () => listening });
    queries = 0;
    for (let i = 0; i < 3; i++) expect(await states.get(userId)).toMatchObject({ role: 'admin' });
    expect(queries).toBe(3);
    listening = true;
    await states.get(userId);
    states.get(userId);
    expect(queries).toBe(4);
  });

  it('answers null for a user that does not exist or a malformed id, and remembers it', async () => {
    const states = new UserStates(ds);
    queries = 0;
    expect(await states.get('00000000-0000-0000-0000-000000000000')).toBeNull();
    expect(states.get('00000000-0000-0000-0000-000000000000')).toBeNull();
    expect(await states.get('not-a-uuid')).toBeNull();
    expect(queries).toBe(1);
  });
});
