import { Ctx, Directive, Query, Resolver } from 'type-graphql';
import { Authenticated } from '../directives/guards';
import type { GraphQLContext } from '../identity/graphql-context';
import { ScopeType } from './scope.type';

@Resolver()
export class ScopesResolver {
  // @authenticated rather than @public: any signed-in caller needs the catalog to choose a key's
  // scopes, while an anonymous caller would only learn which upstreams sit behind Keygate.
  @Authenticated()
  // Keygate's five scopes plus those KEYGATE_CONFIG adds: a catalog, not a page.
  @Directive('@listSize(assumedSize: 50)')
  @Query(() => [ScopeType], { description: "The whole scope catalog: Keygate's own scopes and those KEYGATE_CONFIG adds for upstreams." })
  scopes(@Ctx() ctx: GraphQLContext): ScopeType[] {
    return ctx.services.scopeCatalog.list();
  }
}
