import type { ApolloServerPlugin } from '@apollo/server';
import { requestRecord } from './request-record';

/**
 * Notes the operation's name for the access log line: the name of the operation the document
 * defines and the request runs, nothing else. The request's `operationName` is the client's own
 * JSON text, which could be anything (a secret pasted in the wrong place): when it names no
 * operation of the document, the request fails and no name is logged.
 */
export function operationNamePlugin<TContext extends object>(): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ contextValue, operation }) {
          const name = operation?.name?.value;
          if (name) requestRecord(contextValue).operationName = name;
        },
      };
    },
  };
}
