import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { type Config, loadConfig } from '../../src/config/config';
import { createLogger } from '../../src/logging/logger';
import { type App, createApp } from '../../src/server/create-app';
import { type Credentials, type GraphQLResult, authHeaders, postGraphQL } from './graphql-client';
import { createTestDatabase, type TestDatabase } from './test-database';

export const ADMIN = { email: 'admin@example.com', password: 'admin-password-1' };

export interface TestApp {
  app: App;
  url: string;
  db: TestDatabase;
  /** Runs one operation as the given caller (anonymous when omitted). */
  gql<T = any>(query: string, variables?: Record<string, unknown>, credentials?: Credentials): Promise<GraphQLResult<T>>;
  login(email?: string, password?: string): Promise<{ token: string; refreshToken: string; userId: string }>;
  /** Creates a member through the API (as the admin) and logs in as them. */
  member(label?: string): Promise<{ token: string; userId: string; email: string }>;
  /** SQL statements run since the last call, for counting round trips. */
  takeQueries(): string[];
  /** Everything logged so far (with `captureLogs`). */
  logs(): string;
  close(): Promise<void>;
}

export interface TestAppOptions {
  env?: Record<string, string>;
  config?: (config: Config) => Config;
  /** Reuse a database (a second instance); by default each app gets a new one. */
  db?: TestDatabase;
  /** Keep every log line (at debug level) for assertions: see `logs()`. */
  captureLogs?: boolean;
}

export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const db = options.db ?? (await createTestDatabase());
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'keygate-test-'));
  let config = loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    JWT_SECRET: 'test-secret-'.padEnd(48, 'x'),
    ADMIN_EMAIL: ADMIN.email,
    ADMIN_PASSWORD: ADMIN.password,
    BCRYPT_COST: '10',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    ...options.env,
  });
  config = { ...config, loginLimits: { perIpPerMinute: 10_000, failuresPerEmail: 1_000 } };
  if (options.config) config = options.config(config);

  let queries: string[] = [];
  let logged = '';
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logged += chunk.toString();
      done();
    },
  });
  const logger = options.captureLogs ? createLogger('debug', sink) : createLogger(config.logLevel);
  const app = await createApp({ config, databaseUrl: db.url, logger, onQuery: (sql) => queries.push(sql) });

  const gql: TestApp['gql'] = (query, variables, credentials) => postGraphQL(app.url, query, variables, authHeaders(credentials));

  const login: TestApp['login'] = async (email = ADMIN.email, password = ADMIN.password) => {
    const res = await gql(`mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken refreshToken user { id } } }`, {
      e: email,
      p: password,
    });
    if (!res.data) throw new Error(`login failed: ${JSON.stringify(res.errors)}`);
    return { token: res.data.login.accessToken, refreshToken: res.data.login.refreshToken, userId: res.data.login.user.id };
  };

  let adminToken: string | undefined;
  const member: TestApp['member'] = async (label = 'member') => {
    adminToken ??= (await login()).token;
    const email = `${label}-${randomBytes(4).toString('hex')}@example.com`;
    const password = 'member-password-1';
    const created = await gql(
      `mutation($i: CreateUserInput!) { createUser(input: $i) { id } }`,
      { i: { email, password, role: 'MEMBER' } },
      { token: adminToken },
    );
    if (!created.data) throw new Error(`createUser failed: ${JSON.stringify(created.errors)}`);
    const session = await login(email, password);
    return { token: session.token, userId: session.userId, email };
  };

  return {
    app,
    url: app.url,
    db,
    gql,
    login,
    member,
    logs: () => logged,
    takeQueries() {
      const taken = queries;
      queries = [];
      return taken;
    },
    async close() {
      await app.close();
      if (!options.db) await db.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Creates a client key through the API as `owner` and returns its secret and id. */
export async function issueKey(
  t: TestApp,
  owner: { token: string } | { key: string },
  input: { name?: string; scopes: string[]; rateLimitPerMinute?: number; expiresAt?: string },
): Promise<{ key: string; id: string }> {
  const res = await t.gql(
    `mutation($i: CreateClientKeyInput!) { createClientKey(input: $i) { key clientKey { id } } }`,
    { i: { name: 'test key', ...input } },
    owner,
  );
  if (!res.data) throw new Error(`createClientKey failed: ${JSON.stringify(res.errors)}`);
  return { key: res.data.createClientKey.key, id: res.data.createClientKey.clientKey.id };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
