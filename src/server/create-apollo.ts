import type { Server } from 'node:http';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import type { GatewayInterface } from '@apollo/server-gateway-interface';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
  ApolloServerPluginUsageReportingDisabled,
} from '@apollo/server/plugin/disabled';
import type { GraphQLSchema } from 'graphql';
import { stringifyResult } from '../common/raw-json';
import { rememberSchemaNames } from '../errors/client-text';
import { createFormatError } from '../errors/error-policy';
import type { PipelineContext } from '../execution/pipeline-plugin';
import { DEFAULT_QUERY_LIMITS, queryLimitRules, type QueryLimits } from './query-limits';
import type { Logger } from '../logging/logger';

/**
 * OWASP's GraphQL limits, refused at parsing or validation (GRAPHQL_PARSE_FAILED or
 * GRAPHQL_VALIDATION_FAILED) before anything runs: see query-limits.ts. These are the defaults.
 */
export const QUERY_LIMITS: QueryLimits = DEFAULT_QUERY_LIMITS;

export interface ApolloExposure {
  /** Whether the schema can be introspected (default: outside production). */
  introspection?: boolean;
  limits?: Partial<QueryLimits>;
}

/** A fixed schema, or (with upstreams) a gateway that hands Apollo each new schema on reload. */
export type SchemaSource = GraphQLSchema | { gateway: GatewayInterface; schema: GraphQLSchema };

export function createApollo(
  source: SchemaSource,
  httpServer: Server,
  logger: Logger,
  production: boolean,
  pipeline: ApolloServerPlugin<PipelineContext>,
  exposure: ApolloExposure = {},
) {
  const limits = { ...DEFAULT_QUERY_LIMITS, ...exposure.limits };
  // Error messages may name what the schema defines, and nothing else the client wrote.
  rememberSchemaNames('gateway' in source ? source.schema : source, limits.maxTokens);
  return new ApolloServer<PipelineContext>({
    ...('gateway' in source ? { gateway: source.gateway } : { schema: source }),
    formatError: createFormatError(logger),
    includeStacktraceInErrorResponses: false,
    // Production hides the schema: no introspection (unless INTROSPECTION says), no "did you mean" suggestions.
    introspection: exposure.introspection ?? !production,
    hideSchemaDetailsFromClientErrors: production,
    csrfPrevention: true,
    parseOptions: { maxTokens: limits.maxTokens },
    validationRules: queryLimitRules(limits),
    allowBatchedHttpRequests: false,
    // Automatic persisted queries are not offered: one less lookup on every request.
    persistedQueries: false,
    logger,
    plugins: [
      // Our own playground is served on GET /graphql; Apollo's would load from a CDN.
      ApolloServerPluginLandingPageDisabled(),
      // Keygate sets no cache hints and reports to no Apollo service: skip their per-field work.
      ApolloServerPluginCacheControlDisabled(),
      ApolloServerPluginInlineTraceDisabled(),
      ApolloServerPluginUsageReportingDisabled(),
      ApolloServerPluginDrainHttpServer({ httpServer, stopGracePeriodMillis: 10_000 }),
      // The request's phases inside Apollo (admit, execute a dry run, settle) and the error objects from
      // which errors/error-policy.ts picks the status: see execution/pipeline-plugin.ts.
      pipeline,
    ],
    // Plain JSON (Apollo's default adds a newline to every body), with `extensions.cost` written as made.
    stringifyResult,
  });
}
