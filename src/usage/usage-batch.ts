import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';

export interface BucketRow {
  client_key_id: string;
  start: Date;
  requests: string;
  errors: string;
  rate_limited: string;
  latency_ms_sum: number;
  cost: string;
}

/**
 * One request's usage reads: a page of keys that each select `usage(...)` with the same
 * arguments costs one query, not one per key. "Now" is fixed once per request, so that keys
 * asked without `until` share a period (and a batch).
 */
export class UsageBatch {
  readonly now = Date.now();
  private readonly loaders = new Map<string, DataLoader<string, BucketRow[]>>();

  constructor(private readonly db: DataSource) {}

  rows(keyId: string, granularity: string, from: number, until: number): Promise<BucketRow[]> {
    const id = `${granularity} ${from} ${until}`;
    let loader = this.loaders.get(id);
    if (!loader) {
      loader = new DataLoader((keyIds) => this.load(keyIds, granularity, from, until));
      this.loaders.set(id, loader);
    }
    return loader.load(keyId);
  }

  private async load(keyIds: readonly string[], granularity: string, from: number, until: number): Promise<BucketRow[][]> {
    const rows: BucketRow[] = await this.db.query(
      `SELECT client_key_id, bucket_start AS start, requests, errors, rate_limited, latency_ms_sum, cost FROM key_usage
        WHERE client_key_id = ANY($1::uuid[]) AND granularity = $2 AND bucket_start >= $3 AND bucket_start < $4`,
      [[...keyIds], granularity, new Date(from), new Date(until)],
    );
    const byKey = new Map<string, BucketRow[]>();
    for (const row of rows) {
      const list = byKey.get(row.client_key_id);
      if (list) list.push(row);
      else byKey.set(row.client_key_id, [row]);
    }
    return keyIds.map((id) => byKey.get(id) ?? []);
  }
}
