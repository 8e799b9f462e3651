import { Field, Float, ObjectType } from 'type-graphql';
import { KeyCreditsRefill } from './key-credits-refill.type';

@ObjectType({ description: 'A quota spent by the actual cost of each request; kept in PostgreSQL.' })
export class KeyCredits {
  @Field(() => Float, { description: 'What remains (a few seconds late across instances).' })
  remaining: number;

  @Field(() => KeyCreditsRefill, { nullable: true, description: 'How they refill; null: they do not.' })
  refill: KeyCreditsRefill | null;

  @Field(() => Date, { nullable: true, description: 'When credits were last refilled.' })
  refilledAt: Date | null;
}
