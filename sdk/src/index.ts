import { AuthClient } from './auth-client.js';
import { ClientKeysManager } from './client-keys-manager.js';
import { KeyBudgets } from './key-budgets.js';
import { type Document, KeygateFetch, type KeygateFetchOptions } from './keygate-fetch.js';
import type { OperationCost } from './types.js';

export { AuthClient } from './auth-client.js';
export { ClientKeysManager } from './client-keys-manager.js';
export { KeyBudgets } from './key-budgets.js';
export { KeygateError } from './errors.js';
export { KeygateFetch, type Document, type FetchLike, type KeygateFetchOptions } from './keygate-fetch.js';
export * from './types.js';
export type { DocumentTypeDecoration } from './typed-document.js';
export * as graphqlTypes from './generated/graphql.js';

export interface KeygateClient {
  auth: AuthClient;
  management: { clientKeys: ClientKeysManager; keyBudgets: KeyBudgets };
  /** `extensions.cost` of the last response to a client key: its cost and what remains of each budget. */
  readonly lastCost: OperationCost | undefined;
  /** Any operation, typed by a generated document (or a string with explicit type arguments). */
  graphql<TData, TVariables = Record<string, unknown>>(document: Document<TData, TVariables>, variables?: TVariables): Promise<TData>;
}

/**
 * `createClient({ url })` then `auth.login(...)` for a user session, or
 * `createClient({ url, clientKey })` to act as a client key.
 */
export function createClient(options: KeygateFetchOptions): KeygateClient {
  const transport = new KeygateFetch(options);
  const auth = new AuthClient(transport);
  // Every call first renews an expiring session, so long-lived clients keep working.
  const sessionAware = Object.create(transport) as KeygateFetch;
  sessionAware.graphql = async (document, variables) => {
    await auth.ensureFresh();
    return transport.graphql(document, variables);
  };
  return {
    auth,
    management: { clientKeys: new ClientKeysManager(sessionAware), keyBudgets: new KeyBudgets(sessionAware) },
    get lastCost() {
      return transport.lastCost;
    },
    graphql: (document, variables) => sessionAware.graphql(document, variables),
  };
}
