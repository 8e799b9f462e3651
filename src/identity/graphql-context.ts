import { UnauthenticatedError } from '../errors/app-errors';
import type { Actor } from './actor';
import type { BudgetStatus } from './budget-status';
import type { Principal } from './principal';

/**
 * The application's services, created once at start-up and shared by every request. Each
 * feature adds its own here (TypeScript declaration merging, see `users/users.context.ts`), so
 * this layer needs to know none of them.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface Services {}

/** Per-request DataLoaders, added by the features that batch reads (see `users/users.context.ts`). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface RequestLoaders {}

/** What every resolver gets: who is calling, from where, the services and this request's loaders. */
export interface GraphQLContext {
  principal?: Principal;
  ip: string;
  userAgent: string | null;
  services: Services;
  loaders: RequestLoaders;
  /** The client's X-Request-Id when it is a sane token, or a new one: sent on to upstreams. */
  requestId?: string;
  /**
   * Set by the admission phase once the operation is priced (execution/pipeline-plugin.ts); made
   * when asked for (Query.rateLimit), as most operations never ask.
   */
  budget?: () => BudgetStatus;
}

/** The acting principal of a request the directives have already let through. */
export function actorOf(ctx: GraphQLContext): Actor {
  if (!ctx.principal) throw new UnauthenticatedError();
  return { principal: ctx.principal, ip: ctx.ip, userAgent: ctx.userAgent };
}
