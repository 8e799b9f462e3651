import { Directive, Field, Float, Int, ObjectType } from 'type-graphql';

// Every bucket is a row read and sent: 100 keys' minute buckets must cost what they return.
@Directive('@cost(weight: 1)')
@ObjectType({ description: "One interval of a key's traffic, summed over every Keygate instance." })
export class UsageBucket {
  @Field({ description: 'Where the interval begins (UTC).' })
  start: Date;

  @Field(() => Int, { description: 'Requests the key made, refused ones included.' })
  requests: number;

  @Field(() => Int, { description: 'Responses that carried an error other than a rate-limit refusal.' })
  errors: number;

  @Field(() => Int, { description: 'Requests refused by the rate limit (HTTP 429).' })
  rateLimited: number;

  @Field(() => Float, { description: 'The actual cost of the interval\'s requests (what they returned, priced as in SPEC "Budgets").' })
  cost: number;

  @Field(() => Float, { nullable: true, description: 'Mean time Keygate took per request, in milliseconds; null when there were none.' })
  meanLatencyMs: number | null;
}
