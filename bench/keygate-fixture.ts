import 'reflect-metadata';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { loadConfig } from '../src/config/config';
import { startEmbeddedPostgres } from '../src/database/embedded-postgres';
import { createLogger } from '../src/logging/logger';
import { createApp } from '../src/server/create-app';

/** The bench servers' METRICS_TOKEN (a benchmark's own server, on 127.0.0.1 only). */
export const BENCH_METRICS_TOKEN = 'bench-metrics-token-0000';

/**
 * Keygate as `npm start` runs it, on a fresh database of DATABASE_URL's server (or an
 * embedded one), with an admin, a client key for the benchmark, and optionally many keys.
 * With `redisUrl`, rate limits are counted in Redis, as several instances would share them.
 */
export async function startBenchKeygate(seed = 0, redisUrl?: string, onQuery?: (sql: string) => void) {
  const logger = createLogger('silent');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'keygate-bench-'));
  let serverUrl = process.env.DATABASE_URL;
  let stopEmbedded: (() => Promise<void>) | undefined;
  if (!serverUrl) {
    const embedded = await startEmbeddedPostgres(dataDir, logger);
    serverUrl = embedded.url;
    stopEmbedded = embedded.stop;
  }
  const dbName = `keygate_bench_${process.pid}`;
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${dbName}`);
  const url = new URL(serverUrl);
  url.pathname = `/${dbName}`;

  const config = loadConfig({
    NODE_ENV: 'production',
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    JWT_SECRET: 'bench-secret-'.padEnd(48, 'x'),
    ADMIN_EMAIL: 'bench@example.com',
    ADMIN_PASSWORD: 'bench-password',
    BCRYPT_COST: '10',
    LOG_LEVEL: 'silent',
    // Production hides /metrics without a token; the benchmark reads Keygate's own request histogram.
    METRICS_TOKEN: BENCH_METRICS_TOKEN,
    ...(redisUrl ? { REDIS_URL: redisUrl } : {}),
  });
  const app = await createApp({ config, databaseUrl: url.toString(), logger, onQuery });
  const adminUser = await app.services.users.findByEmail('bench@example.com');
  const actor = {
    principal: {
      kind: 'USER' as const,
      id: adminUser!.id,
      userId: adminUser!.id,
      role: adminUser!.role,
      scopes: new Set(['read:users', 'write:users', 'read:clientkeys', 'write:clientkeys', 'read:audit']),
    },
    ip: '127.0.0.1',
    userAgent: 'bench',
  };
  const { key } = await app.services.clientKeys.create(actor, { name: 'bench', scopes: ['read:clientkeys', 'read:users'], rateLimitPerMinute: 1_000_000 });

  if (seed > 0) {
    // Other users' keys fill the table; the benchmark pages through everyone's (as an admin key).
    // Through a connection of its own: Keygate's pool bounds each statement's time, and this one is long.
    const seeder = new Client({ connectionString: url.toString() });
    await seeder.connect();
    await seeder.query(`INSERT INTO users (email, password_hash, role) SELECT 'seed' || g || '@example.com', 'x', 'member' FROM generate_series(1, 100) g`);
    await seeder.query(
      `INSERT INTO client_keys (user_id, name, key_hash, key_prefix, scopes, created_at)
       SELECT u.id, 'seed ' || g, sha256(('seed' || g)::bytea), 'kg_seed', ARRAY['read:audit'], now() - (g || ' seconds')::interval
         FROM generate_series(1, $1) g JOIN LATERAL (SELECT id FROM users WHERE email = 'seed' || (g % 100 + 1) || '@example.com') u ON true`,
      [seed],
    );
    await seeder.query('ANALYZE client_keys');
    await seeder.end();
  }

  const stop = async () => {
    await app.close();
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin.end();
    await stopEmbedded?.();
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  return { app, key, dbName, stop };
}
