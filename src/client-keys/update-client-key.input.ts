import { Field, InputType, Int } from 'type-graphql';

@InputType({ description: 'Only the fields given change; `expiresAt: null` removes the expiry.' })
export class UpdateClientKeyInput {
  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field(() => String, { nullable: true })
  description?: string | null;

  @Field(() => [String], { nullable: true })
  scopes?: string[] | null;

  @Field(() => Int, { nullable: true })
  rateLimitPerMinute?: number | null;

  @Field(() => Date, { nullable: true })
  expiresAt?: Date | null;

  @Field(() => [String], { nullable: true, description: 'Replaces the list; an empty list allows anywhere.' })
  allowedCidrs?: string[] | null;
}
