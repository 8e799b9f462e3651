import type { ScopeCatalog } from '../scopes/scope-catalog';

// What the catalog feature adds to every request's GraphQL context (see identity/graphql-context.ts).
declare module '../identity/graphql-context' {
  interface Services {
    /** This app's scopes: its KEYGATE_CONFIG's, never another app's in the same process. */
    scopeCatalog: ScopeCatalog;
  }
}
