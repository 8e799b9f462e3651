import type { GatewayInterface, GatewaySchemaLoadOrUpdateCallback } from '@apollo/server-gateway-interface';
import { type GraphQLSchema, printSchema } from 'graphql';
import type { CostModel } from '../cost/cost-model';
import { rememberSchemaNames } from '../errors/client-text';
import type { Logger } from '../logging/logger';
import type { ScopeCatalog } from '../scopes/scope-catalog';
import { type GatewayConfig, GatewayConfigError, loadGatewayConfig } from './gateway-config';
import { buildGatewaySchema, type BuiltGateway } from './gateway-schema';
import { resolveIdentityKey } from './identity-key';
import { IdentityTokens } from './identity-tokens';
import type { UpstreamStats } from './upstream-executor';

export interface UpstreamGatewayOptions {
  /** The KEYGATE_CONFIG file. */
  configFile: string;
  /** Keygate's own executable schema, which the upstreams join. */
  keygateSchema: GraphQLSchema;
  /** The app's scope catalog: each build that is taken replaces its configured scopes and roles. */
  scopeCatalog: ScopeCatalog;
  issuer: string;
  identitySigningKey?: string;
  production: boolean;
  dataDir: string;
  logger: Logger;
  env?: NodeJS.ProcessEnv;
  /** False: one upstream's operations are stitched too, not sent whole (tests compare the two). */
  planning?: boolean;
}

/**
 * Keygate in front of upstream GraphQL services: holds the current stitched schema and swaps it
 * on reload. Requests already running keep the schema they started with (Apollo Server takes a
 * schema per request, through the gateway interface below).
 */
export class UpstreamGateway {
  private listeners = new Set<GatewaySchemaLoadOrUpdateCallback>();
  private built: BuiltGateway;
  private reloading: Promise<boolean> | undefined;
  /** The one reload queued behind the running one; every signal during that run joins it. */
  private followUp: Promise<boolean> | undefined;
  /** Every build still in use, by its schema: a request that started before a reload finishes on its own. */
  private readonly builds = new WeakMap<GraphQLSchema, BuiltGateway>();

  private constructor(
    private readonly options: UpstreamGatewayOptions,
    private readonly tokens: IdentityTokens,
    built: BuiltGateway,
    private config: GatewayConfig,
  ) {
    this.built = built;
    this.builds.set(built.schema, built);
  }

  static async start(options: UpstreamGatewayOptions): Promise<UpstreamGateway> {
    const config = await loadGatewayConfig(options.configFile, options.env);
    // The signing key is needed only when there is an upstream to sign for, but is resolved
    // whenever a config is given so that a reload that adds the first upstream can sign too.
    const key = await resolveIdentityKey({
      configured: options.identitySigningKey,
      production: options.production && config.upstreams.length > 0,
      dataDir: options.dataDir,
    });
    const tokens = new IdentityTokens(key, options.issuer);
    const built = await UpstreamGateway.build(options, tokens, config);
    options.logger.info({ upstreams: config.upstreams.map((u) => u.name) }, 'upstreams joined the schema');
    return new UpstreamGateway(options, tokens, built, config);
  }

  private static async build(options: UpstreamGatewayOptions, tokens: IdentityTokens, config: GatewayConfig): Promise<BuiltGateway> {
    const built = await buildGatewaySchema(options.keygateSchema, config, tokens, options.logger, options.planning ?? true);
    // Applied only once the whole new schema is good: a bad config leaves the catalog as it was.
    const scopes = { ...config.scopes };
    for (const scope of built.usedScopes) scopes[scope] ??= 'Required by an upstream field';
    options.scopeCatalog.configure({ scopes, roles: config.roles });
    // Error messages may quote the schema's names: a reload's new types and fields are names too.
    rememberSchemaNames(built.schema);
    return built;
  }

  get schema(): GraphQLSchema {
    return this.built.schema;
  }

  /** Prices operations on `schema` (default: the current one), so a request is priced on the schema it runs on, across a reload. */
  costModel(schema?: GraphQLSchema): CostModel {
    return (schema ? this.builtFor(schema) : this.built).costModel;
  }

  /** Requests sent to each upstream so far (for tests and the benchmark). */
  stats(name: string): UpstreamStats | undefined {
    return this.built.stats.get(name);
  }

  jwks(): { keys: object[] } {
    return this.tokens.jwks();
  }

  /**
   * Re-reads KEYGATE_CONFIG and the upstreams' schemas (on SIGHUP). A bad new config keeps the
   * running one and logs why; resolves whether the config read last was taken.
   *
   * A reload asked for while one runs is never lost nor merged into that one, which may have read
   * the file before it changed: it schedules one more reload after it, and every further request
   * until then joins that follow-up. So the file as it stands after the last signal is what runs,
   * and a storm of signals costs at most two reloads at a time.
   */
  reload(): Promise<boolean> {
    if (!this.reloading) {
      this.reloading = this.doReload().finally(() => (this.reloading = undefined));
      return this.reloading;
    }
    this.followUp ??= this.reloading.then(() => {
      this.followUp = undefined;
      return this.reload();
    });
    return this.followUp;
  }

  private async doReload(): Promise<boolean> {
    const { logger } = this.options;
    try {
      const config = await loadGatewayConfig(this.options.configFile, this.options.env);
      const built = await UpstreamGateway.build(this.options, this.tokens, config);
      const previous = this.built;
      // Requests still running on the old schema keep its connections until they are done.
      const longest = Math.max(0, ...this.config.upstreams.map((u) => u.timeoutMs));
      setTimeout(() => previous.close(), longest + 5_000).unref();
      this.config = config;
      this.built = built;
      this.builds.set(built.schema, built);
      for (const listener of this.listeners) listener({ apiSchema: built.schema, coreSupergraphSdl: printSchema(built.schema) });
      logger.info({ upstreams: config.upstreams.map((u) => u.name) }, 'KEYGATE_CONFIG reloaded');
      return true;
    } catch (err) {
      const reason = err instanceof GatewayConfigError ? err.message : `unexpected error: ${(err as Error).message}`;
      logger.error({ reason }, `KEYGATE_CONFIG reload refused, keeping the running configuration: ${reason}`);
      return false;
    }
  }

  /** Apollo Server's gateway interface: Apollo executes on the schema we hand it, and takes a new one on reload. */
  apolloGateway(): GatewayInterface {
    return {
      load: async () => {
        for (const listener of this.listeners) listener({ apiSchema: this.built.schema, coreSupergraphSdl: printSchema(this.built.schema) });
        return { executor: async (request) => this.builtFor(request.schema).executor.execute(request) };
      },
      onSchemaLoadOrUpdate: (callback) => {
        this.listeners.add(callback);
        return () => this.listeners.delete(callback);
      },
      stop: async () => {
        this.listeners.clear();
        this.built.close();
      },
    };
  }

  /** The build a request's schema came from: the current one, or one a reload replaced while the request ran. */
  private builtFor(schema: GraphQLSchema): BuiltGateway {
    return this.builds.get(schema) ?? this.built;
  }

  get upstreamNames(): string[] {
    return this.config.upstreams.map((u) => u.name);
  }
}
