import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AuthorityFollowsState1764300000000 implements MigrationInterface {
  name = 'AuthorityFollowsState1764300000000';

  async up(q: QueryRunner): Promise<void> {
    // Bumped by a password change and by "log out everywhere": access tokens carry the value they
    // were issued under, and one that no longer matches is refused. A counter, not a timestamp:
    // it cannot be fooled by two events in the same second nor by clocks that differ between instances.
    await q.query(`ALTER TABLE users ADD COLUMN token_version integer NOT NULL DEFAULT 0`);
    // Lineage: the key that minted this one. No foreign key (like the audit trail, it outlives
    // the key it names); indexed for cascading revocation.
    await q.query(`ALTER TABLE client_keys ADD COLUMN created_by_key_id uuid`);
    await q.query(`CREATE INDEX client_keys_created_by_key_id_idx ON client_keys (created_by_key_id) WHERE created_by_key_id IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX client_keys_created_by_key_id_idx`);
    await q.query(`ALTER TABLE client_keys DROP COLUMN created_by_key_id`);
    await q.query(`ALTER TABLE users DROP COLUMN token_version`);
  }
}
