import { Field, InputType, Int } from 'type-graphql';
import { KeyCreditsInput } from '../limits/key-credits.input';
import { KeyLimitInput } from '../limits/key-limit.input';

@InputType({ description: "A new key's settings; `scopes` may only name scopes you hold." })
export class CreateClientKeyInput {
  @Field({ description: '1 to 100 characters.' })
  name: string;

  @Field(() => String, { nullable: true, description: 'Up to 500 characters.' })
  description?: string | null;

  @Field(() => [String], { description: 'Known scopes that you hold yourself.' })
  scopes: string[];

  @Field(() => Int, { nullable: true, description: '1 to 1,000,000 requests per fixed one-minute window; default 60.' })
  rateLimitPerMinute?: number | null;

  @Field(() => Date, { nullable: true, description: 'Must be in the future; omit for a key that does not expire.' })
  expiresAt?: Date | null;

  @Field(() => [String], {
    nullable: true,
    description: 'IPv4/IPv6 CIDRs (such as 203.0.113.0/24 or 2001:db8::/32) the key may be used from; omit or empty for anywhere.',
  })
  allowedCidrs?: string[] | null;
  @Field(() => [KeyLimitInput], { nullable: true, description: 'Named limits besides rateLimitPerMinute (replaces the list in an update).' })
  limits?: KeyLimitInput[] | null;

  @Field(() => Int, { nullable: true, description: "Refuse any operation estimated above this cost (default: the server's MAX_OPERATION_COST)." })
  maxOperationCost?: number | null;

  @Field(() => KeyCreditsInput, { nullable: true, description: 'A quota spent by actual cost; null (in an update) removes it.' })
  credits?: KeyCreditsInput | null;
}
