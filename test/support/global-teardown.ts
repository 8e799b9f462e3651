import fs from 'node:fs';

export default async function globalTeardown(): Promise<void> {
  const pg = globalThis.__KEYGATE_TEST_PG__;
  if (!pg) return;
  await pg.db.stop();
  fs.rmSync(pg.dir, { recursive: true, force: true });
}
