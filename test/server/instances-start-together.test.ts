import { startTestApp, type TestApp } from '../support/test-app';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

/**
 * deploy/compose.yaml starts two instances at once on an empty database, both with ADMIN_EMAIL:
 * one migrates while the other waits, then both make sure the admin exists. Neither may fail
 * because the other created it first.
 */
describe('instances starting together on an empty database', () => {
  let db: TestDatabase;
  const apps: TestApp[] = [];
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    for (const app of apps) await app.close();
    await db?.drop();
  });

  it('all start, with one admin', async () => {
    const started = await Promise.allSettled([1, 2, 3].map(() => startTestApp({ db })));
    for (const outcome of started) if (outcome.status === 'fulfilled') apps.push(outcome.value);
    expect(started.filter((o) => o.status === 'rejected').map((o) => String((o as PromiseRejectedResult).reason))).toEqual([]);
    const { token } = await apps[0].login();
    const users = await apps[1].gql(`{ users(first: 10) { totalCount } }`, {}, { token });
    expect(users.data.users.totalCount).toBe(1);
  });
});
