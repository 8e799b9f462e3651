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
import { costLimitRule } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { GraphQLError, type GraphQLSchema, type ValidationContext } from 'graphql';
import type { GraphQLContext } from '../context/graphql-context';
import { createFormatError } from '../errors/format-error';
import { nulByteGuard } from './nul-byte-guard';
import { outageStatus } from './outage-status';
import type { Logger } from '../logging/logger';
import type { PreparedQueries } from '../execution/prepared-queries';

/**
 * OWASP's GraphQL limits, refused at validation (HTTP 400, GRAPHQL_VALIDATION_FAILED) before
 * anything runs. The deepest legitimate query (a key page with its owners) has depth 4.
 */
export const QUERY_LIMITS = { maxDepth: 10, maxCost: 5000, maxAliases: 15 };

/** graphql-armor throws by default (a 500 in Apollo); reporting makes it a validation error. */
const refuse = {
  propagateOnRejection: false,
  onReject: [(ctx: ValidationContext | null, err: GraphQLError) => ctx?.reportError(new GraphQLError(err.message.replace(/^Syntax Error: /, '')))],
};

/** A fixed schema, or (with upstreams) a gateway that hands Apollo each new schema on reload, with its plugins. */
export type SchemaSource = GraphQLSchema | { gateway: GatewayInterface; plugins: ApolloServerPlugin<GraphQLContext>[] };

export function createApollo(source: SchemaSource, httpServer: Server, logger: Logger, production: boolean, prepared: PreparedQueries) {
  return new ApolloServer<GraphQLContext>({
    ...('gateway' in source ? { gateway: source.gateway } : { schema: source }),
    formatError: createFormatError(logger),
    includeStacktraceInErrorResponses: false,
    // Production hides the schema: no introspection, no "did you mean" suggestions.
    introspection: !production,
    hideSchemaDetailsFromClientErrors: production,
    csrfPrevention: true,
    validationRules: [
      maxDepthRule({ n: QUERY_LIMITS.maxDepth, exposeLimits: true, ...refuse }),
      costLimitRule({ maxCost: QUERY_LIMITS.maxCost, exposeLimits: true, ...refuse }),
      maxAliasesRule({ n: QUERY_LIMITS.maxAliases, exposeLimits: true, ...refuse }),
    ],
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
      nulByteGuard,
      outageStatus,
      // Prepared queries answer successes without Apollo: a plugin added here must not change a
      // successful response (headers, status, extensions), or the two lanes would differ.
      prepared.plugin,
      ...('gateway' in source ? source.plugins : []),
    ],
  });
}
