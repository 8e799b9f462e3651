import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { GraphQLSchema } from 'graphql';
import type { DataSource } from 'typeorm';
import type { Config } from '../config/config';
import type { Services } from '../identity/graphql-context';
import { connectionBudget } from '../database/connection-budget';
import { createDataSource, runMigrations } from '../database/data-source';
import { createPipelinePlugin } from '../execution/pipeline-plugin';
import { buildCostModel, type CostModel } from '../cost/cost-model';
import { USAGE_COST_SIZERS } from '../usage/usage-cost-sizer';
import { refuseHostileInput } from './nul-byte-guard';
import { createFormatError } from '../errors/error-policy';
import type { RequestDoneListener } from '../execution/request-outcome';
import { GraphQLHandler } from '../http/graphql-handler';
import { checkClientAddress } from '../ip-allowlist/check-client-address';
import { clientAddress } from '../http/client-address';
import { Playground } from '../http/playground/playground';
import { createCors } from '../http/cors';
import { metricsAccess } from '../http/metrics-access';
import { createRequestListener } from '../http/request-listener';
import type { Logger } from '../logging/logger';
import { Metrics } from '../metrics/metrics';
import { buildKeygateSchema } from '../schema/build-schema';
import type { ScopeCatalog } from '../scopes/scope-catalog';
import { UpstreamGateway } from '../upstreams/upstream-gateway';
import type { UsersService } from '../users/users.service';
import { createApollo } from './create-apollo';
import { createServices, type Wiring } from './create-services';
import { slowClientTimeouts } from './slow-clients';

export interface AppOptions {
  config: Config;
  databaseUrl: string;
  logger: Logger;
  /** Receives the generated admin password of a brand-new database; it is shown nowhere else. */
  onGeneratedAdmin?: (email: string, password: string) => void;
  /** Every SQL statement, for tests that count database round trips. */
  onQuery?: (sql: string) => void;
  /** Told of every GraphQL request once it is answered: caller, root fields, errors, status, latency. */
  onRequestDone?: RequestDoneListener;
}

