import { Arg, Ctx, FieldResolver, Float, ID, Int, Mutation, Resolver, Root } from 'type-graphql';
import { actorOf, type GraphQLContext } from '../identity/graphql-context';
import { RequiresScopes } from '../directives/guards';
import { keyLimits } from '../limits/budget-plans';
import { CreditsOperation } from '../limits/credits-operation';
import { KeyCredits } from '../limits/key-credits.type';
import { KeyLimit } from '../limits/key-limit.type';
import { LimitStatus } from '../limits/limit-status.type';
import { creditsOf } from '../limits/limit-rules';
import { ClientKey } from './client-key.entity';

/** A key's budgets as GraphQL shows them: its limits, its cap on one operation, its credits. */
@Resolver(() => ClientKey)
export class ClientKeyBudgetResolver {
  @FieldResolver(() => [KeyLimit], { description: '`default` (rateLimitPerMinute: root fields per minute) and the named limits.' })
  limits(@Root() key: ClientKey): KeyLimit[] {
    return keyLimits(key.rateLimitPerMinute, key.namedLimits ?? []);
  }

  @FieldResolver(() => Int, {
    nullable: true,
    description: "Operations estimated above this cost are refused (COST_ESTIMATED_TOO_EXPENSIVE); the server's MAX_OPERATION_COST unless set.",
  })
  maxOperationCost(@Root() key: ClientKey, @Ctx() ctx: GraphQLContext): number {
    return key.maxOperationCostSetting ?? ctx.services.clientKeys.budgets.defaultMaxOperationCost;
  }

  @FieldResolver(() => KeyCredits, { nullable: true, description: 'A quota spent by actual cost; null: unlimited.' })
  credits(@Root() key: ClientKey, @Ctx() ctx: GraphQLContext): KeyCredits | null {
    const credits = creditsOf(key);
    if (!credits) return null;
    return { ...credits, remaining: Math.max(0, credits.remaining - ctx.services.clientKeys.budgets.unwritten('KEY', key.id)) } as KeyCredits;
  }

  @FieldResolver(() => [LimitStatus], {
    description: "What remains now of every limit the key's requests pay into: its own, the keys above it (`parent.<name>`) and its owner's (`user.<name>`).",
  })
  async remaining(@Root() key: ClientKey, @Ctx() ctx: GraphQLContext): Promise<LimitStatus[]> {
    const status = await ctx.services.clientKeys.budgets.remaining(key.id);
    return status.limits as LimitStatus[];
  }

  @RequiresScopes(['write:clientkeys'])
  @Mutation(() => ClientKey, { description: "Changes a key's credits atomically (audited). A client key may only lower them." })
  adjustClientKeyCredits(
    @Ctx() ctx: GraphQLContext,
    @Arg('id', () => ID) id: string,
    @Arg('operation', () => CreditsOperation) operation: CreditsOperation,
    @Arg('amount', () => Float, { description: 'A whole number, 0 to 1,000,000,000,000.' }) amount: number,
  ): Promise<ClientKey> {
    return ctx.services.clientKeys.adjustCredits(actorOf(ctx), id, operation, amount);
  }
}
