import { Field, Float, InputType } from 'type-graphql';
import { KeyCreditsRefillInput } from './key-credits-refill.input';

@InputType({ description: 'Sets a quota; null in an update removes it (unlimited).' })
export class KeyCreditsInput {
  @Field(() => Float, { description: '0 to 1,000,000,000,000, a whole number.' })
  remaining: number;

  @Field(() => KeyCreditsRefillInput, { nullable: true, description: 'How they refill; none by default.' })
  refill?: KeyCreditsRefillInput | null;
}
