import { Field, Int, ObjectType } from 'type-graphql';
import { CreditsStatus } from './credits-status.type';
import { LimitStatus } from './limit-status.type';

@ObjectType({ description: "What this operation costs and what remains of the caller's budgets (GitHub's rateLimit shape)." })
export class RateLimitStatus {
  @Field(() => Int, { description: "The operation's estimated cost." })
  cost: number;

  @Field(() => Int, { description: 'Objects the operation may return.' })
  nodeCount: number;

  @Field(() => [LimitStatus], { description: "Every limit the request is charged to (none for a user's session)." })
  limits: LimitStatus[];

  @Field(() => CreditsStatus, { nullable: true, description: 'The smallest credits the request is charged to; null when none has credits.' })
  credits: CreditsStatus | null;
}
