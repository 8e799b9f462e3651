import type { Server } from 'node:http';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import type { GraphQLSchema } from 'graphql';
import type { GraphQLContext } from '../context/graphql-context';
import { createFormatError } from '../errors/format-error';
import type { Logger } from '../logging/logger';

export function createApollo(schema: GraphQLSchema, httpServer: Server, logger: Logger, production: boolean) {
  return new ApolloServer<GraphQLContext>({
    schema,
    formatError: createFormatError(logger),
    includeStacktraceInErrorResponses: false,
    // Production hides the schema: no introspection, no "did you mean" suggestions.
    introspection: !production,
    hideSchemaDetailsFromClientErrors: production,
    csrfPrevention: true,
    allowBatchedHttpRequests: false,
    logger,
    plugins: [
      // Our own playground is served on GET /graphql; Apollo's would load from a CDN.
      ApolloServerPluginLandingPageDisabled(),
      ApolloServerPluginDrainHttpServer({ httpServer, stopGracePeriodMillis: 10_000 }),
    ],
  });
}
