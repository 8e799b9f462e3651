import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import type { GraphQLContext } from '../identity/graphql-context';
import { Public } from '../directives/guards';
import { markAsSessionUser } from '../users/personal-fields';
import { AuthPayload } from './auth-payload.type';

/** The session's user is the caller's own: its email and role are theirs to read. */
function ownSession(payload: AuthPayload): AuthPayload {
  markAsSessionUser(payload.user);
  return payload;
}

@Resolver()
export class AuthResolver {
  @Public()
  @Mutation(() => AuthPayload)
  login(@Ctx() ctx: GraphQLContext, @Arg('email') email: string, @Arg('password') password: string): Promise<AuthPayload> {
    return ctx.services.auth.login(email, password, ctx.ip).then(ownSession);
  }

  @Public()
  @Mutation(() => AuthPayload, { description: 'Exchanges a refresh token for a new session; the old token stops working.' })
  refreshToken(@Ctx() ctx: GraphQLContext, @Arg('refreshToken') refreshToken: string): Promise<AuthPayload> {
    return ctx.services.auth.refresh(refreshToken).then(ownSession);
  }

  @Public()
  @Mutation(() => Boolean, {
    description: 'Ends the session of this refresh token; without one, a logged-in user ends all their sessions. Always true, even for an unknown token.',
  })
  async logout(@Ctx() ctx: GraphQLContext, @Arg('refreshToken', () => String, { nullable: true }) refreshToken?: string | null): Promise<boolean> {
    if (refreshToken) await ctx.services.auth.logout(refreshToken);
    else if (ctx.principal?.kind === 'USER') await ctx.services.auth.logoutEverywhere(ctx.principal.userId);
    return true;
  }
}
