import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { GraphQLContext } from '../identity/graphql-context';
import { KeyCredits } from '../limits/key-credits.type';
import { KeyLimit } from '../limits/key-limit.type';
import { creditsOf } from '../limits/limit-rules';
import { assertCanReadPersonalFields } from './personal-fields';
import { User } from './user.entity';

/** An owner's budgets, shared by all of their keys: for that user, and for callers holding read:users. */
@Resolver(() => User)
export class UserBudgetResolver {
  @FieldResolver(() => [KeyLimit], { description: "Limits shared by all of the user's keys (a team's or a customer's plan)." })
  limits(@Root() user: User, @Ctx() ctx: GraphQLContext): KeyLimit[] {
    assertCanReadPersonalFields(ctx.principal, user);
    return user.namedLimits ?? [];
  }

  @FieldResolver(() => KeyCredits, { nullable: true, description: "Credits shared by all of the user's keys; null: unlimited." })
  credits(@Root() user: User, @Ctx() ctx: GraphQLContext): KeyCredits | null {
    assertCanReadPersonalFields(ctx.principal, user);
    const credits = creditsOf(user);
    if (!credits) return null;
    return { ...credits, remaining: Math.max(0, credits.remaining - ctx.services.clientKeys.budgets.unwritten('USER', user.id)) } as KeyCredits;
  }
}
