import { Arg, Ctx, Directive, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { toConnection } from '../common/connection';
import { pageRequest } from '../common/pagination';
import { actorOf, type GraphQLContext } from '../identity/graphql-context';
import { ForbiddenError } from '../errors/app-errors';
import { Authenticated, RequiresScopes } from '../directives/guards';
import { CreateUserInput } from './create-user.input';
import { UpdateUserInput } from './update-user.input';
import { assertCanReadPersonalFields } from './personal-fields';
import { UserRole } from '../identity/user-role';
import { UserConnection } from './user-connection.type';
import { User } from './user.entity';

@Resolver(() => User)
export class UsersResolver {
  @Authenticated()
  @Query(() => User, { description: 'The logged-in user. Client keys have no session: they ask `viewer`.' })
  me(@Ctx() ctx: GraphQLContext): Promise<User> {
    const { principal } = actorOf(ctx);
    if (principal.kind !== 'USER') throw new ForbiddenError([], '`me` needs a user session; client keys use `viewer`');
    return ctx.services.users.getById(principal.userId);
  }

  @RequiresScopes(['read:users'])
  @Directive('@listSize(assumedSize: 20, slicingArguments: ["first"], sizedFields: ["nodes"], requireOneSlicingArgument: false)')
  @Query(() => UserConnection)
  users(
    @Ctx() ctx: GraphQLContext,
    @Arg('first', () => Int, { nullable: true }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
  ) {
    return ctx.services.users.list(pageRequest(first, after)).then(toConnection);
  }

  @RequiresScopes(['read:users'])
  @Query(() => User)
  user(@Ctx() ctx: GraphQLContext, @Arg('id', () => ID) id: string): Promise<User> {
    return ctx.services.users.getById(id);
  }

  @RequiresScopes(['write:users'])
  @Mutation(() => User)
  createUser(@Ctx() ctx: GraphQLContext, @Arg('input') input: CreateUserInput): Promise<User> {
    return ctx.services.users.create(actorOf(ctx), input);
  }

  @RequiresScopes(['write:users'])
  @Mutation(() => User)
  updateUser(@Ctx() ctx: GraphQLContext, @Arg('id', () => ID) id: string, @Arg('input') input: UpdateUserInput): Promise<User> {
    return ctx.services.users.update(actorOf(ctx), id, input);
  }

  @RequiresScopes(['write:users'])
  @Mutation(() => ID, { description: 'Deletes the user and their client keys; returns the deleted id. The audit trail is kept.' })
  async deleteUser(@Ctx() ctx: GraphQLContext, @Arg('id', () => ID) id: string): Promise<string> {
    return (await ctx.services.users.delete(actorOf(ctx), id)).id;
  }

  // Personal fields: wherever a User appears (owner of a key, a login's user), another user's
  // email and role need read:users. Refused with FORBIDDEN on the field itself.
  @FieldResolver(() => String, { description: 'Needs read:users, unless this is you.' })
  email(@Root() user: User, @Ctx() ctx: GraphQLContext): string {
    assertCanReadPersonalFields(ctx.principal, user);
    return user.email;
  }

  @FieldResolver(() => UserRole, { description: 'Needs read:users, unless this is you.' })
  role(@Root() user: User, @Ctx() ctx: GraphQLContext): UserRole {
    assertCanReadPersonalFields(ctx.principal, user);
    return user.role;
  }
}
