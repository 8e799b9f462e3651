import type { RequestUsage } from './request-usage';
import type { UsageService } from './usage.service';

// What the usage feature adds to every request's GraphQL context (see identity/graphql-context.ts).
declare module '../identity/graphql-context' {
  interface Services {
    usage: UsageService;
  }
  interface GraphQLContext {
    /** Client keys only: this request's usage, reported when it finishes (by the request pipeline). */
    usage?: RequestUsage;
  }
}
