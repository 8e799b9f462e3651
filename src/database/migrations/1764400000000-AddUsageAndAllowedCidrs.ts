import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AddUsageAndAllowedCidrs1764400000000 implements MigrationInterface {
  name = 'AddUsageAndAllowedCidrs1764400000000';

  async up(q: QueryRunner): Promise<void> {
    // Empty = the key works from anywhere.
    await q.query(`ALTER TABLE client_keys ADD COLUMN allowed_cidrs text[] NOT NULL DEFAULT '{}'`);

    // Every instance adds its counts into the same rows (INSERT ... ON CONFLICT DO UPDATE SET n = n + EXCLUDED.n),
    // at three widths written together, so no rollup job is needed and nothing is counted twice.
    await q.query(`
      CREATE TABLE key_usage (
        client_key_id uuid NOT NULL REFERENCES client_keys(id) ON DELETE CASCADE,
        granularity varchar(6) NOT NULL CHECK (granularity IN ('minute', 'hour', 'day')),
        bucket_start timestamptz NOT NULL,
        requests bigint NOT NULL DEFAULT 0,
        errors bigint NOT NULL DEFAULT 0,
        rate_limited bigint NOT NULL DEFAULT 0,
        latency_ms_sum double precision NOT NULL DEFAULT 0,
        PRIMARY KEY (client_key_id, granularity, bucket_start)
      )`);
    // Retention deletes by age.
    await q.query(`CREATE INDEX key_usage_granularity_start_idx ON key_usage (granularity, bucket_start)`);

    // Per root field, by hour.
    await q.query(`
      CREATE TABLE key_field_usage (
        client_key_id uuid NOT NULL REFERENCES client_keys(id) ON DELETE CASCADE,
        bucket_start timestamptz NOT NULL,
        coordinate varchar(300) NOT NULL,
        requests bigint NOT NULL DEFAULT 0,
        errors bigint NOT NULL DEFAULT 0,
        PRIMARY KEY (client_key_id, bucket_start, coordinate)
      )`);
    await q.query(`CREATE INDEX key_field_usage_start_idx ON key_field_usage (bucket_start)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE key_field_usage`);
    await q.query(`DROP TABLE key_usage`);
    await q.query(`ALTER TABLE client_keys DROP COLUMN allowed_cidrs`);
  }
}
