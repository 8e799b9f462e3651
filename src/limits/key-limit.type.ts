import { Field, Int, ObjectType } from 'type-graphql';
import { LimitUnit } from './limit-unit';

@ObjectType({ description: 'At most `limit` units in any span of `periodSeconds` (a sliding window: no double burst at an edge).' })
export class KeyLimit {
  @Field({ description: '[a-z0-9-]{1,32}, unique per key or user; `default` is rateLimitPerMinute.' })
  name: string;

  @Field(() => LimitUnit, { description: 'What it counts.' })
  unit: LimitUnit;

  @Field(() => Int, { description: 'Units allowed per period.' })
  limit: number;

  @Field(() => Int, { description: '1 to 86,400.' })
  periodSeconds: number;
}
