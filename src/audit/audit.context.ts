import type { AuditService } from './audit.service';

// What the audit feature adds to every request's GraphQL context (see identity/graphql-context.ts).
declare module '../identity/graphql-context' {
  interface Services {
    audit: AuditService;
  }
}
