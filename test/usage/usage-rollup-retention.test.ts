import { createLogger } from '../../src/logging/logger';
import type { Pool } from 'pg';
import { createUsagePool } from '../../src/usage/usage-pool';
import { UsageRecorder } from '../../src/usage/usage-recorder';
import { UsageRetention } from '../../src/usage/usage-retention';
import { issueKey, startTestApp, type TestApp } from '../support/test-app';

const USAGE = `query($id: ID!, $since: DateTime!, $until: DateTime, $interval: UsageInterval) {
  clientKey(id: $id) { usage(since: $since, until: $until, interval: $interval) { start requests errors rateLimited meanLatencyMs } }
}`;
const BY_FIELD = `query($id: ID!, $since: DateTime!, $until: DateTime) { clientKey(id: $id) { usageByField(since: $since, until: $until) { coordinate requests errors } } }`;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

describe('usage rollups and retention', () => {
  let t: TestApp;
  let admin: { token: string };
  let recorder: UsageRecorder;
  let pool: Pool;
  const logger = createLogger('silent');
  // A fixed midnight (UTC) some days back, so bucket boundaries are known.
  const today = Math.floor(Date.now() / DAY) * DAY;

  beforeAll(async () => {
    t = await startTestApp();
    admin = await t.login();
    // As the app writes usage: through its own connection.
    pool = createUsagePool(t.db.url, 3000, logger);
    recorder = new UsageRecorder(pool, logger);
  });
  afterAll(async () => {
    await pool.end();
    await t.close();
  });

  const record = (keyId: string, at: number, extra: Partial<Parameters<UsageRecorder['record']>[0]> = {}) =>
    recorder.record({ keyId, at, latencyMs: 10, errored: false, rateLimited: false, coordinates: ['Query.viewer'], ...extra });

  async function usage(id: string, since: number, until: number, interval: string) {
    const res = await t.gql(USAGE, { id, since: new Date(since).toISOString(), until: new Date(until).toISOString(), interval }, admin);
    expect(res.errors).toBeUndefined();
    return res.data.clientKey.usage as Array<{ start: string; requests: number; errors: number; rateLimited: number; meanLatencyMs: number | null }>;
  }

  it('rolls minutes up into UTC hours and days as it writes them, across flushes', async () => {
    const { id } = await issueKey(t, admin, { scopes: ['read:clientkeys'] });
    const day = today - 3 * DAY;
    record(id, day + 10 * HOUR + 5 * MINUTE + 1000);
    record(id, day + 10 * HOUR + 5 * MINUTE + 2000, { errored: true, latencyMs: 30 });
    record(id, day + 10 * HOUR + 59 * MINUTE, { rateLimited: true, coordinates: undefined });
    await recorder.flush();
    // A second flush into the same hour and day adds to them.
    record(id, day + 10 * HOUR + 30 * MINUTE);
    record(id, day + 23 * HOUR + 59 * MINUTE + 59_000);
    record(id, day + DAY);
    await recorder.flush();

    const hours = await usage(id, day, day + DAY, 'HOUR');
    expect(hours).toHaveLength(24);
    expect(hours[10]).toEqual({ start: new Date(day + 10 * HOUR).toISOString(), requests: 4, errors: 1, rateLimited: 1, meanLatencyMs: 15 });
    expect(hours[23].requests).toBe(1);
    expect(hours.reduce((n, h) => n + h.requests, 0)).toBe(5);

    const days = await usage(id, day, day + 2 * DAY, 'DAY');
    expect(days.map((d) => d.requests)).toEqual([5, 1]);
    expect(days[0].start).toBe(new Date(day).toISOString());

    // `since` is rounded down to its interval; `until` is exclusive.
    const minutes = await usage(id, day + 10 * HOUR + 5 * MINUTE + 30_000, day + 10 * HOUR + 6 * MINUTE, 'MINUTE');
    expect(minutes).toEqual([{ start: new Date(day + 10 * HOUR + 5 * MINUTE).toISOString(), requests: 2, errors: 1, rateLimited: 0, meanLatencyMs: 20 }]);

    const fields = await t.gql(BY_FIELD, { id, since: new Date(day).toISOString(), until: new Date(day + DAY).toISOString() }, admin);
    expect(fields.data.clientKey.usageByField).toEqual([{ coordinate: 'Query.viewer', requests: 4, errors: 0 }]);
  });

  it('prunes minutes after 48 hours and everything after USAGE_RETENTION_DAYS', async () => {
    const { id } = await issueKey(t, admin, { scopes: ['read:clientkeys'] });
    const now = Date.now();
    record(id, now - 40 * DAY);
    record(id, now - 10 * DAY);
    record(id, now - 60 * MINUTE);
    await recorder.flush();
    const rows = async () =>
      (
        await t.app.dataSource.query(
          `SELECT granularity, count(*)::int AS n FROM key_usage WHERE client_key_id = $1 GROUP BY granularity ORDER BY granularity`,
          [id],
        )
      ).map((r: { granularity: string; n: number }) => `${r.granularity}:${r.n}`);
    const fieldRows = async () => (await t.app.dataSource.query(`SELECT count(*)::int AS n FROM key_field_usage WHERE client_key_id = $1`, [id]))[0].n;
    expect(await rows()).toEqual(['day:3', 'hour:3', 'minute:3']);
    expect(await fieldRows()).toBe(3);

    // Other tests' old rows go too: at least these five.
    expect(await new UsageRetention(pool, logger, 30).prune(now)).toBeGreaterThanOrEqual(5);
    expect(await rows()).toEqual(['day:2', 'hour:2', 'minute:1']);
    expect(await fieldRows()).toBe(2);

    expect(await new UsageRetention(pool, logger, 7).prune(now)).toBeGreaterThanOrEqual(3);
    expect(await rows()).toEqual(['day:1', 'hour:1', 'minute:1']);
    expect(await fieldRows()).toBe(1);
  });

  it('keeps counting the other keys when one was deleted before its usage was written', async () => {
    const kept = await issueKey(t, admin, { scopes: ['read:clientkeys'] });
    const gone = await issueKey(t, admin, { scopes: ['read:clientkeys'] });
    await t.gql(`mutation($id: ID!) { deleteClientKey(id: $id) }`, { id: gone.id }, admin);
    record(kept.id, Date.now());
    record(gone.id, Date.now());
    await recorder.flush();
    const [{ n }] = await t.app.dataSource.query(
      `SELECT coalesce(sum(requests), 0)::int AS n FROM key_usage WHERE client_key_id = $1 AND granularity = 'day'`,
      [kept.id],
    );
    expect(n).toBe(1);
  });

  it('keeps the counts in memory while the database refuses them, and writes them later', async () => {
    const { id } = await issueKey(t, admin, { scopes: ['read:clientkeys'] });
    const failing = { query: () => Promise.reject(new Error('database unavailable')) };
    const offline = new UsageRecorder(failing as never, logger);
    offline.record({ keyId: id, at: Date.now(), latencyMs: 1, errored: false, rateLimited: false, coordinates: ['Query.viewer'] });
    await offline.flush();
    offline.record({ keyId: id, at: Date.now(), latencyMs: 1, errored: true, rateLimited: false });
    // Hand the pending counts to a recorder with a working database (same memory, new connection).
    (offline as unknown as { writer: unknown }).writer = pool;
    await offline.flush();
    const [{ requests, errors }] = await t.app.dataSource.query(
      `SELECT requests::int, errors::int FROM key_usage WHERE client_key_id = $1 AND granularity = 'day'`,
      [id],
    );
    expect({ requests, errors }).toEqual({ requests: 2, errors: 1 });
  });

  it('loses nothing when several instances flush the same rows at the same moment, again and again', async () => {
    const keys = await Promise.all([0, 1, 2].map(() => issueKey(t, admin, { scopes: ['read:clientkeys'] })));
    // Four instances, each with its own connection.
    const pools = [0, 1, 2, 3].map(() => createUsagePool(t.db.url, 3000, logger));
    const instances = pools.map((p) => new UsageRecorder(p, logger));
    const at = Date.now();
    for (let round = 0; round < 10; round++) {
      instances.forEach((instance, i) => {
        // Each instance sees the keys in a different order: the writes must still not deadlock.
        const order = i % 2 === 0 ? keys : [...keys].reverse();
        for (const { id } of order) {
          instance.record({ keyId: id, at, latencyMs: 1, errored: round % 2 === 0, rateLimited: false, coordinates: ['Query.viewer', 'Query.clientKeys'] });
        }
      });
      await Promise.all(instances.map((instance) => instance.flush()));
    }
    await Promise.all(pools.map((p) => p.end()));
    for (const { id } of keys) {
      const [{ requests, errors }] = await t.app.dataSource.query(
        `SELECT requests::int, errors::int FROM key_usage WHERE client_key_id = $1 AND granularity = 'minute'`,
        [id],
      );
      expect({ requests, errors }).toEqual({ requests: 40, errors: 20 });
      const fields = await t.app.dataSource.query(`SELECT coordinate, requests::int FROM key_field_usage WHERE client_key_id = $1 ORDER BY coordinate`, [id]);
      expect(fields).toEqual([
        { coordinate: 'Query.clientKeys', requests: 40 },
        { coordinate: 'Query.viewer', requests: 40 },
      ]);
    }
  });
});
