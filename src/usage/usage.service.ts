import type { DataSource } from 'typeorm';
import type { ClientKey } from '../client-keys/client-key.entity';
import type { Principal } from '../identity/principal';
import { NotFoundError } from '../errors/app-errors';
import { UserRole } from '../identity/user-role';
import type { FieldUsage } from './field-usage.type';
import { UsageBatch } from './usage-batch';
import type { UsageBucket } from './usage-bucket.type';
import { UsageInterval } from './usage-interval';
import { checkPeriod, GRANULARITY, HOUR_MS, INTERVAL_MS } from './usage-periods';

/** GraphQL's Int is 32-bit: a count past it is reported at the ceiling rather than failing the field. */
const INT_MAX = 2_147_483_647;
const toInt = (value: string | number): number => Math.min(Number(value), INT_MAX);

/** Reads a key's usage back from the tables the recorder fills. */
export class UsageService {
  constructor(private readonly db: DataSource) {}

  /** A request's batch: give the same one to every key of a request (see UsageBatch). */
  batch(): UsageBatch {
    return new UsageBatch(this.db);
  }

  /** Every bucket from `since` to `until`, those without traffic as zeros, oldest first. */
  async buckets(
    viewer: Principal,
    key: ClientKey,
    since: Date,
    until: Date | null | undefined,
    interval: UsageInterval = UsageInterval.HOUR,
    batch: UsageBatch = this.batch(),
  ): Promise<UsageBucket[]> {
    this.assertVisible(viewer, key);
    const width = INTERVAL_MS[interval];
    const { from, until: end } = checkPeriod(since, until, width, batch.now);
    const rows = await batch.rows(key.id, GRANULARITY[interval], from, end);
    const byStart = new Map(rows.map((row) => [row.start.getTime(), row]));
    const buckets: UsageBucket[] = [];
    for (let start = from; start < end; start += width) {
      const row = byStart.get(start);
      const requests = row ? Number(row.requests) : 0;
      buckets.push({
        start: new Date(start),
        requests: toInt(requests),
        errors: row ? toInt(row.errors) : 0,
        rateLimited: row ? toInt(row.rate_limited) : 0,
        cost: row ? Number(row.cost) : 0,
        meanLatencyMs: requests > 0 ? Math.round((row!.latency_ms_sum / requests) * 1000) / 1000 : null,
      });
    }
    return buckets;
  }

  /** Root fields the key used from the hour holding `since` to `until`, most used first. */
  async byField(viewer: Principal, key: ClientKey, since: Date, until: Date | null | undefined): Promise<FieldUsage[]> {
    this.assertVisible(viewer, key);
    // Field counts are kept by hour; a day-long window is 24 rows per field.
    const { from, until: end } = checkPeriod(since, until, HOUR_MS);
    const rows: Array<{ coordinate: string; requests: string; errors: string; cost: string }> = await this.db.query(
      `SELECT coordinate, sum(requests) AS requests, sum(errors) AS errors, sum(cost) AS cost FROM key_field_usage
        WHERE client_key_id = $1 AND bucket_start >= $2 AND bucket_start < $3
        GROUP BY coordinate ORDER BY sum(requests) DESC, coordinate`,
      [key.id, new Date(from), new Date(end)],
    );
    return rows.map((row) => ({ coordinate: row.coordinate, requests: toInt(row.requests), errors: toInt(row.errors), cost: Number(row.cost) }));
  }

  /**
   * The key object reached the resolver through a query that already checked it is visible;
   * this repeats the ownership rule (without a query) so usage can never be read past it.
   */
  private assertVisible(viewer: Principal, key: ClientKey): void {
    if (viewer.role !== UserRole.ADMIN && key.userId !== viewer.userId) throw new NotFoundError('Client key');
  }
}
