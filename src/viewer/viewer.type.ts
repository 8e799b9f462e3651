import { Field, ID, Int, ObjectType } from 'type-graphql';
import { PrincipalKind } from '../context/principal-kind';

@ObjectType({ simpleResolvers: true, description: 'The caller as the gateway sees it, answered from the request alone.' })
export class Viewer {
  @Field(() => PrincipalKind, { description: 'A user session or a client key.' })
  kind: PrincipalKind;

  @Field(() => ID, { description: 'The user id, or the client key id.' })
  id: string;

  @Field(() => ID, { description: 'The user, or the owner of the key.' })
  userId: string;

  @Field(() => [String], { description: 'The scopes this caller holds now.' })
  scopes: string[];

  @Field(() => String, { nullable: true, description: 'Client keys only.' })
  keyPrefix: string | null;

  @Field(() => Date, { nullable: true, description: 'Client keys only.' })
  expiresAt: Date | null;

  @Field(() => Int, { nullable: true, description: 'Client keys only.' })
  rateLimitPerMinute: number | null;
}
