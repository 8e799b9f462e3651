import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { AccessTokens } from '../auth/access-tokens';
import { AuthService } from '../auth/auth.service';
import { LoginThrottle } from '../auth/login-throttle';
import { PasswordHasher } from '../auth/passwords';
import { ClientKeysService } from '../client-keys/client-keys.service';
import type { Config } from '../config/config';
import { resolveJwtSecret } from '../config/jwt-secret';
import { Authenticator } from '../context/authenticator';
import type { GraphQLContext } from '../context/graphql-context';
import { Loaders } from '../context/loaders';
import type { Services } from '../context/services';
import { createDataSource, runMigrations } from '../database/data-source';
import { clientAddress } from '../http/client-address';
import { createGraphQLHandler } from '../http/graphql-handler';
import { Playground } from '../http/playground/playground';
import { createRequestListener } from '../http/request-listener';
import type { Logger } from '../logging/logger';
import { Metrics } from '../metrics/metrics';
import { buildKeygateSchema } from '../schema/build-schema';
import { UsersService } from '../users/users.service';
import { createApollo } from './create-apollo';

export interface AppOptions {
  config: Config;
  databaseUrl: string;
  logger: Logger;
  /** Receives the generated admin password of a brand-new database; it is shown nowhere else. */
  onGeneratedAdmin?: (email: string, password: string) => void;
  /** Every SQL statement, for tests that count database round trips. */
  onQuery?: (sql: string) => void;
}

export interface App {
  url: string;
  port: number;
  dataSource: DataSource;
  services: Services;
  metrics: Metrics;
  /** Stops accepting requests, lets in-flight ones finish, then closes the database pool. */
  close(): Promise<void>;
}

const BOOTSTRAP_ADMIN_EMAIL = 'admin@keygate.local';

async function ensureAdmin(options: AppOptions, users: UsersService): Promise<void> {
  const { config, logger } = options;
  if (config.admin) {
    const outcome = await users.ensureAdmin(config.admin.email, config.admin.password);
    logger.info({ email: config.admin.email, outcome }, 'admin from ADMIN_EMAIL ensured');
    return;
  }
  const password = randomBytes(18).toString('base64url');
  if (await users.bootstrapAdminIfEmpty(BOOTSTRAP_ADMIN_EMAIL, password)) {
    options.onGeneratedAdmin?.(BOOTSTRAP_ADMIN_EMAIL, password);
  }
}

export async function createApp(options: AppOptions): Promise<App> {
  const { config, logger } = options;
  const dataSource = createDataSource({ url: options.databaseUrl, onQuery: options.onQuery });
  await dataSource.initialize();
  try {
    const applied = await runMigrations(dataSource);
    if (applied.length) logger.info({ migrations: applied }, 'migrations applied');

    const passwords = new PasswordHasher(config.bcryptCost);
    const accessTokens = new AccessTokens(await resolveJwtSecret(config), config.accessTokenTtlSeconds);
    const audit = new AuditService(dataSource);
    const users = new UsersService(dataSource, passwords, (em, actor, action, user, changes) =>
      audit.record(em, actor, action, { userId: user.id }, changes),
    );
    const auth = new AuthService(dataSource, users, passwords, accessTokens, new LoginThrottle(config.loginLimits), config.refreshTokenTtlSeconds);
    const clientKeys = new ClientKeysService(dataSource, audit);
    const services: Services = { users, auth, clientKeys, audit };
    await ensureAdmin(options, users);

    const authenticator = new Authenticator(accessTokens);
    const metrics = new Metrics();
    const httpServer = http.createServer();
    const apollo = createApollo(await buildKeygateSchema(), httpServer, logger, config.nodeEnv === 'production');
    await apollo.start();

    const buildContext = async (req: http.IncomingMessage): Promise<GraphQLContext> => ({
      principal: await authenticator.authenticate(req.headers),
      ip: clientAddress(req, config.trustProxy),
      userAgent: req.headers['user-agent'] ?? null,
      services,
      loaders: new Loaders(dataSource),
    });

    httpServer.on(
      'request',
      createRequestListener({
        graphql: createGraphQLHandler(apollo, buildContext, config.bodyLimitBytes),
        playground: new Playground(),
        isReady: () =>
          dataSource.query('SELECT 1').then(
            () => true,
            () => false,
          ),
        metrics,
        logger,
      }),
    );
    await new Promise<void>((resolve, reject) => {
      httpServer.once('error', reject);
      httpServer.listen(config.port, config.host, () => resolve());
    });
    const { port } = httpServer.address() as AddressInfo;
    const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;

    return {
      url: `http://${host}:${port}`,
      port,
      dataSource,
      services,
      metrics,
      async close() {
        await apollo.stop();
        await dataSource.destroy();
      },
    };
  } catch (err) {
    await dataSource.destroy().catch(() => undefined);
    throw err;
  }
}
