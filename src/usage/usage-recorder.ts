import type { Logger } from '../logging/logger';
import { PeriodicFlush } from '../common/periodic-flush';
import { emptyCounts, mergeCounts, type MinuteCounts, type PendingUsage } from './usage-counts';
import type { UsageWriter } from './usage-pool';
import { usageRows } from './usage-rows';

/** While the database refuses writes, counts are kept this many minutes back at most (then dropped, logged). */
const MAX_PENDING_MINUTES = 24 * 60;

/** One finished request of a client key, as the request path reports it. */
export interface UsageEvent {
  keyId: string;
  /** Epoch milliseconds when it finished. */
  at: number;
  latencyMs: number;
  /** The response carried an error other than a rate-limit refusal. */
  errored: boolean;
  /** Refused by the rate limit. */
  rateLimited: boolean;
  /** Root fields it asked for, as `Type.field`. */
  coordinates?: Iterable<string>;
  /** Those of them that failed. */
  failedCoordinates?: ReadonlySet<string>;
  /** The actual cost of the request (0 when it did not run). */
  cost?: number;
  /** The actual cost by root field coordinate. */
  fieldCosts?: ReadonlyMap<string, number>;
}

/**
 * Counts key usage per key per minute in memory, and adds it into PostgreSQL every few seconds
 * (and at shutdown). `record` is a few Map operations; nothing on the request path waits for the
 * database. Every instance adds its own counts (INSERT ... ON CONFLICT DO UPDATE SET n = n + new),
 * so instances sharing a database sum up and lose nothing.
 */
export class UsageRecorder {
  private pending: PendingUsage = new Map();
  private readonly flusher: PeriodicFlush;

  constructor(
    private readonly writer: UsageWriter,
    private readonly logger: Logger,
    intervalMs = 5000,
  ) {
    this.flusher = new PeriodicFlush(() => this.write(), intervalMs);
  }

  record(event: UsageEvent): void {
    const minute = Math.floor(event.at / 60_000);
    let keys = this.pending.get(minute);
    if (keys === undefined) this.pending.set(minute, (keys = new Map()));
    let counts = keys.get(event.keyId);
    if (counts === undefined) keys.set(event.keyId, (counts = emptyCounts()));
    counts.requests++;
    if (event.errored) counts.errors++;
    if (event.rateLimited) counts.rateLimited++;
    counts.latencyMs += event.latencyMs;
    counts.cost += event.cost ?? 0;
    if (event.coordinates === undefined) return;
    const fields = (counts.fields ??= new Map());
    for (const coordinate of event.coordinates) {
      let field = fields.get(coordinate);
      if (field === undefined) fields.set(coordinate, (field = { requests: 0, errors: 0, cost: 0 }));
      field.requests++;
      field.cost += event.fieldCosts?.get(coordinate) ?? 0;
      if (event.failedCoordinates?.has(coordinate)) field.errors++;
    }
  }

  start(): void {
    this.flusher.start();
  }

  stop(): Promise<void> {
    return this.flusher.stop();
  }

  /** Writes what was counted so far; concurrent calls share one write. Never throws. */
  flush(): Promise<void> {
    return this.flusher.flush();
  }

  private async write(): Promise<void> {
    if (this.pending.size === 0) return;
    const batch = this.pending;
    this.pending = new Map();
    const { usage, fields } = usageRows(batch);
    try {
      // One statement: both tables change together or not at all, so a retry never counts twice.
      await this.writer.query(
        `WITH usage_rows AS (
           INSERT INTO key_usage AS t (client_key_id, granularity, bucket_start, requests, errors, rate_limited, latency_ms_sum, cost)
           SELECT v.* FROM unnest($1::uuid[], $2::varchar[], $3::timestamptz[], $4::bigint[], $5::bigint[], $6::bigint[], $7::float8[], $13::bigint[])
                  AS v(id, granularity, start, requests, errors, rate_limited, latency, cost)
            WHERE EXISTS (SELECT 1 FROM client_keys k WHERE k.id = v.id)
           ON CONFLICT (client_key_id, granularity, bucket_start) DO UPDATE SET
             requests = t.requests + EXCLUDED.requests,
             errors = t.errors + EXCLUDED.errors,
             rate_limited = t.rate_limited + EXCLUDED.rate_limited,
             latency_ms_sum = t.latency_ms_sum + EXCLUDED.latency_ms_sum,
             cost = t.cost + EXCLUDED.cost
           RETURNING 1
         )
         INSERT INTO key_field_usage AS f (client_key_id, bucket_start, coordinate, requests, errors, cost)
         SELECT v.* FROM unnest($8::uuid[], $9::timestamptz[], $10::varchar[], $11::bigint[], $12::bigint[], $14::bigint[])
                AS v(id, start, coordinate, requests, errors, cost)
          WHERE EXISTS (SELECT 1 FROM client_keys k WHERE k.id = v.id)
         ON CONFLICT (client_key_id, bucket_start, coordinate) DO UPDATE SET
           requests = f.requests + EXCLUDED.requests,
           errors = f.errors + EXCLUDED.errors,
           cost = f.cost + EXCLUDED.cost`,
        [
          usage.keyIds,
          usage.granularities,
          usage.starts,
          usage.requests,
          usage.errors,
          usage.rateLimited,
          usage.latencies,
          fields.keyIds,
          fields.starts,
          fields.coordinates,
          fields.requests,
          fields.errors,
          usage.costs,
          fields.costs,
        ],
      );
    } catch (err) {
      // Put the counts back for the next attempt (a key deleted meanwhile is skipped then).
      for (const [minute, keys] of batch) for (const [keyId, counts] of keys) this.restore(minute, keyId, counts);
      this.logger.warn({ err, minutes: batch.size }, 'could not record key usage; will retry');
      this.dropBeyond(MAX_PENDING_MINUTES);
    }
  }

  /** A long outage must not grow memory without bound: the oldest minutes go first. */
  private dropBeyond(maxMinutes: number): void {
    if (this.pending.size <= maxMinutes) return;
    const minutes = [...this.pending.keys()].sort((a, b) => a - b);
    const dropped = minutes.slice(0, minutes.length - maxMinutes);
    for (const minute of dropped) this.pending.delete(minute);
    this.logger.error({ minutes: dropped.length }, 'dropped key usage that could not be written for a day');
  }

  private restore(minute: number, keyId: string, counts: MinuteCounts): void {
    let keys = this.pending.get(minute);
    if (keys === undefined) this.pending.set(minute, (keys = new Map()));
    const current = keys.get(keyId);
    if (current) mergeCounts(current, counts);
    else keys.set(keyId, counts);
  }
}
