import type { ApolloServerPlugin, BaseContext, GraphQLRequestListener } from '@apollo/server';

/**
 * A database outage surfaces inside resolvers as driver errors, which formatError turns into
 * retryable INTERNAL_SERVER_ERRORs only after Apollo has chosen the status. This makes such a
 * response a 503 with Retry-After, like the same outage met while authenticating.
 */
const listener: GraphQLRequestListener<BaseContext> = {
  async willSendResponse({ response }) {
    if (response.body.kind !== 'single') return;
    const errors = response.body.singleResult.errors;
    if (!errors?.some((e) => e.extensions?.code === 'INTERNAL_SERVER_ERROR' && e.extensions?.retryable === true)) return;
    response.http.status = 503;
    response.http.headers.set('retry-after', '1');
  },
};

// The listener keeps no per-request state, so one object serves every request.
export const outageStatus: ApolloServerPlugin = {
  async requestDidStart() {
    return listener;
  },
};
