import { Field, Int, ObjectType } from 'type-graphql';
import { CreditsRefillInterval } from './credits-refill-interval';

@ObjectType({ description: 'Credits are set back to `amount` at each interval (not added to what remains).' })
export class KeyCreditsRefill {
  @Field(() => Int, { description: 'What remaining is set back to.' })
  amount: number;

  @Field(() => CreditsRefillInterval, { description: 'When.' })
  interval: CreditsRefillInterval;

  @Field(() => Int, { nullable: true, description: 'MONTHLY: the day it refills (short months: their last day).' })
  dayOfMonth: number | null;
}