export interface App {
  url: string;
  port: number;
  dataSource: DataSource;
  services: Services;
  metrics: Metrics;
  /** The gateway's internals, for tests and benchmarks. */
  wiring: Wiring;
  /** The GraphQL request pipeline: `graphql.onRequestDone(listener)` hears every request's outcome. */
  graphql: GraphQLHandler;
  /** Upstream services fronted by Keygate (KEYGATE_CONFIG); `reload()` is what SIGHUP does. */
  gateway?: UpstreamGateway;
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

function startUpstreamGateway(config: Config, keygateSchema: GraphQLSchema, scopeCatalog: ScopeCatalog, logger: Logger): Promise<UpstreamGateway> {
  return UpstreamGateway.start({
    configFile: config.gatewayConfigFile!,
    keygateSchema,
    scopeCatalog,
    issuer: config.identityIssuer,
    identitySigningKey: config.identitySigningKey,
    production: config.nodeEnv === 'production',
    dataDir: config.dataDir,
    logger,
    planning: config.gatewayPlanning,
  });
}

/** The cost model of the schema a request runs on: the gateway keeps one per schema it built (it changes on reload). */
function costModelFor(gateway: UpstreamGateway | undefined): (schema: GraphQLSchema) => CostModel {
  if (gateway) return (schema) => gateway.costModel(schema);
  const models = new WeakMap<GraphQLSchema, CostModel>();
  return (schema) => {
    let model = models.get(schema);
    if (!model) models.set(schema, (model = buildCostModel(schema, { sizers: USAGE_COST_SIZERS })));
    return model;
  };
}

export async function createApp(options: AppOptions): Promise<App> {
  const { config, logger } = options;
  const dataSource = createDataSource({
    url: options.databaseUrl,
    onQuery: options.onQuery,
    queryTimeoutMs: config.dbQueryTimeoutMs,
    poolSize: connectionBudget(config.dbPoolSize).requests,
  });
  let wiring: Wiring | undefined;
  let gateway: UpstreamGateway | undefined;
  try {
    // Before the pool opens: migrations' connections and the pool's never add up beyond DB_POOL_SIZE.
    const applied = await runMigrations(dataSource);
    if (applied.length) logger.info({ migrations: applied }, 'migrations applied');
    await dataSource.initialize();

    const metrics = new Metrics();
    wiring = await createServices(config, dataSource, options.databaseUrl, metrics, logger);
    const { services } = wiring;

    const httpServer = http.createServer(slowClientTimeouts(config));
    const schema = await buildKeygateSchema();
    // With KEYGATE_CONFIG, upstream services join the schema (see upstreams/); Apollo then takes
    // the schema from the gateway, which swaps it on reload (SIGHUP).
    gateway = config.gatewayConfigFile ? await startUpstreamGateway(config, schema, services.scopeCatalog, logger) : undefined;
    const source = gateway ? { gateway: gateway.apolloGateway(), schema: gateway.schema } : schema;
    const apollo = createApollo(
      source,
      httpServer,
      logger,
      config.nodeEnv === 'production',
      createPipelinePlugin({
        admission: wiring.admission,
        costModel: costModelFor(gateway),
        checks: [refuseHostileInput],
        formatError: createFormatError(logger),
      }),
      {
        introspection: config.introspection,
        limits: config.queryLimits,
      },
    );
    await apollo.start();

    const graphql = new GraphQLHandler({
      apollo,
      authenticator: wiring.authenticator,
      services,
      db: dataSource,
      logger,
      bodyLimit: config.bodyLimitBytes,
      trustProxy: config.trustProxy,
      usageRecorder: wiring.usage,
    });
    // A key used from outside its allowedCidrs is refused before it spends anything.
    graphql.onAuthenticated(checkClientAddress);
    if (options.onRequestDone) graphql.onRequestDone(options.onRequestDone);

    httpServer.on(
      'request',
      createRequestListener({
        graphql: graphql.handle,
        clientAddress: (req) => clientAddress(req, config.trustProxy),
        playground: new Playground('/graphql', config.playground, config.admin?.email ?? BOOTSTRAP_ADMIN_EMAIL),
        // Bounded: a frozen (not stopped) PostgreSQL would otherwise hang the probe.
        // Redis configured but away: still ready (limits count on this instance), and /readyz says so.
        isDegraded: () => wiring!.budgetStore.degraded,
        isReady: () =>
          Promise.race([
            dataSource.query('SELECT 1').then(
              () => true,
              () => false,
            ),
            new Promise<boolean>((resolve) => setTimeout(resolve, 2000, false).unref()),
          ]),
        metrics,
        metricsAccess: metricsAccess(config.metricsToken, config.nodeEnv === 'production'),
        logger,
        cors: createCors(config.corsOrigins),
        jwks: gateway ? () => gateway!.jwks() : undefined,
      }),
    );
    await new Promise<void>((resolve, reject) => {
      httpServer.once('error', reject);
      httpServer.listen(config.port, config.host, () => resolve());
    });
    // Only once listening: a start-up that fails earlier (port taken) leaves no generated admin
    // behind whose password scrolled past, so the next start generates and prints one.
    // Instances starting together race to create the same admin; the one that lost finds it on a
    // second look (then only checks its role and password, or, for the generated one, leaves it).
    await ensureAdmin(options, services.users)
      .catch(() => ensureAdmin(options, services.users))
      .catch(async (err: unknown) => {
        await new Promise((resolve) => httpServer.close(resolve));
        throw err;
      });
    const { port } = httpServer.address() as AddressInfo;
    const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;

    return {
      url: `http://${host}:${port}`,
      port,
      dataSource,
      services,
      metrics,
      wiring,
      graphql,
      gateway,
      async close() {
        await apollo.stop();
        await wiring!.stop();
        await dataSource.destroy();
      },
    };
  } catch (err) {
    await wiring?.stop().catch(() => undefined);
    await dataSource.destroy().catch(() => undefined);
    throw err;
  }
}
