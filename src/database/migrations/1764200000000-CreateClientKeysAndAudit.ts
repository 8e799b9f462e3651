import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateClientKeysAndAudit1764200000000 implements MigrationInterface {
  name = 'CreateClientKeysAndAudit1764200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE client_keys (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        name varchar(100) NOT NULL,
        description varchar(500),
        key_hash bytea NOT NULL,
        key_prefix varchar(16) NOT NULL,
        previous_key_hash bytea,
        previous_key_expires_at timestamptz,
        scopes text[] NOT NULL CHECK (cardinality(scopes) > 0),
        rate_limit_per_minute integer NOT NULL DEFAULT 60 CHECK (rate_limit_per_minute BETWEEN 1 AND 1000000),
        expires_at timestamptz,
        revoked_at timestamptz,
        revoked_reason varchar(500),
        last_used_at timestamptz,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    // Verification looks keys up by hash, current or (during a rotation's grace period) previous.
    await q.query(`CREATE UNIQUE INDEX client_keys_key_hash_key ON client_keys (key_hash)`);
    await q.query(`CREATE UNIQUE INDEX client_keys_previous_key_hash_key ON client_keys (previous_key_hash) WHERE previous_key_hash IS NOT NULL`);
    // Keyset pagination, newest first: one user's keys, and everyone's (admins).
    await q.query(`CREATE INDEX client_keys_user_created_idx ON client_keys (user_id, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX client_keys_created_idx ON client_keys (created_at DESC, id DESC)`);

    // No foreign keys: the trail outlives the keys and users it is about.
    await q.query(`
      CREATE TABLE audit_events (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        action varchar(40) NOT NULL,
        actor_kind varchar(16) NOT NULL CHECK (actor_kind IN ('USER', 'CLIENT_KEY')),
        actor_id uuid NOT NULL,
        client_key_id uuid,
        user_id uuid,
        ip varchar(64),
        user_agent varchar(512),
        changes jsonb NOT NULL DEFAULT '{}',
        created_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX audit_events_created_idx ON audit_events (created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX audit_events_user_created_idx ON audit_events (user_id, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX audit_events_client_key_created_idx ON audit_events (client_key_id, created_at DESC, id DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE audit_events`);
    await q.query(`DROP TABLE client_keys`);
  }
}
