import type { ApolloServerPlugin, GraphQLRequestListener } from '@apollo/server';
import type { GraphQLFormattedError } from 'graphql';
import type { RequestUsage } from './request-usage';

interface UsageContext {
  usage?: RequestUsage;
}

/** Whether any error is something other than the rate limit's refusal, and whether one is that refusal. */
export function classifyErrors(errors: readonly GraphQLFormattedError[] | undefined): { errored: boolean; rateLimited: boolean } {
  let errored = false;
  let rateLimited = false;
  for (const error of errors ?? []) {
    if (error.extensions?.code === 'RATE_LIMITED') rateLimited = true;
    else errored = true;
  }
  return { errored, rateLimited };
}

const listener: GraphQLRequestListener<UsageContext> = {
  // Also called for documents that fail to parse or validate.
  willSendResponse: async ({ contextValue, response }) => {
    const usage = contextValue.usage;
    if (usage === undefined) return;
    const errors = response.body.kind === 'single' ? response.body.singleResult.errors : undefined;
    const { errored, rateLimited } = classifyErrors(errors);
    usage.finish(errored, rateLimited);
  },
};

/**
 * Reports each client-key request that Apollo answers (the context's RequestUsage) once its
 * response is ready. It changes no response, so prepared queries may still bypass Apollo.
 */
export const usagePlugin: ApolloServerPlugin<UsageContext> = {
  requestDidStart: async ({ contextValue }) => (contextValue.usage === undefined ? undefined : listener),
};
