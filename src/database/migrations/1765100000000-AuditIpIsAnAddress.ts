import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AuditIpIsAnAddress1765100000000 implements MigrationInterface {
  name = 'AuditIpIsAnAddress1765100000000';

  async up(q: QueryRunner): Promise<void> {
    // The address an event came from is an address or nothing: `inet` refuses anything else, so no
    // later writer can store a header's text (`<script>`, `not-an-ip`) there. Values earlier
    // versions stored that are not addresses become NULL.
    await q.query(`
      CREATE FUNCTION pg_temp.keygate_inet_or_null(value text) RETURNS inet LANGUAGE plpgsql IMMUTABLE AS $$
      BEGIN
        RETURN host(value::inet)::inet;
      EXCEPTION WHEN others THEN
        RETURN NULL;
      END $$`);
    await q.query(`ALTER TABLE audit_events ALTER COLUMN ip TYPE inet USING pg_temp.keygate_inet_or_null(ip)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE audit_events ALTER COLUMN ip TYPE varchar(64) USING host(ip)`);
  }
}
