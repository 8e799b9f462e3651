import { Ctx, Query, Resolver } from 'type-graphql';
import { actorOf, type GraphQLContext } from '../identity/graphql-context';
import { PrincipalKind } from '../identity/principal-kind';
import { Authenticated } from '../directives/guards';
import { Viewer } from './viewer.type';

@Resolver()
export class ViewerResolver {
  @Authenticated()
  @Query(() => Viewer, { description: 'Who is calling: a user session or a client key. Costs no database query.' })
  viewer(@Ctx() ctx: GraphQLContext): Viewer {
    const { principal } = actorOf(ctx);
    const isKey = principal.kind === 'CLIENT_KEY';
    return {
      kind: isKey ? PrincipalKind.CLIENT_KEY : PrincipalKind.USER,
      id: principal.id,
      userId: principal.userId,
      scopes: [...principal.scopes].sort(),
      keyPrefix: isKey ? principal.keyPrefix : null,
      expiresAt: isKey ? principal.expiresAt : null,
      rateLimitPerMinute: isKey ? principal.rateLimitPerMinute : null,
    };
  }
}
