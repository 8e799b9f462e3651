import type { ClientKeysService } from './client-keys.service';

// What the client-keys feature adds to every request's GraphQL context (see identity/graphql-context.ts).
declare module '../identity/graphql-context' {
  interface Services {
    clientKeys: ClientKeysService;
  }
}
