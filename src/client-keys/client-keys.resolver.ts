import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx, Directive, FieldResolver, ID, Info, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { toConnection } from '../common/connection';
import { pageRequest } from '../common/pagination';
import { selectsPath } from '../common/selection';
import { actorOf, type GraphQLContext } from '../identity/graphql-context';
import { RequiresScopes } from '../directives/guards';
import { User } from '../users/user.entity';
import { ClientKeyConnection } from './client-key-connection.type';
import { ClientKey } from './client-key.entity';
import { ClientKeyStatus } from './client-key-status';
import { CreateClientKeyInput } from './create-client-key.input';
import { CreateClientKeyPayload, RotateClientKeyPayload } from './issued-key.payload';
import { UpdateClientKeyInput } from './update-client-key.input';

@Resolver(() => ClientKey)
export class ClientKeysResolver {
  @RequiresScopes(['read:clientkeys'])
  @Directive('@listSize(assumedSize: 20, slicingArguments: ["first"], sizedFields: ["nodes"], requireOneSlicingArgument: false)')
  @Query(() => ClientKeyConnection, { description: "Your keys, newest first (admins: everyone's, or one user's with userId)." })
  clientKeys(
    @Ctx() ctx: GraphQLContext,
    @Info() info: GraphQLResolveInfo,
    @Arg('first', () => Int, { nullable: true, description: '1 to 100, default 20.' }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
    @Arg('status', () => ClientKeyStatus, { nullable: true }) status?: ClientKeyStatus,
    @Arg('userId', () => ID, { nullable: true }) userId?: string,
  ) {
    const { principal } = actorOf(ctx);
    const withOwners = selectsPath(info, ['nodes', 'owner']);
    return ctx.services.clientKeys.list(principal, { status, userId }, pageRequest(first, after), { withOwners }).then(toConnection);
  }

  @RequiresScopes(['read:clientkeys'])
  @Query(() => ClientKey)
  clientKey(@Ctx() ctx: GraphQLContext, @Arg('id', () => ID) id: string): Promise<ClientKey> {
    return ctx.services.clientKeys.get(actorOf(ctx).principal, id);
  }

  @RequiresScopes(['write:clientkeys'])
  @Mutation(() => CreateClientKeyPayload)
  createClientKey(@Ctx() ctx: GraphQLContext, @Arg('input') input: CreateClientKeyInput): Promise<CreateClientKeyPayload> {
    return ctx.services.clientKeys.create(actorOf(ctx), input);
  }

  @RequiresScopes(['write:clientkeys'])
  @Mutation(() => ClientKey)
  updateClientKey(@Ctx() ctx: GraphQLContext, @Arg('id', () => ID) id: string, @Arg('input') input: UpdateClientKeyInput): Promise<ClientKey> {
    return ctx.services.clientKeys.update(actorOf(ctx), id, input);
  }

  @RequiresScopes(['write:clientkeys'])
  @Mutation(() => RotateClientKeyPayload, { description: 'New secret, same key. The old secret works for gracePeriodSeconds more (never past expiresAt).' })
  rotateClientKey(
    @Ctx() ctx: GraphQLContext,
    @Arg('id', () => ID) id: string,
    @Arg('gracePeriodSeconds', () => Int, { defaultValue: 0, description: '0 (default) to 2,592,000 (30 days).' }) gracePeriodSeconds: number,
  ): Promise<RotateClientKeyPayload> {
    return ctx.services.clientKeys.rotate(actorOf(ctx), id, gracePeriodSeconds);
  }

  @RequiresScopes(['write:clientkeys'])
  @Mutation(() => ClientKey, { description: 'The key stops working at once and stays listed as REVOKED. Revoking twice is harmless.' })
  revokeClientKey(
    @Ctx() ctx: GraphQLContext,
    @Arg('id', () => ID) id: string,
    @Arg('reason', () => String, { nullable: true }) reason?: string,
    @Arg('cascade', () => Boolean, { nullable: true, defaultValue: false, description: 'Also revoke every key this key minted, transitively.' })
    cascade?: boolean | null,
  ): Promise<ClientKey> {
    return ctx.services.clientKeys.revoke(actorOf(ctx), id, reason, cascade ?? false);
  }

  @RequiresScopes(['write:clientkeys'])
  @Mutation(() => ID, { description: 'Removes the key; returns its id. Its audit events are kept.' })
  async deleteClientKey(@Ctx() ctx: GraphQLContext, @Arg('id', () => ID) id: string): Promise<string> {
    return (await ctx.services.clientKeys.delete(actorOf(ctx), id)).id;
  }

  @FieldResolver(() => User, { description: 'Read with the page that selects it; otherwise batched, one query for all the owners.' })
  async owner(@Root() key: ClientKey, @Ctx() ctx: GraphQLContext): Promise<User | null> {
    return key.owner !== undefined ? key.owner : ctx.loaders.userById.load(key.userId);
  }
}
