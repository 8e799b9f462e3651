import type { AuthService } from './auth.service';

// What the auth feature adds to every request's GraphQL context (see identity/graphql-context.ts).
declare module '../identity/graphql-context' {
  interface Services {
    auth: AuthService;
  }
}
