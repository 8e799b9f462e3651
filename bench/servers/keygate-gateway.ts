import 'reflect-metadata';
import { generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { loadConfig } from '../../src/config/config';
import { createLogger } from '../../src/logging/logger';
import { createApp } from '../../src/server/create-app';

/**
 * Keygate in front of the bench upstream (UPSTREAM_URL), as `npm start` runs it in production:
 * a client key with read:products, the key's rate limit counted, an identity token per request.
 */
async function main() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'keygate-gwbench-'));
  const serverUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const dbName = `keygate_gwbench_${process.pid}`;
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${dbName}`);
  const url = new URL(serverUrl);
  url.pathname = `/${dbName}`;
  const configFile = path.join(dataDir, 'keygate.yaml');
  fs.writeFileSync(
    configFile,
    `scopes:\n  read:products: Read the product catalogue\nupstreams:\n  - name: catalogue\n    url: ${process.env.UPSTREAM_URL}\n    schemaFile: catalogue.graphql\n    policies:\n      Query.products: [["read:products"]]\n`,
  );
  fs.writeFileSync(path.join(dataDir, 'catalogue.graphql'), 'type Query { products: [Product!]! } type Product { id: ID! name: String! price: Float! }');
  const signingKey = generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
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
    KEYGATE_CONFIG: configFile,
    IDENTITY_SIGNING_KEY: signingKey,
  });
  // GATEWAY_PLANNING=off: every operation is stitched, to measure what planning saves.
  if (process.env.GATEWAY_PLANNING === 'off') config.gatewayPlanning = false;
  const app = await createApp({ config, databaseUrl: url.toString(), logger: createLogger('silent') });
  const adminUser = (await app.services.users.findByEmail('bench@example.com'))!;
  const actor = {
    principal: { kind: 'USER' as const, id: adminUser.id, userId: adminUser.id, role: adminUser.role, scopes: new Set(['read:products', 'read:clientkeys']) },
    ip: '127.0.0.1',
    userAgent: 'bench',
  };
  const { key } = await app.services.clientKeys.create(actor, { name: 'bench', scopes: ['read:products'], rateLimitPerMinute: 1_000_000 });
  console.log(JSON.stringify({ port: app.port, key }));
  const shutdown = async () => {
    await app.close();
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin.end();
    fs.rmSync(dataDir, { recursive: true, force: true });
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown());
}
void main();
