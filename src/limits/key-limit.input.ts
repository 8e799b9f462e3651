import { Field, InputType, Int } from 'type-graphql';
import { LimitUnit } from './limit-unit';

@InputType({ description: 'A named limit: at most `limit` units in any span of `periodSeconds`.' })
export class KeyLimitInput {
  @Field({ description: '[a-z0-9-]{1,32}, unique in the list; not `default` (that is rateLimitPerMinute).' })
  name: string;

  @Field(() => LimitUnit, { description: 'What it counts.' })
  unit: LimitUnit;

  @Field(() => Int, { description: '1 to 1,000,000,000 units per period.' })
  limit: number;

  @Field(() => Int, { description: '1 to 86,400 seconds.' })
  periodSeconds: number;
}
