import { UnauthenticatedError } from '../errors/app-errors';
import type { RequestUsage } from '../usage/request-usage';
import type { Actor } from './actor';
import type { Loaders } from './loaders';
import type { Principal } from './principal';
import type { Services } from './services';

export interface GraphQLContext {
  principal?: Principal;
  ip: string;
  userAgent: string | null;
  services: Services;
  loaders: Loaders;
  /** The client's X-Request-Id, or a new one: sent on to upstreams. */
  requestId?: string;
  /** Client keys only: this request's usage, reported when it finishes. */
  usage?: RequestUsage;
}

/** The acting principal of a request the directives have already let through. */
export function actorOf(ctx: GraphQLContext): Actor {
  if (!ctx.principal) throw new UnauthenticatedError();
  return { principal: ctx.principal, ip: ctx.ip, userAgent: ctx.userAgent };
}
