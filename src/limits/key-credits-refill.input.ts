import { Field, InputType, Int } from 'type-graphql';
import { CreditsRefillInterval } from './credits-refill-interval';

@InputType({ description: 'Credits are set back to `amount` at each interval.' })
export class KeyCreditsRefillInput {
  @Field(() => Int, { description: '1 to 2,000,000,000 credits.' })
  amount: number;

  @Field(() => CreditsRefillInterval, { description: 'When.' })
  interval: CreditsRefillInterval;

  @Field(() => Int, { nullable: true, description: 'MONTHLY only: 1 to 31 (default 1).' })
  dayOfMonth?: number | null;
}
