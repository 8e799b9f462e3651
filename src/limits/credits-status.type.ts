import { Field, Float, ObjectType } from 'type-graphql';
import { LimitOf } from './limit-status.type';

@ObjectType({ description: 'The smallest credits among those a request is charged to.' })
export class CreditsStatus {
  @Field(() => Float, { description: 'Credits left (a second late across instances).' })
  remaining: number;

  @Field(() => LimitOf, { description: 'Whose credits they are.' })
  limitOf: LimitOf;
}
