import { Arg, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { ClientKey } from '../client-keys/client-key.entity';
import { actorOf, type GraphQLContext } from '../context/graphql-context';
import { FieldUsage } from './field-usage.type';
import { UsageBucket } from './usage-bucket.type';
import { UsageInterval } from './usage-interval';

/** Usage hangs off the key: whoever can read the key can read its usage. */
@Resolver(() => ClientKey)
export class UsageResolver {
  @FieldResolver(() => [UsageBucket], {
    description: 'Requests, errors, rate-limit refusals and mean latency per interval, from since to until (default now). Visible within about 10 seconds.',
  })
  usage(
    @Root() key: ClientKey,
    @Ctx() ctx: GraphQLContext,
    @Arg('since', () => Date, { description: 'Rounded down to the start of its interval.' }) since: Date,
    @Arg('until', () => Date, { nullable: true, description: 'Exclusive; default now.' }) until: Date | null | undefined,
    @Arg('interval', () => UsageInterval, { defaultValue: UsageInterval.HOUR }) interval: UsageInterval,
  ): Promise<UsageBucket[]> {
    return ctx.services.usage.buckets(actorOf(ctx).principal, key, since, until, interval);
  }

  @FieldResolver(() => [FieldUsage], { description: 'Root fields the key used from since (rounded down to the hour) to until, most used first.' })
  usageByField(
    @Root() key: ClientKey,
    @Ctx() ctx: GraphQLContext,
    @Arg('since', () => Date) since: Date,
    @Arg('until', () => Date, { nullable: true }) until: Date | null | undefined,
  ): Promise<FieldUsage[]> {
    return ctx.services.usage.byField(actorOf(ctx).principal, key, since, until);
  }
}
