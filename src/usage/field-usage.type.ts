import { Field, Float, Int, ObjectType } from 'type-graphql';

@ObjectType({ description: 'How often a key used one root field in a period.' })
export class FieldUsage {
  @Field({ description: 'The field, as `Type.field` (for example `Query.clientKeys`).' })
  coordinate: string;

  @Field(() => Int, { description: 'Requests that asked for the field.' })
  requests: number;

  @Field(() => Int, { description: 'Requests in which the field failed (refused or errored).' })
  errors: number;

  @Field(() => Float, { description: 'The actual cost of what the field returned, summed.' })
  cost: number;
}
