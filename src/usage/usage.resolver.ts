import { Arg, Ctx, Directive, FieldResolver, Resolver, Root } from 'type-graphql';
import { ClientKey } from '../client-keys/client-key.entity';
import { actorOf, type GraphQLContext } from '../identity/graphql-context';
import { FieldUsage } from './field-usage.type';
import { UsageBucket } from './usage-bucket.type';
import type { UsageBatch } from './usage-batch';
import { UsageInterval } from './usage-interval';

/** One UsageBatch per request, found from the request's own (per-request) loaders object. */
const batches = new WeakMap<object, UsageBatch>();

function batchOf(ctx: GraphQLContext): UsageBatch {
  let batch = batches.get(ctx.loaders);
  if (!batch) batches.set(ctx.loaders, (batch = ctx.services.usage.batch()));
  return batch;
}

/** Usage hangs off the key: whoever can read the key can read its usage. */
@Resolver(() => ClientKey)
export class UsageResolver {
  // Sized from since/until/interval by usageBucketsSizer; 2,000 is the most one answer holds.
  @Directive('@listSize(assumedSize: 2000)')
  @FieldResolver(() => [UsageBucket], {
    description: 'Requests, errors, rate-limit refusals and mean latency per interval, from since to until (default now). Visible within about 10 seconds.',
  })
  usage(
    @Root() key: ClientKey,
    @Ctx() ctx: GraphQLContext,
    @Arg('since', () => Date, { description: 'Rounded down to the start of its interval.' }) since: Date,
    @Arg('until', () => Date, { nullable: true, description: 'Exclusive; default now.' }) until: Date | null | undefined,
    @Arg('interval', () => UsageInterval, { nullable: true, defaultValue: UsageInterval.HOUR, description: 'The width of each bucket.' })
    interval: UsageInterval | null,
  ): Promise<UsageBucket[]> {
    return ctx.services.usage.buckets(actorOf(ctx).principal, key, since, until, interval ?? UsageInterval.HOUR, batchOf(ctx));
  }

  // One row per root field used: bounded by the schema's root fields.
  @Directive('@listSize(assumedSize: 50)')
  @FieldResolver(() => [FieldUsage], { description: 'Root fields the key used from since (rounded down to the hour) to until, most used first.' })
  usageByField(
    @Root() key: ClientKey,
    @Ctx() ctx: GraphQLContext,
    @Arg('since', () => Date, { description: 'Rounded down to the start of its hour.' }) since: Date,
    @Arg('until', () => Date, { nullable: true, description: 'Exclusive; default now.' }) until: Date | null | undefined,
  ): Promise<FieldUsage[]> {
    return ctx.services.usage.byField(actorOf(ctx).principal, key, since, until);
  }
}
