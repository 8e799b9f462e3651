import { CREATE_KEY, ROTATE_KEY } from '../support/documents';
import { startTestApp, type TestApp } from '../support/test-app';

describe('secrets at rest', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('leaves no key, password or refresh token in any column of any table', async () => {
    const member = await t.member('scan');
    const secrets: string[] = ['member-password-1', 'admin-password-1'];
    for (let i = 0; i < 3; i++) {
      const created = await t.gql(CREATE_KEY, { i: { name: `scan-${i}`, scopes: ['read:audit'] } }, member);
      secrets.push(created.data.createClientKey.key);
      const rotated = await t.gql(ROTATE_KEY, { id: created.data.createClientKey.clientKey.id, g: 60 }, member);
      secrets.push(rotated.data.rotateClientKey.key);
    }
    secrets.push((await t.login()).refreshToken);

    const tables: Array<{ table_name: string }> = await t.app.dataSource.query(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`,
    );
    expect(tables.map((r) => r.table_name)).toEqual(expect.arrayContaining(['users', 'client_keys', 'audit_events', 'refresh_tokens']));
    let scannedRows = 0;
    for (const { table_name } of tables) {
      // Every row as text, bytea columns included (hex), so a secret in any encoding-free form shows up.
      const rows: Array<{ row: string }> = await t.app.dataSource.query(`SELECT t::text AS row FROM "${table_name}" t`);
      scannedRows += rows.length;
      for (const { row } of rows) {
        for (const secret of secrets) {
          expect(row).not.toContain(secret);
          expect(row).not.toContain(Buffer.from(secret).toString('hex'));
          expect(row).not.toContain(secret.slice(11, 40));
        }
      }
    }
    expect(scannedRows).toBeGreaterThan(10);
  });
});
