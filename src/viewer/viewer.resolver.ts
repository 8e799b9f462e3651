import { Ctx, Query, Resolver } from 'type-graphql';
import { actorOf, type GraphQLContext } from '../identity/graphql-context';
import { PrincipalKind } from '../identity/principal-kind';
import { Authenticated } from '../directives/guards';
import { Viewer } from './viewer.type';

/**
 * A principal's scope set is shared while its key or role is unchanged (see key-verifier.ts and
 * user-role.ts), so its sorted listing is worked out once per set, not once per request.
 */
const sortedBySet = new WeakMap<ReadonlySet<string>, readonly string[]>();

function sortedScopes(scopes: ReadonlySet<string>): string[] {
  let sorted = sortedBySet.get(scopes);
  if (!sorted) sortedBySet.set(scopes, (sorted = Object.freeze([...scopes].sort())));
  // A copy: the response is the caller's to keep; copying two strings costs less than sorting them.
  return sorted.slice();
}

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
      scopes: sortedScopes(principal.scopes),
      keyPrefix: isKey ? principal.keyPrefix : null,
      expiresAt: isKey ? principal.expiresAt : null,
      rateLimitPerMinute: isKey ? principal.rateLimitPerMinute : null,
    };
  }
}
