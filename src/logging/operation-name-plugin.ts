import type { ApolloServerPlugin } from '@apollo/server';
import { requestRecord } from './request-record';

/** Notes each operation's name (from the document, else the request) for the access log line. */
export function operationNamePlugin<TContext extends object>(): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ contextValue, operation, request }) {
          const name = operation?.name?.value ?? request.operationName;
          if (name) requestRecord(contextValue).operationName = name;
        },
      };
    },
  };
}
