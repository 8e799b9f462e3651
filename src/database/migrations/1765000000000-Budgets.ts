import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Budgets: named limits, a per-operation cost cap and credits on keys, limits and credits on
 * users (owners), and the actual cost of what keys used.
 */
export class Budgets1765000000000 implements MigrationInterface {
  name = 'Budgets1765000000000';

  async up(q: QueryRunner): Promise<void> {
    // Limits are a short list read whole with the key ([{ name, unit, limit, periodSeconds }]); `default`
    // stays rate_limit_per_minute. Credits: remaining is null when the key has no quota.
    for (const table of ['client_keys', 'users']) {
      await q.query(`ALTER TABLE ${table} ADD COLUMN limits jsonb NOT NULL DEFAULT '[]'::jsonb`);
      await q.query(`ALTER TABLE ${table} ADD COLUMN credits_remaining bigint`);
      await q.query(`ALTER TABLE ${table} ADD COLUMN credits_refill jsonb`);
      await q.query(`ALTER TABLE ${table} ADD COLUMN credits_refilled_at timestamptz`);
    }
    await q.query(`ALTER TABLE client_keys ADD COLUMN max_operation_cost integer`);
    await q.query(`ALTER TABLE key_usage ADD COLUMN cost bigint NOT NULL DEFAULT 0`);
    await q.query(`ALTER TABLE key_field_usage ADD COLUMN cost bigint NOT NULL DEFAULT 0`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE key_field_usage DROP COLUMN cost`);
    await q.query(`ALTER TABLE key_usage DROP COLUMN cost`);
    await q.query(`ALTER TABLE client_keys DROP COLUMN max_operation_cost`);
    for (const table of ['users', 'client_keys']) {
      await q.query(`ALTER TABLE ${table} DROP COLUMN credits_refilled_at`);
      await q.query(`ALTER TABLE ${table} DROP COLUMN credits_refill`);
      await q.query(`ALTER TABLE ${table} DROP COLUMN credits_remaining`);
      await q.query(`ALTER TABLE ${table} DROP COLUMN limits`);
    }
  }
}
