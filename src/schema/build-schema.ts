import 'reflect-metadata';
import { type GraphQLSchema, specifiedDirectives } from 'graphql';
import { DateTimeResolver } from 'graphql-scalars';
import { buildSchema } from 'type-graphql';
import { AuditResolver } from '../audit/audit.resolver';
import { AuthResolver } from '../auth/auth.resolver';
import { ClientKeyBudgetResolver } from '../client-keys/client-key-budget.resolver';
import { ClientKeysResolver } from '../client-keys/client-keys.resolver';
import { RateLimitResolver } from '../limits/rate-limit.resolver';
import { COST_DIRECTIVES } from '../cost/cost-directives';
import { applyAuthDirectives } from '../directives/auth-directives-transform';
import { AUTH_DIRECTIVES } from '../directives/directive-definitions';
import { ScopesResolver } from '../catalog/scopes.resolver';
import { withRootFieldUsage } from '../usage/root-field-usage';
import { UsageResolver } from '../usage/usage.resolver';
import { UserBudgetResolver } from '../users/user-budget.resolver';
import { UsersResolver } from '../users/users.resolver';
import { ViewerResolver } from '../viewer/viewer.resolver';

export const RESOLVERS = [
  AuthResolver,
  UsersResolver,
  UserBudgetResolver,
  ViewerResolver,
  ClientKeysResolver,
  ClientKeyBudgetResolver,
  RateLimitResolver,
  AuditResolver,
  UsageResolver,
  ScopesResolver,
] as const;

/** The executable schema: type-graphql's output with the authorization directives enforced. */
export async function buildKeygateSchema(): Promise<GraphQLSchema> {
  const schema = await buildSchema({
    resolvers: [...RESOLVERS],
    // type-graphql's `directives` replaces the built-in ones: @include, @skip, @deprecated, @specifiedBy are kept.
    directives: [...specifiedDirectives, ...AUTH_DIRECTIVES, ...COST_DIRECTIVES],
    validate: false,
    // SPEC.md names the timestamp scalar DateTime (ISO-8601).
    scalarsMap: [{ type: Date, scalar: DateTimeResolver }],
  });
  // Usage wraps the authorization checks, so a refused root field counts as a failed one.
  return withRootFieldUsage(applyAuthDirectives(schema));
}
