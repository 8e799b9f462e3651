import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createLogger } from '../../src/logging/logger';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../../src/database/embedded-postgres';

declare global {
  var __KEYGATE_TEST_PG__: { db: EmbeddedDatabase; dir: string } | undefined;
}

/**
 * Tests use DATABASE_URL's server when given (CI passes the machine's PostgreSQL).
 * Without it they start their own embedded PostgreSQL, so `npm test` passes on a fresh machine.
 * Each test file then creates, and drops, a database of its own on that server.
 */
export default async function globalSetup(): Promise<void> {
  if (process.env.DATABASE_URL) return;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keygate-test-pg-'));
  const db = await startEmbeddedPostgres(dir, createLogger('silent'));
  process.env.DATABASE_URL = db.url.replace(/\/keygate$/, '/postgres');
  globalThis.__KEYGATE_TEST_PG__ = { db, dir };
  console.log('\n[keygate tests] no DATABASE_URL: using an embedded PostgreSQL');
}
