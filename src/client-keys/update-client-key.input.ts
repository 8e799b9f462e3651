import { Field, InputType, Int } from 'type-graphql';
import { KeyCreditsInput } from '../limits/key-credits.input';
import { KeyLimitInput } from '../limits/key-limit.input';

@InputType({ description: 'Only the fields given change; `expiresAt: null` removes the expiry.' })
export class UpdateClientKeyInput {
  @Field(() => String, { nullable: true, description: '1 to 100 characters.' })
  name?: string | null;

  @Field(() => String, { nullable: true, description: 'Up to 500 characters.' })
  description?: string | null;

  @Field(() => [String], { nullable: true, description: 'Known scopes that you hold yourself (replaces the list).' })
  scopes?: string[] | null;

  @Field(() => Int, { nullable: true, description: '1 to 1,000,000 requests per fixed one-minute window.' })
  rateLimitPerMinute?: number | null;

  @Field(() => Date, { nullable: true, description: 'In the future, or null to remove the expiry.' })
  expiresAt?: Date | null;

  @Field(() => [String], { nullable: true, description: 'Replaces the list; an empty list allows anywhere.' })
  allowedCidrs?: string[] | null;
  @Field(() => [KeyLimitInput], { nullable: true, description: 'Named limits besides rateLimitPerMinute (replaces the list in an update).' })
  limits?: KeyLimitInput[] | null;

  @Field(() => Int, { nullable: true, description: "Refuse any operation estimated above this cost (default: the server's MAX_OPERATION_COST)." })
  maxOperationCost?: number | null;

  @Field(() => KeyCreditsInput, { nullable: true, description: 'A quota spent by actual cost; null (in an update) removes it.' })
  credits?: KeyCreditsInput | null;
}
