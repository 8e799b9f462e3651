import { Arg, Ctx, Query, Resolver } from 'type-graphql';
import { Authenticated } from '../directives/guards';
import type { GraphQLContext } from '../identity/graphql-context';
import type { CreditsStatus } from './credits-status.type';
import type { LimitOf, LimitStatus } from './limit-status.type';
import type { LimitUnit } from './limit-unit';
import { RateLimitStatus } from './rate-limit-status.type';

@Resolver()
export class RateLimitResolver {
  @Authenticated()
  @Query(() => RateLimitStatus, {
    description: 'The cost of this operation and what remains of your budgets. With dryRun: true nothing else in the operation runs and nothing is charged.',
  })
  rateLimit(
    @Ctx() ctx: GraphQLContext,
    @Arg('dryRun', () => Boolean, { defaultValue: false, description: 'Price the operation only: run nothing else, charge nothing.' }) _dryRun: boolean,
  ): RateLimitStatus {
    // Decided by the admission phase before anything ran (execution/pipeline-plugin.ts).
    const budget = ctx.budget?.() ?? { estimated: 0, nodeCount: 0, limits: [], credits: null };
    return {
      cost: budget.estimated,
      nodeCount: budget.nodeCount,
      limits: budget.limits.map((l) => ({ ...l, unit: l.unit as LimitUnit, limitOf: l.limitOf as LimitOf }) satisfies LimitStatus),
      credits: budget.credits ? ({ remaining: budget.credits.remaining, limitOf: budget.credits.limitOf as LimitOf } satisfies CreditsStatus) : null,
    };
  }
}
