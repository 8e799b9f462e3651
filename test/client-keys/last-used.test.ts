import { GET_KEY, VIEWER } from '../support/documents';
import { issueKey, startTestApp } from '../support/test-app';
import { found } from '../support/wait';

describe('lastUsedAt', () => {
  it('appears within 5 seconds of use without a write on the request path, and is flushed on shutdown', async () => {
    const t = await startTestApp();
    let closed = false;
    try {
      const admin = await t.login();
      const { key, id } = await issueKey(t, admin, { scopes: ['read:users'] });
      await t.gql(VIEWER, {}, { key });
      t.takeQueries();
      const usedAt = Date.now();
      await t.gql(VIEWER, {}, { key });
      expect(t.takeQueries().filter((q) => /UPDATE/i.test(q))).toEqual([]);

      const lastUsedAt: string | null = await found(
        'lastUsedAt is set',
        async () => ((await t.gql(GET_KEY, { id }, admin)).data.clientKey.lastUsedAt as string | null) ?? undefined,
        6000,
      ).catch(() => null);
      expect(lastUsedAt).not.toBeNull();
      expect(Date.now() - usedAt).toBeLessThan(5500);
      expect(Math.abs(new Date(lastUsedAt!).getTime() - usedAt)).toBeLessThan(1000);

      // A use just before shutdown is not lost.
      const second = await issueKey(t, admin, { scopes: ['read:users'] });
      await t.gql(VIEWER, {}, { key: second.key });
      await t.app.close();
      closed = true;
      const { Client } = await import('pg');
      const client = new Client({ connectionString: t.db.url });
      await client.connect();
      const { rows } = await client.query('SELECT last_used_at FROM client_keys WHERE id = $1', [second.id]);
      await client.end();
      expect(rows[0].last_used_at).not.toBeNull();
    } finally {
      if (!closed) await t.app.close();
      await t.db.drop();
    }
  });
});
